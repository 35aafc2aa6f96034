// The editor keeps folder and inner builds by the resources they hold, not by their number (db/queries.ts): entries
// differ a hundredfold (a base of three objects, a cluster folder of hundreds), so an entry count bounded the heap
// only once hours of editing had filled it with large ones (the soak grew for 6,000 edits). A folder build's whole
// build or first stage is made after it is stored: then it is weighed again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';

interface Weighed {
  whole?: { resources: unknown[] };
  stage?: { resources: unknown[] };
  built?: { resources: unknown[] };
}
const resources = (b: Weighed) => 1 + (b.whole?.resources.length ?? 0) + (b.stage?.resources.length ?? 0) + (b.built?.resources.length ?? 0);

test('folder and inner builds are weighed by the resources they hold, and the bound is on that total', () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  for (const c of allContexts(fleet, rootKustomizations(fleet))) void c.build;
  for (const name of ['folderBuild', 'innerBuild'] as const) {
    const { lru } = fleet.db.lru<string, Weighed>(name);
    const total = lru.values().reduce((n, b) => n + resources(b), 0);
    assert.ok(lru.itemCount > 0, `${name}: builds kept`);
    assert.ok(total > lru.itemCount, `${name}: builds hold resources`);
    assert.equal(lru.length, total, `${name}: weighed by resources (whole builds made after the entry was stored too)`);
    // A bound below the total drops the least recently used builds until the rest fit.
    const before = lru.itemCount;
    lru.max = Math.floor(total / 2);
    assert.ok(lru.length <= lru.max && lru.itemCount < before, `${name}: ${lru.length} of ${lru.max}, ${lru.itemCount} of ${before} builds`);
  }
});
