// Objects a ResourceSet generates are objects of the context that applies it (test/fixtures/operator-generated): a
// generated HelmRelease has effective values per input set with provenance at the template lines (the ResourceSet
// step), value findings and locks run on it, the value hover reaches it, and every generated object is validated
// against the same schemas as one written in Git, the finding on the template line naming the input sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet, spanText } from '../helpers/fixture';
import * as ide from '../../server/src/ide';
import { valuesCommand } from '../../server/src/ide/commands';
import type { Fleet } from '../../server/src/core/model';

const dir = path.resolve(__dirname, '../fixtures/operator-generated/platform');
const apps = path.join(dir, 'clusters/prod/apps.yaml');
const config = path.join(dir, 'clusters/prod/config.yaml');
const options = { strictSubstitution: false, schema: true };

function lineOf(fleet: Fleet, file: string, offset: number): string {
  const pos = ide.offsetToLineCol(fleet.facts.get(file)!.lineStarts, offset);
  return `${path.relative(dir, file)}:${pos.line + 1}:${pos.character + 1}`;
}

function values(fleet: Fleet, target: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = valuesCommand({ out: (t) => (out += t), err: (t) => (err += t), cwd: dir }, fleet, target, undefined, 'text');
  return { code, out, err };
}

test('values: a generated HelmRelease, per input set, each value at its template line (spec.values of the ResourceSet step)', () => {
  const fleet = loadFleet(dir);
  const a = values(fleet, 'HelmRelease/team-a/podinfo');
  assert.equal(a.err, '');
  const set0 = 'spec.values (ResourceSet flux-system/apps, input set 0 (tenant: team-a, replicas: 2))';
  assert.deepEqual(a.out.split('\n').filter(Boolean), [
    '# context: platform/clusters/prod/flux-system: flux-system/flux-system',
    `replicaCount: 2  # clusters/prod/apps.yaml:39 (${set0})`,
    `owner: alice  # clusters/prod/apps.yaml:41 (${set0})`,
    `ingress.enabled: true  # clusters/prod/apps.yaml:44 (${set0})`,
  ]);
  const b = values(fleet, 'HelmRelease/team-b/podinfo');
  assert.match(b.out, /^replicaCount: 3 {2}# clusters\/prod\/apps\.yaml:39 \(spec\.values \(ResourceSet flux-system\/apps, input set 1 \(tenant: team-b, replicas: 3\)\)\)$/m);
  assert.doesNotMatch(b.out, /owner/);
});

test('value findings and locks run on a generated HelmRelease: the required owner is missing for team-b only, at the template', () => {
  const fleet = loadFleet(dir);
  const missing = ide.check(fleet, options).filter((f) => f.code === 'missing-required');
  assert.deepEqual(missing.map((f) => lineOf(fleet, f.file, f.span.start)), ['clusters/prod/apps.yaml:27:13']);
  assert.equal(spanText(fleet, apps, missing[0].span), 'podinfo');
  assert.match(missing[0].message, /spec\.values\.owner is required .* not set for HelmRelease team-b\/podinfo/);
});

test('the value hover on a template line shows the generated releases\' values per input set, not the whole template', () => {
  const fleet = loadFleet(dir);
  const text = fleet.facts.get(apps)!.text;
  const h = ide.hover(fleet, apps, text.indexOf('enabled: true') + 10)!;
  assert.match(h.markdown, /`values\.ingress\.enabled` of HelmRelease team-a\/podinfo, HelmRelease team-b\/podinfo/);
  assert.match(h.markdown, /`true` \| spec\.values \(ResourceSet flux-system\/apps, input set 1 \(tenant: team-b, replicas: 3\)\) · `platform\/clusters\/prod\/apps\.yaml:44`/);
  assert.doesNotMatch(h.markdown, /spec\.resourcesTemplate/);
});

test('generated objects are schema-checked: a number interval and a misspelt field, on the template line, naming the input sets', () => {
  const fleet = loadFleet(dir);
  const schema = ide.check(fleet, options).filter((f) => f.code === 'schema');
  assert.deepEqual(schema.map((f) => `${lineOf(fleet, f.file, f.span.start)} ${spanText(fleet, f.file, f.span)}`).sort(), ['clusters/prod/apps.yaml:31:7 relaseName', 'clusters/prod/config.yaml:41:19 5']);
  const [interval] = schema.filter((f) => f.file === config);
  assert.equal(interval.severity, 'error');
  assert.equal(interval.message, 'spec.interval: must be a string, not an integer (5) (Kustomization kustomize.toolkit.fluxcd.io/v1 schema) (input set 0 (tenant: team-a) of ResourceSet flux-system/config)');
  const [field] = schema.filter((f) => f.file === apps);
  assert.match(field.message, /unknown field 'relaseName' \(did you mean 'releaseName'\?\) \(HelmRelease helm\.toolkit\.fluxcd\.io\/v2 schema\) \(input set 0 \(tenant: team-a, replicas: 2\); input set 1 \(tenant: team-b, replicas: 3\) of ResourceSet flux-system\/apps\)/);
  // The editor's fast tier (one file, as written) says the same.
  assert.deepEqual(ide.fileFindings(fleet, config, { schema: true }).filter((f) => f.code === 'schema').map((f) => f.message), [interval.message]);
});

test('a ResourceSet\'s dependsOn: Flux and operator objects resolved (in Git, generated, made by the FluxInstance), a missing one reported, other kinds left to the cluster', () => {
  const fleet = loadFleet(dir);
  const text = fleet.facts.get(config)!.text;
  const notFound = ide.check(fleet, options).filter((f) => f.code === 'object-not-found');
  assert.deepEqual(notFound.map((f) => `${lineOf(fleet, f.file, f.span.start)} ${spanText(fleet, f.file, f.span)}`), ['clusters/prod/config.yaml:26:13 infra']);
  assert.equal(notFound[0].message, "dependsOn: Kustomization 'infra' in namespace flux-system is not defined in the fleet.");
  const definition = (needle: string) => ide.definition(fleet, config, text.indexOf(needle) + 'name: '.length + 1).map((l) => `${path.relative(dir, l.file)} ${spanText(fleet, l.file, l.span!)}`);
  assert.deepEqual(definition('name: apps'), ['clusters/prod/apps.yaml apps']);
  // The generated HelmRelease: its name's template line.
  assert.deepEqual(definition('name: podinfo'), ['clusters/prod/apps.yaml podinfo']);
  // The FluxInstance's own Kustomization (named after its namespace): the sync it is made from.
  assert.deepEqual(definition('name: flux-system\n      namespace: flux-system'), ['clusters/prod/flux-system/instance.yaml https://github.com/gen-org/platform']);
  // A CRD and a Deployment a chart installs: not the fleet's to define.
  assert.deepEqual(definition('name: helmreleases'), []);
  assert.deepEqual(definition('name: ingress-nginx-controller'), []);
});

test('a reference to an object only a provider without samples would generate is not missing: it leads to the ResourceSet', () => {
  const fleet = loadFleet(dir);
  const previews = path.join(dir, 'clusters/prod/previews.yaml');
  const text = fleet.facts.get(previews)!.text;
  assert.deepEqual(ide.check(fleet, options).filter((f) => f.file === previews).map((f) => f.code), ['provider-inputs-unknown']);
  const [to] = ide.definition(fleet, previews, text.indexOf('preview-42-values') + 3);
  assert.equal(to.file, previews);
  assert.equal(spanText(fleet, previews, to.span!), 'previews');
  const hover = ide.hover(fleet, previews, text.indexOf('preview-42-values') + 3)!;
  assert.match(hover.markdown, /made in the cluster by ResourceSet flux-system\/previews, for the input sets of flux-system\/branches \(GitHubBranch\), unknown offline/);
});
