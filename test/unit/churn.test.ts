// Disk churn converges: after any sequence of creations, deletions and renames, told by folder events, by per-file
// events only, or coalesced (the fallback watcher: each path once, as it is now), the model equals a fresh load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { materialize, loadFleet } from '../helpers/fixture';
import { fleetSnapshot } from '../../server/src/core/snapshot';
import type { Fleet } from '../../server/src/core/model';
import { watchRoots } from '../../server/src/lsp/fallbackWatcher';

const fixture = path.resolve(__dirname, '../fixtures/fleet');

function copyFixture(): string {
  const m = materialize('//- .keep\n');
  fs.cpSync(fixture, path.join(m.dir, 'fleet'), { recursive: true });
  return path.join(m.dir, 'fleet');
}

function filesUnder(p: string): string[] {
  if (!fs.existsSync(p)) return [];
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p, { recursive: true }).map((n) => path.join(p, String(n)));
}

type Telling = 'folder events' | 'per-file events' | 'coalesced';
const TELLINGS: Telling[] = ['folder events', 'per-file events', 'coalesced'];

/** Runs `change` on disk and tells the fleet as a client of that kind would. */
function churn(fleet: Fleet, telling: Telling, touched: string[], change: () => void): void {
  const before = touched.flatMap(filesUnder);
  change();
  const after = touched.flatMap(filesUnder);
  if (telling === 'folder events') {
    for (const p of touched) (fs.existsSync(p) ? fleet.fileChanged(p) : fleet.fileDeleted(p));
  } else if (telling === 'per-file events') {
    for (const f of before) if (!fs.existsSync(f)) fleet.fileDeleted(f);
    for (const f of after) if (fs.statSync(f).isFile()) fleet.fileChanged(f);
  } else {
    // Each path once, whatever happened to it in between, deleted when it is gone now.
    for (const p of new Set([...touched, ...before, ...after])) (fs.existsSync(p) ? fleet.fileChanged(p) : fleet.fileDeleted(p));
  }
}

const layout = (fleet: Fleet) => JSON.stringify([fleet.repositories.map((r) => [r.root, r.origin]).sort(), [...fleet.tree.allDirs()].sort()]);
const same = (fleet: Fleet, dir: string, what: string) => {
  const fresh = loadFleet(dir);
  assert.equal(layout(fleet), layout(fresh), `${what}: repositories and folders`);
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(fresh), what);
};

for (const telling of TELLINGS) {
  test(`a repository deleted and re-created equals a fresh check (${telling})`, () => {
    const dir = copyFixture();
    const fleet = loadFleet(dir);
    const tenant = path.join(dir, 'tenant-a');
    const saved = tenant + '.saved';
    fs.cpSync(tenant, saved, { recursive: true });
    churn(fleet, telling, [tenant], () => fs.rmSync(tenant, { recursive: true }));
    same(fleet, dir, 'after the deletion');
    assert.ok(!fleet.repositories.some((r) => r.root === tenant), 'the deleted repository is gone from the layout');
    churn(fleet, telling, [tenant], () => fs.cpSync(saved, tenant, { recursive: true }));
    same(fleet, dir, 'after the re-creation');
  });

  test(`a folder renamed and back, with edits in between, leaves no phantom files (${telling})`, () => {
    const dir = copyFixture();
    const fleet = loadFleet(dir);
    const from = path.join(dir, 'platform/apps');
    const to = path.join(dir, 'platform/apps-renamed');
    churn(fleet, telling, [from, to], () => fs.renameSync(from, to));
    same(fleet, dir, 'after the rename');
    churn(fleet, telling, [from, to], () => {
      fs.rmSync(path.join(to, 'prod'), { recursive: true });
      fs.renameSync(to, from);
    });
    same(fleet, dir, 'after the rename back');
  });

  test(`1,000 files replaced at once, as git checkout does, equal a fresh check (${telling})`, () => {
    const dir = copyFixture();
    const fleet = loadFleet(dir);
    const gen = path.join(dir, 'platform/generated');
    const write = (round: number) => {
      fs.rmSync(gen, { recursive: true, force: true });
      for (let i = 0; i < 1000; i++) {
        const f = path.join(gen, `g${i % 10}`, `cm${i}.yaml`);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm${i}-r${round}\n  namespace: ${round % 2 ? 'a' : 'b'}\n`);
      }
      for (let g = 0; g < 10; g += round + 1) fs.writeFileSync(path.join(gen, `g${g}`, 'kustomization.yaml'), `resources: [${Array.from({ length: 100 }, (_, i) => `cm${g + i * 10}.yaml`).join(', ')}]\n`);
    };
    churn(fleet, telling, [gen], () => write(0));
    same(fleet, dir, 'after the first checkout');
    churn(fleet, telling, [gen], () => write(1));
    same(fleet, dir, 'after the second checkout');
  });
}

test('events that arrive late (after the disk moved on) still converge: a folder renamed away and back', () => {
  const dir = copyFixture();
  const fleet = loadFleet(dir);
  const a = path.join(dir, 'platform/apps');
  const b = path.join(dir, 'platform/apps-renamed');
  fs.renameSync(a, b);
  fs.writeFileSync(path.join(b, 'phantom.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: phantom\n');
  fs.renameSync(b, a);
  fs.rmSync(path.join(a, 'phantom.yaml'));
  // What a client sends for the two renames, in an order that reads the disk only afterwards.
  fleet.fileChanged(b);
  fleet.fileChanged(path.join(b, 'phantom.yaml'));
  fleet.fileChanged(a);
  fleet.fileDeleted(b);
  fleet.fileDeleted(a);
  same(fleet, dir, 'after late events');
});

test("the server's own watcher outlives a repository deleted by another process while it lists it: later changes are still seen", async () => {
  const dir = copyFixture();
  const fleet = loadFleet(dir);
  const stop = watchRoots(
    [dir],
    (p, deleted) => (deleted ? fleet.fileDeleted(p) : fleet.fileChanged(p)),
    (d) => fleet.reconcileFolder(d),
  );
  try {
    const tenant = path.join(dir, 'tenant-a');
    const saved = tenant + '.saved';
    fs.cpSync(tenant, saved, { recursive: true });
    // Another process (git, a shell) deletes and re-creates the repository while the watcher lists its folders: Node's
    // recursive watch on Linux then reports ENOENT for a folder gone under it (a round in ten or so: 20 rounds).
    const script = `const fs = require('fs'); const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
      for (let i = 0; i < 20; i++) { fs.rmSync(${JSON.stringify(tenant)}, { recursive: true }); pause(); fs.cpSync(${JSON.stringify(saved)}, ${JSON.stringify(tenant)}, { recursive: true }); pause(); }`;
    await new Promise((resolve) => spawn(process.execPath, ['-e', script], { stdio: 'inherit' }).on('exit', resolve));
    fs.rmSync(saved, { recursive: true });
    // A change after the churn: a watcher that stopped misses it.
    fs.writeFileSync(path.join(dir, 'platform/apps/late.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n');
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && fleetSnapshot(fleet) !== fleetSnapshot(loadFleet(dir))) await new Promise((r) => setTimeout(r, 200));
    assert.ok(fleet.tree.isFile(path.join(dir, 'platform/apps/late.yaml')), 'the file written after the churn is seen');
    same(fleet, dir, 'after the churn');
  } finally {
    stop();
  }
});
