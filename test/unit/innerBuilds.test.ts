// Inner kustomizations kept across builds (core/evaluate/innerBuilds.ts): a base two overlays list is built once and
// copied, and each overlay's build equals one that builds every level in place — also after the base is edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { buildKustomization } from '../../server/src/core/kustomize/build';
import { buildOptions } from '../../server/src/core/evaluate/fluxBuild';
import type { Fleet } from '../../server/src/core/model';
import { innerBuilds } from '../../server/src/core/evaluate/innerBuilds';
import { lendBuilds } from '../../server/src/core/evaluate/buildDonor';
import { flatReads, noReads, recording } from '../../server/src/core/evaluate/reads';
import { folderBuild, wholeBuild } from '../../server/src/core/evaluate/folderBuilds';
import type { Resource } from '../../server/src/core/kustomize/types';
import { ProvenanceCopy } from '../../server/src/core/kustomize/provenanceCopy';

// The base renames (namePrefix: name references), generates (hash suffix: references again), asks for origin
// annotations and uses a field the engine reports; the overlays patch the base's objects after copying them.
const FLEET = `
//- apps/base/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: app-
resources:
  - deployment.yaml
configMapGenerator:
  - name: settings
    literals: [color=blue]
buildMetadata: [originAnnotations]
helmCharts:
  - name: x
//- apps/base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:1
          envFrom:
            - configMapRef:
                name: settings
//- apps/dev/kustomization.yaml
resources: [../base]
namespace: dev
patches:
  - patch: |
      - op: replace
        path: /spec/template/spec/containers/0/image
        value: web:dev
    target: { kind: Deployment }
//- apps/prod/kustomization.yaml
resources: [../base]
namespace: prod
images:
  - name: web
    newTag: "2"
`;

function both(fleet: Fleet, dir: string) {
  const options = buildOptions(fleet);
  const reused = buildKustomization(dir, options);
  const inPlace = buildKustomization(dir, { ...options, innerBuilds: undefined });
  return { reused, inPlace };
}

/** A build with its provenance maps as plain Maps (a copy of a kept one reads its base, a loaded or patched object's
 *  map is compact: the same entries, in order). */
function plain<B extends { resources: Resource[] }>(b: B): B {
  return { ...b, resources: b.resources.map((r) => ({ ...r, prov: new Map(r.prov) })) };
}

test('a base two overlays list is built once and copied: each overlay equals its build level by level', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  for (const overlay of ['apps/dev', 'apps/prod', 'apps/dev']) {
    const { reused, inPlace } = both(fleet, m.file(overlay));
    assert.deepEqual(plain(reused), plain(inPlace));
    assert.ok(reused.resources.length === 2 && reused.issues.some((i) => i.code === 'unsupported-kustomize-feature'));
  }
  const stats = fleet.db.stats().innerBuild;
  assert.equal(stats.misses, 1, 'the base is built once');
  assert.equal(stats.hits, 2, 'and copied for the other builds');
  // The copies are the includers' own: the dev patch did not reach the kept base, so prod still reads web:1 → web:2.
  const prod = both(fleet, m.file('apps/prod')).reused.resources.find((r) => r.obj.kind === 'Deployment')!;
  assert.match(JSON.stringify(prod.obj), /"image":"web:2"/);
});

test("a base the inner builds' bound dropped is found through a kept folder build that took it: its includers share its objects", () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const build = (dir: string) => wholeBuild(fleet, dir, folderBuild(fleet, dir, m.file(dir), options), m.file(dir), options);
  const settings = (b: { resources: Resource[] }) => {
    const prov = b.resources.find((r) => r.obj.kind === 'ConfigMap')!.prov;
    assert.ok(prov instanceof ProvenanceCopy, 'a copy of the kept base');
    return prov.shared;
  };
  const dev = build('apps/dev');
  const inner = fleet.db.lru('innerBuild').lru;
  inner.reset(); // (past the bound: dropped from the table)
  const prod = build('apps/prod');
  assert.equal(settings(prod), settings(dev), "prod copied the base dev's folder build holds, not one built again");
  assert.deepEqual(plain(prod), plain(buildKustomization(m.file('apps/prod'), { ...options, innerBuilds: undefined })));
  // Once no kept folder build holds it, the base goes: built again.
  fleet.db.lru('folderBuild').lru.reset();
  inner.reset();
  assert.notEqual(settings(build('apps/dev')), settings(dev));
});

