// Quick-fixes are minimal edits; applying them keeps every comment and all formatting of the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { codeActionsFor, type TextEdit } from '../../server/src/features/codeActions';

function apply(text: string, edits: TextEdit[]): string {
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
  return text;
}

const broken = path.resolve(__dirname, '../fixtures/broken');

test('path-not-found: closest existing paths first, then create the kustomization', () => {
  const fleet = loadFleet(broken);
  const f = fleet.links.findings.find((x) => x.code === 'path-not-found' && x.file.endsWith('path-not-found.yaml'))!;
  const actions = codeActionsFor(fleet, f);
  assert.deepEqual(actions.map((a) => a.title), ["Change to './apps/prod'", "Change to './apps/base'", "Change to './apps'", 'Create apps/prdo/kustomization.yaml']);
  assert.equal(actions[0].preferred, true);
  const text = fs.readFileSync(f.file, 'utf8');
  assert.equal(apply(text, actions[0].edits), text.replace('./apps/prdo', './apps/prod'));
  assert.deepEqual(actions[3].createFiles, [path.join(broken, 'platform/apps/prdo/kustomization.yaml')]);
  assert.match(actions[3].edits[0].newText, /^apiVersion: kustomize\.config\.k8s\.io\/v1beta1\nkind: Kustomization\n/);
});

test('path-not-found in kustomize resources suggests folders with a kustomization', () => {
  const fleet = loadFleet(broken);
  const f = fleet.links.findings.find((x) => x.code === 'path-not-found' && x.file.endsWith('apps/prod/kustomization.yaml'))!;
  const titles = codeActionsFor(fleet, f).map((a) => a.title);
  assert.equal(titles[0], "Change to '../base'");
});

test('source-not-found: the closest source names', () => {
  const fleet = loadFleet(broken);
  const f = fleet.links.findings.find((x) => x.code === 'source-not-found')!;
  const actions = codeActionsFor(fleet, f);
  assert.deepEqual(actions.map((a) => a.title), ["Change to 'flux-system'"]);
});

test('source-not-mapped: the mapping is added to .flux-fleet.yaml, comments and layout untouched', () => {
  const m = materialize(`
//- platform/.flux-fleet.yaml
# Where our sources live.
repositories:
  https://github.com/acme/platform: .   # this one

# trailing comment stays
//- platform/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: tenant
  namespace: flux-system
spec:
  url: https://github.com/acme/tenant
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant
  namespace: flux-system
spec:
  path: ./deploy
  prune: true
  sourceRef:
    kind: GitRepository
    name: tenant
//- tenant/.flux-fleet.yaml
repositories: {}
`);
  const fleet = loadFleet(m.dir);
  const f = fleet.links.findings.find((x) => x.code === 'source-not-mapped')!;
  assert.ok(f, 'source-not-mapped is reported');
  const actions = codeActionsFor(fleet, f);
  assert.deepEqual(actions.map((a) => a.title), ['Map https://github.com/acme/tenant to ../tenant']);
  const cfg = m.file('platform/.flux-fleet.yaml');
  const before = fs.readFileSync(cfg, 'utf8');
  const after = apply(before, actions[0].edits);
  assert.equal(after, before.replace('# this one\n', '# this one\n  https://github.com/acme/tenant: ../tenant\n'));
  fs.writeFileSync(cfg, after);
  fleet.fileChanged(cfg);
  assert.ok(!fleet.links.findings.some((x) => x.code === 'source-not-mapped'), 'the mapping resolves the source');
});

test('a missing .flux-fleet.yaml is created with the mapping', () => {
  const m = materialize(`
//- repo/.git/config
[remote "origin"]
\turl = https://github.com/acme/repo
//- repo/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: apps
  namespace: flux-system
spec:
  url: oci://ghcr.io/acme/apps
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  path: ./
  prune: true
  sourceRef:
    kind: OCIRepository
    name: apps
`);
  const fleet = loadFleet(m.file('repo'));
  const f = fleet.links.findings.find((x) => x.code === 'source-not-mapped')!;
  const [action] = codeActionsFor(fleet, f);
  assert.equal(action.title, 'Map oci://ghcr.io/acme/apps to a local folder…');
  assert.deepEqual(action.createFiles, [m.file('repo/.flux-fleet.yaml')]);
  assert.equal(action.edits[0].newText, 'repositories:\n  oci://ghcr.io/acme/apps: ../path/to/local/clone\n');
});

test('a misspelled file in resources: the closest existing file, never a folder named like the file', () => {
  const m = materialize(`
//- repo/deploy/base/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - webb.yaml
  - monitoring.yaml
//- repo/deploy/base/web.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: web
`);
  const fleet = loadFleet(m.file('repo'));
  const findings = fleet.links.findings.filter((x) => x.code === 'path-not-found');
  const typo = findings.find((f) => f.message.includes('webb.yaml'))!;
  const actions = codeActionsFor(fleet, typo);
  assert.deepEqual(actions.map((a) => a.title), ["Change to 'web.yaml'"]);
  assert.equal(actions[0].preferred, true);
  // Nothing close: the file itself (empty: kustomize reads it as no resources), not `monitoring.yaml/kustomization.yaml`.
  const missing = codeActionsFor(fleet, findings.find((f) => f.message.includes('monitoring.yaml'))!);
  assert.deepEqual(missing.map((a) => a.title), ['Create deploy/base/monitoring.yaml']);
  assert.deepEqual(missing[0].createFiles, [m.file('repo/deploy/base/monitoring.yaml')]);
  assert.deepEqual(missing[0].edits, []);
});
