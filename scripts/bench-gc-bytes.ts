// `node --v8-pool-size=1 --import tsx scripts/bench-gc-bytes.ts [FLEET_DIR]` (or its esbuild bundle, as the bench's
// measurement note builds bench-check.ts): what the young generation's collections copied in each phase of the whole
// check of the synthetic fleet (load, links, check), after the same `yaml` floor as bench-check.ts. A scavenge's pause
// is mostly the copying of its survivors: into the other semi-space the first time (`copiedMB`: the new space left
// after it), into the old generation the second (`promotedMB`: the old space's growth across it). Unlike pause times,
// these bytes hardly vary with the load of a shared machine (a few percent, from where the collections fall), so two
// versions of the check compare by them in a run or two each. `retainedMB`: the heap after a full collection at the
// end, the fleet still held. What the check keeps to its end was young once and is copied twice: the check's bytes
// copied are about twice what it retains (session 24: ~190 MB copied for ~100 MB kept by links and check).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parseAllDocuments } from 'yaml';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { yamlFiles } from './benchFloor';
import * as ide from '../server/src/ide';

interface YoungGenBytes {
  gcs: number;
  scavenges: number;
  /** Sum of the collections' own reports of their cost (ms). */
  pauseMs: number;
  promotedMB: number;
  copiedMB: number;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
/** One space as the GC profiler reports it. */
type SpaceStats = Array<{ spaceName: string; spaceUsedSize: number }>;
const usedSize = (spaces: SpaceStats, name: string): number => spaces.find((s) => s.spaceName === name)?.spaceUsedSize ?? 0;

/** Runs `fn` with V8's GC profiler on: per scavenge, the old space's growth (promoted) and the new space left (copied). */
function measured<T>(fn: () => T): { value: T; gc: YoungGenBytes } {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const value = fn();
  const { statistics } = profiler.stop() as unknown as { statistics: Array<{ gcType: string; cost: number; beforeGC: { heapSpaceStatistics: SpaceStats }; afterGC: { heapSpaceStatistics: SpaceStats } }> };
  const gc: YoungGenBytes = { gcs: statistics.length, scavenges: 0, pauseMs: 0, promotedMB: 0, copiedMB: 0 };
  for (const s of statistics) {
    gc.pauseMs += s.cost / 1000;
    if (s.gcType !== 'Scavenge') continue;
    gc.scavenges++;
    const before = s.beforeGC.heapSpaceStatistics;
    const after = s.afterGC.heapSpaceStatistics;
    gc.promotedMB += (usedSize(after, 'old_space') - usedSize(before, 'old_space')) / 1e6;
    gc.copiedMB += usedSize(after, 'new_space') / 1e6;
  }
  return { value, gc: { ...gc, pauseMs: r1(gc.pauseMs), promotedMB: r1(gc.promotedMB), copiedMB: r1(gc.copiedMB) } };
}

const root = (process.argv[2] ?? ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false).dir).split(path.sep).join('/');
let texts = yamlFiles(root).map((f) => fs.readFileSync(f, 'utf8'));
// The floor first, as bench-check.ts runs it: the check then starts from the same heap.
for (const text of texts) parseAllDocuments(text, { uniqueKeys: false, strict: false });
texts = [];
const load = measured(() => ide.openFleet([root]));
const fleet = load.value;
const links = measured(() => fleet.links);
const checked = measured(() => ide.check(fleet, { strictSubstitution: true, schema: true }));
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
gc();
gc();
const retainedMB = r1(process.memoryUsage().heapUsed / 1e6);
console.log(JSON.stringify({ findings: checked.value.length, load: load.gc, links: links.gc, check: checked.gc, retainedMB }));
