// The change impact runs in steps (core/steps.ts): the baseline's load and the comparison give the event loop a
// turn between units of work, so a hover asked meanwhile is answered before the impact is done, and between two
// turns at most one Flux build is made (issue 15: one large computation must not delay a hover).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { scenarioDirs } from '../helpers/impact';
import { TENANT_FLEET } from '../helpers/tenantFleet';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { impact, baselineFleet } from '../../server/src/ide/impact';
import { hover } from '../../server/src/ide/hover';
import { evaluationStats } from '../../server/src/core/evaluate/fluxBuild';
import { Cancelled } from '../../server/src/core/cancel';

const DEV_REPLICAS = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n';

function open(): { fleet: Fleet; spec: { baseDir: string }; work: string } {
  const { base, work } = scenarioDirs(TENANT_FLEET, {});
  const fleet = new Fleet(new NodeFileSystem(), { roots: [work] });
  fleet.load();
  fleet.setOverlay(path.join(work, 'shop/deploy/dev/replicas.yaml'), DEV_REPLICAS);
  return { fleet, spec: { baseDir: base }, work };
}

test('a hover asked while the impact is computed (baseline loaded, contexts built) is answered before it is done', async () => {
  const { fleet, spec, work } = open();
  const file = path.join(work, 'platform/tenants/base/shop/sync.yaml');
  const text = fleet.facts.get(file)!.text;
  let done = false;
  const answered: boolean[] = [];
  const ask = () => {
    answered.push(!done && hover(fleet, file, text.indexOf('name: shop') + 7) !== undefined);
    if (!done) setImmediate(ask);
  };
  setImmediate(ask);
  const x = await impact(fleet, spec);
  done = true;
  assert.equal(x.totals.changed, 1);
  // Hovers ran between the steps: loading the baseline, comparing files, building and comparing contexts.
  assert.ok(answered.filter(Boolean).length >= 10, `hovers answered during the impact: ${answered.filter(Boolean).length}`);
});

test('between two turns of the event loop, the impact makes at most one Flux build on each side', async () => {
  const { fleet, spec } = open();
  const base = await baselineFleet(fleet, spec);
  const builds = () => evaluationStats(fleet).built + evaluationStats(base).built;
  const perTurn: number[] = [];
  let last = builds();
  let done = false;
  const probe = () => {
    const now = builds();
    perTurn.push(now - last);
    last = now;
    if (!done) setImmediate(probe);
  };
  setImmediate(probe);
  await impact(fleet, spec);
  done = true;
  assert.ok(last > 4, `builds made: ${last}`);
  assert.ok(Math.max(...perTurn) <= 1, `Flux builds between two turns: ${JSON.stringify(perTurn)}`);
});

test('an edit while the impact is computed: the caller\'s computation starts again on the new text; a cancelled token ends it', async () => {
  const { fleet, spec, work } = open();
  const file = path.join(work, 'shop/deploy/dev/replicas.yaml');
  setImmediate(() => fleet.setOverlay(file, DEV_REPLICAS.replace('2', '5')));
  const x = await impact(fleet, spec);
  assert.equal(x.contexts[0].objects[0].fields[0].new, 5);
  fleet.setOverlay(file, DEV_REPLICAS.replace('2', '6'));
  await assert.rejects(impact(fleet, spec, { isCancellationRequested: true }), Cancelled);
});
