// Completion's memo (completionFleet.ts) keeps the answers of the last files completed in, checked against the facts
// of the files they were computed from. It held those facts: an answer kept for a file completed in long ago kept
// every file it read as it was then, and each edit of one of them left its old facts alive (the soak's heap grew by
// some MB per thousand edits). After an edit, the old facts go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadFleet } from '../helpers/fixture';
import { valuesFeeds } from '../../server/src/features/completionFleet';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test("completion's kept answers do not keep the facts of files edited since", async () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  void fleet.links;
  const files = [...fleet.facts.keys()].filter((f) => f.endsWith('.yaml'));
  // Every answer of every file: memo entries whose dependencies are the fleet's Flux Kustomizations and variable sources.
  for (const f of files) valuesFeeds(fleet, f);
  // (each entry's deps: a file, then its facts as they were, one after the other)
  const deps = [...fleet.db.lru<string, { deps: unknown[] }>('completionMemo').lru.values()].flatMap((m) => m.deps.filter((_, i) => i % 2 === 0) as string[]);
  assert.ok(deps.length > 0, 'answers depend on files');
  const edited = [...new Set(deps)];
  const old = edited.map((f) => new WeakRef(fleet.facts.get(f)!));
  for (const f of edited) fleet.setOverlay(f, fleet.facts.get(f)!.text + '\n# edited\n');
  void fleet.links;
  void fleet.links;
  await new Promise((r) => setTimeout(r, 10)); // WeakRefs made in this turn stay alive until it ends
  gc();
  const alive = old.filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} of ${old.length} old facts alive`);
});

test("completion's kept answer is given again while every file it read is the same, and made again after one is edited", () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  void fleet.links;
  const memo = fleet.db.lru<string, { deps: unknown[] }>('completionMemo').lru;
  const files = [...fleet.facts.keys()].filter((f) => f.endsWith('.yaml'));
  const keyOf = (f: string) => `feeds\u0000${f}`;
  const file = files.find((f) => (valuesFeeds(fleet, f), (memo.get(keyOf(f))?.deps.length ?? 0) > 2));
  assert.ok(file, 'an answer that read other files');
  const key = keyOf(file);
  const kept = memo.get(key)!;
  const [read] = kept.deps.filter((d, i) => i % 2 === 0 && d !== file) as string[];
  valuesFeeds(fleet, file);
  assert.equal(memo.get(key), kept, 'the same files: the kept answer');
  fleet.setOverlay(read, fleet.facts.get(read)!.text + '\n# edited\n');
  void fleet.links;
  valuesFeeds(fleet, file);
  assert.notEqual(memo.get(key), kept, `${read} edited: made again`);
});