test("an edit to a base's file is seen by the next build of every overlay (the kept build is not reused)", () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  both(fleet, m.file('apps/dev'));
  fleet.setOverlay(m.file('apps/base/deployment.yaml'), String(fleet.facts.get(m.file('apps/base/deployment.yaml'))!.text).replace('web:1', 'web:3'));
  const { reused, inPlace } = both(fleet, m.file('apps/prod'));
  assert.deepEqual(plain(reused), plain(inPlace));
  assert.match(JSON.stringify(reused.resources.find((r) => r.obj.kind === 'Deployment')!.obj), /"image":"web:2"/);
  assert.match(JSON.stringify(reused.resources.find((r) => r.obj.kind === 'Deployment')!.prov.get('/spec/template/spec/containers/0/image')), /web:3/);
});

// A tenant's environments set the namespace its base already set: kustomize's namespace transformer still writes it
// (the overlay is the last layer that set it), but the object stays the kept base's; only its provenance map is copied.
// The RoleBinding's subject is named `default`: the one subject kubectl's transformer sets the namespace of.
const SAME_NAMESPACE = `
//- team/base/kustomization.yaml
namespace: team
resources: [deployment.yaml, role.yaml]
//- team/base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
//- team/base/role.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web
subjects:
  - kind: ServiceAccount
    name: default
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view }
//- team/dev/kustomization.yaml
namespace: team
resources: [../base]
//- team/prod/kustomization.yaml
namespace: team
resources: [../base]
//- team/other/kustomization.yaml
namespace: other
resources: [../base]
`;

test("an overlay whose namespace equals its base's copies no object of the base, and records its own namespace write", () => {
  const m = materialize(SAME_NAMESPACE);
  const fleet = loadFleet(m.dir);
  let copies = 0;
  const options = { ...buildOptions(fleet), innerBuilds: innerBuilds(fleet, (r: Resource) => (copies++, { obj: structuredClone(r.obj), prov: new Map(r.prov), origin: r.origin })) };
  const dev = buildKustomization(m.file('team/dev'), options);
  const prod = buildKustomization(m.file('team/prod'), options);
  assert.equal(copies, 0, 'no object copied');
  assert.deepEqual(plain(dev), plain(buildKustomization(m.file('team/dev'), { ...options, innerBuilds: undefined })));
  for (const [i, r] of dev.resources.entries()) {
    assert.equal(r.obj, prod.resources[i].obj, 'both overlays share the kept object');
    assert.notEqual(r.prov, prod.resources[i].prov, 'each has its own provenance');
    assert.equal(r.prov.get('/metadata/namespace')!.at(-1)!.file, m.file('team/dev/kustomization.yaml'));
    assert.equal(r.prov.get('/metadata/namespace')!.length, 2, "the base's write and the overlay's");
  }
  const binding = dev.resources.find((r) => r.obj.kind === 'RoleBinding')!;
  assert.equal(binding.prov.get('/subjects/0/namespace')!.at(-1)!.file, m.file('team/dev/kustomization.yaml'));
  // Another namespace changes every object: the RoleBinding (its subjects too) is copied, the Deployment gets a
  // metadata map of its own and shares the rest with the kept base, which still reads `team`.
  const other = buildKustomization(m.file('team/other'), options);
  assert.equal(copies, 1, 'the RoleBinding is copied');
  assert.deepEqual(other.resources.map((r) => (r.obj.metadata as { namespace: string }).namespace), ['other', 'other']);
  const [kept, moved] = [dev.resources[0].obj, other.resources[0].obj];
  assert.equal(moved.kind, 'Deployment');
  assert.notEqual(moved.metadata, kept.metadata);
  assert.equal(moved.spec, kept.spec, "the Deployment's spec is still the kept one's");
  assert.deepEqual(plain(other), plain(buildKustomization(m.file('team/other'), { ...options, innerBuilds: undefined })));
  assert.deepEqual(buildKustomization(m.file('team/prod'), options).resources.map((r) => (r.obj.metadata as { namespace: string }).namespace), ['team', 'team']);
});

