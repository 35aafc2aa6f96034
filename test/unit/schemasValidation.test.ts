// Schema validation (features/schemaDiagnostics.ts): every catalogue schema compiles, the fixture fleets validate
// cleanly, problems land on the offending key or value, and `${VAR}` placeholders never cause false type errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { catalogEntries, entryForDocument } from '../../server/src/core/schemas/catalog';
import { SchemaValidators } from '../../server/src/core/schemas/validate';

const validators = new SchemaValidators();
import { fleetSchemaDiagnostics, schemaDiagnostics } from '../../server/src/features/schemaDiagnostics';
import { loadFleet, materialize, spanText } from '../helpers/fixture';

const fixtures = path.resolve(__dirname, '../fixtures');

test('every schema of schemas/index.json loads and compiles (once)', () => {
  const entries = catalogEntries();
  assert.ok(entries.length >= 18, `${entries.length} entries`);
  for (const e of entries) {
    const v = validators.validatorFor(e);
    assert.equal(typeof v, 'function', e.file);
    assert.equal(validators.validatorFor(e), v, `${e.file} is compiled once`);
  }
});

test('the schema of a document: by apiVersion and kind; kustomization files by name', () => {
  assert.equal(entryForDocument('/r/a.yaml', 'helm.toolkit.fluxcd.io/v2', 'HelmRelease')?.file, 'helm.toolkit.fluxcd.io/helmrelease-v2.json');
  assert.equal(entryForDocument('/r/kustomization.yaml', undefined, undefined)?.file, 'kustomize/kustomization.json');
  assert.equal(entryForDocument('/r/kustomization.yaml', 'kustomize.config.k8s.io/v1alpha1', 'Component')?.file, 'kustomize/kustomization.json');
  // kustomize config kinds are not manifests: a Kustomization of that group elsewhere is not validated as one.
  assert.equal(entryForDocument('/r/a.yaml', 'kustomize.config.k8s.io/v1beta1', 'Kustomization'), undefined);
  assert.equal(entryForDocument('/r/kustomization.yaml', 'kustomize.toolkit.fluxcd.io/v1', 'Kustomization')?.file, 'kustomize.toolkit.fluxcd.io/kustomization-v1.json');
  assert.equal(entryForDocument('/r/a.yaml', 'helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease'), undefined, 'deprecated versions: deprecated-api says so');
});

test('the fixture fleets and the example fleet have no schema findings', () => {
  for (const [dir, roots] of [
    ['fleet', ['platform', 'tenant-a', 'tenant-b']],
    ['broken', ['.']],
    ['values', ['platform', 'tenant']],
    ['completion', ['platform', 'apps']],
    ['../../examples', ['.']],
  ] as const) {
    const base = path.resolve(fixtures, dir);
    const fleet = loadFleet(base, roots.map((r) => path.resolve(base, r)));
    const found = fleetSchemaDiagnostics(fleet, { evaluate: true }).map((f) => `${path.relative(base, f.file)}: ${f.message}`);
    assert.deepEqual(found, [], dir);
  }
});

const FLUX_SYNC = `//- platform/.git/config
[remote "origin"]
  url = https://github.com/acme/platform
//- platform/clusters/prod/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 5 minutes
  prune: "yes"
  pathh: ./apps
  retryInterval: \${RETRY}
  timeout: \${TIMEOUT:=2m}
  suspend: \${SUSPEND}
  sourceRef:
    kind: GitRepo
    name: flux-system
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
  maxHistory: \${MAX_HISTORY}
`;

test('problems land on the offending value or key, with readable messages and severities', () => {
  const fx = materialize(FLUX_SYNC);
  const fleet = loadFleet(fx.dir, [fx.file('platform')]);
  const file = fx.file('platform/clusters/prod/sync.yaml');
  const found = schemaDiagnostics(fleet, file).map((f) => `${f.severity} ${spanText(fleet, file, f.span)} | ${f.message}`);
  assert.deepEqual(found.sort(), [
    'error "yes" | spec.prune: must be a boolean, not a string ("yes") (Kustomization kustomize.toolkit.fluxcd.io/v1 schema)',
    'error 5 minutes | spec.interval: "5 minutes" is not a duration (Go syntax: a number and a unit, e.g. 30s, 5m, 1h30m) (Kustomization kustomize.toolkit.fluxcd.io/v1 schema)',
    'error GitRepo | spec.sourceRef.kind: "GitRepo" is not one of "OCIRepository", "GitRepository", "Bucket", "ExternalArtifact" (Kustomization kustomize.toolkit.fluxcd.io/v1 schema)',
    "warning pathh | spec: unknown field 'pathh' (did you mean 'path'?) (Kustomization kustomize.toolkit.fluxcd.io/v1 schema)",
    // Not part of any build: a missing field is a warning until the file is deployed.
    "information spec | spec: missing required field 'interval' (HelmRelease helm.toolkit.fluxcd.io/v2 schema); the file is in no build yet",
  ].sort());
  for (const f of schemaDiagnostics(fleet, file)) assert.equal(f.code, 'schema');
});

