// Walks: links cannot fan a walk out (each real folder once), a walk that stops says where and why, and a limit never
// drops a real file that comes before it (breadth-first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { WALK_LIMITS } from '../../server/src/core/fileTree';

const fleetSpec = `
//- repo/.flux-fleet.yaml
repositories: {}
//- repo/ks.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: { kind: GitRepository, name: flux-system }
//- repo/apps/kustomization.yaml
resources: [cm.yaml]
//- repo/apps/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
`;

test('74 links fanning out to shared folders: each real folder walked once, fast, the real kustomization kept', () => {
  const m = materialize(fleetSpec);
  // a/ and b/ each hold 74 links to each other and to the repository's folders: followed, they multiply.
  for (const d of ['a', 'b']) fs.mkdirSync(m.file(`repo/fan/${d}`), { recursive: true });
  for (let i = 0; i < 37; i++) {
    fs.symlinkSync('../b', m.file(`repo/fan/a/l${i}`));
    fs.symlinkSync('../../apps', m.file(`repo/fan/a/apps${i}`));
    fs.symlinkSync('../a', m.file(`repo/fan/b/l${i}`));
    fs.symlinkSync('../../apps', m.file(`repo/fan/b/apps${i}`));
  }
  const started = Date.now();
  const fleet = loadFleet(m.file('repo'));
  assert.ok(Date.now() - started < 3000, `the walk took ${Date.now() - started} ms`);
  assert.ok(fleet.tree.size < 20, `${fleet.tree.size} entries: linked folders are not walked again`);
  assert.deepEqual(fleet.links.findings.map((f) => f.code), []);
  assert.ok(fleet.facts.has(m.file('repo/apps/kustomization.yaml')));
  // A path through the links still resolves to the real folder.
  assert.ok(fleet.tree.isFile(m.file('repo/fan/a/l0/l1/apps2/cm.yaml')));
});

test('a walk that stops at its limit says where and why (walk-truncated), and keeps the files before it', () => {
  const m = materialize(fleetSpec);
  for (let i = 0; i < 40; i++) fs.mkdirSync(m.file(`repo/zz/deep/d${i}`), { recursive: true });
  const saved = WALK_LIMITS.maxEntries;
  WALK_LIMITS.maxEntries = 20;
  try {
    const fleet = loadFleet(m.file('repo'));
    const stops = fleet.links.findings.filter((f) => f.code === 'walk-truncated');
    assert.equal(stops.length, 1);
    assert.equal(stops[0].file, m.file('repo'));
    assert.match(stops[0].message, /^repo\/zz\/deep: the walk stopped at 20 files and folders; .* were not read; findings there may be missing\.$/);
    // Breadth-first: the shallow real files came first; no false empty-prune-path.
    assert.ok(fleet.facts.has(m.file('repo/apps/kustomization.yaml')));
    assert.deepEqual(fleet.links.findings.map((f) => f.code), ['walk-truncated']);
  } finally {
    WALK_LIMITS.maxEntries = saved;
  }
});

test('folders deeper than the depth limit are reported too', () => {
  const m = materialize(fleetSpec);
  fs.mkdirSync(m.file('repo/x/' + Array.from({ length: 50 }, (_, i) => `d${i}`).join('/')), { recursive: true });
  const fleet = loadFleet(m.file('repo'));
  const stops = fleet.links.findings.filter((f) => f.code === 'walk-truncated');
  assert.equal(stops.length, 1);
  assert.match(stops[0].message, new RegExp(`^repo/x/d0/.*/d47: folders deeper than ${WALK_LIMITS.maxDepth} levels are not read`));
  void path;
});
