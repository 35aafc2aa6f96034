// `node --single-threaded --import tsx scripts/bench-gc-passes.ts [FLEET_DIR]` (or its esbuild bundle, as
// bench-gc-bytes.ts): bench-gc-bytes.ts's young-generation bytes split by the passes of the whole check, as ide/
// diagnostics.ts checkWholeFleet runs them (links; every context found, which makes every whole build; the contradicted
// link findings; values, locks, tenants, schemas, deprecations): which pass's survivors the scavenges copy and
// promote. With --single-threaded the collections fall at the same points run after run (no concurrent compiler or
// marker moving them), so two versions compare by one run each: what a pass kept more or less shows as its bytes.
import * as v8 from 'node:v8';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { yamlFiles } from './benchFloor';
import * as ide from '../server/src/ide';
import { EVERY_CONTEXT, contextsToEvaluate, evaluationFindings } from '../server/src/core/evaluate/valueFindings';
import { locksFindings } from '../server/src/core/locks/check';
import { contradictedLinkFindings } from '../server/src/core/evaluate/contradicted';
import { evaluatorOf } from '../server/src/core/evaluate/contexts';
import { fleetSchemaDiagnostics } from '../server/src/features/schemaDiagnostics';
import { fleetDeprecatedApiFindings } from '../server/src/features/deprecatedApi';
import { tenantFindings } from '../server/src/core/tenants/registry';

type SpaceStats = Array<{ spaceName: string; spaceUsedSize: number }>;
const usedSize = (spaces: SpaceStats, name: string): number => spaces.find((s) => s.spaceName === name)?.spaceUsedSize ?? 0;
const r1 = (x: number) => Math.round(x * 10) / 10;
const passes: Record<string, { scavenges: number; copiedMB: number; promotedMB: number; pauseMs: number }> = {};

/** Runs `fn` as the pass `name` with V8's GC profiler on (bench-gc-bytes.ts's measure: per scavenge, new space left and old space's growth). */
function pass<T>(name: string, fn: () => T): T {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const value = fn();
  const { statistics } = profiler.stop() as unknown as { statistics: Array<{ gcType: string; cost: number; beforeGC: { heapSpaceStatistics: SpaceStats }; afterGC: { heapSpaceStatistics: SpaceStats } }> };
  const row = { scavenges: 0, copiedMB: 0, promotedMB: 0, pauseMs: 0 };
  for (const s of statistics) {
    row.pauseMs += s.cost / 1000;
    if (s.gcType !== 'Scavenge') continue;
    row.scavenges++;
    row.copiedMB += usedSize(s.afterGC.heapSpaceStatistics, 'new_space') / 1e6;
    row.promotedMB += (usedSize(s.afterGC.heapSpaceStatistics, 'old_space') - usedSize(s.beforeGC.heapSpaceStatistics, 'old_space')) / 1e6;
  }
  passes[name] = { scavenges: row.scavenges, copiedMB: r1(row.copiedMB), promotedMB: r1(row.promotedMB), pauseMs: r1(row.pauseMs) };
  return value;
}

const root = (process.argv[2] ?? ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false).dir).split(path.sep).join('/');
let texts = yamlFiles(root).map((f) => fs.readFileSync(f, 'utf8'));
// The floor first, as bench-check.ts runs it: the check then starts from the same heap.
for (const text of texts) parseAllDocuments(text, { uniqueKeys: false, strict: false });
texts = [];
const fleet = ide.openFleet([root]);
pass('links', () => fleet.links);
const evaluator = evaluatorOf(fleet);
evaluator.forWholeFleet(() => {
  const { contexts } = pass('contexts', () => contextsToEvaluate(fleet, { strictSubstitution: true, maxContexts: EVERY_CONTEXT }));
  pass('contradicted', () => contradictedLinkFindings(fleet, contexts));
  evaluator.withBuildsHeld(contexts.length, () => {
    pass('values', () => evaluationFindings(fleet, { strictSubstitution: true }, contexts));
    pass('locks', () => locksFindings(fleet, { contexts }));
    pass('tenants', () => tenantFindings(fleet, contexts));
    pass('schemas', () => fleetSchemaDiagnostics(fleet, { evaluate: true }));
    pass('deprecations', () => fleetDeprecatedApiFindings(fleet));
  });
});
const total = Object.values(passes).reduce((t, p) => ({ copiedMB: r1(t.copiedMB + p.copiedMB), promotedMB: r1(t.promotedMB + p.promotedMB), pauseMs: r1(t.pauseMs + p.pauseMs) }), { copiedMB: 0, promotedMB: 0, pauseMs: 0 });
console.log(JSON.stringify({ passes, total }));
