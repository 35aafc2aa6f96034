// A build over kept bases (core/kustomize/build.ts Builder.settle): a kept resource no step of the includer changed is
// the kept resource itself in the includer's output (its wrapper dropped), and a kept inner build keeps no build-time
// borrowing state. The kept resources are then in several builds at once: every later transform must copy before it
// changes one, and the kept builds must read as they did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { buildKustomization } from '../../server/src/core/kustomize/build';
import { buildOptions } from '../../server/src/core/evaluate/fluxBuild';
import type { Fleet } from '../../server/src/core/model';
import type { Resource } from '../../server/src/core/kustomize/types';

// base ← mid (adds a file, changes nothing of the base's) ← top/plain (changes nothing) and top/all (every step).
const FLEET = `
//- base/kustomization.yaml
resources: [deployment.yaml, service.yaml, binding.yaml]
configMapGenerator:
  - name: settings
    literals: [color=blue]
//- base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
  annotations: { note: base }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: web:1
          env: [{ name: MODE, value: base }]
          envFrom:
            - configMapRef: { name: settings }
//- base/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports: [{ port: 80 }]
//- base/binding.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web
subjects:
  - kind: ServiceAccount
    name: default
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
//- mid/kustomization.yaml
resources: [../base, extra.yaml]
//- mid/extra.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
//- top/plain/kustomization.yaml
resources: [../../mid]
//- top/all/kustomization.yaml
resources: [../../mid]
namespace: all
namePrefix: p-
nameSuffix: -s
labels:
  - pairs: { team: a }
    includeSelectors: true
commonAnnotations: { owner: a }
images:
  - name: web
    newTag: "2"
replicas:
  - name: web
    count: 3
configMapGenerator:
  - name: settings
    behavior: merge
    literals: [size=big]
patches:
  - patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        template:
          spec:
            containers:
              - name: web
                env: [{ name: MODE, value: all }]
  - patch: |
      - op: replace
        path: /spec/ports/0/port
        value: 8080
    target: { kind: Service }
  - patch: |
      - op: remove
        path: /metadata/annotations/note
    target: { kind: Deployment }
replacements:
  - source: { kind: Service, fieldPath: metadata.name }
    targets:
      - select: { kind: Deployment }
        fieldPaths: [spec.template.spec.serviceAccountName]
`;

interface KeptEntry {
  dir: string;
  built: { resources: Resource[]; renames: Array<{ resource: Resource }>; wantsOrigin: Set<Resource> } & Record<string, unknown>;
}

function keptEntries(fleet: Fleet): KeptEntry[] {
  return [...fleet.db.lru<string, KeptEntry>('innerBuild').lru.values()];
}

/** Everything a kept build holds, as text: its objects, each provenance map's entries, removals and origins. */
function snapshot(fleet: Fleet): string {
  return JSON.stringify(keptEntries(fleet).map((e) => [e.dir, e.built.resources.map((r) => [r.obj, [...r.prov], r.removed ? [...r.removed] : null, r.origin])]));
}

/** A build with plain provenance maps, to compare with a build that builds every level in place (whose loaded and
 *  patched objects' maps are compact: the same entries in the same order, another class). */
function plain(b: { resources: Resource[] }) {
  return { ...b, resources: b.resources.map((r) => ({ ...r, prov: new Map(r.prov) })) };
}

