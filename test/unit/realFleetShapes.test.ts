// Shapes found on real public fleets, each a fixture: what `check` (links + evaluation), `tree`, hover and definition
// say must be what Flux and kustomize would do. Findings come from the whole check, not the linker alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { checkFindings } from '../../server/src/cli';
import { computeLineStarts, offsetToLineCol } from '../../server/src/core/text';
import type { Fleet } from '../../server/src/core/model';
import { fleetTree, renderTree } from '../../server/src/features/fleetTree';
import { definition } from '../../server/src/features/definition';
import { hover } from '../../server/src/features/hover';
import { spawnSync } from 'node:child_process';
import { mappingKeyFor, urlWithDefaults } from '../../server/src/core/link/sourceRoots';

/** `severity code file:line` of every finding of the whole check (schema validation off: not what these test). */
function checkLines(fleet: Fleet, dir: string, schema = false): string[] {
  return checkFindings(fleet, true, schema)
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => {
      const text = fleet.facts.get(f.file)?.text ?? fleet.readAuxFile(f.file) ?? '';
      const pos = offsetToLineCol(computeLineStarts(text), f.span.start);
      return `${f.severity} ${f.code} ${path.relative(dir, f.file)}:${pos.line + 1}`;
    })
    .sort();
}

const variablePathFleet = (env: string) => `
//- fleet/.flux-fleet.yaml
repositories:
  https://github.com/acme/fleet: .
  https://github.com/acme/apps: ../apps
//- fleet/clusters/prod/flux-system/gotk-sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/acme/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  interval: 10m
  path: ./tenants
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      ENVIRONMENT: ${env}
//- fleet/tenants/apps.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/acme/apps
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/\${ENVIRONMENT}
  prune: true
  sourceRef:
    kind: GitRepository
    name: apps
//- apps/apps/prod/kustomization.yaml
resources:
  - web.yaml
//- apps/apps/prod/web.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: default
data:
  env: prod
//- apps/apps/staging/kustomization.yaml
resources: []
`;

test("a child's spec.path with a variable its parent substitutes resolves per context: no finding, the tree shows the folder", () => {
  const m = materialize(variablePathFleet('prod'));
  const fleet = loadFleet(m.file('fleet'));
  assert.deepEqual(checkLines(fleet, m.dir), []);
  const tree = renderTree(fleetTree(fleet));
  assert.match(tree, /path \.\/apps\/\$\{ENVIRONMENT\}  → apps\/apps\/prod \(as the parent renders it\)/);
  // The file in apps/prod is deployed by that Kustomization (deploy chains reach it).
  const text = fleet.facts.get(m.file('fleet/tenants/apps.yaml'))!.text;
  const at = text.indexOf('${ENVIRONMENT}');
  assert.deepEqual(definition(fleet, m.file('fleet/tenants/apps.yaml'), at).map((l) => path.relative(m.dir, l.file)), ['apps/apps/prod/kustomization.yaml']);
  const h = hover(fleet, m.file('fleet/tenants/apps.yaml'), at)!;
  assert.match(h.markdown, /`\.\/apps\/prod` → `apps\/apps\/prod`/);
});

test('a substituted spec.path that names no folder is reported once, at the path, naming the context', () => {
  const m = materialize(variablePathFleet('production'));
  const fleet = loadFleet(m.file('fleet'));
  const lines = checkLines(fleet, m.dir);
  assert.deepEqual(lines, ['error path-not-found fleet/tenants/apps.yaml:19']);
  const f = checkFindings(fleet, true, false).find((x) => x.code === 'path-not-found')!;
  assert.match(f.message, /'\.\/apps\/\$\{ENVIRONMENT\}' becomes '\.\/apps\/production' in context flux-system\/apps .*does not exist in apps.*prune: true/);
  assert.match(renderTree(fleetTree(fleet)), /\(renders \.\/apps\/production: no such folder\)/);
});

test("a FluxInstance's OCIRepository sync source is an object the operator makes: Kustomizations in the synced path refer to it", () => {
  for (const kind of ['OCIRepository', 'GitRepository', 'Bucket']) {
    const url = kind === 'OCIRepository' ? 'oci://ghcr.io/acme/fleet' : kind === 'Bucket' ? 'https://s3.example.com/fleet' : 'https://github.com/acme/fleet';
    const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories:
  ${kind === 'Bucket' ? 'Bucket/flux-system/flux-system' : url}: .
//- fleet/clusters/prod/flux-system/flux-instance.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "2.x"
    registry: ghcr.io/fluxcd
  sync:
    kind: ${kind}
    url: ${url}
    ref: latest
    path: clusters/prod
//- fleet/clusters/prod/apps.yaml
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
    kind: ${kind}
    name: flux-system
//- fleet/apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  namespace: default
`);
    const fleet = loadFleet(m.file('fleet'));
    assert.deepEqual(checkLines(fleet, m.dir), [], kind);
    assert.match(renderTree(fleetTree(fleet)), /source .*flux-system .*→ fleet\n.*path \.\/apps  → fleet\/apps/, kind);
  }
});

test("a plain values file in a folder Flux generates a kustomization for fails the build, reported at that file", () => {
  const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories: {}
//- fleet/clusters/prod/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/web
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- fleet/apps/web/deploy.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: default
//- fleet/apps/web/values.yaml
replicaCount: 2
image:
  tag: "1.0"
`);
  const fleet = loadFleet(m.file('fleet'));
  assert.deepEqual(checkLines(fleet, m.dir), ['error kustomize-build-error fleet/apps/web/values.yaml:1']);
  const f = checkFindings(fleet, true, false).find((x) => x.code === 'kustomize-build-error')!;
  assert.match(f.message, /missing Resource metadata/);
});

