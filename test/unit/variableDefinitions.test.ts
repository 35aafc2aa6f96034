// A Flux build's variable definitions (fluxBuild.ts definitionsOf): every place that defines a variable, lowest
// precedence first (substituteFrom in order, then substitute), the last one the variable's value. The build keeps no
// list of them: its variables are its layers (frameVariables.ts), the ConfigMap's own variable map and substitute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { deployerName } from '../../server/src/core/evaluate/contextId';
import { definitionsOf } from '../../server/src/core/evaluate/fluxBuild';
import { layerLabel } from '../../server/src/core/layer';

test('definitionsOf: each definition of a variable in precedence order, read from the layers of the build\'s variables', () => {
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
//- platform/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      REGION: eu-central-1
      CLUSTER_NAME: prod
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
//- platform/clusters/prod/vars.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  REGION: eu-west-1
  TEAM: payments
//- platform/deploy/kustomization.yaml
resources: [app.yaml]
//- platform/deploy/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: \${CLUSTER_NAME}-web
  namespace: apps
data:
  where: "\${REGION} for \${TEAM}"
`);
  const fleet = loadFleet(m.dir);
  const ctx = allContexts(fleet, rootKustomizations(fleet), 10).find((c) => deployerName(c.id) === 'flux-system/apps');
  assert.ok(ctx, 'the apps context');
  const build = ctx.build;
  const defined = (name: string) => definitionsOf(build, name).map((v) => `${v.value} (${layerLabel(v.from.layer)})`);
  assert.deepEqual(defined('REGION'), ['eu-west-1 (flux:postBuild.substituteFrom ConfigMap cluster-vars)', 'eu-central-1 (flux:postBuild.substitute)']);
  assert.equal(build.variables.get('REGION')?.value, 'eu-central-1');
  assert.deepEqual(definitionsOf(build, 'TEAM'), [build.variables.get('TEAM')]);
  assert.deepEqual(definitionsOf(build, 'CLUSTER_NAME'), [build.variables.get('CLUSTER_NAME')]);
  assert.deepEqual(definitionsOf(build, 'NOWHERE'), []);
  // Its variables are its layers, not a map of its own: the ConfigMap's variable map itself, then substitute's entries.
  assert.deepEqual([...build.variables.keys()], ['REGION', 'TEAM', 'CLUSTER_NAME']);
  assert.equal(build.variables.sources.length, 1);
  assert.ok(!(build.variables instanceof Map));
  // The file whose change may change the build beyond what it read: its owner's, a name (no list per build).
  assert.equal(build.ownerFile, ctx.fact.owner.file);
  assert.ok(!('readAlso' in build));
  // Its lookups keep the files they found objects in, no list of answers (the frame asks each once per version).
  const lookup = (ctx as unknown as { inputs: { lookup: object } }).inputs.lookup;
  assert.deepEqual(Object.keys(lookup).sort(), ['ev', 'files', 'ownerFile', 'parent']);
  // Its frame's inputs name the variable sources in their key only (no list of their identities kept per frame).
  const frame = fleet.db.weak<object, { inputs: Record<string, unknown> }>('fluxFrames').get(lookup);
  assert.ok(frame?.inputs.key, 'the frame');
  assert.ok(!('variableSources' in frame.inputs));
  assert.deepEqual(build.resources.map((r) => r.obj.data), [{ where: 'eu-central-1 for payments' }]);
  // A build defining no variable holds the one empty map of all such (no map of its own); one defining some has its
  // own, and defining them wrote nothing into the shared one.
  const none = allContexts(fleet, rootKustomizations(fleet), 10).find((c) => deployerName(c.id) === 'flux-system/flux-system');
  assert.ok(none, 'the flux-system context');
  assert.equal(none.build.variables.size, 0);
  assert.notEqual(build.variables, none.build.variables);
  const again = loadFleet(m.dir);
  const other = allContexts(again, rootKustomizations(again), 10).find((c) => deployerName(c.id) === 'flux-system/flux-system');
  assert.equal(other?.build.variables, none.build.variables);
});
