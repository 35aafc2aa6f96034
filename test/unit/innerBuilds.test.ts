// Inner kustomizations kept across builds (core/evaluate/innerBuilds.ts): a base two overlays list is built once and
// copied, and each overlay's build equals one that builds every level in place — also after the base is edited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { materialize, loadFleet } from '../helpers/fixture';
import { buildKustomization } from '../../server/src/core/kustomize/build';
import { buildOptions } from '../../server/src/core/evaluate/fluxBuild';
import type { Fleet } from '../../server/src/core/model';

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

test('a base two overlays list is built once and copied: each overlay equals its build level by level', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  for (const overlay of ['apps/dev', 'apps/prod', 'apps/dev']) {
    const { reused, inPlace } = both(fleet, m.file(overlay));
    assert.deepEqual(reused, inPlace);
    assert.ok(reused.resources.length === 2 && reused.issues.some((i) => i.code === 'unsupported-kustomize-feature'));
  }
  const stats = fleet.db.stats().innerBuild;
  assert.equal(stats.misses, 1, 'the base is built once');
  assert.equal(stats.hits, 2, 'and copied for the other builds');
  // The copies are the includers' own: the dev patch did not reach the kept base, so prod still reads web:1 → web:2.
  const prod = both(fleet, m.file('apps/prod')).reused.resources.find((r) => r.obj.kind === 'Deployment')!;
  assert.match(JSON.stringify(prod.obj), /"image":"web:2"/);
});

test("an edit to a base's file is seen by the next build of every overlay (the kept build is not reused)", () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  both(fleet, m.file('apps/dev'));
  fleet.setOverlay(m.file('apps/base/deployment.yaml'), String(fleet.facts.get(m.file('apps/base/deployment.yaml'))!.text).replace('web:1', 'web:3'));
  const { reused, inPlace } = both(fleet, m.file('apps/prod'));
  assert.deepEqual(reused, inPlace);
  assert.match(JSON.stringify(reused.resources.find((r) => r.obj.kind === 'Deployment')!.obj), /"image":"web:2"/);
  assert.match(JSON.stringify(reused.resources.find((r) => r.obj.kind === 'Deployment')!.prov.get('/spec/template/spec/containers/0/image')), /web:3/);
});
