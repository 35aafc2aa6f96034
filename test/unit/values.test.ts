// Values layers and variables on test/fixtures/values, with hand-computed expectations for every precedence rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet, materialize } from '../helpers/fixture';
import { appValues } from '../../server/src/core/evaluate/appValues';
import { effectiveValues, effectiveValueHover } from '../../server/src/features/effectiveValues';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { contextLabel, deployerName } from '../../server/src/core/evaluate/contextId';
import { helmReleaseValues } from '../../server/src/core/evaluate/helmValues';
import { evaluationFindings } from '../../server/src/core/evaluate/valueFindings';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { offsetToLineCol } from '../../server/src/core/text';
import type { Fleet } from '../../server/src/core/model';
import { layerLabel } from '../../server/src/core/layer';

const dir = path.resolve(__dirname, '../fixtures/values');

function where(fleet: Fleet, w: { file: string; span?: { start: number } }): string {
  const line = w.span ? offsetToLineCol(fleet.facts.get(w.file)!.lineStarts, w.span.start).line + 1 : 0;
  return `${path.relative(dir, w.file)}:${line}`;
}

function tenantContext(fleet: Fleet) {
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  const ctx = contexts.find((c) => deployerName(c.id) === 'flux-system/tenant');
  assert.ok(ctx, `contexts: ${contexts.map((c) => contextLabel(c.id)).join('; ')}`);
  return ctx!;
}

test('HelmRelease values: chart defaults < valuesFrom < inline values (patched by kustomize, then by Flux)', () => {
  const fleet = loadFleet(dir);
  const ctx = tenantContext(fleet);
  const hr = ctx.build.resources.find((r) => r.obj.kind === 'HelmRelease')!;
  const v = helmReleaseValues(fleet, hr, ctx.build.resources);
  assert.deepEqual(v.values, {
    replicaCount: 5, // chart 1 < values.yaml 1 < inline 2 < tenant patch 3 < Flux spec.patches 5
    image: { repository: 'ghcr.io/acme/web', tag: '1.0.0' }, // chart tag 0.0.1 < inline ${image_tag:=1.0.0}
    service: { port: 80 }, // chart only
    ingress: { host: 'web.prod.example' }, // valuesFrom, substituted inside the generated ConfigMap
    resources: { limits: { memory: '256Mi' } },
    cluster: 'prod', // substituteFrom ConfigMap cluster-vars
    region: 'eu-central',
    env: 'production', // substitute beats substituteFrom's env: from-configmap
    owner: '', // undefined: empty (and an undefined-variable finding)
  });
  const stack = (p: string) => (v.prov.get(p) ?? []).map((w) => `${layerLabel(w.layer)} ${where(fleet, w)} ${JSON.stringify(w.value)}`);
  assert.deepEqual(stack('/replicaCount'), [
    'chart-defaults tenant/charts/web/values.yaml:1 1',
    'valuesFrom[0] ConfigMap web-values tenant/app/values.yaml:1 1',
    'spec.values tenant/app/release.yaml:21 2',
    'spec.values (patches) tenant/app/replicas-patch.yaml:7 3',
    'spec.values (flux:patches) platform/clusters/prod/tenant.yaml:32 5',
  ]);
  assert.deepEqual(stack('/env'), ['spec.values tenant/app/release.yaml:26 "${env}"', 'spec.values (flux:postBuild) platform/clusters/prod/tenant.yaml:37 "production"']);
  assert.deepEqual(stack('/cluster').at(-1), 'spec.values (flux:postBuild) platform/clusters/prod/vars.yaml:7 "prod"');
  assert.deepEqual(stack('/ingress/host'), ['valuesFrom[0] ConfigMap web-values tenant/app/values.yaml:3 "web.prod.example"']);
});

test('a values file a generator took and substitution changed: read from its flat parse, spans from the file once', () => {
  const fleet = loadFleet(dir);
  const ctx = tenantContext(fleet);
  const hr = ctx.build.resources.find((r) => r.obj.kind === 'HelmRelease')!;
  const file = path.join(dir, 'tenant/app/values.yaml');
  const parsed = fleet.parse(file, fleet.facts.get(file)!.text);
  assert.ok(parsed.flatDocs(), 'the index kept the values file flat');
  const v = helmReleaseValues(fleet, hr, ctx.build.resources);
  assert.equal((v.values.ingress as { host: string }).host, 'web.prod.example');
  // The file as written gave each pointer its span without a tree made of it (a whole check reads ~1,000 such files).
  assert.ok(parsed.flatDocs(), 'no tree made of the values file');
  // Once per file as written: this one and the chart's values.yaml.
  assert.equal(fleet.db.stats().valuesOriginals?.misses, 2);
  const stack = (p: string) => (v.prov.get(p) ?? []).map((w) => `${layerLabel(w.layer)} ${where(fleet, w)} ${JSON.stringify(w.value)}`);
  assert.deepEqual(stack('/resources/limits/memory'), ['valuesFrom[0] ConfigMap web-values tenant/app/values.yaml:6 "256Mi"']);
});

