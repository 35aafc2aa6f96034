// The "Deployed by" lens (issue 16): chains that read the same are told apart by the folder that differs (the
// cluster), and the same chain is never listed twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFleet, materialize } from '../helpers/fixture';
import { deployLens } from '../../server/src/features/codeLens';

const cluster = (name: string) => `//- repo/clusters/${name}/flux-system/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/fleet
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  path: ./clusters/${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
//- repo/clusters/${name}/tenants.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  path: ./tenants
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

test('two clusters deploying one tenant: each chain named by its cluster folder, none twice', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/fleet: .
${cluster('staging')}${cluster('production')}//- repo/tenants/tenant-a.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant-a
  namespace: tenant-a
spec:
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
    namespace: flux-system
//- repo/apps/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: config
`);
  const fleet = loadFleet(m.file('repo'));
  const lens = deployLens(fleet, m.file('repo/apps/config.yaml'))!;
  assert.equal(lens.title, 'Deployed by 1 Flux Kustomization (2 chains)');
  assert.deepEqual(lens.chains.map((c) => c.label).sort(), [
    'production: Kustomization flux-system/flux-system → Kustomization flux-system/tenants → Kustomization tenant-a/tenant-a',
    'staging: Kustomization flux-system/flux-system → Kustomization flux-system/tenants → Kustomization tenant-a/tenant-a',
  ]);
});
