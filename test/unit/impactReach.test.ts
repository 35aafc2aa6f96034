// What the change impact builds for one edit (issue 15's latency): only the clusters whose overlays make the variant
// that reaches the edited file, and on the baseline side only what the edit changed (the rest is the working
// fleet's builds, lent: core/evaluate/buildDonor.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { scenarioDirs, scenario, impactLines } from '../helpers/impact';
import { TENANT_FLEET } from '../helpers/tenantFleet';
import { Fleet } from '../../server/src/core/model';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import { baselineFleet, impact } from '../../server/src/ide/impact';
import { evaluationStats } from '../../server/src/core/evaluate/fluxBuild';

const DEV_REPLICAS = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n';

/** The folders a fleet has built (kustomize folder builds), relative to `root`. */
function builtFolders(fleet: Fleet, root: string): string[] {
  const lru = (fleet.db as unknown as { tables: Map<string, { lru: { keys(): string[] } }> }).tables.get('folderBuild')?.lru;
  return [...(lru?.keys() ?? [])].map((k) => path.relative(root, k.split('\0').pop()!)).sort();
}

test("a tenant's dev folder edited: the impact is dev's only, and neither staging's nor prod's clusters are built", () => {
  const s = scenario(TENANT_FLEET, { 'shop/deploy/dev/replicas.yaml': DEV_REPLICAS });
  assert.deepEqual(
    impactLines(s),
    ['context platform/clusters/dev/flux-system: flux-system/flux-system > flux-system/tenants > shop/shop changed prune', '  changed Deployment shop/web', '    /spec/replicas: 1 → 2 @shop/deploy/dev/replicas.yaml:6'],
  );
  // The tenant's sync.yaml is listed by all three overlays: its file-level deploy chains climb through every
  // cluster, but only dev's overlay makes the variant whose path is deploy/dev.
  for (const fleet of [s.workFleet, s.baseFleet]) assert.deepEqual(builtFolders(fleet, s.work), ['platform/clusters/dev', 'platform/tenants/dev', 'shop/deploy/dev']);
});

test('the baseline side indexes, parses and builds only what the edit changed: the rest is the working fleet\'s, lent', async () => {
  const { base, work } = scenarioDirs(TENANT_FLEET, {});
  const fleet = new Fleet(new NodeFileSystem(), { roots: [work] });
  fleet.load();
  const spec = { baseDir: base };
  fleet.setOverlay(path.join(work, 'shop/deploy/dev/replicas.yaml'), DEV_REPLICAS);
  const x = await impact(fleet, spec);
  assert.equal(x.totals.changed, 1);
  const baseFleet = await baselineFleet(fleet, spec);
  // The edited folder reads differently at the baseline, but only in its top level's patch (replicas.yaml): the
  // context's targetNamespace completes the folder's first stage (resources), which reads the same, so it is lent
  // with the cluster and the tenants overlay; nothing is built there.
  assert.deepEqual(evaluationStats(baseFleet).folderBuilds, 0);
  assert.deepEqual(builtFolders(baseFleet, work), ['platform/clusters/dev', 'platform/tenants/dev', 'shop/deploy/dev']);
  assert.equal(baseFleet.db.counts.get('folderBuild.borrowed'), 3);
  // Its index and parses too: only the file that differs is parsed at the baseline (Fleet.seedFrom).
  assert.deepEqual([...baseFleet.db.parses.counts.keys()].map((f) => path.relative(work, f)), ['shop/deploy/dev/replicas.yaml']);
  assert.equal(baseFleet.facts.get(path.join(work, 'shop/deploy/base/web.yaml')), fleet.facts.get(path.join(work, 'shop/deploy/base/web.yaml')));
  // A second edit: the working fleet's entry is made again (its reads changed), so the baseline builds its own
  // stage once (one build in all, as when the first edit built it).
  fleet.setOverlay(path.join(work, 'shop/deploy/dev/replicas.yaml'), DEV_REPLICAS.replace('2', '4'));
  assert.equal((await impact(fleet, spec)).contexts[0].objects[0].fields[0].new, 4);
  assert.deepEqual(evaluationStats(baseFleet).folderBuilds, 0);
});