test('postBuild substitution: escapes and $var stay, disabled objects stay literal', () => {
  const fleet = loadFleet(dir);
  const ctx = tenantContext(fleet);
  const cm = (name: string) => ctx.build.resources.find((r) => r.obj.kind === 'ConfigMap' && (r.obj.metadata as { name: string }).name === name)!.obj.data as Record<string, string>;
  assert.equal(cm('script')['run.sh'], 'echo ${HOME} and $PATH');
  assert.equal(cm('dashboards').title, 'Cluster ${cluster_name}');
  assert.deepEqual([...ctx.build.variables.keys()].sort(), ['cluster_name', 'env', 'region']);
  assert.equal(ctx.build.variables.get('env')!.value, 'production');
});

test('value findings: each once, on the text that causes it, naming the context', () => {
  const fleet = loadFleet(dir);
  const findings = evaluationFindings(fleet, { strictSubstitution: true });
  const rows = findings.map((f) => `${f.code} ${f.severity} ${where(fleet, f)} ${fleet.facts.get(f.file)!.text.slice(f.span.start, f.span.end)}`).sort();
  assert.deepEqual(rows, [
    'ineffective-override warning tenant/app/replicas-patch.yaml:7 3',
    'ineffective-override warning tenant/app/values.yaml:1 1',
    'substitution-disabled warning tenant/app/dashboards.yaml:8 ${cluster_name}',
    'undefined-variable error tenant/app/release.yaml:27 ${owner}',
    'values-key-not-found warning tenant/app/release.yaml:19 missing.yaml',
  ]);
  assert.match(findings.find((f) => f.code === 'undefined-variable')!.message, /flux-system\/tenant/);
  const lenient = evaluationFindings(fleet, { strictSubstitution: false }).find((f) => f.code === 'undefined-variable')!;
  assert.equal(lenient.severity, 'warning');
});

test('Giant Swarm App values: priorities, extraConfigs before the layer of equal priority, Secrets over ConfigMaps', () => {
  const cm = (name: string, body: string) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: org-acme\ndata:\n  values: |\n${body.split('\n').map((l) => '    ' + l).join('\n')}\n`;
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/gs: .
//- repo/clusters/mc/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/gs
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: mc
  namespace: flux-system
spec:
  path: ./apps
  prune: false
  sourceRef:
    kind: GitRepository
    name: flux-system
//- repo/apps/app.yaml
apiVersion: application.giantswarm.io/v1alpha1
kind: App
metadata:
  name: hello
  namespace: org-acme
spec:
  catalog: giantswarm
  name: hello
  namespace: hello
  version: 1.0.0
  config:
    configMap:
      name: cfg
      namespace: org-acme
  userConfig:
    configMap:
      name: user
      namespace: org-acme
  extraConfigs:
    - kind: configMap
      name: extra10
      namespace: org-acme
      priority: 10
    - kind: configMap
      name: extra50
      namespace: org-acme
      priority: 50
    - kind: configMap
      name: extra75
      namespace: org-acme
      priority: 75
    - kind: configMap
      name: extra100
      namespace: org-acme
      priority: 100
    - kind: configMap
      name: extra120
      namespace: org-acme
      priority: 120
    - kind: secret
      name: secret10
      namespace: org-acme
      priority: 10
  kubeConfig:
    inCluster: true
//- repo/apps/catalog.yaml
apiVersion: application.giantswarm.io/v1alpha1
kind: Catalog
metadata:
  name: giantswarm
  namespace: org-acme
spec:
  title: Giant Swarm
  config:
    configMap:
      name: catalog-cfg
      namespace: org-acme
${cm('catalog-cfg', 'a: catalog\ng: catalog')}
//- repo/apps/configs.yaml
${cm('cfg', 'a: config\nb: config\nc: config\nd: config')}${cm('extra10', 'a: extra10')}${cm('extra50', 'b: extra50')}${cm('extra75', 'c: extra75')}${cm('user', 'c: user\ne: user')}${cm('extra100', 'e: extra100')}${cm('extra120', 'f: extra120')}---
apiVersion: v1
kind: Secret
metadata:
  name: secret10
  namespace: org-acme
stringData:
  values: |
    a: from-secret
`);
  const fleet = loadFleet(m.file('repo'));
  const ctx = allContexts(fleet, rootKustomizations(fleet))[0];
  const app = ctx.build.resources.find((r) => r.obj.kind === 'App')!;
  const v = appValues(fleet, app, ctx.build.resources);
  assert.deepEqual(v.values, { a: 'from-secret', b: 'config', c: 'user', d: 'config', e: 'user', f: 'extra120', g: 'catalog' });
  const layers = (p: string) => (v.prov.get(p) ?? []).map((w) => layerLabel(w.layer));
  assert.deepEqual(layers('/a'), ['catalog ConfigMap', 'extraConfigs[0] ConfigMap (priority 10)', 'config ConfigMap', 'extraConfigs[5] Secret (priority 10)']);
  assert.deepEqual(layers('/b'), ['extraConfigs[1] ConfigMap (priority 50)', 'config ConfigMap']);
  assert.deepEqual(layers('/c'), ['config ConfigMap', 'extraConfigs[2] ConfigMap (priority 75)', 'userConfig ConfigMap']);
  assert.deepEqual(layers('/e'), ['extraConfigs[3] ConfigMap (priority 100)', 'userConfig ConfigMap']);
  assert.equal(v.prov.get('/a')!.at(-1)!.value, '••••', 'Secret values are never shown');
  // The hover on the Catalog's ConfigMap (built only as far as that file reaches) sees the same layers.
  const configs = m.file('repo/apps/catalog.yaml');
  const text = fleet.facts.get(configs)!.text;
  const answers = effectiveValues(fleet, configs, text.indexOf('g: catalog') + 4);
  assert.deepEqual(answers.filter((a) => a.owner.endsWith('values')).map((a) => [a.owner, a.pointer, a.value]), [['App org-acme/hello values', '/g', 'catalog']]);
});

