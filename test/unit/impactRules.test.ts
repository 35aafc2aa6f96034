// Change impact rules that had no test (issue 15): a HelmRelease's spec.chartRef (to an OCIRepository or a
// HelmChart) and a StatefulSet's volumeClaimTemplates (immutable: an error unless the Kustomization forces).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, impactLines } from '../helpers/impact';
import { GIT, cluster, appsKs } from '../helpers/impactFleets';

const ROOT = 'ff-fixture-*/clusters/prod/flux-system: flux-system/flux-system';
const lines = (s: ReturnType<typeof scenario>) => impactLines(s).map((l) => l.replace(/ff-fixture-[A-Za-z0-9]+/g, 'ff-fixture-*'));

const oci = (name: string, tag: string) => `apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: OCIRepository
metadata:
  name: ${name}
  namespace: shop
spec:
  interval: 10m
  url: oci://ghcr.io/stefanprodan/charts/${name}
  ref:
    tag: ${tag}
`;

const chart = (name: string, version: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata:
  name: ${name}
  namespace: shop
spec:
  interval: 10m
  chart: ${name}
  version: ${version}
  sourceRef:
    kind: HelmRepository
    name: charts
`;

const release = (kind: string, name: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: shop
spec:
  interval: 10m
  chartRef:
    kind: ${kind}
    name: ${name}
  values:
    replicaCount: 2
`;

const CHARTS = `
//- .git/config
${GIT('https://github.com/acme/fleet')}
${cluster('prod')}
//- apps/prod/kustomization.yaml
resources: [sources.yaml, release.yaml]
//- apps/prod/sources.yaml
${oci('podinfo', '6.5.0')}---
${oci('nginx', '15.0.0')}---
${chart('podinfo-chart', '6.5.0')}
//- apps/prod/release.yaml
${release('OCIRepository', 'podinfo')}`;

test('a chartRef naming another OCIRepository: the chart changes, a warning at the line', () => {
  const s = scenario(CHARTS, { 'apps/prod/release.yaml': release('OCIRepository', 'nginx') });
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed HelmRelease shop/web',
    '    /spec/chartRef/name: "podinfo" → "nginx" @apps/prod/release.yaml:10',
    'danger warning chart-changed @apps/prod/release.yaml:10 [1] HelmRelease shop/web: its chart changes (spec.chartRef: OCIRepository/podinfo → OCIRepository/nginx): Helm upgrades the release to another chart.',
  ]);
});

test('a chartRef moved from an OCIRepository to a HelmChart: one chart change naming both', () => {
  const s = scenario(CHARTS, { 'apps/prod/release.yaml': release('HelmChart', 'podinfo-chart') });
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed HelmRelease shop/web',
    '    /spec/chartRef/kind: "OCIRepository" → "HelmChart" @apps/prod/release.yaml:9',
    '    /spec/chartRef/name: "podinfo" → "podinfo-chart" @apps/prod/release.yaml:10',
    'danger warning chart-changed @apps/prod/release.yaml:9 [1] HelmRelease shop/web: its chart changes (spec.chartRef: OCIRepository/podinfo → HelmChart/podinfo-chart): Helm upgrades the release to another chart.',
  ]);
});

test("the OCIRepository a chartRef names moves to a new major tag: the release's chart-major warning, at the tag", () => {
  const s = scenario(CHARTS, { 'apps/prod/sources.yaml': `${oci('podinfo', '7.0.1')}---\n${oci('nginx', '16.0.0')}---\n${chart('podinfo-chart', '6.5.0')}` });
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed OCIRepository shop/nginx',
    '    /spec/ref/tag: "15.0.0" → "16.0.0" @apps/prod/sources.yaml:21',
    '  changed OCIRepository shop/podinfo',
    '    /spec/ref/tag: "6.5.0" → "7.0.1" @apps/prod/sources.yaml:10',
    // nginx is no release's chart: its tag is an artifact's version, not a chart's.
    'danger warning chart-major @apps/prod/sources.yaml:10 [1] HelmRelease shop/web: chart 6.5.0 → 7.0.1 (OCIRepository shop/podinfo), a new major version (read its upgrade notes).',
  ]);
});

test('a chart moved from spec.chart to spec.chartRef: one chart change', () => {
  const inline = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: shop
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: 6.5.0
      sourceRef:
        kind: HelmRepository
        name: charts
  values:
    replicaCount: 2
`;
  const s = scenario(CHARTS.replace(release('OCIRepository', 'podinfo'), inline), { 'apps/prod/release.yaml': release('OCIRepository', 'podinfo') });
  assert.deepEqual(lines(s).filter((l) => l.startsWith('danger')), [
    'danger warning chart-changed @apps/prod/release.yaml:9 [1] HelmRelease shop/web: its chart changes (spec.chart: podinfo 6.5.0 from HelmRepository/charts → spec.chartRef: OCIRepository/podinfo): Helm upgrades the release to another chart.',
  ]);
});

const sts = (storage: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          image: postgres:16
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: ${storage}
`;

const STATEFUL = (force: boolean) => `
//- .git/config
${GIT('https://github.com/acme/fleet')}
${cluster('prod').replace(appsKs('./apps/prod'), appsKs('./apps/prod') + (force ? '  force: true\n' : ''))}
//- apps/prod/kustomization.yaml
resources: [db.yaml]
//- apps/prod/db.yaml
${sts('1Gi')}`;

test("a StatefulSet's volumeClaimTemplates changed: an immutable-field error at the line; a warning when the Kustomization forces", () => {
  const s = scenario(STATEFUL(false), { 'apps/prod/db.yaml': sts('10Gi') });
  assert.deepEqual(lines(s), [
    `context ${ROOT} > flux-system/apps changed prune`,
    '  changed StatefulSet shop/db',
    '    /spec/volumeClaimTemplates/0/spec/resources/requests/storage: "1Gi" → "10Gi" @apps/prod/db.yaml:26',
    'danger error immutable-field @apps/prod/db.yaml:26 [1] StatefulSet shop/db: spec.volumeClaimTemplates cannot change in place: the apply fails (Flux recreates it only with spec.force: true).',
  ]);
  const forced = scenario(STATEFUL(true), { 'apps/prod/db.yaml': sts('10Gi') });
  assert.deepEqual(lines(forced).filter((l) => l.startsWith('danger')), [
    'danger warning immutable-field @apps/prod/db.yaml:26 [1] StatefulSet shop/db: spec.volumeClaimTemplates cannot change in place: Flux deletes and recreates it (spec.force: true).',
  ]);
});
