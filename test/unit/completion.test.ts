// Completion lists per cursor position on test/fixtures/completion (the file's text with the cursor edited in, as an
// editor's unsaved buffer): schema keys and values, references, folders of the referenced source, variables, Helm
// values, snippets.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Fleet } from '../../server/src/core/model';
import { completion, type CompletionItem } from '../../server/src/features/completion';
import { loadFleet } from '../helpers/fixture';

const dir = path.resolve(__dirname, '../fixtures/completion');
let fleet: Fleet;

before(() => {
  fleet = loadFleet(dir, [path.join(dir, 'platform'), path.join(dir, 'apps')]);
});

interface Result {
  items: CompletionItem[];
  labels: string[];
  text: string;
  byLabel: (l: string) => CompletionItem;
}

/** Completion at `$0` in `rel` after `edit` put it there (an unsaved buffer; the disk file is not touched). */
function complete(rel: string, edit: (text: string) => string): Result {
  const file = path.join(dir, rel);
  const original = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const withCursor = edit(original);
  const offset = withCursor.indexOf('$0');
  assert.ok(offset >= 0, 'the edit placed no $0');
  const text = withCursor.replace('$0', '');
  fleet.setOverlay(file, text);
  try {
    const items = completion(fleet, file, offset).sort((a, b) => a.sortText.localeCompare(b.sortText) || a.label.localeCompare(b.label));
    return { items, labels: items.map((i) => i.label), text, byLabel: (l) => items.find((i) => i.label === l)! };
  } finally {
    fleet.clearOverlay(file);
  }
}

const replace = (from: string, to: string) => (t: string) => {
  assert.ok(t.includes(from), from);
  return t.replace(from, to);
};

test('sourceRef name: sources visible from the namespace first, others with a namespace line', () => {
  const r = complete('platform/clusters/prod/apps.yaml', replace('    name: apps\n  postBuild', '    name: $0\n  postBuild'));
  assert.deepEqual(r.labels, ['apps', 'flux-system', 'team-b']);
  assert.equal(r.byLabel('apps').detail, 'GitRepository in flux-system');
  assert.match(r.byLabel('apps').documentation!, /Content: `apps` \(mapped in platform\/\.flux-fleet\.yaml\)/);
  const teamB = r.byLabel('team-b');
  assert.match(teamB.detail!, /another namespace/);
  assert.deepEqual(teamB.additionalEdits?.map((e) => e.newText), ['\n    namespace: team-b']);
  assert.equal(r.byLabel('apps').additionalEdits, undefined);
});

test('spec.path completes folders of the referenced source (the apps repository), not of the file', () => {
  const r = complete('platform/clusters/prod/apps.yaml', replace('path: ./deploy/prod', 'path: ./deploy/$0'));
  assert.deepEqual(r.labels, ['./deploy/base', './deploy/prod', './deploy/staging']);
  assert.equal(r.text.slice(r.items[0].span.start, r.items[0].span.end), './deploy/');
  const top = complete('platform/clusters/prod/apps.yaml', replace('path: ./deploy/prod', 'path: $0'));
  assert.deepEqual(top.labels, ['./charts', './components', './deploy']);
  assert.match(top.byLabel('./deploy').detail!, /Flux generates a kustomization/);
  // The bootstrap Kustomization's source is the platform repository itself.
  const own = complete('platform/clusters/prod/infra.yaml', replace('path: ./infra', 'path: ./$0'));
  assert.deepEqual(own.labels, ['./infra', './clusters'], 'folders with a kustomization first');
});

test('Flux spec.components: Component folders relative to spec.path in the source', () => {
  const r = complete('platform/clusters/prod/apps.yaml', replace('  dependsOn:', '  components:\n    - ../../components/$0\n  dependsOn:'));
  assert.deepEqual(r.labels, ['../../components/logging', '../../components/monitoring']);
});

