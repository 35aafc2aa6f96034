// A folder build the folderBuild table's bound dropped must not stay alive through what Flux builds derived from it:
// the frames of a build's inputs (fluxBuild.ts FluxFrame) are kept for the whole fleet version, one per context, and
// each held its folder build, so finding every context of the synthetic fleet kept 150 whole builds (28 MB) the bound
// had dropped (issue 12's peak RSS). With the bound at one entry, every dropped build is collectable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('folder builds the bound dropped are not kept alive by the contexts and Flux builds made from them', async () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  const dropped: Array<WeakRef<object>> = [];
  // Opened first: the table takes these options (a bound of one entry, a note of each entry it drops).
  fleet.db.lru<string, object>('folderBuild', { max: 1, weigh: () => 1, dispose: (_, built) => dropped.push(new WeakRef(built)) });
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  for (const c of contexts) assert.ok(c.build.resources.length >= 0);
  assert.ok(contexts.length > 3 && dropped.length > 3, `${contexts.length} contexts, ${dropped.length} folder builds dropped`);
  await new Promise((r) => setTimeout(r, 10)); // WeakRefs made in this turn stay alive until it ends
  gc();
  const alive = dropped.filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} of ${dropped.length} dropped folder builds alive`);
});
