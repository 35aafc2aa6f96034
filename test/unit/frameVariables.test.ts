// A Flux build's variables as layers (frameVariables.ts): what a Map filled definition by definition (substituteFrom in
// order, then substitute) would answer, without a Map of the frame's own; the substituteFrom objects' maps are shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameVariables, NO_VARIABLES } from '../../server/src/core/evaluate/frameVariables';
import type { VariableValue } from '../../server/src/core/evaluate/fluxBuild';
import { stepLayer } from '../../server/src/core/layer';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { deployerName } from '../../server/src/core/evaluate/contextId';

const value = (v: string, file: string): VariableValue => ({ value: v, from: { file, layer: stepLayer('flux:postBuild.substitute') } });

/** The Map (and the definitions of each name) that defining each layer's entries in turn makes: what Flux applies. */
function merged(sources: Array<Map<string, VariableValue>>, own: Array<[string, VariableValue]>) {
  const map = new Map<string, VariableValue>();
  const all = new Map<string, VariableValue[]>();
  for (const [k, v] of [...sources.flatMap((s) => [...s]), ...own]) {
    map.set(k, v);
    all.set(k, [...(all.get(k) ?? []), v]);
  }
  return { map, all };
}

test('FrameVariables: a Map filled definition by definition, in its order, with every definition of each name', () => {
  const cluster = new Map([['NAME', value('prod', 'cluster.yaml')], ['ENV', value('production', 'cluster.yaml')], ['REGION', value('eu', 'cluster.yaml')]]);
  const team = new Map([['TEAM', value('payments', 'team.yaml')], ['REGION', value('us', 'team.yaml')]]);
  const cases: Array<[Array<Map<string, VariableValue>>, Array<[string, VariableValue]>]> = [
    [[cluster], []],
    [[], [['ENV', value('dev', 'tenant.yaml')]]],
    [[cluster], [['ENV', value('dev', 'tenant.yaml')], ['EXTRA', value('x', 'tenant.yaml')]]],
    [[cluster, team], [['TEAM', value('checkout', 'tenant.yaml')]]],
    // The same object named twice: each naming is a definition.
    [[cluster, cluster], []],
  ];
  for (const [sources, own] of cases) {
    const vars = FrameVariables.of(sources, own.flat());
    const { map, all } = merged(sources, own);
    assert.deepEqual([...vars], [...map]);
    assert.deepEqual([...vars.keys()], [...map.keys()]);
    assert.deepEqual([...vars.values()], [...map.values()]);
    const seen: string[] = [];
    vars.forEach((v, k) => seen.push(`${k}=${v.value}`));
    assert.deepEqual(seen, [...map].map(([k, v]) => `${k}=${v.value}`));
    assert.equal(vars.size, map.size);
    for (const name of [...map.keys(), 'NOWHERE']) {
      assert.equal(vars.get(name), map.get(name));
      assert.equal(vars.has(name), map.has(name));
      assert.deepEqual(vars.definitions(name), all.get(name) ?? []);
    }
    // The sources are held as they are (the ConfigMaps' own maps, shared), not copied; one alone, in no list.
    assert.ok(sources.every((s, i) => vars.sources[i] === s));
    if (sources.length === 1) assert.equal((vars as unknown as { layers: unknown }).layers, sources[0]);
  }
  // Nothing defined: the one empty set of all such frames.
  assert.equal(FrameVariables.of([], []), NO_VARIABLES);
  assert.equal(NO_VARIABLES.size, 0);
  assert.deepEqual([...NO_VARIABLES], []);
});

test('Kustomizations one patch gives a substitute entry hold one value of it, with where the patch wrote it', () => {
  const m = materialize(`
//- platform/.git/config
[remote "origin"]
  url = https://example.com/platform
//- platform/clusters/prod/flux.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://example.com/platform
  ref: {branch: main}
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
//- platform/clusters/prod/kustomization.yaml
resources: [flux.yaml, apps.yaml]
patches:
  - path: vars.yaml
    target:
      kind: Kustomization
      name: "app-.*"
//- platform/clusters/prod/vars.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: any
spec:
  postBuild:
    substitute:
      CLUSTER: prod
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app-a
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app-c
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app-b
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      TEAM: b
//- platform/deploy/kustomization.yaml
resources: [app.yaml]
//- platform/deploy/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: apps
data:
  where: "\${CLUSTER}"
`);
  const fleet = loadFleet(m.dir);
  const contexts = allContexts(fleet, rootKustomizations(fleet), 10);
  const build = (name: string) => contexts.find((c) => deployerName(c.id) === `flux-system/${name}`)!.build;
  const [a, b] = [build('app-a'), build('app-b')];
  const cluster = a.variables.get('CLUSTER');
  assert.equal(cluster?.value, 'prod');
  assert.equal(cluster?.from.file, path.join(m.dir, 'platform/clusters/prod/vars.yaml'));
  assert.equal(b.variables.get('CLUSTER'), cluster);
  assert.deepEqual([...b.variables.keys()], ['TEAM', 'CLUSTER']);
  assert.deepEqual(a.resources.map((r) => r.obj.data), [{ where: 'prod' }]);
  // Entries alike: one list of them (app-c's variables are app-a's, in another frame).
  const c = build('app-c');
  assert.notEqual(c.variables, a.variables);
  const ownOf = (vars: FrameVariables) => (vars as unknown as { own: unknown }).own;
  assert.equal(ownOf(c.variables), ownOf(a.variables));
  assert.notEqual(ownOf(b.variables), ownOf(a.variables));
});
