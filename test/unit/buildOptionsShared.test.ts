// Build options (the functions a kustomize build reads the fleet through) are made once per fleet and once per
// source artifact, not once per context: every Flux frame held a dozen closures of its own, half of what the soak's
// frames took (scripts/soak.ts). Counted: options made, against frames made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadFleet } from '../helpers/fixture';
import { allContexts } from '../../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../../server/src/core/deployChains';
import { buildOptions } from '../../server/src/core/evaluate/fluxBuild';

test('every context of a fleet builds through one set of options per fleet and per artifact', () => {
  const fleet = loadFleet(path.resolve(__dirname, '../fixtures/fleet'));
  const contexts = allContexts(fleet, rootKustomizations(fleet));
  for (const c of contexts) void c.build;
  const frames = fleet.db.counts.get('fluxFrame.made') ?? 0;
  assert.ok(contexts.length >= 4 && frames >= contexts.length, `${contexts.length} contexts, ${frames} frames`);
  const stats = fleet.db.stats();
  assert.equal(stats.buildOptions?.size, 1, 'one set of options for the fleet');
  const artifacts = stats.artifactFilter?.size ?? 0;
  assert.ok((stats.artifactOptions?.size ?? 0) <= artifacts, `${stats.artifactOptions?.size} artifact options for ${artifacts} artifact filters`);
  assert.equal(buildOptions(fleet), buildOptions(fleet));
  // Another fleet shares nothing with this one.
  assert.notEqual(buildOptions(loadFleet(path.resolve(__dirname, '../fixtures/fleet'))), buildOptions(fleet));
});
