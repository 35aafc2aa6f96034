// Flux's components, patches, images, namePrefix and targetNamespace go into the top-level kustomization (as
// kustomize-controller writes them), so they run in kustomize's order: patches target names before any prefix,
// suffix or hash, and name references follow the prefix. Ground truth: `kubectl kustomize` of the same
// kustomization with the additions written in (test/fixtures/flux-additions/equivalent/web, recorded in
// test/goldens).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadFleet, materialize } from '../helpers/fixture';
import { buildsEqual, compareBuilds, formatComparison, parseManifests } from '../helpers/parity';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { deployerName } from '../../server/src/core/evaluate/contextId';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { effectiveValues } from '../../server/src/features/effectiveValues';
import { offsetToLineCol } from '../../server/src/core/text';
import { layerLabel } from '../../server/src/core/layer';

const dir = path.resolve(__dirname, '../fixtures/flux-additions');
const golden = path.resolve(__dirname, '../goldens/test__fixtures__flux-additions__equivalent__web.yaml');

function webContext() {
  const fleet = loadFleet(dir);
  const ctx = allContexts(fleet, rootKustomizations(fleet)).find((c) => deployerName(c.id) === 'flux-system/web');
  assert.ok(ctx);
  return { fleet, ctx: ctx! };
}

test('a Flux Kustomization with components, patches, images, namePrefix and targetNamespace builds as kubectl builds the kustomization Flux writes', () => {
  const { ctx } = webContext();
  assert.deepEqual(ctx.build.issues, []);
  const comparison = compareBuilds(ctx.build.resources.map((r) => r.obj), parseManifests(fs.readFileSync(golden, 'utf8')));
  assert.ok(buildsEqual(comparison), formatComparison(comparison));
  const deployment = ctx.build.resources.find((r) => r.obj.kind === 'Deployment')!;
  // The prefix reached the reference to the hashed ConfigMap, which Flux's 6902 patch found by its original name.
  assert.match(JSON.stringify(deployment.obj), /"name":"prod-web-config-v1-[a-z0-9]{10}"/);
});

test('Flux additions keep their provenance: the patch line in the Flux Kustomization, the layer that set it', () => {
  const { fleet, ctx } = webContext();
  const line = (file: string, offset: number) => offsetToLineCol(fleet.facts.get(file)!.lineStarts, offset).line + 1;
  const deployment = ctx.build.resources.find((r) => r.obj.kind === 'Deployment')!;
  const replicas = deployment.prov.get('/spec/replicas')!.at(-1)!;
  assert.equal(path.relative(dir, replicas.file), 'clusters/prod/web.yaml');
  assert.equal(layerLabel(replicas.layer), 'flux:patches');
  assert.equal(line(replicas.file, replicas.span!.start), 24);
  const namespace = deployment.prov.get('/metadata/namespace')!.at(-1)!;
  assert.equal(layerLabel(namespace.layer), 'flux:targetNamespace');
  const image = deployment.prov.get('/spec/template/spec/containers/0/image')!.at(-1)!;
  assert.equal(layerLabel(image.layer), 'flux:images');
  assert.equal(line(image.file, image.span!.start), 37); // newTag: "1.27"
  const config = ctx.build.resources.find((r) => r.obj.kind === 'ConfigMap')!;
  const tier = config.prov.get('/data/tier')!.at(-1)!;
  assert.equal(line(tier.file, tier.span!.start), 31);
  // A hover on the replicas line of the Deployment shows the Flux patch winning over the file's value.
  const file = path.join(dir, 'apps/web/deployment.yaml');
  const answers = effectiveValues(fleet, file, fleet.facts.get(file)!.text.indexOf('replicas: 1') + 10);
  assert.equal(answers.length, 1);
  assert.equal(answers[0].value, 3);
  assert.deepEqual(answers[0].stack.map((w) => [layerLabel(w.layer), w.value]), [['resource', 1], ['flux:patches', 3]]);
});

test('a targetNamespace alone builds as the top-level namespace: RoleBinding subjects and webhook services naming objects of the build follow them (as kubectl builds the kustomization Flux writes)', () => {
  // kubectl kustomize of this folder with `namespace: tn` written in (kustomize v5.5.0): the subjects naming the
  // build's ServiceAccount `sa` (with namespace default, or none) and the webhook's service move to tn with it; the
  // subject named `default` is set by the transformer; a ServiceAccount of another namespace, not in the build, keeps it.
  const { dir } = materialize(`
//- clusters/ks.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: raw, namespace: flux-system}
spec:
  interval: 1m
  path: ./apps/raw
  prune: true
  targetNamespace: tn
  sourceRef: {kind: GitRepository, name: flux-system}
//- apps/raw/r.yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa}
---
apiVersion: v1
kind: Service
metadata: {name: hook}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: sa, namespace: default}
- {kind: ServiceAccount, name: sa}
- {kind: ServiceAccount, name: default}
- {kind: ServiceAccount, name: other, namespace: x}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: vwc}
webhooks:
- name: a.example.com
  clientConfig:
    service: {name: hook, namespace: default}
`);
  const fleet = loadFleet(dir);
  const ctx = allContexts(fleet, rootKustomizations(fleet)).find((c) => deployerName(c.id) === 'flux-system/raw');
  assert.ok(ctx);
  const of = (kind: string) => ctx!.build.resources.find((r) => r.obj.kind === kind)!.obj as Record<string, any>;
  assert.deepEqual(of('ClusterRoleBinding').subjects, [
    { kind: 'ServiceAccount', name: 'sa', namespace: 'tn' },
    { kind: 'ServiceAccount', name: 'sa', namespace: 'tn' },
    { kind: 'ServiceAccount', name: 'default', namespace: 'tn' },
    { kind: 'ServiceAccount', name: 'other', namespace: 'x' },
  ]);
  assert.deepEqual(of('ValidatingWebhookConfiguration').webhooks[0].clientConfig.service, { name: 'hook', namespace: 'tn' });
});
