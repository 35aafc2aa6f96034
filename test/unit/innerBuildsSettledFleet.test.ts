// Kept resources in several builds at once (core/kustomize/build.ts Builder.settle), seen through a whole fleet: Flux
// contexts over one base taken as it is by some folders and changed by others (postBuild substitution per cluster,
// targetNamespace and namePrefix, Flux patches and images, origin annotations, a generated ConfigMap a HelmRelease
// reads, a Secret). After every kind of edit of the base, of the folder that keeps it as it is and of the variables,
// the evaluation equals a fresh fleet's and a fleet's that builds every level anew; the kept builds never change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet, findingLines } from '../helpers/fixture';
import { valueHovers } from '../helpers/valueHovers';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel } from '../../server/src/core/evaluate/contextId';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { helmReleaseValues } from '../../server/src/core/evaluate/helmValues';
import { buildOptions } from '../../server/src/core/evaluate/fluxBuild';
import type { Fleet } from '../../server/src/core/model';
import { buildKustomization, type BuildOptions } from '../../server/src/core/kustomize/build';
import type { Resource } from '../../server/src/core/kustomize/types';

const sync = (cluster: string) => `
//- clusters/${cluster}/flux-system/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: flux-system, namespace: flux-system }
spec:
  url: https://github.com/settle-org/fleet
  ref: { branch: main }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: flux-system, namespace: flux-system }
spec:
  path: ./clusters/${cluster}
  sourceRef: { kind: GitRepository, name: flux-system }
//- clusters/${cluster}/vars.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: cluster-vars, namespace: flux-system }
data:
  cluster: ${cluster}
  tier: gold
//- clusters/${cluster}/apps.yaml
${[
  ['plain', './apps/plain', ''],
  ['mid', './apps/mid', ''],
  ['staged', './apps/plain', '  targetNamespace: other\n  namePrefix: x-\n'],
  ['fluxpatch', './apps/plain', '  patches:\n    - patch: |\n        apiVersion: apps/v1\n        kind: Deployment\n        metadata: { name: web }\n        spec: { replicas: 4 }\n  images:\n    - name: web\n      newTag: "9"\n'],
  ['nsed', './apps/nsed', ''],
  ['patched', './apps/patched', ''],
  ['origin', './apps/origin', ''],
]
  .map(([name, path, extra]) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${name}, namespace: flux-system }
spec:
  path: ${path}
  sourceRef: { kind: GitRepository, name: flux-system }
${extra}  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars`)
  .join('\n---\n')}
`;

const FLEET = `
//- .flux-fleet.yaml
repositories:
  https://github.com/settle-org/fleet: .
${sync('prod')}
${sync('staging')}
//- apps/base/kustomization.yaml
resources: [deployment.yaml, service.yaml, release.yaml, secret.yaml, binding.yaml]
configMapGenerator:
  - name: web-values
    files: [values.yaml]
generatorOptions:
  disableNameSuffixHash: true
//- apps/base/values.yaml
replicaCount: 2
cluster: \${cluster}
//- apps/base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web, cluster: "\${cluster}" }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: web:1
          env: [{ name: TIER, value: "\${tier:=silver}" }]
//- apps/base/service.yaml
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
//- apps/base/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: web }
spec:
  chart: { spec: { chart: web } }
  valuesFrom:
    - kind: ConfigMap
      name: web-values
      valuesKey: values.yaml
  values:
    owner: team
//- apps/base/secret.yaml
apiVersion: v1
kind: Secret
metadata: { name: web-token }
stringData:
  token: s3cr3t-\${cluster}
//- apps/base/binding.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: web }
subjects:
  - kind: ServiceAccount
    name: default
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
//- apps/mid/kustomization.yaml
resources: [../base, extra.yaml]
//- apps/mid/extra.yaml
apiVersion: v1
kind: ServiceAccount
metadata: { name: web }
//- apps/plain/kustomization.yaml
resources: [../mid]
//- apps/nsed/kustomization.yaml
resources: [../mid]
namespace: team
//- apps/patched/kustomization.yaml
resources: [../mid]
patches:
  - patch: |
      apiVersion: v1
      kind: Service
      metadata: { name: web }
      spec:
        ports: [{ port: 81 }]
