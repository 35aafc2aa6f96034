// Fleet.changedSince: the files changed after a version, made once per version asked about while the fleet does not
// change (a hover re-checks 60 contexts mostly checked at one version; after thousands of edits each set is as long
// as the session: made per context, it made hovers slower the longer one edits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';

test('changedSince: the files changed after a version, one set per version until the next change', () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  const [a, b] = [...fleet.facts.keys()];
  const start = fleet.version;
  for (let i = 0; i < 500; i++) fleet.setOverlay(i % 2 ? a : b, `# ${i}\n`);
  const middle = fleet.version;
  fleet.setOverlay(a, '# last\n');
  assert.deepEqual([...fleet.changedSince(start)!].sort(), [a, b].sort());
  assert.deepEqual([...fleet.changedSince(middle)!], [a]);
  assert.equal(fleet.changedSince(start), fleet.changedSince(start), 'made once while the fleet is the same');
  fleet.setOverlay(b, '# again\n');
  assert.deepEqual([...fleet.changedSince(middle)!].sort(), [a, b].sort(), 'made again after a change');
});
