// Hovers a new user tries first (issue 16): a key shows what the field is (its schema's description), and a
// `${VAR}` inside `metadata.name` shows the variable, not the object it names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet, materialize } from '../helpers/fixture';
import { hover } from '../../server/src/ide/hover';

const fleetDir = path.resolve(__dirname, '../fixtures/fleet');

function hoverAt(dir: string, rel: string, needle: string, delta = 1) {
  const fleet = loadFleet(dir);
  const file = path.join(dir, rel);
  const text = fleet.facts.get(file)!.text;
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return hover(fleet, file, at + delta);
}

test('a key of a Flux kind: its schema description, type and the kind whose schema says it', () => {
  const h = hoverAt(fleetDir, 'tenant-a/deploy/release.yaml', 'interval: 10m')!;
  assert.match(h.markdown, /^\*\*spec\.interval\*\* · string — HelmRelease `helm\.toolkit\.fluxcd\.io\/v2`\n\nInterval at which to reconcile the Helm release\./);
  const text = loadFleet(fleetDir).facts.get(path.join(fleetDir, 'tenant-a/deploy/release.yaml'))!.text;
  assert.deepEqual(h.span, { start: text.indexOf('interval: 10m'), end: text.indexOf('interval: 10m') + 'interval'.length });
});

test('a key of a kustomization file and of a nested list item', () => {
  const m = materialize(`
//- repo/app/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - web.yaml
images:
  - name: web
    newTag: "1.2"
//- repo/app/web.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
`);
  const dir = m.file('repo');
  assert.match(hoverAt(dir, 'app/kustomization.yaml', 'resources:')!.markdown, /^\*\*resources\*\* · list — Kustomization `kustomize\.config\.k8s\.io\/v1beta1`/);
  const tag = hoverAt(dir, 'app/kustomization.yaml', 'newTag')!.markdown;
  assert.match(tag, /^\*\*images\.newTag\*\* · string/);

});

test('a key of an Alert (notification kinds): `summary`/`eventSeverity` answer with the enum values', () => {
  const m = materialize(`
//- repo/alert.yaml
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata:
  name: on-call
spec:
  eventSeverity: error
  providerRef:
    name: slack
  eventSources:
    - kind: Kustomization
      name: '*'
`);
  const h = hoverAt(m.file('repo'), 'alert.yaml', 'eventSeverity')!.markdown;
  assert.match(h, /^\*\*spec\.eventSeverity\*\* · string — Alert/);
  assert.match(h, /Values: `"info"`, `"error"`/);
});

test('no key hover where no schema speaks: Helm values keys, unknown kinds', () => {
  const values = hoverAt(fleetDir, 'tenant-a/deploy/release.yaml', 'env: ${tenant}');
  assert.doesNotMatch(values?.markdown ?? '', /^\*\*spec\.values\.env\*\*/);
  const m = materialize(`
//- repo/thing.yaml
apiVersion: example.com/v1
kind: Thing
metadata:
  name: x
spec:
  interval: 1m
`);
  assert.equal(hoverAt(m.file('repo'), 'thing.yaml', 'interval'), undefined);
});

test('`${APP}` inside metadata.name hovers the variable (its value per context), not the object', () => {
  const m = materialize(`
//- repo/.flux-fleet.yaml
repositories:
  https://github.com/acme/apps: .
//- repo/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: https://github.com/acme/apps
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      APP: podinfo
//- repo/apps/release.yaml
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: \${APP}
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: \${APP}
      sourceRef:
        kind: HelmRepository
        name: charts
`);
  const h = hoverAt(m.file('repo'), 'apps/release.yaml', '${APP}', 3)!;
  assert.match(h.markdown, /^\*\*\$\{APP\}\*\* — Flux postBuild variable/);
  assert.match(h.markdown, /`"podinfo"`/);
});