test('${VAR} in a typed field is never a type error without evaluation', () => {
  const fx = materialize(FLUX_SYNC);
  const fleet = loadFleet(fx.dir, [fx.file('platform')]);
  const file = fx.file('platform/clusters/prod/sync.yaml');
  const texts = schemaDiagnostics(fleet, file).map((f) => spanText(fleet, file, f.span));
  for (const placeholder of ['${RETRY}', '${TIMEOUT:=2m}', '${SUSPEND}', '${MAX_HISTORY}']) assert.ok(!texts.includes(placeholder), placeholder);
});

const SUBSTITUTED = `//- platform/.git/config
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
    name: flux-system
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
  postBuild:
    substitute:
      history: "five"
      good_interval: 30s
      release_suspend: "false"
//- platform/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: \${good_interval}
  suspend: \${release_suspend}
  maxHistory: \${history}
  timeout: \${unknown_var}
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
`;

test('with evaluation, the substituted value is validated in each context that deploys the file', () => {
  const fx = materialize(SUBSTITUTED);
  const fleet = loadFleet(fx.dir, [fx.file('platform')]);
  const file = fx.file('platform/apps/release.yaml');
  assert.deepEqual(schemaDiagnostics(fleet, file), [], 'placeholders are accepted as written');
  const found = schemaDiagnostics(fleet, file, { evaluate: true }).map((f) => `${f.severity} ${spanText(fleet, file, f.span)} | ${f.message}`);
  // 30s is a duration, "false" a boolean after substitution; "five" is no integer; an undefined variable is left
  // to undefined-variable.
  assert.deepEqual(found, ['error ${history} | spec.maxHistory: "${history}" becomes "five" after substitution in flux-system/apps: must be an integer, not a string ("five")']);
});

test('patch files may leave required fields out; their types are still checked', () => {
  const fx = materialize(`//- repo/.git/config
[remote "origin"]
  url = https://github.com/acme/repo
//- repo/app/kustomization.yaml
resources:
  - release.yaml
patches:
  - path: patch.yaml
//- repo/app/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 5m
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
//- repo/app/patch.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  maxHistory: many
  values:
    replicas: 2
`);
  const fleet = loadFleet(fx.dir, [fx.file('repo')]);
  const patch = fx.file('repo/app/patch.yaml');
  assert.deepEqual(schemaDiagnostics(fleet, patch).map((f) => spanText(fleet, patch, f.span)), ['many']);
  assert.deepEqual(schemaDiagnostics(fleet, fx.file('repo/app/release.yaml')), []);
});

test('kustomization files are validated against SchemaStore kustomization.json', () => {
  const fx = materialize(`//- repo/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: deployment.yaml
namePrefix: 3
`);
  const fleet = loadFleet(fx.dir);
  const file = fx.file('repo/kustomization.yaml');
  const found = schemaDiagnostics(fleet, file).map((f) => `${spanText(fleet, file, f.span)} | ${f.message}`);
  assert.ok(found.some((x) => x.startsWith('deployment.yaml | resources: must be a list')), found.join('\n'));
  assert.ok(found.some((x) => x.startsWith('3 | namePrefix: must be a string')), found.join('\n'));
});

test('validation is cached per indexed text: the second pass over 200 documents costs next to nothing', () => {
  const docs = Array.from({ length: 200 }, (_, i) => `---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: r${i}\nspec:\n  interval: 1m\n  url: https://x/${i}\n`).join('');
  const fx = materialize(`//- repo/sources.yaml\n${docs}`);
  const fleet = loadFleet(fx.dir);
  const file = fx.file('repo/sources.yaml');
  let t = performance.now();
  assert.deepEqual(schemaDiagnostics(fleet, file), []);
  const first = performance.now() - t;
  t = performance.now();
  schemaDiagnostics(fleet, file);
  const second = performance.now() - t;
  assert.ok(second < Math.max(1, first / 5), `first ${first.toFixed(1)} ms, second ${second.toFixed(2)} ms`);
});

test('validateValue reports a placeholder site instead of an error', () => {
  const entry = catalogEntries().find((e) => e.kind === 'GitRepository')!;
  const r = validators.validateValue(entry, { apiVersion: entry.apiVersion, kind: 'GitRepository', metadata: { name: 'x' }, spec: { interval: '${I}', url: 'https://x', timeout: '${T}' } });
  assert.deepEqual(r.issues, []);
  assert.deepEqual(r.placeholders.map((p) => `${p.pointer}=${p.raw}`).sort(), ['/spec/interval=${I}', '/spec/timeout=${T}']);
});
