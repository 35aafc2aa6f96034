// Edits re-index one file; the result must equal a from-scratch index of the same texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { materialize, loadFleet } from '../helpers/fixture';
import { fleetSnapshot } from '../../server/src/core/snapshot';

const fixture = path.resolve(__dirname, '../fixtures/fleet');

function copyFixture(): string {
  const m = materialize('//- .keep\n');
  fs.cpSync(fixture, path.join(m.dir, 'fleet'), { recursive: true });
  return path.join(m.dir, 'fleet');
}

test('overlay edits, saves, creates and deletes give the same model as indexing from scratch', () => {
  const dir = copyFixture();
  const fleet = loadFleet(dir);
  const sync = path.join(dir, 'platform/tenants/tenant-a/sync.yaml');
  const original = fs.readFileSync(sync, 'utf8');

  // 1. An unsaved edit in the editor (overlay): the path is broken, then the file is saved.
  const broken = original.replace('./deploy', './deplyo');
  fleet.setOverlay(sync, broken);
  assert.ok(fleet.links.findings.some((f) => f.code === 'path-not-found' && f.file === sync));
  fs.writeFileSync(sync, broken);
  fleet.clearOverlay(sync);
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(loadFleet(dir)));

  // 2. The folder it wants is created on disk.
  fs.mkdirSync(path.join(dir, 'tenant-a/deplyo'));
  fs.writeFileSync(path.join(dir, 'tenant-a/deplyo/kustomization.yaml'), 'resources: [cm.yaml]\n');
  fs.writeFileSync(path.join(dir, 'tenant-a/deplyo/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n');
  fleet.fileChanged(path.join(dir, 'tenant-a/deplyo/kustomization.yaml'));
  fleet.fileChanged(path.join(dir, 'tenant-a/deplyo/cm.yaml'));
  assert.ok(!fleet.links.findings.some((f) => f.file === sync));
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(loadFleet(dir)));

  // 3. A file is deleted, then a whole folder.
  fs.rmSync(path.join(dir, 'tenant-a/deplyo/cm.yaml'));
  fleet.fileDeleted(path.join(dir, 'tenant-a/deplyo/cm.yaml'));
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(loadFleet(dir)));
  fs.rmSync(path.join(dir, 'tenant-a/deplyo'), { recursive: true });
  fleet.fileDeleted(path.join(dir, 'tenant-a/deplyo'));
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(loadFleet(dir)));

  // 4. The mapping file changes: the layout is re-read.
  const cfg = path.join(dir, 'platform/.flux-fleet.yaml');
  fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('../tenant-a', '../tenant-x'));
  fleet.fileChanged(cfg);
  assert.equal(fleetSnapshot(fleet), fleetSnapshot(loadFleet(dir)));
  assert.ok(fleet.links.findings.some((f) => f.code === 'config-invalid'));
});

test('an overlay that is not saved is dropped on close', () => {
  const dir = copyFixture();
  const fleet = loadFleet(dir);
  const before = fleetSnapshot(fleet);
  const file = path.join(dir, 'platform/apps/prod/kustomization.yaml');
  fleet.setOverlay(file, 'resources: [../nowhere]\n');
  assert.notEqual(fleetSnapshot(fleet), before);
  fleet.clearOverlay(file);
  assert.equal(fleetSnapshot(fleet), before);
});

test('the quick per-file findings after an edit equal the full link for that file, for every reference edited', () => {
  for (const fixtureName of ['fleet', 'broken']) {
    const dir = path.resolve(__dirname, '../fixtures', fixtureName);
    const fleet = loadFleet(dir);
    const refs = [...fleet.links.refsByFile.values()].flat();
    assert.ok(refs.length > 5);
    const key = (fs: Array<{ code: string; span: { start: number; end: number }; message: string }>) => fs.map((f) => `${f.code}@${f.span.start}-${f.span.end}:${f.message}`).sort();
    for (const r of refs) {
      const text = fleet.facts.get(r.file)!.text;
      for (const edited of [text.slice(0, r.span.end) + 'x' + text.slice(r.span.end), text]) {
        void fleet.links; // the previous links the quick path resolves against
        fleet.setOverlay(r.file, edited);
        const quick = key(fleet.findingsOf(r.file));
        const full = key(fleet.links.findingsByFile.get(r.file) ?? []);
        // Whole-graph findings (cycles, duplicates, empty builds) come with the full link only.
        const graphOnly = new Set(['dependency-cycle', 'include-cycle', 'duplicate-object', 'empty-prune-path']);
        assert.deepEqual(quick, full.filter((k) => !graphOnly.has(k.split('@')[0])), `${r.file} @${r.span.start}`);
      }
      fleet.clearOverlay(r.file);
    }
  }
});
