// An editor's overlay replaced by a newer text leaves nothing of the older revision behind: its facts, its parse and
// what hovers, lock hovers, completion and the links derived from them go with it (the soak edits the same files
// thousands of times; a table keeping each revision's derived data would grow with every keystroke). Counted by
// which revisions' objects are still alive after a collection, not timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { copyFixture, loadFleet } from '../helpers/fixture';
import { valueHovers } from '../helpers/valueHovers';
import * as ide from '../../server/src/ide';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test("an overlay's superseded revisions leave no facts or parses alive after hovers, completion and links", async () => {
  const dir = copyFixture('locks');
  const fleet = loadFleet(dir);
  const values = path.join(dir, 'tenant-a/apps/web/values.yaml');
  const disk = fleet.facts.get(values)!.text;
  const facts: Array<WeakRef<object>> = [];
  const parses: Array<WeakRef<object>> = [];
  const REVISIONS = 8;
  for (let i = 0; i < REVISIONS; i++) {
    const text = disk.replace('1.4.0', `1.4.${i + 1}`);
    fleet.setOverlay(values, text);
    assert.match(valueHovers(fleet, values, 7), new RegExp(`1\\.4\\.${i + 1}`));
    ide.hover(fleet, values, text.indexOf('tag:') + 6);
    ide.completion(fleet, values, text.indexOf('host:') + 6);
    void fleet.links;
    facts.push(new WeakRef(fleet.facts.get(values)!));
    parses.push(new WeakRef(fleet.parse(values, text)));
  }
  await new Promise((r) => setTimeout(r, 10)); // WeakRefs made in this turn stay alive until it ends
  gc();
  const alive = (refs: Array<WeakRef<object>>) => refs.map((r, i) => (r.deref() ? i : -1)).filter((i) => i >= 0);
  // The current revision, and the one before it at most (the previous links, kept to re-resolve one file at once).
  assert.ok(alive(facts).every((i) => i >= REVISIONS - 2), `facts of revisions ${alive(facts).join(', ')} of ${REVISIONS} alive`);
  assert.ok(alive(parses).every((i) => i >= REVISIONS - 2), `parses of revisions ${alive(parses).join(', ')} of ${REVISIONS} alive`);
  assert.ok(facts[REVISIONS - 1].deref(), 'the current facts are alive');
});