test('${VAR} inside a file a configMapGenerator reads is reported at its line in that file, with the fix for generated objects', () => {
  const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories: {}
//- fleet/clusters/prod/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: monitoring
  namespace: flux-system
spec:
  interval: 10m
  path: ./monitoring
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      CLUSTER: prod
//- fleet/monitoring/kustomization.yaml
namespace: monitoring
configMapGenerator:
  - name: dashboards
    files:
      - dashboards/cluster.json
  - name: quiet
    files:
      - dashboards/quiet.json
    options:
      labels:
        kustomize.toolkit.fluxcd.io/substitute: disabled
//- fleet/monitoring/dashboards/cluster.json
{
  "title": "Cluster \${CLUSTER}",
  "datasource": "\${DS_PROMETHEUS}",
  "panels": [{ "datasource": "\${DS_PROMETHEUS}" }]
}
//- fleet/monitoring/dashboards/quiet.json
{ "datasource": "\${DS_PROMETHEUS}" }
`);
  const fleet = loadFleet(m.file('fleet'));
  assert.deepEqual(checkLines(fleet, m.dir), ['error undefined-variable fleet/monitoring/dashboards/cluster.json:3', 'error undefined-variable fleet/monitoring/dashboards/cluster.json:4']);
  const f = checkFindings(fleet, true, false).find((x) => x.code === 'undefined-variable')!;
  assert.equal(fleet.readAuxFile(f.file)!.slice(f.span.start, f.span.end), '${DS_PROMETHEUS}');
  assert.match(f.message, /escape it as \$\$\{DS_PROMETHEUS\}, or label the generated object kustomize\.toolkit\.fluxcd\.io\/substitute: disabled/);
});

test('messages and counts: a folder holding repositories is not one more; a URL with ${var:=default} is mapped with its default; one mistake, one finding', () => {
  const m = materialize(`
//- work/platform/.git/config
[remote "origin"]
  url = https://github.com/acme/platform
//- work/platform/clusters/prod/kustomization.yaml
resources:
  - missing.yaml
  - apps.yaml
//- work/platform/clusters/prod/apps.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com:\${github_port:=22}/acme/apps
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: other
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@\${git_host}/acme/other
//- work/platform/flux/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: prod
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- work/tenant/.git/config
[remote "origin"]
  url = https://github.com/acme/tenant
//- work/tenant/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
`);
  const cli = path.resolve(__dirname, '../../dist/cli.js');
  const out = spawnSync(process.execPath, [cli, 'check', m.file('work')], { encoding: 'utf8' }).stdout;
  assert.match(out, /^2 repositories, /m);
  const fleet = loadFleet(m.file('work'));
  const all = checkFindings(fleet, true, false);
  // The missing resources entry: path-not-found from the linker; the build's failure on it is the same mistake.
  assert.deepEqual(all.filter((f) => f.file.endsWith('kustomization.yaml')).map((f) => f.code), ['path-not-found']);
  assert.equal(urlWithDefaults('ssh://git@github.com:${github_port:=22}/acme/apps'), 'ssh://git@github.com:22/acme/apps');
  assert.equal(mappingKeyFor('GitRepository', 'flux-system', 'other', 'ssh://git@${git_host}/acme/other', undefined), 'GitRepository/flux-system/other');
});

test("the evaluation wins: a child's spec.path missing as written but set by the parent's spec.patches is not reported", () => {
  const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories: {}
//- fleet/clusters/prod/tenants.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  interval: 10m
  path: ./tenants
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  patches:
    - target:
        kind: Kustomization
        name: web
      patch: |
        - op: replace
          path: /spec/path
          value: ./apps/prod
//- fleet/tenants/web.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/set-by-the-platform
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- fleet/apps/prod/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: default
`);
  const fleet = loadFleet(m.file('fleet'));
  // The linker, reading the file as written, says the folder is missing ...
  assert.ok(fleet.links.findings.some((f) => f.code === 'path-not-found'));
  // ... the evaluation renders ./apps/prod in the only context that deploys it: the whole check withdraws it.
  assert.deepEqual(checkLines(fleet, m.dir), []);
  assert.match(renderTree(fleetTree(fleet)), /path \.\/apps\/set-by-the-platform  → fleet\/apps\/prod \(as the parent renders it\)/);
});

