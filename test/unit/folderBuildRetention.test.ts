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
import { buildReaching } from '../../server/src/core/evaluate/reach';

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

test('nor by what a partial build found from a dropped build\'s content (a hover\'s builds reaching a file)', async () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  const dropped: Array<WeakRef<object>> = [];
  fleet.db.lru<string, { whole?: { resources: object } }>('folderBuild', {
    max: 1,
    weigh: () => 1,
    dispose: (_, built) => {
      dropped.push(new WeakRef(built));
      if (built.whole) dropped.push(new WeakRef(built.whole.resources));
    },
  });
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  let partial = 0;
  for (const c of contexts) {
    const built = c.build;
    // Each file the context's build holds, asked as a hover asks (the kept whole content of the context, found once).
    for (const f of new Set(built.resources.map((r) => r.origin.file))) {
      if (buildReaching(fleet, c, f) !== c.build) partial++;
    }
  }
  assert.ok(partial > 3 && fleet.db.counts.get('fluxBuild.fromWhole')! > 0 && dropped.length > 3, `${partial} partial builds, ${fleet.db.counts.get('fluxBuild.fromWhole')} from whole content, ${dropped.length} dropped`);
  await new Promise((r) => setTimeout(r, 10));
  gc();
  const alive = dropped.filter((r) => r.deref() !== undefined).length;
  assert.equal(alive, 0, `${alive} of ${dropped.length} dropped folder builds (and whole outputs) alive`);
});