test("a name reference rewritten in a base's object an overlay shares copies that object first (the kept one keeps its name)", () => {
  const m = materialize(`
//- app/base/kustomization.yaml
resources: [deployment.yaml]
configMapGenerator:
  - name: settings
    literals: [color=blue]
//- app/base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          envFrom:
            - configMapRef:
                name: settings
//- app/plain/kustomization.yaml
resources: [../base]
`);
  const fleet = loadFleet(m.dir);
  let copies = 0;
  const options = { ...buildOptions(fleet), innerBuilds: innerBuilds(fleet, (r: Resource) => (copies++, { obj: structuredClone(r.obj), prov: new Map(r.prov), origin: r.origin })) };
  const first = buildKustomization(m.file('app/plain'), options);
  assert.equal(copies, 2, 'the ConfigMap (hash suffix) and the Deployment (its reference) are copied');
  assert.match(JSON.stringify(first.resources[0].obj), /"name":"settings-[a-z0-9]{10}"/);
  assert.deepEqual(plain(first), plain(buildKustomization(m.file('app/plain'), { ...options, innerBuilds: undefined })));
  assert.deepEqual(plain(buildKustomization(m.file('app/plain'), options)), plain(first), 'the kept base was not changed');
});

test("overlays that set another namespace on a base's objects share the kept provenance maps: each copy holds its own writes only", () => {
  const m = materialize(`${SAME_NAMESPACE}
//- team/staging/kustomization.yaml
namespace: staging
resources: [../base]
`);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const other = buildKustomization(m.file('team/other'), options);
  const staging = buildKustomization(m.file('team/staging'), options);
  assert.deepEqual(plain(staging), plain(buildKustomization(m.file('team/staging'), { ...options, innerBuilds: undefined })));
  for (const [i, r] of staging.resources.entries()) {
    const mine = r.prov, theirs = other.resources[i].prov;
    assert.ok(mine instanceof ProvenanceCopy && theirs instanceof ProvenanceCopy, 'no map copied entry by entry');
    assert.equal(mine.shared, theirs.shared, "both read the kept base's map");
    // The namespace (and a RoleBinding's subject's namespace): the only pointers written.
    assert.equal(mine.ownSize, r.obj.kind === 'RoleBinding' ? 2 : 1);
    assert.equal(mine.get('/metadata/namespace')!.at(-1)!.value, 'staging');
    assert.equal(theirs.get('/metadata/namespace')!.at(-1)!.value, 'other');
    assert.equal(mine.shared.get('/metadata/namespace')!.at(-1)!.value, 'team', 'the kept map is unchanged');
  }
});

test("a kept base is taken without its kustomization parsed again: the build that made it parsed it once", () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const parsed = new Map<string, number>();
  const base = buildOptions(fleet);
  const options = { ...base, parse: (file: string, text: string) => (parsed.set(file, (parsed.get(file) ?? 0) + 1), base.parse!(file, text)) };
  const dev = buildKustomization(m.file('apps/dev'), options);
  const prod = buildKustomization(m.file('apps/prod'), options);
  assert.equal(parsed.get(m.file('apps/base/kustomization.yaml')), 1, 'parsed by the build that made the kept base only');
  assert.deepEqual(plain(dev), plain(buildKustomization(m.file('apps/dev'), { ...options, innerBuilds: undefined })));
  assert.deepEqual(plain(prod), plain(buildKustomization(m.file('apps/prod'), { ...options, innerBuilds: undefined })));
});

test('a resource entry naming a Component or a folder without a kustomization fails at the entry, kept inner builds or not', () => {
  const m = materialize(`
//- app/comp/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
commonLabels: { team: a }
//- app/empty/readme.md
nothing
//- app/a/kustomization.yaml
resources: [../comp]
//- app/b/kustomization.yaml
resources:
  - ../empty
`);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  for (const [dir, message] of [['app/a', /'..\/comp' is a Component; list it under components:/], ['app/b', /'..\/empty' is neither a readable file nor a folder with a kustomization/]] as const) {
    for (let i = 0; i < 2; i++) {
      const reused = buildKustomization(m.file(dir), options);
      assert.equal(reused.resources.length, 0);
      assert.equal(reused.issues.length, 1);
      assert.match(reused.issues[0].message, message);
      assert.equal(reused.issues[0].file, m.file(`${dir}/kustomization.yaml`));
      assert.deepEqual(plain(reused), plain(buildKustomization(m.file(dir), { ...options, innerBuilds: undefined })));
    }
  }
});