test('values from a SOPS-encrypted file are masked, never shown', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/sops: .
//- repo/clusters/c/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/sops
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: c
  namespace: flux-system
spec:
  path: ./app
  prune: false
  sourceRef:
    kind: GitRepository
    name: flux-system
//- repo/app/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
  valuesFrom:
    - kind: ConfigMap
      name: encrypted
//- repo/app/encrypted.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: encrypted
  namespace: apps
data:
  values.yaml: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]
sops:
  version: 3.8.1
`);
  const fleet = loadFleet(m.file('repo'));
  const file = m.file('repo/app/encrypted.yaml');
  const offset = fleet.facts.get(file)!.text.indexOf('ENC[') + 2;
  const answers = effectiveValues(fleet, file, offset);
  assert.equal(answers.length, 1);
  assert.equal(answers[0].secret, true);
  const md = effectiveValueHover(fleet, file, offset)!.markdown;
  assert.match(md, /not shown/);
  assert.doesNotMatch(md, /AES256_GCM/);
});

test('a FluxInstance (Flux Operator) is a root: its spec.sync is evaluated like the Kustomization the operator makes', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/operated: .
//- repo/clusters/prod/flux-system/flux-instance.yaml
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "2.x"
    registry: ghcr.io/fluxcd
  sync:
    kind: GitRepository
    url: https://github.com/acme/operated
    ref: refs/heads/main
    path: clusters/prod/sync
//- repo/clusters/prod/sync/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      replicas: "4"
//- repo/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 1h
  chart:
    spec:
      chart: web
      sourceRef:
        kind: HelmRepository
        name: charts
  values:
    replicaCount: \${replicas}
`);
  const fleet = loadFleet(m.dir);
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  assert.deepEqual(contexts.map((c) => contextLabel(c.id)), ['repo/clusters/prod/flux-system: flux-system/flux-system', 'repo/clusters/prod/flux-system: flux-system/flux-system > flux-system/apps']);
  assert.equal(contexts[0].build.folder, m.file('repo/clusters/prod/sync'));
  const release = m.file('repo/apps/release.yaml');
  const text = fleet.facts.get(release)!.text;
  const answers = effectiveValues(fleet, release, text.indexOf('${replicas}') + 2);
  // The field of the HelmRelease, and the same leaf in its effective values.
  // Set by the substitution, written where the variable is defined.
  assert.deepEqual(answers.map((a) => [a.owner, a.pointer, a.value, layerLabel(a.stack.at(-1)!.layer), path.relative(m.dir, a.stack.at(-1)!.file)]), [
    ['HelmRelease apps/web', '/spec/values/replicaCount', '4', 'flux:postBuild', 'repo/clusters/prod/sync/apps.yaml'],
    ['HelmRelease apps/web values', '/replicaCount', '4', 'spec.values (flux:postBuild)', 'repo/clusters/prod/sync/apps.yaml'],
  ]);
});
