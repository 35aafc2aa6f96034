// "Show rendered output" and "Show effective values" of the object under the cursor: per context (the pinned one when
// it deploys the object), identical texts merged, secrets masked, and a new answer after an edit to a layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { materialize, loadFleet } from '../helpers/fixture';
import { renderedOutput, objectEffectiveValues, contexts } from '../../server/src/ide';
import { FLEET } from '../helpers/objectViewsFleet';

function setup() {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const web = m.file('repo/apps/base/web.yaml');
  const text = fs.readFileSync(web, 'utf8');
  return { m, fleet, web, deployment: text.indexOf('kind: Deployment'), secret: text.indexOf('kind: Secret'), prod: contexts(fleet).find((c) => c.label.startsWith('repo/clusters/prod'))!.id };
}

test('rendered output of a Deployment: one text per context, the pinned one alone; it follows an unsaved edit of the patch', () => {
  const { m, fleet, web, deployment, prod } = setup();
  const all = renderedOutput(fleet, web, deployment);
  assert.deepEqual(all?.object, { kind: 'Deployment', name: 'web', namespace: 'apps' });
  assert.match(all!.text, /^# Deployment apps\/web, rendered\n# in repo\/clusters\/prod: flux-system\/apps\napiVersion: apps\/v1\n[\s\S]*replicas: 3\n[\s\S]*value: prod\n[\s\S]*# in repo\/clusters\/staging: flux-system\/apps\n[\s\S]*replicas: 1\n[\s\S]*value: staging\n/);
  const pinned = renderedOutput(fleet, web, deployment, { pinnedContext: prod });
  assert.match(pinned!.text, /^# Deployment apps\/web, rendered\n# in the pinned context repo\/clusters\/prod: flux-system\/apps\n/);
  assert.doesNotMatch(pinned!.text, /staging/);
  // A pin elsewhere: every context, and the header says so.
  assert.match(renderedOutput(fleet, web, deployment, { pinnedContext: '["elsewhere"]' })!.text, /^# Deployment apps\/web, rendered\n# \(the pinned context does not deploy it: every context that does\)\n# in repo\/clusters\/prod/);
  // An unsaved edit of the prod patch: the next answer renders it.
  const patch = m.file('repo/apps/prod/replicas.yaml');
  fleet.setOverlay(patch, fs.readFileSync(patch, 'utf8').replace('replicas: 3', 'replicas: 5'));
  assert.match(renderedOutput(fleet, web, deployment, { pinnedContext: prod })!.text, /\n {2}replicas: 5\n/);
  // The hint keeps the view on the Deployment when lines above it move.
  fleet.setOverlay(web, '# a comment\n'.repeat(40) + fs.readFileSync(web, 'utf8'));
  assert.match(renderedOutput(fleet, web, deployment, { pinnedContext: prod, object: all!.object })!.text, /^# Deployment apps\/web, rendered/);
});

test('a Secret: identical texts merged over the two contexts, its value masked in both views', () => {
  const { fleet, web, secret } = setup();
  const r = renderedOutput(fleet, web, secret)!.text;
  assert.match(r, /^# Secret apps\/web-secret, rendered\n# in 2 contexts: repo\/clusters\/prod: flux-system\/apps, repo\/clusters\/staging: flux-system\/apps\n/);
  const v = objectEffectiveValues(fleet, web, secret)!.text;
  for (const t of [r, v]) {
    assert.doesNotMatch(t, /hunter2/);
    assert.match(t, /password: ••••/);
  }
});

test('effective values: each leaf with the file, line and layer that set it; a HelmRelease\'s values as the chart gets them', () => {
  const { m, fleet, web, deployment, prod } = setup();
  const v = objectEffectiveValues(fleet, web, deployment, { pinnedContext: prod })!.text;
  assert.match(v, /\n {2}replicas: 3 # repo\/apps\/prod\/replicas\.yaml:7 \(patches\)\n/);
  assert.match(v, /\n {10}value: prod # repo\/clusters\/prod\/sync\.yaml:23 \(flux:postBuild\)\n/);
  const release = m.file('repo/apps/base/release.yaml');
  const hr = objectEffectiveValues(fleet, release, 5, { pinnedContext: prod })!.text;
  assert.equal(hr, '# HelmRelease apps/web values: each value with the file, line and layer that set it\n# in the pinned context repo/clusters/prod: flux-system/apps\nreplicas: 2  # repo/apps/base/release.yaml:15 (spec.values)\nenv: prod  # repo/clusters/prod/sync.yaml:23 (spec.values (flux:postBuild))\n');
});

test('a Flux Kustomization: its rendered output is what it deploys; no object at the cursor answers nothing', () => {
  const { m, fleet } = setup();
  const sync = m.file('repo/clusters/prod/sync.yaml');
  const text = renderedOutput(fleet, sync, fs.readFileSync(sync, 'utf8').indexOf('kind: Kustomization'))!.text;
  assert.match(text, /^# What Kustomization flux-system\/apps deploys, rendered\n# in repo\/clusters\/prod: flux-system\/apps\n/);
  assert.match(text, /kind: Deployment[\s\S]*kind: HelmRelease/);
  assert.equal(renderedOutput(fleet, m.file('repo/apps/prod/kustomization.yaml'), 3), undefined);
});