//- apps/origin/kustomization.yaml
resources: [../mid]
buildMetadata: [originAnnotations]
`;

/** Everything an evaluation answers, as one comparable string (objects, provenance, removals, values, variables). */
function evaluation(fleet: Fleet): string {
  const out: string[] = [];
  for (const c of allContexts(fleet, rootKustomizations(fleet))) {
    const b = c.build;
    out.push(`## ${contextLabel(c.id)}`, JSON.stringify(b.issues), JSON.stringify(b.variableUses.map((u) => [u.name, u.pointer, u.resource.obj.kind])), JSON.stringify(b.undefinedVariables.map((u) => [u.name, u.pointer])));
    for (const r of b.resources) {
      out.push(JSON.stringify(r.obj), JSON.stringify([...r.prov]), JSON.stringify(r.removed ? [...r.removed] : null), JSON.stringify(r.origin));
      if (r.obj.kind === 'HelmRelease') {
        const v = helmReleaseValues(fleet, r, b.resources);
        out.push(JSON.stringify(v.values), JSON.stringify([...v.prov]), JSON.stringify(v.issues));
      }
    }
  }
  return out.join('\n');
}

/** Each kept inner build's content (each resource's object, provenance, removals and origin) as text, by its entry. */
function keptBuilds(fleet: Fleet): Map<object, string> {
  const out = new Map<object, string>();
  for (const e of fleet.db.lru<string, { dir: string; built: { resources: Resource[] } }>('innerBuild').lru.values()) {
    out.set(e, JSON.stringify([e.dir, e.built.resources.map((r) => [r.obj, [...r.prov], r.removed ? [...r.removed] : null, r.origin])]));
  }
  return out;
}

/** The kept builds of `before` still kept read as they did. */
function sameKept(fleet: Fleet, before: Map<object, string>, step: string): void {
  for (const [e, text] of keptBuilds(fleet)) if (before.has(e)) assert.equal(text, before.get(e), `${step}: the kept build of ${JSON.parse(text)[0]} unchanged`);
}

function fleetOf(dir: string, overlays: ReadonlyMap<string, string>, anew = false): Fleet {
  const f = loadFleet(dir);
  if (anew) {
    // Every level built anew (no kept inner builds): the build the kept ones must equal.
    const options: BuildOptions = { ...buildOptions(f), innerBuilds: undefined };
    f.db.weak<Fleet, BuildOptions>('buildOptions').set(f, options);
  }
  for (const [file, text] of overlays) f.setOverlay(file, text);
  return f;
}

/** The edits, each evaluation compared; `bounded`: the edited fleet keeps one inner build and two folder builds (the
 *  others dropped and built again while the builds that took them are kept). */
function editsAgree(bounded: boolean): void {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  if (bounded) {
    // Opened first: the tables take these bounds.
    fleet.db.lru<string, object>('innerBuild', { max: 1, weigh: () => 1 });
    fleet.db.lru<string, object>('folderBuild', { max: 2, weigh: () => 1 });
  }
  const read = (rel: string) => fleet.overlays.get(m.file(rel)) ?? fleet.facts.get(m.file(rel))?.text ?? '';
  const edit = (rel: string, from: string | RegExp, to: string) => {
    const text = read(rel);
    const next = text.replace(from, to);
    assert.notEqual(next, text, `${rel}: ${String(from)} found`);
    fleet.setOverlay(m.file(rel), next);
  };
  const check = (step: string) => {
    const got = evaluation(fleet);
    const kept = keptBuilds(fleet);
    assert.equal(got, evaluation(fleetOf(m.dir, fleet.overlays)), `${step}: as a fresh fleet`);
    const anew = fleetOf(m.dir, fleet.overlays, true);
    assert.equal(got, evaluation(anew), `${step}: as every level built anew`);
    assert.equal(anew.db.lru('innerBuild').lru.values().length, 0, 'no inner build kept there');
    assert.deepEqual(findingLines(fleet, m.dir), findingLines(fleetOf(m.dir, fleet.overlays), m.dir), `${step}: findings`);
    for (const f of ['apps/base/values.yaml', 'apps/base/deployment.yaml']) assert.equal(valueHovers(fleet, m.file(f), 5), valueHovers(fleetOf(m.dir, fleet.overlays), m.file(f), 5), `${step}: hovers of ${f}`);
    sameKept(fleet, kept, step);
    return got;
  };
  const first = check('loaded');
  assert.ok(first.includes('"cluster":"prod"') && first.includes('"cluster":"staging"'), 'substituted per cluster');
  assert.ok(first.includes('"name":"x-web"') && first.includes('"namespace":"team"') && first.includes('"image":"web:9"') && first.includes('config.kubernetes.io/origin'), 'every folder built');

  edit('apps/base/values.yaml', 'replicaCount: 2', 'replicaCount: 3');
  check('a generator input of the base');
  // (the folder builds holding the base's ConfigMap took the new text into it: dataPatch.ts, not built again)
  if (!bounded) assert.ok((fleet.db.counts.get('folderBuild.patched') ?? 0) > 0, 'a folder build patched');
  edit('apps/base/deployment.yaml', 'image: web:1', 'image: web:2');
  check('a manifest of the base');
  edit('apps/mid/extra.yaml', 'name: web }', 'name: web2 }');
  check('the kept-as-is middle folder');
  edit('apps/plain/kustomization.yaml', 'resources: [../mid]', 'resources: [../mid]\nnamespace: plain');
  check('a folder that kept the base as it is now changes it');
  edit('apps/nsed/kustomization.yaml', 'namespace: team', 'commonLabels: { team: a }');
  check('a namespace replaced by labels');
  edit('clusters/prod/vars.yaml', 'tier: gold', 'tier: bronze');
  check('the variables of one cluster');
  edit('apps/plain/kustomization.yaml', '\nnamespace: plain', '');
  edit('apps/base/values.yaml', 'replicaCount: 3', 'replicaCount: 2');
  check('reverted');
}