test('a FluxInstance installed by a HelmRelease of the flux-instance chart: its instance.sync source and root are the same', () => {
  const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories:
  oci://ghcr.io/acme/fleet: .
//- fleet/bootstrap/flux.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: flux
  namespace: flux-system
spec:
  interval: 1h
  chart:
    spec:
      chart: flux-instance
      sourceRef:
        kind: HelmRepository
        name: controlplane
  values:
    instance:
      distribution:
        version: "2.x"
        registry: ghcr.io/fluxcd
      sync:
        kind: OCIRepository
        url: oci://ghcr.io/acme/fleet
        ref: latest
        path: clusters/prod
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: controlplane
  namespace: flux-system
spec:
  interval: 1h
  type: oci
  url: oci://ghcr.io/controlplaneio-fluxcd/charts
//- fleet/clusters/prod/apps.yaml
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
    kind: OCIRepository
    name: flux-system
//- fleet/apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  namespace: default
`);
  const fleet = loadFleet(m.file('fleet'));
  assert.deepEqual(checkLines(fleet, m.dir), []);
  const tree = renderTree(fleetTree(fleet));
  assert.match(tree, /path clusters\/prod  → fleet\/clusters\/prod/);
  assert.match(tree, /Kustomization flux-system\/apps .*\n.*source OCIRepository flux-system  → fleet\n.*path \.\/apps  → fleet\/apps/);
});

/** The two folders the Flux Kustomizations of the patch-target tests point at: ./deploy/staging, ./deploy/production. */
const DEPLOY_FOLDERS = `//- fleet/deploy/staging/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: staging
  namespace: default
//- fleet/deploy/production/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: production
  namespace: default
`;

test("overlay patches select Flux Kustomizations as kustomize does (kind as a regular expression, label selectors)", () => {
  const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories: {}
//- fleet/clusters/prod/kustomization.yaml
resources:
  - ../../base
patches:
  - target:
      kind: (HelmRelease|Kustomization)
      labelSelector: tier=apps
    patch: |
      - op: replace
        path: /spec/path
        value: ./deploy/production
//- fleet/base/kustomization.yaml
resources:
  - sync.yaml
//- fleet/base/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
  labels:
    tier: apps
spec:
  interval: 10m
  path: ./deploy/staging
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
  labels:
    tier: infra
spec:
  interval: 10m
  path: ./deploy/staging
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${DEPLOY_FOLDERS}`);
  const fleet = loadFleet(m.file('fleet'));
  const folders = [...fleet.links.flux.entries()].flatMap(([fk, rs]) => rs.map((r) => `${fk.name} ${r.path.value} ${r.override ? 'patched' : 'as written'}`)).sort();
  // apps: patched by the prod overlay (kind regex + label); infra (label tier=infra): not selected.
  assert.deepEqual(folders, ['apps ./deploy/production patched', 'infra ./deploy/staging as written']);
});

test('one patch target over Flux Kustomizations with and without a namespace: one left out of the file is not ruled out by the target namespace', () => {
  // fluxVariants compiles a target's selector once with its namespace and once without, and asks each Kustomization
  // once: the three answers below must not be taken from one another.
  const sync = (name: string, namespace?: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  interval: 10m
  path: ./deploy/staging
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
  const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories: {}
//- fleet/clusters/prod/kustomization.yaml
resources:
  - ../../base
patches:
  - target:
      kind: Kustomization
      namespace: flux-system
    patch: |
      - op: replace
        path: /spec/path
        value: ./deploy/production
//- fleet/base/kustomization.yaml
resources:
  - sync.yaml
//- fleet/base/sync.yaml
${sync('in-flux-system', 'flux-system')}---
${sync('in-team', 'team')}---
${sync('unset')}${DEPLOY_FOLDERS}`);
  const fleet = loadFleet(m.file('fleet'));
  const folders = [...fleet.links.flux.entries()].flatMap(([fk, rs]) => rs.map((r) => `${fk.name} ${r.path.value}`)).sort();
  assert.deepEqual(folders, ['in-flux-system ./deploy/production', 'in-team ./deploy/staging', 'unset ./deploy/production']);
});

test('schemas read merge keys and aliases as kustomize does: no unknown field "<<", no missing field a merge supplies', () => {
  const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories: {}
//- fleet/sync.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
  labels: &labels
    team: a
spec:
  <<: &defaults
    interval: 10m
    prune: true
    sourceRef:
      kind: GitRepository
      name: flux-system
  path: ./apps
  commonMetadata:
    labels: *labels
//- fleet/apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  namespace: default
`);
  const fleet = loadFleet(m.file('fleet'));
  assert.deepEqual(checkFindings(fleet, true, true).map((f) => `${f.code} ${f.message}`), []);
});
