// Rename: an object and every reference the linker resolved to it, across repositories; refusals with reasons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { prepareRename, rename, renameObject } from '../../server/src/ide';
import { main } from '../../server/src/cli';

const FLEET = `
//- platform/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: apps-repo
  namespace: flux-system
spec:
  url: https://example.com/apps
  ref: {branch: main}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
spec:
  interval: 10m
  path: ./infra
  prune: true
  sourceRef:
    kind: GitRepository
    name: apps-repo
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  dependsOn:
    - name: infra
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: "apps-repo"
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
//- platform/clusters/prod/vars.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  ENV: prod
`;

function edited(m: ReturnType<typeof materialize>, answer: ReturnType<typeof rename>): string[] {
  assert.ok(answer && 'edits' in answer, JSON.stringify(answer));
  return answer.edits.map((e) => `${path.relative(m.dir, e.file)}:${fs.readFileSync(e.file, 'utf8').slice(e.span.start, e.span.end)}→${e.newText}`);
}

test('renaming a GitRepository at its name renames every sourceRef (the quoted one inside its quotes)', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const file = m.file('platform/clusters/prod/sync.yaml');
  const at = fs.readFileSync(file, 'utf8').indexOf('apps-repo') + 2;
  const prep = prepareRename(fleet, file, at);
  assert.ok(prep && 'placeholder' in prep);
  assert.equal(prep.placeholder, 'apps-repo');
  const answer = rename(fleet, file, at, 'fleet-repo');
  assert.deepEqual(edited(m, answer), ['platform/clusters/prod/sync.yaml:apps-repo→fleet-repo', 'platform/clusters/prod/sync.yaml:apps-repo→fleet-repo', 'platform/clusters/prod/sync.yaml:apps-repo→fleet-repo']);
});

test('renaming from a reference (dependsOn) renames the Kustomization and the reference', () => {
  const m = materialize(FLEET);
  const fleet = loadFleet(m.dir);
  const file = m.file('platform/clusters/prod/sync.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf('- name: infra') + 9;
  const answer = rename(fleet, file, at, 'infrastructure');
  assert.ok(answer && 'edits' in answer);
  assert.deepEqual(answer.edits.map((e) => text.slice(0, e.span.start).split('\n').length), [text.slice(0, text.indexOf('name: infra')).split('\n').length, text.slice(0, at).split('\n').length]);
});

test('a ConfigMap read by substituteFrom, renamed across files by the CLI (and --dry-run writes nothing)', () => {
  const m = materialize(FLEET);
  const vars = m.file('platform/clusters/prod/vars.yaml');
  const sync = m.file('platform/clusters/prod/sync.yaml');
  const before = [fs.readFileSync(vars, 'utf8'), fs.readFileSync(sync, 'utf8')];
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((t: string) => (out.push(t), true)) as typeof process.stdout.write;
  try {
    assert.equal(main(['rename', 'ConfigMap/flux-system/cluster-vars', 'prod-vars', '--dry-run', m.dir]), 0);
    assert.deepEqual([fs.readFileSync(vars, 'utf8'), fs.readFileSync(sync, 'utf8')], before);
    assert.equal(main(['rename', 'ConfigMap/flux-system/cluster-vars', 'prod-vars', m.dir]), 0);
  } finally {
    process.stdout.write = write;
  }
  assert.match(out.join(''), /2 edit\(s\), 0 new file\(s\), 0 move\(s\) in 2 file\(s\) \(dry run: nothing written\)/);
  assert.equal(fs.readFileSync(vars, 'utf8'), before[0].replace('name: cluster-vars', 'name: prod-vars'));
  assert.equal(fs.readFileSync(sync, 'utf8'), before[1].replace('name: cluster-vars', 'name: prod-vars'));
  // After the rename the fleet links as before: the reference resolves to the renamed object.
  const fleet = loadFleet(m.dir);
  assert.deepEqual(fleet.links.findings.filter((f) => f.code === 'object-not-found' || f.code === 'source-not-found'), []);
});

test('refusals: an invalid name, a name that exists, a name built from a variable, a patch that selects by name', () => {
  const m = materialize(FLEET + `
//- platform/apps/kustomization.yaml
resources: [web.yaml]
patches:
  - target: {kind: ConfigMap, name: web-.*}
    patch: |
      - op: add
        path: /data/x
        value: y
//- platform/apps/web.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-\${ENV}
  namespace: apps
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: apps
`);
  const fleet = loadFleet(m.dir);
  assert.match(refusal(renameObject(fleet, 'ConfigMap/flux-system/cluster-vars', 'Bad_Name')), /not a valid Kubernetes object name/);
  assert.match(refusal(renameObject(fleet, 'Kustomization/flux-system/apps', 'infra')), /named 'infra' already exists \(sync\.yaml:\d+\)/);
  const web = m.file('platform/apps/web.yaml');
  assert.match(refusal(rename(fleet, web, fs.readFileSync(web, 'utf8').indexOf('web-$') + 1, 'x')), /built from a variable/);
  assert.match(refusal(renameObject(fleet, 'ConfigMap/apps/web-config', 'web-settings')), /kustomize patch in kustomization\.yaml selects ConfigMap objects named 'web-\.\*'/);
});

function refusal(a: ReturnType<typeof rename>): string {
  assert.ok(a && 'refused' in a, `expected a refusal, got ${JSON.stringify(a)}`);
  return a.refused;
}

test('refusals: a Flux spec.patches target or an inline strategic-merge patch naming the object would stop applying', () => {
  const m = materialize(FLEET + `
//- platform/clusters/prod/patched.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: patched
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: apps-repo
  patches:
    - target: {kind: Deployment, name: web}
      patch: |
        - op: add
          path: /spec/replicas
          value: 2
//- platform/apps/kustomization.yaml
resources: [web.yaml]
patches:
  - patch: |
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        namespace: apps
      data: {x: y}
//- platform/apps/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: apps
`);
  const fleet = loadFleet(m.dir);
  assert.match(refusal(renameObject(fleet, 'Deployment/apps/web', 'frontend')), /A patch in patched\.yaml selects Deployment objects named 'web'/);
  assert.match(refusal(renameObject(fleet, 'ConfigMap/apps/settings', 'options')), /An inline patch in kustomization\.yaml patches ConfigMap settings by name/);
  // What no patch names still renames.
  assert.ok('edits' in renameObject(fleet, 'ConfigMap/flux-system/cluster-vars', 'prod-vars'));
});