test('a fleet over a base kept as it is by some folders and changed by others: edits give what a fresh fleet and one without kept builds give', () => editsAgree(false));

test('the same with the kept builds dropped and made again between the builds that took them', () => editsAgree(true));

test('the folder builds that keep the base as it is hold its kept resources (what the test above exercises)', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  evaluation(fleet);
  const kept = new Set([...fleet.db.lru<string, { built: { resources: Resource[] } }>('innerBuild').lru.values()].flatMap((e) => e.built.resources));
  const held = (folder: string) => {
    let n = 0;
    const { lru } = fleet.db.lru<string, { whole?: { resources: Resource[] } }>('folderBuild');
    for (const k of lru.keys()) if (k.endsWith('\0' + m.file(folder))) n += (lru.peek(k)?.whole?.resources ?? []).filter((r) => kept.has(r)).length;
    return n;
  };
  assert.ok(held('apps/plain') >= 5, 'apps/plain: the kept resources themselves');
  assert.ok(held('apps/patched') >= 4, 'apps/patched: all but the patched Service');
  assert.equal(held('apps/nsed'), 0, 'apps/nsed: every object namespaced anew');
});

// What a kept build hands its includers names its resources as it holds them after settling: a base's renames (the
// root's name references follow them through every level's rename: a rename still naming a dropped wrapper left the
// reference at the base's first name once the root moved the object to its namespace) and a middle level's origin
// requests (one naming a dropped wrapper annotated nothing).
const HANDED_ON = `
//- base/kustomization.yaml
namePrefix: b-
resources: [config.yaml, deployment.yaml]
//- base/config.yaml
apiVersion: v1
kind: ConfigMap
metadata: { name: cfg }
data: { k: v }
//- base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: web
          envFrom: [{ configMapRef: { name: cfg } }]
//- mid/kustomization.yaml
resources: [../base]
buildMetadata: [originAnnotations]
//- top/kustomization.yaml
namespace: prod
namePrefix: t-
resources: [../mid]
`;

test("a kept build's renames and origin requests follow its resources when they settle into the kept ones", () => {
  const m = materialize(HANDED_ON);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const mid = buildKustomization(m.file('mid'), options);
  const top = buildKustomization(m.file('top'), options);
  const anew = buildKustomization(m.file('top'), { ...options, innerBuilds: undefined });
  const plain = (b: { resources: Resource[] }) => b.resources.map((r) => [r.obj, [...r.prov], r.origin]);
  assert.deepEqual(plain(top), plain(anew));
  const deployment = top.resources.find((r) => r.obj.kind === 'Deployment')!.obj as { metadata: { name: string; annotations?: Record<string, string> }; spec: { template: { spec: { containers: Array<{ envFrom: Array<{ configMapRef: { name: string } }> }> } } } };
  assert.equal(deployment.metadata.name, 't-b-web');
  assert.equal(deployment.spec.template.spec.containers[0].envFrom[0].configMapRef.name, 't-b-cfg', 'the reference follows both renames');
  assert.equal(deployment.metadata.annotations?.['config.kubernetes.io/origin'], 'path: ../base/deployment.yaml\n', "the middle level's origin request");
  assert.equal(plain(mid).length, 2);
  // The middle build kept, its resources the base's own: the top build took them through it.
  const kept = [...fleet.db.lru<string, { dir: string; built: { resources: Resource[] } }>('innerBuild').lru.values()];
  const [b, md] = [m.file('base'), m.file('mid')].map((d) => kept.find((e) => e.dir === d)!.built.resources);
  assert.ok(md.every((r, i) => r === b[i]), 'the middle build holds the base\'s resources themselves');
});
