// Issue 12: a hover during the server's background evaluation waits for one unit of work at most, so no unit may
// hold several builds or a pass over the whole fleet. Asserted on the structure of the work (what one step between
// two yields makes), not on wall time: the tenant model's contexts built one per step, the findings of every file
// collected in bounded steps, and the index an edit's relink needs made by the background work, not by the first
// request after the edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { fleetFindingsByFile, fleetFindingsByFilePaced } from '../../server/src/ide';
import { evaluateFleetSteps } from '../../server/src/ide/diagnostics';
import { placesIndexSteps } from '../../server/src/core/link/relink';
import type { Fleet } from '../../server/src/core/model';
import type { Steps } from '../../server/src/core/steps';

const fixtures = path.resolve(__dirname, '../fixtures');

/** Whole Flux builds made so far (a context's build: kustomize, Flux's layers, substitution). */
const wholeBuilds = (fleet: Fleet) => fleet.db.stats().fluxBuildWhole?.misses ?? 0;

/** Runs `steps` to the end; for each unit of work (from one yield to the next), what `count` grew by. */
function perUnit<T>(steps: Steps<T>, count: () => number): { value: T; units: number[] } {
  const units: number[] = [];
  for (;;) {
    const before = count();
    const r = steps.next();
    units.push(count() - before);
    if (r.done) return { value: r.value, units };
  }
}

test('the evaluation of the open files makes one whole build per unit of work at most, the tenant model\'s ancestors included', () => {
  const fleet = loadFleet(path.join(fixtures, 'tenants'));
  const open = path.join(fixtures, 'tenants/team-beta/deploy/release.yaml');
  // A bound below the fleet's contexts: the evaluation follows the open file (its contexts, and the tenant model
  // reads their ancestors' builds, which nothing built whole before).
  const { value, units } = perUnit(evaluateFleetSteps(fleet, { strictSubstitution: true, schema: true, openFiles: [open], maxContexts: 2 }), () => wholeBuilds(fleet));
  assert.match(value.scope, /open files/);
  assert.ok(units.reduce((a, b) => a + b, 0) >= 3, `whole builds made: ${units.filter((x) => x).join(' ')}`);
  assert.deepEqual(units.filter((x) => x > 1), [], 'a unit of work made several whole builds');
});

test('the whole fleet\'s findings are collected in steps of a bounded number of files, equal to fleetFindingsByFile', async () => {
  const fleet = loadFleet(path.join(fixtures, 'fleet'));
  const atOnce = fleetFindingsByFile(fleet, { schema: true });
  let pauses = 0;
  const paced = await fleetFindingsByFilePaced(fleet, { schema: true, sliceMs: 0, pause: async () => (pauses++, true) });
  assert.deepEqual(paced && [...paced], [...atOnce]);
  // Each file's schema and deprecations once: at least a pause per kind (slices of a few ms; here every step pauses).
  assert.ok(pauses >= 2, `${pauses} pauses`);
  assert.ok(atOnce.size > 0);
  const stopped = await fleetFindingsByFilePaced(fleet, { schema: true, sliceMs: 0, pause: async () => false });
  assert.equal(stopped, undefined, 'a superseded publication stops at its first pause');
});

test('the background evaluation indexes the links for the next edit\'s relink, so the first request after it does not', () => {
  const fleet = loadFleet(path.join(fixtures, 'fleet'));
  const links = fleet.links;
  assert.equal(links.places.byFile, undefined, 'a fresh link has no index yet');
  const steps = evaluateFleetSteps(fleet, { strictSubstitution: true, schema: true, openFiles: [], maxContexts: 300 });
  while (!steps.next().done);
  assert.ok(links.places.byFile, 'the evaluation made the index');
  // Made in steps of a bounded number of entries (here 10), the same index as at once.
  const again = loadFleet(path.join(fixtures, 'fleet')).links;
  const { units } = perUnit(placesIndexSteps(again, 10), () => 0);
  assert.ok(units.length >= 5, `${units.length} steps`);
  assert.deepEqual(again.places.byFile, links.places.byFile);
  // An edit afterwards relinks from the carried index.
  const file = [...fleet.facts.keys()].find((f) => f.endsWith('web-values.yaml'))!;
  fleet.setOverlay(file, fleet.facts.get(file)!.text.replace('replicaCount: ', 'replicaCount:  '));
  const relinked = fleet.linkStats.relinked;
  assert.equal(fleet.links.places, links.places);
  assert.equal(fleet.linkStats.relinked, relinked + 1);
});
