// Repositories: workspace folders, nested Git repositories (depth 2), origin URLs and branches, mappings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet, findingLines } from '../helpers/fixture';

const SOURCES = `
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: tenant
  namespace: flux-system
spec:
  url: https://github.com/acme/tenant.git
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
  namespace: flux-system
spec:
  path: ./deploy
  prune: true
  sourceRef:
    kind: GitRepository
    name: tenant
`;

test('nested Git repositories are found by their origin URL, in any spelling', () => {
  const m = materialize(`
//- work/platform/.git/config
[remote "origin"]
\turl = git@github.com:acme/platform.git
//- work/platform/clusters/prod/tenant.yaml
${SOURCES}
//- work/team/tenant/.git/config
[remote "origin"]
\turl = ssh://git@ssh.github.com:443/acme/tenant
//- work/team/tenant/deploy/kustomization.yaml
resources: [app.yaml]
//- work/team/tenant/deploy/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
//- work/a/b/c/too-deep/.git/config
[remote "origin"]
\turl = https://github.com/acme/too-deep
`);
  const fleet = loadFleet(m.file('work'));
  const repos = fleet.repositories.map((r) => [r.name, r.originKey ?? '-', r.branch ?? '-', r.origin]);
  assert.deepEqual(repos.sort(), [
    ['platform', 'github.com/acme/platform', 'main', 'discovered'],
    ['tenant', 'github.com/acme/tenant', 'main', 'discovered'],
    ['work', '-', '-', 'workspace-folder'],
  ]);
  assert.deepEqual(findingLines(fleet, m.dir), []);
  const res = [...fleet.links.flux.values()].flat()[0];
  assert.equal(res.folder, m.file('work/team/tenant/deploy'));
  assert.match(res.sourceRoot!.via, /clone/);
});

test('a mapping with #branch wins for that branch; an unmapped branch falls back to the URL mapping', () => {
  const m = materialize(`
//- platform/.flux-fleet.yaml
repositories:
  https://github.com/acme/tenant: ../tenant-main
  https://github.com/acme/tenant#dev: ../tenant-dev   # the dev branch, checked out elsewhere
//- platform/sync.yaml
${SOURCES.replace('branch: main', 'branch: dev')}
//- tenant-main/deploy/kustomization.yaml
resources: []
//- tenant-dev/deploy/kustomization.yaml
resources: [cm.yaml]
//- tenant-dev/deploy/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: dev
`);
  const fleet = loadFleet(m.file('platform'));
  const res = [...fleet.links.flux.values()].flat()[0];
  assert.equal(res.folder, m.file('tenant-dev/deploy'));
  // Mapped folders are repositories too, so their files are indexed.
  assert.ok(fleet.facts.has(m.file('tenant-dev/deploy/cm.yaml')));
});

test('a mapping to a folder that does not exist is reported on the mapping', () => {
  const m = materialize(`
//- platform/.flux-fleet.yaml
repositories:
  https://github.com/acme/tenant: ../missing
`);
  const fleet = loadFleet(m.file('platform'));
  assert.deepEqual(findingLines(fleet, m.dir), ['config-invalid platform/.flux-fleet.yaml:2:3']);
  assert.equal(fleet.links.findings[0].severity, 'warning');
});

test('a mapping whose folder is ~, empty, true or a map is config-invalid on its value, never a folder named "null"', () => {
  const m = materialize(`
//- platform/.flux-fleet.yaml
repositories:
  https://github.com/acme/a: ~
  https://github.com/acme/b: ""
  https://github.com/acme/c: true
  https://github.com/acme/d: {x: y}
  https://github.com/acme/e:
`);
  const fleet = loadFleet(m.file('platform'));
  assert.deepEqual(findingLines(fleet, m.dir), ['config-invalid platform/.flux-fleet.yaml:2:30', 'config-invalid platform/.flux-fleet.yaml:3:30', 'config-invalid platform/.flux-fleet.yaml:4:30', 'config-invalid platform/.flux-fleet.yaml:5:30', 'config-invalid platform/.flux-fleet.yaml:6:29']);
  assert.ok(!fleet.layout.mappings.some((mp) => /null$/.test(mp.folder)), 'no folder named null');
  assert.match(fleet.links.findings[0].message, /must be a path \(a string\), not null/);
});

test('Kind/namespace/name mappings, with * for any namespace, map sources that have no URL', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  GitRepository/*/your-repo: .
//- repo/clusters/a.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: a
  namespace: org-acme
spec:
  path: ./apps
  prune: false
  sourceRef:
    kind: GitRepository
    name: your-repo
//- repo/apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
`);
  const fleet = loadFleet(m.file('repo'));
  assert.deepEqual(findingLines(fleet, m.dir), []);
  assert.equal([...fleet.links.flux.values()].flat()[0].folder, m.file('repo/apps'));
});

test('FluxInstance.spec.sync is a source plus a root Kustomization', () => {
  const m = materialize(`
//- fleet/.flux-fleet.yaml
repositories:
  https://github.com/acme/fleet: .
//- fleet/clusters/home/flux-instance.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  sync:
    kind: GitRepository
    url: https://github.com/acme/fleet.git
    ref: refs/heads/main
    path: clusters/hom
`);
  const fleet = loadFleet(m.file('fleet'));
  assert.deepEqual(findingLines(fleet, m.dir), ['path-not-found fleet/clusters/home/flux-instance.yaml:11:11']);
});
