// A Flux build holds the folder build's own resource wrappers where no Flux layer changes an object (fluxBuild.ts
// shareUnchanged): one wrapper for the folder build and every context, whatever each context substitutes elsewhere.
// An object substitution changes gets a wrapper of its own, and so does a HelmRelease (its effective values read the
// build around it: helmValues' table is keyed by wrapper). Every context's answers equal a fresh fleet's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { clusterSync } from '../helpers/clusterSync';
import { allContexts, type Context } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { helmReleaseValues } from '../../server/src/core/evaluate/helmValues';
import type { FolderBuild } from '../../server/src/core/evaluate/folderBuilds';
import type { Fleet } from '../../server/src/core/model';
import type { Resource } from '../../server/src/core/kustomize/types';

const cluster = (name: string, env: string) => clusterSync(name, { env, cluster: name });

// Two clusters substitute another env: the `env` ConfigMap differs, the Service (no `$`), the `prices` ConfigMap (a `$`
// but no variable) and the HelmRelease (no `$`, values from the `env` ConfigMap) do not.
const spec = `//- platform/.flux-fleet.yaml
repositories:
  https://github.com/shared-org/platform: .
${cluster('one', 'staging')}${cluster('two', 'production')}//- platform/apps/kustomization.yaml
resources:
  - release.yaml
  - service.yaml
  - env.yaml
  - prices.yaml
//- platform/apps/release.yaml
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
  valuesFrom:
    - kind: ConfigMap
      name: env
      valuesKey: values.yaml
//- platform/apps/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
//- platform/apps/env.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: env
data:
  values.yaml: |
    env: \${env}
//- platform/apps/prices.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: prices
data:
  small: $5
`;

function appsContexts(fleet: Fleet): Context[] {
  const contexts = allContexts(fleet, rootKustomizations(fleet)).filter((c) => c.id.chain.length === 2);
  return ['one', 'two'].map((n) => contexts.find((c) => c.id.root.endsWith(`clusters/${n}`))!);
}

const named = (resources: readonly Resource[], kind: string, name: string) => resources.find((r) => r.obj.kind === kind && (r.obj.metadata as { name?: string }).name === name)!;

/** The kustomize build of the apps folder (before the Flux layers), from the folder builds table. */
function foldersApps(fleet: Fleet): readonly Resource[] {
  const { lru } = fleet.db.lru<string, FolderBuild>('folderBuild');
  for (const key of lru.keys()) {
    const whole = lru.peek(key)?.whole;
    if (whole?.resources.some((r) => r.obj.kind === 'HelmRelease')) return whole.resources;
  }
  throw new Error('no folder build of apps');
}

const answers = (fleet: Fleet) =>
  JSON.stringify(
    appsContexts(fleet).map((c) => ({
      resources: c.build.resources.map((r) => [r.obj, [...r.prov]]),
      uses: c.build.variableUses.map((u) => [u.name, u.pointer, c.build.resources.indexOf(u.resource)]),
      values: helmReleaseValues(fleet, named(c.build.resources, 'HelmRelease', 'web'), c.build.resources).values,
    })),
  );

test("a Flux build holds the folder build's own wrappers of the objects it does not change, its own of those it does", () => {
  const m = materialize(spec);
  const fleet = loadFleet(m.dir);
  const [one, two] = appsContexts(fleet);
  const folder = foldersApps(fleet);
  const [a, b] = [one.build.resources, two.build.resources];
  assert.notEqual(a, b, 'two contents: two lists');

  for (const [kind, name] of [['Service', 'web'], ['ConfigMap', 'prices']]) {
    assert.equal(named(a, kind, name), named(folder, kind, name), `${kind} ${name}: the folder build's wrapper`);
    assert.equal(named(b, kind, name), named(folder, kind, name), `${kind} ${name}: in both contexts`);
  }
  // Substituted: a wrapper (and object) of each context's own; the folder build's is left as it was.
  assert.notEqual(named(a, 'ConfigMap', 'env'), named(b, 'ConfigMap', 'env'));
  assert.notEqual(named(a, 'ConfigMap', 'env'), named(folder, 'ConfigMap', 'env'));
  assert.match(JSON.stringify(named(folder, 'ConfigMap', 'env').obj), /\$\{env\}/);
  // The HelmRelease's object is shared, its wrapper is each build's own: its values differ per context.
  const [hrA, hrB] = [named(a, 'HelmRelease', 'web'), named(b, 'HelmRelease', 'web')];
  assert.deepEqual(helmReleaseValues(fleet, hrA, a).values, { env: 'staging' });
  assert.deepEqual(helmReleaseValues(fleet, hrB, b).values, { env: 'production' }, 'values of its own build');
  assert.equal(hrA.obj, hrB.obj);
  assert.notEqual(hrA, hrB);
  assert.notEqual(hrA, named(folder, 'HelmRelease', 'web'));
  // The uses name the wrappers the build holds.
  for (const c of [one, two]) for (const u of c.build.variableUses) assert.ok(c.build.resources.includes(u.resource), u.name);

  assert.equal(answers(fleet), answers(loadFleet(m.dir)), 'as a fresh fleet, asked again');
});
