// A ResourceSet's expansion in a context is kept per ResourceSet wrapper with the build it was made for
// (evaluate/resourceSets.ts expansionIn, generatedKustomizations: one entry each). A Flux build holds the folder build's
// own wrapper of an object no Flux layer changes (fluxBuild.ts shareUnchanged): were a ResourceSet's wrapper shared by
// every context deploying its folder, each context's entry would replace the last, and the check would expand each
// ResourceSet again in every pass that asks (contexts' children, then the applied build): twice per context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { clusterSync } from '../helpers/clusterSync';
import { check } from '../../server/src/ide/diagnostics';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';

const clusters = ['one', 'two', 'three', 'four'];

const spec = `//- platform/.flux-fleet.yaml
repositories:
  https://github.com/shared-org/platform: .
${clusters.map((c) => clusterSync(c, { cluster: c })).join('')}//- platform/apps/kustomization.yaml
resources:
  - rset.yaml
  - env.yaml
//- platform/apps/env.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: env, namespace: default }
data: { cluster: "\${cluster}" }
//- platform/apps/rset.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: tenants, namespace: flux-system }
spec:
  inputs:
    - tenant: a
    - tenant: b
  resources:
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: << inputs.tenant >>
        namespace: flux-system
      spec:
        interval: 10m
        prune: true
        path: ./tenants
        sourceRef: { kind: GitRepository, name: flux-system }
//- platform/tenants/kustomization.yaml
resources: [cm.yaml]
//- platform/tenants/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: t, namespace: default }
`;

test("a check expands a ResourceSet once per context that applies it, and each context's expansion is its own", () => {
  const fleet = loadFleet(materialize(spec).dir);
  let expanded = 0;
  const table = fleet.db.weak<object, unknown>('resourceSetExpansions');
  const set = table.set.bind(table);
  table.set = (k, v) => (expanded++, set(k, v));
  const findings = check(fleet, { strictSubstitution: true, schema: true });
  const applying = allContexts(fleet, rootKustomizations(fleet)).filter((c) => c.build.resources.some((r) => r.obj.kind === 'ResourceSet'));
  assert.equal(applying.length, clusters.length);
  assert.equal(expanded, clusters.length, `${expanded} expansions for ${clusters.length} contexts`);
  // each apps context's children (the fixture's sync files leave out interval and prune: schema findings only) are the ResourceSet's two tenants
  const tenants = allContexts(fleet, rootKustomizations(fleet)).filter((c) => c.fact.generatedBy);
  assert.equal(tenants.length, 2 * clusters.length);
  assert.deepEqual(findings.filter((f) => f.severity === 'error' && f.code !== 'schema').map((f) => `${f.code}: ${f.message}`), []);
});
