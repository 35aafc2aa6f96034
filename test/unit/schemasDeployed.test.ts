// Schema findings on the objects as deployed (features/schemaDeployed.ts) and what the API server does before it
// validates (null fields dropped; the Flux Operator's notification kinds). Fixture: test/fixtures/schema-deployed
// (see its README): a parent's spec.patches supply the children's interval and prune, in prod both, in staging only
// the interval.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { deployedSchemaDiagnostics, fleetSchemaDiagnostics, schemaDiagnostics } from '../../server/src/features/schemaDiagnostics';
import { catalogEntries } from '../../server/src/core/schemas/catalog';
import { SchemaValidators, withoutNulls } from '../../server/src/core/schemas/validate';
import { evaluationStats } from '../../server/src/core/evaluate/fluxBuild';
import { loadFleet, materialize, spanText } from '../helpers/fixture';
import type { Fleet } from '../../server/src/core/model';

const dir = path.resolve(__dirname, '../fixtures/schema-deployed');
const KS = '(Kustomization kustomize.toolkit.fluxcd.io/v1 schema)';

function lines(fleet: Fleet, file: string, findings: Array<{ severity: string; span: { start: number; end: number }; message: string }>): string[] {
  return findings.map((f) => `${f.severity} ${spanText(fleet, file, f.span)} | ${f.message}`);
}

// The platform repository's prod cluster: its GitRepository and the root Kustomization of ./clusters/prod.
const PROD_SYNC = `//- platform/.git/config
[remote "origin"]
  url = https://github.com/acme/platform
//- platform/clusters/prod/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/acme/platform
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system`;

test('children without interval/prune that the parent patches in every context have no finding; a field missing in one context names it', () => {
  const fleet = loadFleet(dir);
  const teamA = path.join(dir, 'tenants/team-a.yaml');
  const teamB = path.join(dir, 'tenants/team-b.yaml');
  assert.deepEqual(lines(fleet, teamA, schemaDiagnostics(fleet, teamA, { evaluate: true })).sort(), [
    // A type error that substitution brings in, on the ${VAR}, in the context whose value is wrong.
    'error ${tenant_timeout} | spec.timeout: "${tenant_timeout}" becomes "5 minutes" after substitution in prod › flux-system/tenants: "5 minutes" is not a duration (Go syntax: a number and a unit, e.g. 30s, 5m, 1h30m)',
    // Staging's parent patches only the interval.
    `error spec | spec: missing required field 'prune' ${KS}; in 1 of 2 contexts: staging › flux-system/tenants`,
  ]);
  assert.deepEqual(schemaDiagnostics(fleet, teamB, { evaluate: true }), [], 'interval from both parents, prune its own');
});

test('as written (the fast tier), a file Flux deploys keeps its missing fields back; evaluation adds those no patch supplies', () => {
  const fleet = loadFleet(dir);
  const teamA = path.join(dir, 'tenants/team-a.yaml');
  assert.deepEqual(schemaDiagnostics(fleet, teamA), []);
  assert.deepEqual(schemaDiagnostics(fleet, path.join(dir, 'tenants/team-b.yaml')), []);
  assert.deepEqual(lines(fleet, teamA, deployedSchemaDiagnostics(fleet, teamA)).map((l) => l.split(' | ')[0]).sort(), ['error ${tenant_timeout}', 'error spec']);
});

test('the whole fixture: only true findings (a draft in no build gets its as-written finding as information)', () => {
  const fleet = loadFleet(dir);
  const found = fleetSchemaDiagnostics(fleet, { evaluate: true }).map((f) => `${path.relative(dir, f.file)} ${f.severity} ${spanText(fleet, f.file, f.span)}`);
  assert.deepEqual(found.sort(), ['drafts/nulls.yaml information spec', 'tenants/team-a.yaml error ${tenant_timeout}', 'tenants/team-a.yaml error spec']);
});

test('a field set to null (null, ~ or nothing) is dropped as the API server does: no type error; a required one is missing', () => {
  const fleet = loadFleet(dir);
  const sources = path.join(dir, 'apps/team-b/sources.yaml');
  assert.deepEqual(schemaDiagnostics(fleet, sources), []);
  assert.deepEqual(schemaDiagnostics(fleet, sources, { evaluate: true }), []);
  const draft = path.join(dir, 'drafts/nulls.yaml');
  assert.deepEqual(lines(fleet, draft, schemaDiagnostics(fleet, draft)), [
    "information spec | spec: missing required field 'interval' (HelmRelease helm.toolkit.fluxcd.io/v2 schema); the file is in no build yet",
  ]);
  assert.deepEqual(withoutNulls({ a: null, b: [null, { c: null, d: 1 }], e: { f: null } }), { b: [null, { d: 1 }], e: {} });
  const entry = catalogEntries().find((e) => e.kind === 'GitRepository')!;
  assert.deepEqual(new SchemaValidators().validateValue(entry, { apiVersion: entry.apiVersion, kind: 'GitRepository', metadata: { name: 'x' }, spec: { interval: '1m', url: 'https://x', ref: null } }).issues, []);
});

