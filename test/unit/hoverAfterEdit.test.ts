// A value hover after an edit answers what a fresh fleet answers, whichever file the edit was in: a values file a
// generator reads (an edit elsewhere in it leaves a hover's partial builds as they are: dataOnlyInputs.ts), one read
// by a generator with a hash suffix (the new hash renames the object and every reference), one a replacement copies
// from, an env file, a patch, a resource. Each step also counts what the hover built, so the reuse is asserted too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { materialize, loadFleet } from '../helpers/fixture';
import { effectiveValueHover } from '../../server/src/features/effectiveValues';
import type { Fleet } from '../../server/src/core/model';
import { Resolver } from '../../server/src/core/link/resolver';

const sync = (cluster: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/edits-org/platform
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/${cluster}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/${cluster}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      cluster_name: ${cluster}
`;

/** An app whose HelmRelease reads its values from a generated ConfigMap (hash suffix disabled unless `hashed`). */
const app = (name: string, hashed = false, key = 'values.yaml') => `//- platform/apps/base/${name}/kustomization.yaml
resources:
  - release.yaml
  - deployment.yaml
configMapGenerator:
  - name: ${name}-values
    namespace: apps
    files:
      - ${key === 'values.yaml' ? '' : key + '='}values.yaml
${hashed ? '' : '    options:\n      disableNameSuffixHash: true\n'}//- platform/apps/base/${name}/values.yaml
replicaCount: 2
image:
  tag: "1.0.0"
host: ${name}.\${cluster_name}.example
//- platform/apps/base/${name}/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ${name}
      sourceRef:
        kind: HelmRepository
        name: charts
  valuesFrom:
    - kind: ConfigMap
      name: ${name}-values
      valuesKey: ${key}
  values:
    cluster: \${cluster_name}
//- platform/apps/base/${name}/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: apps
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/edits/${name}:latest
          envFrom:
            - configMapRef:
                name: ${name}-values
`;

/** The fleet; with `copied`, an app whose values a replacement copies into its Deployment (no input is spared then). */
const fleetSpec = (copied: boolean) => `//- platform/.flux-fleet.yaml
repositories:
  https://github.com/edits-org/platform: .
//- platform/clusters/one/flux-system/sync.yaml
${sync('one')}//- platform/clusters/two/flux-system/sync.yaml
${sync('two')}//- platform/apps/base/kustomization.yaml
resources:
  - web
  - api
  - hashed
${copied ? '  - copied\n' : ''}//- platform/apps/one/kustomization.yaml
resources:
  - ../base
patches:
  - path: web-patch.yaml
//- platform/apps/one/web-patch.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 3
//- platform/apps/two/kustomization.yaml
resources:
  - ../base
configMapGenerator:
  - name: api-values
    namespace: apps
    behavior: merge
    envs:
      - api.env
    options:
      disableNameSuffixHash: true
//- platform/apps/two/api.env
LOG_LEVEL=info
${app('web')}${app('api')}${app('hashed', true)}${copied ? app('copied', false, 'values').replace('  - deployment.yaml\n', '  - deployment.yaml\nreplacements:\n  - source:\n      kind: ConfigMap\n      name: copied-values\n      fieldPath: data.values\n    targets:\n      - select:\n          kind: Deployment\n          name: copied\n        fieldPaths:\n          - metadata.annotations.values\n        options:\n          create: true\n') : ''}`;

/** Hovers on every few characters of each file, as one comparable string. */
function hovers(fleet: Fleet, files: string[]): string {
  const out: string[] = [];
  for (const file of files) {
    const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? '';
    for (let offset = 0; offset < text.length; offset += 3) out.push(`${file}@${offset}: ${effectiveValueHover(fleet, file, offset)?.markdown ?? ''}`);
  }
  return out.join('\n');
}

function fresh(dir: string, overlays: Map<string, string>): Fleet {
  const f = loadFleet(dir);
  for (const [file, text] of overlays) f.setOverlay(file, text);
  return f;
}

function builds(fleet: Fleet): number {
  return (fleet.db.counts.get('fluxBuild.built') ?? 0) + (fleet.db.counts.get('folderBuild.built') ?? 0);
}

test('a value hover after an edit equals a fresh fleet’s, for an edit in every kind of file the builds read', () => {
  // Without a replacement the values files' edits patch the folder builds (dataPatch.ts); with one, they build again.
  for (const copied of [false, true]) {
  const m = materialize(fleetSpec(copied));
  const fleet = loadFleet(m.dir);
  const f = (rel: string) => m.file(`platform/${rel}`);
  const hovered = ['web/values.yaml', 'api/values.yaml', 'hashed/values.yaml', 'hashed/deployment.yaml', 'copied/values.yaml', 'copied/deployment.yaml', 'web/deployment.yaml', 'api/release.yaml'].filter((x) => copied || !x.startsWith('copied/')).map((x) => f(`apps/base/${x}`)).concat([f('apps/one/web-patch.yaml')]);
  const before = hovers(fleet, hovered);
  assert.match(before, /Effective value/);
  assert.match(before, /api\.one\.example/, 'substituted per cluster');
  assert.match(before, /hashed-values-[a-z0-9]{10}/, 'the generated name carries its hash');
  // Each edit in turn (kept: they accumulate), then the hovers compared with a fresh fleet of the same texts.
  const edits: Array<[string, (t: string) => string, RegExp | undefined]> = [
    ['apps/base/web/values.yaml', (t) => t.replace('1.0.0', '1.0.1'), /1\.0\.1/],
    ['apps/base/api/values.yaml', (t) => t.replace('replicaCount: 2', 'replicaCount: 7'), /`7`/],
    ['apps/base/hashed/values.yaml', (t) => t.replace('replicaCount: 2', 'replicaCount: 9'), undefined],
    ['apps/base/copied/values.yaml', (t) => t.replace('"1.0.0"', '"2.0.0"'), /2\.0\.0/],
    ['apps/two/api.env', (t) => t.replace('info', 'debug'), undefined],
    ['apps/one/web-patch.yaml', (t) => t.replace('replicas: 3', 'replicas: 5'), /`5`/],
    ['apps/base/web/values.yaml', (t) => t.replace('replicaCount: 2', 'replicaCount: 4'), /`4`/],
    ['apps/base/api/release.yaml', (t) => t.replace('cluster: ${cluster_name}', 'cluster: x-${cluster_name}'), /x-one/],
  ];
  let last = before;
  assert.doesNotMatch(before, /`7`|`5`|`4`|2\.0\.0|1\.0\.1|x-one/);
  for (const [rel, edit, shows] of edits) {
    if (!copied && rel.includes('/copied/')) continue;
    const file = f(rel);
    fleet.setOverlay(file, edit(fleet.overlays.get(file) ?? fs.readFileSync(file, 'utf8')));
    void fleet.links; // as the server re-links when typing pauses
    const now = hovers(fleet, hovered);
    assert.equal(now, hovers(fresh(m.dir, fleet.overlays), hovered), `after the edit of ${rel}`);
    if (shows) assert.match(now, shows, `the edit of ${rel} shows`);
    last = now;
  }
  assert.doesNotMatch(last, new RegExp(before.match(/hashed-values-[a-z0-9]{10}/)![0]), 'the old hash is gone');
  if (!copied) assert.ok((fleet.db.counts.get('folderBuild.patched') ?? 0) > 0, 'folder builds patched');
  }
});

test('an edit of a generator input leaves the hovers on other files of the same builds unbuilt, and patches the folder builds for a hover in it', () => {
  const m = materialize(fleetSpec(false));
  const fleet = loadFleet(m.dir);
  const web = m.file('platform/apps/base/web/values.yaml');
  const api = m.file('platform/apps/base/api/values.yaml');
  const hashed = m.file('platform/apps/base/hashed/values.yaml');
  const hashedDeployment = m.file('platform/apps/base/hashed/deployment.yaml');
  const first = hovers(fleet, [web]);
  hovers(fleet, [hashedDeployment]);
  fleet.setOverlay(api, fleet.facts.get(api)!.text.replace('replicaCount: 2', 'replicaCount: 7'));
  void fleet.links;
  let n = builds(fleet);
  assert.equal(hovers(fleet, [web]), first);
  assert.equal(builds(fleet) - n, 0, 'api/values.yaml wrote nothing web/values.yaml reaches: its partial builds are kept');
  // A hover in the edited file: its folder builds take the new text into the ConfigMap it generates, none is made again.
  const folders = fleet.db.counts.get('folderBuild.built') ?? 0;
  const edited = hovers(fleet, [api]);
  assert.match(edited, /`7`/);
  assert.equal(edited, hovers(fresh(m.dir, fleet.overlays), [api]));
  assert.equal((fleet.db.counts.get('folderBuild.built') ?? 0) - folders, 0, 'no folder build is made again');
  assert.ok((fleet.db.counts.get('folderBuild.patched') ?? 0) > 0, 'the folder builds are patched');
  // The hashed ConfigMap's name follows its data: a Deployment referring to it changes, so its builds are made again.
  fleet.setOverlay(hashed, fleet.facts.get(hashed)!.text.replace('replicaCount: 2', 'replicaCount: 9'));
  void fleet.links;
  n = builds(fleet);
  const after = hovers(fleet, [hashedDeployment]);
  assert.equal(after, hovers(fresh(m.dir, fleet.overlays), [hashedDeployment]));
  assert.ok(builds(fleet) - n > 0, 'a hashed generator input is never spared');
});

test('a hover in an edited generator input makes nothing again but the Flux layer: the folder builds’ selections and generator-only inputs carried over, the sources not resolved again', () => {
  const m = materialize(fleetSpec(false));
  const fleet = loadFleet(m.dir);
  const api = m.file('platform/apps/base/api/values.yaml');
  hovers(fleet, [api]);
  fleet.setOverlay(api, fleet.facts.get(api)!.text.replace('replicaCount: 2', 'replicaCount: 7'));
  void fleet.links; // carried over (relink.ts): no link shape changed
  const made = (table: string) => fleet.db.stats()[table]?.misses ?? 0;
  const before = { selections: made('reachSelection'), inputs: made('dataOnlyInputs'), patched: fleet.db.counts.get('folderBuild.patched') ?? 0 };
  let resolved = 0;
  const rootOf = Resolver.prototype.rootOf;
  Resolver.prototype.rootOf = function (...args) {
    resolved++;
    return rootOf.apply(this, args);
  };
  let edited: string;
  try {
    edited = hovers(fleet, [api]);
  } finally {
    Resolver.prototype.rootOf = rootOf;
  }
  assert.match(edited, /`7`/);
  assert.equal(edited, hovers(fresh(m.dir, fleet.overlays), [api]));
  assert.ok((fleet.db.counts.get('folderBuild.patched') ?? 0) > before.patched, 'the folder builds are patched');
  assert.equal(made('reachSelection') - before.selections, 0, 'the hovers’ selections are carried over to the patched builds');
  assert.equal(made('dataOnlyInputs') - before.inputs, 0, 'so are their generator-only inputs');
  assert.equal(resolved, 0, 'the sources of the contexts are the previous links’ answers');
});