// Strategic merges make the merged object anew (only its top-level object and provenance map are taken over), a
// namespace of another value writes only the metadata map: the kept base must read as it did after either, also when
// the object is owned whole later (a name reference at the root) or the merge leaves it as it was ($patch: replace).
test("a kept base's objects patched by strategic merge, moved to another namespace and renamed in their references stay as they were", () => {
  const m = materialize(`
//- app/base/kustomization.yaml
resources: [deployment.yaml]
configMapGenerator:
  - name: settings
    literals: [color=blue]
//- app/base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: web
          image: web:1
          envFrom:
            - configMapRef:
                name: settings
//- app/merged/kustomization.yaml
namespace: merged
resources: [../base]
patches:
  - patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 3
        template:
          spec:
            containers:
              - name: web
                image: web:2
//- app/replaced/kustomization.yaml
resources: [../base]
patches:
  - patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      $patch: replace
      spec:
        replicas: 5
//- app/moved/kustomization.yaml
namespace: moved
resources: [../base]
`);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const inPlace = (dir: string) => plain(buildKustomization(m.file(dir), { ...options, innerBuilds: undefined }));
  const first = new Map<string, ReturnType<typeof buildKustomization>>();
  for (const round of [0, 1]) {
    for (const dir of ['app/merged', 'app/replaced', 'app/moved']) {
      const built = plain(buildKustomization(m.file(dir), options));
      assert.deepEqual(built, inPlace(dir), dir);
      if (round === 0) first.set(dir, built);
      else assert.deepEqual(built, first.get(dir), `${dir} again: the kept base did not change`);
    }
  }
  const deployment = (dir: string) => first.get(dir)!.resources.find((r) => r.obj.kind === 'Deployment')!.obj as { metadata: { namespace?: string }; spec: { replicas: number; template: { spec: { containers: Array<{ image: string; envFrom: Array<{ configMapRef: { name: string } }> }> } } } };
  assert.equal(deployment('app/merged').spec.replicas, 3);
  assert.equal(deployment('app/merged').spec.template.spec.containers[0].image, 'web:2');
  assert.equal(deployment('app/replaced').spec.replicas, 1, 'a top-level $patch: replace leaves the target as it was');
  assert.equal(deployment('app/moved').metadata.namespace, 'moved');
  assert.match(deployment('app/moved').spec.template.spec.containers[0].envFrom[0].configMapRef.name, /^settings-[a-z0-9]{10}$/);
});

