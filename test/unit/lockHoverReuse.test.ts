// A lock hover after an edit no context it read depends on answers from the contexts it found before (no walk over
// the deploying contexts again: counted, not timed); an edit of a file those contexts read, or of the hovered file,
// walks again; every answer equals a from-scratch fleet's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixture, loadFleet } from '../helpers/fixture';
import { locksAt } from '../../server/src/features/locks';
import type { Fleet } from '../../server/src/core/model';

function fresh(dir: string, overlays: Map<string, string>): Fleet {
  const f = loadFleet(dir);
  for (const [file, text] of overlays) f.setOverlay(file, text);
  return f;
}

/** The lock answers at `needle` in `file`, and how many walks over the deploying contexts it took. */
function hover(fleet: Fleet, file: string, needle: string): { answers: ReturnType<typeof locksAt>; walks: number } {
  const walked = () => fleet.db.counts.get('locksReaching.walked') ?? 0;
  const before = walked();
  const text = fleet.overlays.get(file) ?? fs.readFileSync(file, 'utf8');
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, needle);
  const answers = locksAt(fleet, file, offset + 1);
  return { answers, walks: walked() - before };
}

function edit(fleet: Fleet, file: string, from: string, to: string): void {
  const text = fleet.overlays.get(file) ?? fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), from);
  fleet.setOverlay(file, text.replace(from, to));
  void fleet.links; // the server re-links when typing pauses
}

test('a lock hover after an unrelated edit does not walk the contexts again; an edit they read does, and changes the answer', () => {
  const dir = copyFixture('locks');
  const fleet = loadFleet(dir);
  const values = path.join(dir, 'tenant-a/apps/web/values.yaml');
  const needle = 'docker.io/tenant-a';
  const first = hover(fleet, values, needle);
  assert.equal(first.walks, 1);
  assert.ok(first.answers.some((a) => a.field === 'spec.values.image.registry' && a.locked === 'ghcr.io/acme'), JSON.stringify(first.answers));

  // 1. A value typed in another tenant's release: nothing the contexts deploying values.yaml read.
  edit(fleet, path.join(dir, 'tenant-b/apps/api.yaml'), 'host: api.b.example', 'host: api-2.b.example');
  assert.ok(fleet.linkEpoch < fleet.version, 'a value edit keeps the link shape');
  const elsewhere = hover(fleet, values, needle);
  assert.equal(elsewhere.walks, 0, 'the contexts found before are reused');
  assert.deepEqual(elsewhere.answers, first.answers);
  assert.equal(JSON.stringify(elsewhere.answers), JSON.stringify(hover(fresh(dir, fleet.overlays), values, needle).answers), 'as from scratch (functions aside)');

  // 2. The declared default changed (the chart's values, where the lock is marked): the locked value is the new one.
  edit(fleet, path.join(dir, 'platform/charts/web/values.yaml'), 'registry: ghcr.io/acme #', 'registry: ghcr.io/mirror #');
  const declared = hover(fleet, values, needle);
  assert.ok(declared.answers.some((a) => a.field === 'spec.values.image.registry' && a.locked === 'ghcr.io/mirror'), JSON.stringify(declared.answers));
  assert.equal(JSON.stringify(declared.answers), JSON.stringify(hover(fresh(dir, fleet.overlays), values, needle).answers), 'as from scratch (functions aside)');

  // 3. An edit of a file the contexts' builds read (the platform's release sets the registry itself, after the
  // tenant's ConfigMap): walked again, and the locked value is the release's.
  edit(fleet, path.join(dir, 'platform/bases/web/helmrelease.yaml'), '  values:\n', '  values:\n    image:\n      registry: ghcr.io/platform\n');
  assert.ok(fleet.linkEpoch < fleet.version, 'a value added keeps the link shape');
  const read = hover(fleet, values, needle);
  assert.equal(read.walks, 1, 'a read file changed: the contexts are walked again');
  assert.ok(read.answers.some((a) => a.field === 'spec.values.image.registry' && a.locked === 'ghcr.io/platform'), JSON.stringify(read.answers));
  assert.equal(JSON.stringify(read.answers), JSON.stringify(hover(fresh(dir, fleet.overlays), values, needle).answers), 'as from scratch (functions aside)');

  // 4. An edit of another file the builds read (a tenant patch's value): walked again, the same answer as from scratch.
  edit(fleet, path.join(dir, 'tenant-a/apps/web/ingress-patch.yaml'), 'interval: 5m', 'interval: 6m');
  const patch = hover(fleet, values, needle);
  assert.equal(patch.walks, 1);
  assert.equal(JSON.stringify(patch.answers), JSON.stringify(hover(fresh(dir, fleet.overlays), values, needle).answers), 'as from scratch (functions aside)');

  // 5. The hovered file itself: walked again, the written value is the new one.
  edit(fleet, values, 'registry: docker.io/tenant-a', 'registry: docker.io/tenant-a2');
  const here = hover(fleet, values, needle);
  assert.equal(here.walks, 1);
  assert.ok(here.answers.some((a) => a.written === 'docker.io/tenant-a2'), JSON.stringify(here.answers));
  assert.equal(JSON.stringify(here.answers), JSON.stringify(hover(fresh(dir, fleet.overlays), values, needle).answers), 'as from scratch (functions aside)');

  // 6. A change of link shape (another tenant's ConfigMap renamed): walked again.
  edit(fleet, path.join(dir, 'tenant-b/apps/web-values.yaml'), 'name: web-values', 'name: web-values-2');
  assert.equal(fleet.linkEpoch, fleet.version, 'a renamed object moves the link shape');
  const reshaped = hover(fleet, values, needle);
  assert.equal(reshaped.walks, 1);
  assert.equal(JSON.stringify(reshaped.answers), JSON.stringify(here.answers));
});