test("a build that changes none of a kept base's objects holds the kept resources themselves, and a kept build no borrowing state", () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const top = buildKustomization(m.file('top/plain'), options);
  assert.deepEqual(plain(top), plain(buildKustomization(m.file('top/plain'), { ...options, innerBuilds: undefined })));
  const entries = keptEntries(fleet);
  const base = entries.find((e) => e.dir === m.file('base'))!;
  const mid = entries.find((e) => e.dir === m.file('mid'))!;
  assert.ok(base && mid, 'both bases kept');
  for (const e of entries) assert.deepEqual(Object.keys(e.built).sort(), ['configurations', 'issues', 'renames', 'resources', 'wantsOrigin'], 'no build-time map kept');
  // mid took the base's four objects and changed none: they are the base's own resources, then its extra one.
  assert.equal(mid.built.resources.length, 5);
  for (const [i, r] of base.built.resources.entries()) assert.equal(mid.built.resources[i], r, 'the kept resource, not a wrapper of it');
  // At the root the ConfigMap gets its hash suffix and the Deployment's reference to it the new name (copies); the
  // other three are the kept ones.
  const kept = (b: { resources: Resource[] }) => b.resources.filter((r) => mid.built.resources.includes(r)).map((r) => r.obj.kind).sort();
  assert.deepEqual(kept(top), ['RoleBinding', 'Service', 'ServiceAccount']);
  // A base's renames handed on name the resources as its includers hold them.
  for (const x of mid.built.renames) assert.ok(mid.built.resources.includes(x.resource));
});

test("a kept build over a base it does not change hands on the base's renames themselves, not copies", () => {
  const m = materialize(`
//- base/kustomization.yaml
namespace: team
resources: [app.yaml]
//- base/app.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web
subjects:
  - kind: ServiceAccount
    name: web
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
//- mid/kustomization.yaml
resources: [../base]
//- top/kustomization.yaml
resources: [../mid]
`);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const top = buildKustomization(m.file('top'), options);
  assert.deepEqual(plain(top), plain(buildKustomization(m.file('top'), { ...options, innerBuilds: undefined })));
  const entries = keptEntries(fleet);
  const base = entries.find((e) => e.dir === m.file('base'))!;
  const mid = entries.find((e) => e.dir === m.file('mid'))!;
  assert.ok(base && mid, 'both kept');
  // The base's namespace renamed both objects; mid holds the base's resources and those very renames.
  assert.equal(base.built.renames.length, 2);
  assert.deepEqual(mid.built.resources, base.built.resources);
  assert.deepEqual(mid.built.renames, base.built.renames);
  for (const [i, x] of base.built.renames.entries()) assert.equal(mid.built.renames[i], x, "the base's rename, not a copy");
});

test('every later step copies a kept resource several builds hold before changing it: the kept builds read as they did', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const plainTop = buildKustomization(m.file('top/plain'), options);
  const before = snapshot(fleet);
  const first = plain(plainTop);
  for (const round of [0, 1]) {
    const all = buildKustomization(m.file('top/all'), options);
    assert.equal(snapshot(fleet), before, 'no step changed a kept object, provenance map or removal');
    assert.deepEqual(plain(all), plain(buildKustomization(m.file('top/all'), { ...options, innerBuilds: undefined })), `round ${round}`);
    const deployment = all.resources.find((r) => r.obj.kind === 'Deployment')!.obj as { metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: { replicas: number; template: { spec: { serviceAccountName: string; containers: Array<{ image: string; env: unknown }> } } } };
    assert.equal(deployment.metadata.name, 'p-web-s');
    assert.equal(deployment.metadata.namespace, 'all');
    assert.deepEqual(deployment.metadata.labels, { app: 'web', team: 'a' });
    assert.equal(deployment.spec.replicas, 3);
    assert.equal(deployment.spec.template.spec.containers[0].image, 'web:2');
    assert.deepEqual(deployment.spec.template.spec.containers[0].env, [{ name: 'MODE', value: 'all' }]);
    assert.equal(deployment.spec.template.spec.serviceAccountName, 'p-web-s');
  }
  // The build that shares them reads the same again, with the same kept resources.
  const again = buildKustomization(m.file('top/plain'), options);
  assert.deepEqual(plain(again), first);
  const keptKinds = ['RoleBinding', 'Service', 'ServiceAccount'];
  for (const [i, r] of again.resources.entries()) if (keptKinds.includes(String(r.obj.kind))) assert.equal(r, plainTop.resources[i], 'the same kept resource');
});
