// A build checked long ago (a context not hovered for a while, a folder build no hover asked for) is re-checked by
// asking of each file it read whether it changed since, not by walking every change of the session since then: the
// cost of a hover stays the same however long one has been editing (the soak's slices had grown from 6 s to 14 s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixture, loadFleet } from '../helpers/fixture';
import { valueHovers } from '../helpers/valueHovers';
import type { Fleet } from '../../server/src/core/model';



/** The oldest version changedSince was asked about while `f` ran, in changes before the fleet's version. */
function oldestAsked(fleet: Fleet, f: () => void): number {
  const original = fleet.changedSince.bind(fleet);
  let oldest = 0;
  fleet.changedSince = (version: number) => {
    oldest = Math.max(oldest, fleet.version - version);
    return original(version);
  };
  try {
    f();
  } finally {
    fleet.changedSince = original;
  }
  return oldest;
}

function builds(fleet: Fleet): number {
  return (fleet.db.counts.get('fluxBuild.built') ?? 0) + (fleet.db.counts.get('folderBuild.built') ?? 0);
}

test('a hover after many edits elsewhere asks what its builds read, not every change since; answers equal from scratch', () => {
  const dir = copyFixture('locks');
  const fleet = loadFleet(dir);
  const values = path.join(dir, 'tenant-a/apps/web/values.yaml');
  const otherRelease = path.join(dir, 'tenant-b/apps/api.yaml');
  const first = valueHovers(fleet, values, 5);
  assert.match(first, /1\.4\.0/);

  // 300 value edits in another tenant's release (the link shape kept), re-linked as typing pauses.
  const text = fs.readFileSync(otherRelease, 'utf8');
  for (let i = 0; i < 300; i++) {
    fleet.setOverlay(otherRelease, text.replace('host: api.b.example', `host: api-${i}.b.example`));
    if (i % 25 === 0) void fleet.links;
  }
  assert.ok(fleet.linkEpoch < fleet.version - 250, 'value edits keep the link shape');
  let again = '';
  const before = builds(fleet);
  const oldest = oldestAsked(fleet, () => (again = valueHovers(fleet, values, 5)));
  assert.equal(builds(fleet), before, 'nothing tenant-a reads changed: no build made');
  assert.ok(oldest < 50, `the changes since a build checked 300 edits ago are not walked (asked ${oldest} back)`);
  assert.equal(again, first);

  // Then an edit of what the hover read, after as many others: found, and the answer is the new value.
  for (let i = 0; i < 300; i++) fleet.setOverlay(otherRelease, text.replace('host: api.b.example', `host: api-x${i}.b.example`));
  fleet.setOverlay(values, fs.readFileSync(values, 'utf8').replace('tag: 1.4.0', 'tag: 1.4.1'));
  const edited = valueHovers(fleet, values, 5);
  assert.match(edited, /1\.4\.1/);
  const scratch = loadFleet(dir);
  for (const [file, t] of fleet.overlays) scratch.setOverlay(file, t);
  assert.equal(edited, valueHovers(scratch, values, 5));
});
