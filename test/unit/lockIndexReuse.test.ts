// The lock index is kept across edits of texts that hold no mark (a value typed in a tenant's values file): before,
// every keystroke rescanned every text of the fleet for marks on the next hover. Edits that add or remove a mark, or
// change a policy file, still compute it again; answers equal a fresh fleet's either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { lockIndex } from '../../server/src/core/locks/index';
import { lockHover } from '../../server/src/features/locks';
import type { Fleet } from '../../server/src/core/model';

const dir = path.resolve(__dirname, '../fixtures/locks');
const values = path.join(dir, 'tenant-a/apps/web/values.yaml');
const release = path.join(dir, 'platform/bases/web/helmrelease.yaml');

const computed = (fl: Fleet) => fl.db.stats().lockIndex?.misses ?? 0;
const hover = (fl: Fleet, file: string, needle: string) => {
  const text = fl.overlays.get(file) ?? fl.facts.get(file)!.text;
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  return lockHover(fl, file, i + 1)?.markdown;
};
/** The same overlays on a fleet loaded afresh. */
const fresh = (fl: Fleet) => {
  const f = loadFleet(dir);
  for (const [file, text] of fl.overlays) f.setOverlay(file, text);
  return f;
};

test('an edit of a text without marks keeps the lock index; hovers equal a fresh fleet', () => {
  const fl = loadFleet(dir);
  const index = lockIndex(fl);
  const before = computed(fl);
  const text = fl.facts.get(values)!.text;
  fl.setOverlay(values, text.replace('tag: 1.4.0', 'tag: 1.4.01'));
  assert.equal(lockIndex(fl), index, 'the same index');
  assert.equal(computed(fl), before, 'not computed again');
  assert.equal(hover(fl, values, 'docker.io/tenant-a'), hover(fresh(fl), values, 'docker.io/tenant-a'));
  assert.match(hover(fl, values, 'docker.io/tenant-a')!, /Locked field/);
});

test('an edit that adds a mark, or removes one, computes the index again', () => {
  const fl = loadFleet(dir);
  const index = lockIndex(fl);
  const text = fl.facts.get(values)!.text;
  fl.setOverlay(values, text.replace('owner: team-a', 'owner: team-a # fleet:locked the owner stays'));
  const added = lockIndex(fl);
  assert.notEqual(added, index);
  assert.ok(added.marks.has(values), 'the new mark is indexed');
  assert.equal(hover(fl, values, 'team-a'), hover(fresh(fl), values, 'team-a'));
  fl.setOverlay(release, fl.facts.get(release)!.text.replace(' # fleet:locked chart versions are set by the platform', ''));
  const removed = lockIndex(fl);
  assert.notEqual(removed, added);
  assert.ok(!(removed.marks.get(release) ?? []).some((m) => m.path.join('.') === 'spec.chart.spec.version'), 'the removed mark is gone');
  assert.equal(hover(fl, release, 'version: 1.2.3'), hover(fresh(fl), release, 'version: 1.2.3'));
});