test('keys from the schema: required first, present keys left out, documentation from the CRD', () => {
  const r = complete('platform/clusters/prod/new.yaml', () => 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec:\n  path: ./a\n  $0\n');
  assert.deepEqual(r.labels.slice(0, 3), ['interval', 'prune', 'sourceRef']);
  assert.ok(!r.labels.includes('path'));
  const interval = r.byLabel('interval');
  assert.equal(interval.detail, 'string · required');
  assert.match(interval.documentation!, /The interval at which to reconcile the Kustomization/);
  assert.equal(interval.insertText, 'interval: $0');
  assert.equal(r.byLabel('sourceRef').insertText, 'sourceRef:\n    $0');
  assert.equal(r.byLabel('prune').insertText, 'prune: ${1|true,false|}');
  assert.equal(r.byLabel('deletionPolicy').insertText, 'deletionPolicy: ${1|MirrorPrune,Delete,WaitForTermination,Orphan|}');
});

test('a half-written key in a map, with siblings below it', () => {
  const r = complete('platform/clusters/prod/apps.yaml', replace('    kind: GitRepository\n    name: apps', '    na$0\n    kind: GitRepository'));
  assert.deepEqual(r.labels, ['name', 'apiVersion', 'namespace']);
  assert.equal(r.text.slice(r.items[0].span.start, r.items[0].span.end), 'na');
});

test('enum values from the schema', () => {
  const r = complete('platform/clusters/prod/apps.yaml', replace('    kind: GitRepository', '    kind: $0'));
  assert.deepEqual(r.labels, ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact']);
});

test('dependsOn: other Kustomizations (not itself); substituteFrom: ConfigMaps, generated ones included', () => {
  assert.deepEqual(complete('platform/clusters/prod/apps.yaml', replace('    - name: infra', '    - name: $0')).labels, ['flux-system', 'infra']);
  const r = complete('platform/clusters/prod/apps.yaml', replace('        name: cluster-vars', '        name: $0'));
  assert.deepEqual(r.labels, ['cluster-vars', 'web-values']);
  assert.match(r.byLabel('web-values').documentation!, /generated by a kustomize generator/);
  assert.match(r.byLabel('web-values').detail!, /ConfigMap in apps \(another namespace\)/);
});

test('kustomization fields: Component folders for components, folders with a kustomization and YAML files for resources', () => {
  assert.deepEqual(complete('apps/deploy/prod/kustomization.yaml', replace('  - ../../components/monitoring', '  - ../../components/$0')).labels, ['../../components/logging', '../../components/monitoring']);
  // ../base is listed already, ../prod is this kustomization's own folder.
  assert.deepEqual(complete('apps/deploy/prod/kustomization.yaml', replace('  - ../base', '  - ../base\n  - ../$0')).labels, ['../staging', '../../']);
  const files = complete('apps/deploy/base/kustomization.yaml', replace('  - service.yaml', '  - service.yaml\n  - $0'));
  assert.deepEqual(files.labels, ['web-values.yaml', '../']);
  const gen = complete('apps/deploy/base/kustomization.yaml', replace('      - values.yaml=web-values.yaml', '      - $0'));
  assert.ok(gen.labels.includes('web-values.yaml'), gen.labels.join(', '));
});

test('patch targets: kinds and names of the kustomization own build', () => {
  const kinds = complete('apps/deploy/base/kustomization.yaml', (t) => t + 'patches:\n  - target:\n      kind: $0\n');
  assert.deepEqual(kinds.labels, ['ConfigMap', 'HelmRelease', 'Service']);
  const names = complete('apps/deploy/base/kustomization.yaml', (t) => t + 'patches:\n  - target:\n      kind: HelmRelease\n      name: $0\n');
  assert.deepEqual(names.labels, ['web']);
});

test('${ completes the variables in scope with their value per context', () => {
  const r = complete('apps/deploy/base/release.yaml', replace('    env: ${env}', '    env: ${$0'));
  assert.deepEqual(r.labels, ['cluster_name', 'env', 'region', 'replicas']);
  const env = r.byLabel('env');
  assert.equal(env.kind, 'variable');
  assert.equal(env.detail, '= "production"');
  assert.equal(env.insertText, 'env}');
  assert.match(env.documentation!, /`"production"` on flux-system\/apps — flux:postBuild\.substitute at `platform\/clusters\/prod\/apps\.yaml:17`/);
  assert.match(r.byLabel('region').documentation!, /flux:postBuild\.substituteFrom ConfigMap cluster-vars/);
  // Inside an existing `${…}`: no second brace.
  assert.equal(complete('apps/deploy/base/release.yaml', replace('    env: ${env}', '    env: ${e$0nv}')).byLabel('env').insertText, 'env');
});

test('HelmRelease values: keys from the chart values.yaml and the valuesFrom layers, nested too', () => {
  const r = complete('apps/deploy/base/release.yaml', replace('    env: ${env}', '    env: ${env}\n    $0'));
  assert.deepEqual(r.labels, ['image', 'ingress', 'resources', 'service']);
  assert.match(r.byLabel('image').documentation!, /chart default: `\{"repository":"nginx","tag":"latest"\}`/);
  assert.match(r.byLabel('image').documentation!, /flux-system\/apps: `\{"repository":"nginx","tag":"1\.2\.3"\}`/);
  assert.match(r.byLabel('ingress').detail!, /^effective/);
  assert.deepEqual(complete('apps/deploy/base/release.yaml', replace('    env: ${env}', '    env: ${env}\n    image:\n      $0')).labels, ['repository', 'tag']);
});

test('HelmRelease references: valuesFrom names, chart folders of a Git source', () => {
  const r = complete('apps/deploy/base/release.yaml', replace('      name: web-values', '      name: $0'));
  assert.deepEqual(r.labels, ['web-values', 'cluster-vars']);
  const charts = complete('apps/deploy/base/release.yaml', replace('      chart: ./charts/web', '      chart: ./charts/$0'));
  assert.deepEqual(charts.labels, ['./charts/web']);
  assert.equal(charts.items[0].detail, 'Helm chart');
});

test('an empty document: apiVersion and kind first, and the snippets', () => {
  const r = complete('platform/clusters/prod/new.yaml', () => '$0');
  assert.deepEqual(r.labels, ['apiVersion', 'kind', 'metadata', 'spec', 'flux: GitRepository + Kustomization', 'flux: HelmRelease with valuesFrom', 'flux: tenant']);
  const hr = r.byLabel('flux: HelmRelease with valuesFrom');
  assert.equal(hr.snippet, true);
  assert.match(hr.insertText!, /name: \$\{6\|bitnami\|\}/, 'the fleet HelmRepositories are the choices');
  const kinds = complete('platform/clusters/prod/new.yaml', () => 'kind: Helm$0');
  assert.ok(kinds.labels.includes('HelmRelease'));
  assert.deepEqual(kinds.byLabel('HelmRelease').additionalEdits?.map((e) => e.newText), ['apiVersion: helm.toolkit.fluxcd.io/v2\n']);
  assert.deepEqual(complete('platform/clusters/prod/new.yaml', () => 'apiVersion: $0\nkind: HelmRelease\n').labels, ['helm.toolkit.fluxcd.io/v2']);
});

test('a deprecated apiVersion still completes from the current schema', () => {
  const r = complete('platform/clusters/prod/new.yaml', () => 'apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\nspec:\n  $0\n');
  assert.deepEqual(r.labels.slice(0, 3), ['interval', 'prune', 'sourceRef']);
});

test('completion stays fast on the fixture (every position above under 50 ms once warm)', () => {
  complete('platform/clusters/prod/apps.yaml', replace('path: ./deploy/prod', 'path: $0'));
  const t = performance.now();
  for (let i = 0; i < 20; i++) complete('platform/clusters/prod/apps.yaml', replace('    name: apps\n  postBuild', '    name: $0\n  postBuild'));
  assert.ok((performance.now() - t) / 20 < 50);
});

test('a file with CRLF line ends completes as with LF (keys, enums, references, variables, Helm values)', () => {
  const crlf = (edit: (t: string) => string) => (t: string) => edit(t).replace(/\r?\n/g, '\r\n');
  const cases: Array<[string, (t: string) => string]> = [
    ['platform/clusters/prod/apps.yaml', replace('    kind: GitRepository\n    name: apps', '    na$0\n    kind: GitRepository')],
    ['platform/clusters/prod/apps.yaml', replace('    kind: GitRepository', '    kind: $0')],
    ['platform/clusters/prod/apps.yaml', replace('    - name: infra', '    - name: $0')],
    ['apps/deploy/base/release.yaml', replace('    env: ${env}', '    env: ${$0')],
    ['apps/deploy/base/release.yaml', replace('    env: ${env}', '    env: ${env}\n    image:\n      $0')],
  ];
  for (const [rel, edit] of cases) {
    const lf = complete(rel, edit).labels;
    assert.ok(lf.length > 0);
    assert.deepEqual(complete(rel, crlf(edit)).labels, lf, rel);
  }
});