// A patch of maps and scalars is merged into the target's own values (strategicMergeInPlace.ts): what it did not reach
// is still the kept base's. A second merge, a JSON patch and the name references at the root (which rewrite values in
// place) must copy those values first: the kept base reads as it did, and another overlay builds from it unchanged.
test("a kept base's object patched in place (maps and scalars only) is copied before later steps change what the patch left shared", () => {
  const m = materialize(`
//- app/base/kustomization.yaml
namePrefix: app-
resources: [deployment.yaml, hpa.yaml, flux.yaml]
//- app/base/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
//- app/base/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  labels: { team: a }
spec:
  minReplicas: 1
  maxReplicas: 2
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
//- app/base/flux.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app
  annotations: { note: base }
spec:
  interval: 10m
  postBuild:
    substitute: { env: base }
    substituteFrom:
      - kind: ConfigMap
        name: settings
//- app/patched/kustomization.yaml
resources: [../base]
patches:
  - patch: |
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata:
        name: app-web
      spec:
        maxReplicas: 5
  - patch: |
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: app-app
      spec:
        postBuild:
          substitute: { cluster: one }
  - patch: |
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: app-app
      spec:
        interval: 5m
  - patch: |
      - op: replace
        path: /metadata/annotations/note
        value: patched
    target: { kind: Kustomization }
//- app/plain/kustomization.yaml
resources: [../base]
`);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const inPlace = (dir: string) => plain(buildKustomization(m.file(dir), { ...options, innerBuilds: undefined }));
  const first = new Map<string, ReturnType<typeof buildKustomization>>();
  for (const round of [0, 1]) {
    for (const dir of ['app/patched', 'app/plain']) {
      const built = plain(buildKustomization(m.file(dir), options));
      assert.deepEqual(built, inPlace(dir), dir);
      if (round === 0) first.set(dir, built);
      else assert.deepEqual(built, first.get(dir), `${dir} again: the kept base did not change`);
    }
  }
  const obj = (dir: string, kind: string) => first.get(dir)!.resources.find((r) => r.obj.kind === kind)!.obj as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  assert.deepEqual(obj('app/patched', 'HorizontalPodAutoscaler').spec, { minReplicas: 1, maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app-web' } });
  assert.deepEqual(obj('app/patched', 'Kustomization').spec, { interval: '5m', postBuild: { substitute: { env: 'base', cluster: 'one' }, substituteFrom: [{ kind: 'ConfigMap', name: 'settings' }] } });
  assert.deepEqual(obj('app/patched', 'Kustomization').metadata, { name: 'app-app', annotations: { note: 'patched' } });
  assert.equal((obj('app/plain', 'HorizontalPodAutoscaler').spec as { maxReplicas: number }).maxReplicas, 2);
  assert.deepEqual(obj('app/plain', 'Kustomization').metadata, { name: 'app-app', annotations: { note: 'base' } });
  assert.deepEqual(obj('app/plain', 'Kustomization').spec, { interval: '10m', postBuild: { substitute: { env: 'base' }, substituteFrom: [{ kind: 'ConfigMap', name: 'settings' }] } });
  const kept = fleet.db.stats().innerBuild;
  assert.ok(kept.hits >= 3, 'the base was kept and taken again');
});

test('a kept base asked again at the same fleet version through the same options passes its reads on without reading them', () => {
  const m = materialize(SAME_NAMESPACE);
  const fleet = loadFleet(m.dir);
  const base = buildOptions(fleet);
  const read: string[] = [];
  const options = { ...base, readFile: (p: string) => (read.push(p), base.readFile(p)) };
  const dev = noReads();
  buildKustomization(m.file('team/dev'), recording(options, dev));
  assert.ok(read.includes(m.file('team/base/deployment.yaml')));
  read.length = 0;
  const prod = noReads();
  buildKustomization(m.file('team/prod'), recording(options, prod));
  assert.deepEqual(read.filter((p) => p.includes('/team/base/')), [], "the base's files are not read again");
  // The includer's reads are what reading them would have given: the same as a fresh fleet's build of prod, the base's
  // through the kept base it holds (in the base's record only, not copied into the includer's).
  const fresh = loadFleet(m.dir);
  const expected = noReads();
  buildKustomization(m.file('team/prod'), recording(buildOptions(fresh), expected));
  assert.deepEqual([...flatReads(prod).reads], [...flatReads(expected).reads]);
  assert.ok(flatReads(prod).reads.has(m.file('team/base/deployment.yaml')));
  assert.ok(!prod.reads.has(m.file('team/base/deployment.yaml')) && prod.inner?.length === 1, "the base's reads are held through it, not copied");
  // After any change of the fleet (another version), the kept base's files are read again to tell it is the same.
  fleet.setOverlay(m.file('team/other/kustomization.yaml'), 'namespace: other\nresources: [../base]\n# edited\n');
  read.length = 0;
  buildKustomization(m.file('team/prod'), recording(options, noReads()));
  assert.ok(read.includes(m.file('team/base/deployment.yaml')));
  // Options of another source (another artifact's, say) read them too.
  const other = { ...base, readFile: (p: string) => (read.push(p), base.readFile(p)) };
  read.length = 0;
  buildKustomization(m.file('team/dev'), recording(other, noReads()));
  assert.ok(read.includes(m.file('team/base/deployment.yaml')));
});

test("a base found again through a kept folder build at the same version passes its reads on: the includer sees a later edit of it", () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const build = (dir: string) => wholeBuild(fleet, dir, folderBuild(fleet, dir, m.file(dir), options), m.file(dir), options);
  build('apps/dev');
  fleet.db.lru('innerBuild').lru.reset(); // (past the bound: found through dev's folder build, at the same version)
  build('apps/prod');
  const prod = folderBuild(fleet, 'apps/prod', m.file('apps/prod'), options);
  assert.ok(flatReads(prod).reads.has(m.file('apps/base/deployment.yaml')), "prod's folder build's reads are the base's too");
  assert.equal(prod.inner?.length, 1, 'it holds the base once');
  const file = m.file('apps/base/deployment.yaml');
  fleet.setOverlay(file, String(fleet.facts.get(file)!.text).replace('web:1', 'web:3'));
  const after = build('apps/prod');
  assert.deepEqual(plain(after), plain(buildKustomization(m.file('apps/prod'), { ...options, innerBuilds: undefined })));
  assert.match(JSON.stringify(after.resources.find((r) => r.obj.kind === 'Deployment')!.prov.get('/spec/template/spec/containers/0/image')), /web:3/);
  // Reverted: the same as a build from scratch again.
  fleet.setOverlay(file, String(fleet.facts.get(file)!.text).replace('web:3', 'web:1'));
  assert.deepEqual(plain(build('apps/prod')), plain(buildKustomization(m.file('apps/prod'), { ...options, innerBuilds: undefined })));
});

// A base two levels down, and overlays of each level: a fleet that borrows builds (buildDonor.ts) takes the middle
// level's entry, which held the donor's base.
const CHAIN = `
//- apps/base/kustomization.yaml
resources: [cm.yaml]
//- apps/base/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
//- apps/mid/kustomization.yaml
namePrefix: mid-
resources: [../base]
//- apps/a/kustomization.yaml
resources: [../mid]
//- apps/a2/kustomization.yaml
namespace: a2
resources: [../mid]
//- apps/b/kustomization.yaml
resources: [../base]
//- apps/c/kustomization.yaml
namespace: c
resources: [../base]
`;

test("a borrowed inner build does not hand the borrower the donor's entries it held: the borrower finds only its own", () => {
  const m = materialize(CHAIN);
  const donor = loadFleet(m.dir);
  const dOptions = buildOptions(donor);
  wholeBuild(donor, 'apps/a', folderBuild(donor, 'apps/a', m.file('apps/a'), dOptions), m.file('apps/a'), dOptions);
  const fleet = loadFleet(m.dir);
  lendBuilds(fleet, donor);
  const options = buildOptions(fleet);
  const build = (dir: string) => wholeBuild(fleet, dir, folderBuild(fleet, dir, m.file(dir), options), m.file(dir), options);
  build('apps/b'); // (the base, borrowed: the fleet's own entry)
  fleet.db.lru('innerBuild').lru.reset();
  build('apps/a2'); // (the middle level, borrowed)
  fleet.db.lru('innerBuild').lru.reset();
  build('apps/c'); // (the base, past the bound: found through a kept folder build)
  const theirs = donor.db.table<string, object>('innerBuild').get(m.file('apps/base'));
  const ours = fleet.db.table<string, object>('innerBuild').get(m.file('apps/base'));
  assert.ok(theirs && ours);
  assert.notEqual(ours, theirs, "the donor's entry (checked against the donor's layout and paths) is not the borrower's");
  assert.deepEqual(plain(build('apps/c')), plain(buildKustomization(m.file('apps/c'), { ...options, innerBuilds: undefined })));
});

test("a base whose build fails is not kept: what it read is its includer's reads, so fixing it builds the includer again", () => {
  const m = materialize(`
//- apps/base/kustomization.yaml
resources: [deployment.yaml]
//- apps/base/deployment.yaml
apiVersion: apps/v1
metadata:
  name: web
//- apps/prod/kustomization.yaml
resources: [../base]
namespace: prod
`);
  const fleet = loadFleet(m.dir);
  const options = buildOptions(fleet);
  const build = (dir: string) => wholeBuild(fleet, dir, folderBuild(fleet, dir, m.file(dir), options), m.file(dir), options);
  const failed = build('apps/prod');
  assert.equal(failed.resources.length, 0);
  assert.match(failed.issues.map((i) => i.message).join('\n'), /must be a Kubernetes object/);
  const prod = folderBuild(fleet, 'apps/prod', m.file('apps/prod'), options);
  assert.ok(prod.reads.has(m.file('apps/base/deployment.yaml')), "the failed base's reads are the includer's own");
  const file = m.file('apps/base/deployment.yaml');
  fleet.setOverlay(file, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
  const fixed = build('apps/prod');
  assert.deepEqual(fixed.resources.map((r) => `${r.obj.kind} ${(r.obj.metadata as { namespace?: string }).namespace}/${(r.obj.metadata as { name: string }).name}`), ['Deployment prod/web']);
});
