// Links carried over after an edit (relink.ts) must not hold the links they came from: each did, through the closures
// of its lookups' resolver, so a long editing session kept every links object it ever made (the soak's heap grew by
// some 40 KB per edit on the synthetic fleet). After many edits, only the current links and the previous ones (kept
// to re-resolve one file at once: Fleet.findingsOf) are alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadFleet } from '../helpers/fixture';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('relinked links do not keep the links before them alive', async () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  void fleet.links;
  const files = [...fleet.facts.keys()].slice(0, 5);
  const made: Array<WeakRef<object>> = [];
  for (let i = 0; i < 12; i++) {
    const f = files[i % files.length];
    fleet.setOverlay(f, (fleet.overlays.get(f) ?? fleet.facts.get(f)!.text) + `\n# edit ${i}\n`);
    made.push(new WeakRef(fleet.links));
    // A source looked up through the links (kept from links to links while no link shape changes).
    fleet.links.rootOf('GitRepository', 'flux-system', 'flux-system', f);
  }
  assert.ok(fleet.linkStats.relinked >= 12, 'carried over, not linked from scratch');
  await new Promise((r) => setTimeout(r, 10)); // WeakRefs made in this turn stay alive until it ends
  gc();
  const alive = made.filter((r) => r.deref() !== undefined).length;
  assert.ok(alive <= 2, `${alive} of ${made.length} links alive`);
});