test("the Flux Operator's kinds are valid Alert event sources and Receiver resources", () => {
  const fleet = loadFleet(dir);
  const file = path.join(dir, 'apps/team-a/alerts.yaml');
  assert.deepEqual(schemaDiagnostics(fleet, file), []);
  const alert = catalogEntries().find((e) => e.kind === 'Alert')!;
  const issues = new SchemaValidators().validateValue(alert, { apiVersion: alert.apiVersion, kind: 'Alert', metadata: { name: 'a' }, spec: { providerRef: { name: 'p' }, eventSources: [{ kind: 'ResourceSet', name: '*' }, { kind: 'Deployment', name: 'x' }] } }).issues;
  assert.deepEqual(issues.map((i) => i.pointer), ['/spec/eventSources/1/kind'], 'other kinds are still rejected');
});

test('a document valid as written is not built for schema findings (evaluation stays lazy)', () => {
  const fleet = loadFleet(dir);
  const before = evaluationStats(fleet).built + evaluationStats(fleet).reused;
  assert.deepEqual(schemaDiagnostics(fleet, path.join(dir, 'apps/team-a/alerts.yaml'), { evaluate: true }), []);
  assert.deepEqual(schemaDiagnostics(fleet, path.join(dir, 'clusters/prod/tenants.yaml'), { evaluate: true }), []);
  assert.equal(evaluationStats(fleet).built + evaluationStats(fleet).reused, before);
});

test('a bad value another file sets goes on the kind line and names that file; a value from the file stays on its value', () => {
  const fx = materialize(`${PROD_SYNC}
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  patches:
    - target:
        kind: HelmRelease
      patch: |
        - op: add
          path: /spec/maxHistory
          value: many
//- platform/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 5 minutes
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
`);
  const fleet = loadFleet(fx.dir, [fx.file('platform')]);
  const file = fx.file('platform/apps/release.yaml');
  assert.deepEqual(lines(fleet, file, schemaDiagnostics(fleet, file, { evaluate: true })).sort(), [
    'error 5 minutes | spec.interval: "5 minutes" is not a duration (Go syntax: a number and a unit, e.g. 30s, 5m, 1h30m) (HelmRelease helm.toolkit.fluxcd.io/v2 schema)',
    'error HelmRelease | spec.maxHistory: must be an integer, not a string ("many") (HelmRelease helm.toolkit.fluxcd.io/v2 schema), set by flux:patches in platform/clusters/prod/apps.yaml',
  ]);
  // The server shows the as-written finding at once and adds only what evaluation knows besides.
  assert.deepEqual(lines(fleet, file, deployedSchemaDiagnostics(fleet, file)).map((l) => l.split(' | ')[0]), ['error HelmRelease']);
});

test("a file only a kustomization's patches include is not built for its findings: it declares no object, and a missing field is the patched object's", () => {
  const fx = materialize(`${PROD_SYNC}
//- platform/clusters/prod/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - flux-system/gotk-sync.yaml
  - apps.yaml
patches:
  - path: apps-patch.yaml
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- platform/clusters/prod/apps-patch.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./apps/prod
  timeout: soon
//- platform/apps/prod/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: config
  namespace: apps
`);
  const fleet = loadFleet(fx.dir, [fx.file('platform')]);
  const patch = fx.file('platform/clusters/prod/apps-patch.yaml');
  assert.ok(fleet.links.nonResourceFiles.has(patch));
  const before = evaluationStats(fleet).built + evaluationStats(fleet).reused;
  // The patch's own type error stands as written; the fields it leaves out are the patched object's to have.
  assert.deepEqual(lines(fleet, patch, schemaDiagnostics(fleet, patch, { evaluate: true })), [
    'error soon | spec.timeout: "soon" is not a duration (Go syntax: a number and a unit, e.g. 30s, 5m, 1h30m) (Kustomization kustomize.toolkit.fluxcd.io/v1 schema)',
  ]);
  assert.equal(evaluationStats(fleet).built + evaluationStats(fleet).reused, before, 'no context built for the patch');
});
