// The GC share of a bench phase (issue 12: "GC under 10% of CPU time"), measured in the process itself.
// A GC pause (a perf_hooks 'gc' entry) is wall time on the main thread, so it is set against the phase's wall time on
// the same clock: the share of the main thread's time spent in GC. A --cpu-prof of the synthetic check agrees with it
// (its "(garbage collector)" samples: 8.7-9.7% of the main thread's, pauses 7.9-8.4% of the wall, same runs). Set
// against process.cpuUsage it read 34% on a loaded machine: pauses stretch with the wait for a core, CPU time does not,
// and the process's CPU counts V8's helper threads, whose work here is mostly concurrent optimizing compilation (with
// --no-concurrent-recompilation they use ~1.5 s instead of ~8 s of the check's CPU) and partly GC (parallel scavenges,
// concurrent marking and sweeping: not in the pauses; with --single-threaded all GC is on the main thread, ~13%).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { parseAllDocuments } from 'yaml';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { yamlFiles } from './benchFloor';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** The start and end of a phase: wall clock, the process's CPU, the main thread's CPU (Linux). */
export interface Phase {
  t0: number;
  t1: number;
  cpuMs: number;
  mainThreadCpuMs: number | undefined;
}

export interface GcShare {
  wallMs: number;
  gcs: number;
  pauseMs: number;
  /** Percent of the phase's wall time the main thread was paused for GC. */
  shareOfWall: number;
  cpuMs: number;
  /** CPU of V8's helper threads (concurrent compilation, GC helpers), when the main thread's own is readable. */
  otherThreadsCpuMs: number | undefined;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** The main thread's CPU time in ms (its scheduler run time: /proc/thread-self/schedstat, in ns), or undefined. */
function mainThreadCpuMs(): number | undefined {
  try {
    return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Records every GC pause from its construction; `share` sums those that began within a phase. */
export class GcMeter {
  private readonly pauses: Array<{ start: number; ms: number }> = [];
  private readonly observer = new PerformanceObserver((list) => this.take(list.getEntries()));

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Runs `fn` as a phase. */
  phase<T>(fn: () => T): { value: T; phase: Phase } {
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadCpuMs();
    const t0 = performance.now();
    const value = fn();
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const main1 = mainThreadCpuMs();
    return { value, phase: { t0, t1, cpuMs: (cpu.user + cpu.system) / 1000, mainThreadCpuMs: main0 === undefined || main1 === undefined ? undefined : main1 - main0 } };
  }

  /**
   * The GC share of a phase. Node makes the entry of a GC after it, from the event loop's immediates: awaited here (a
   * timer alone resolved before them now and then, and the cold index's share read 0 GCs where it had 115).
   */
  async share(p: Phase): Promise<GcShare> {
    await new Promise((r) => setTimeout(r, 0));
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    this.take(this.observer.takeRecords());
    const inPhase = this.pauses.filter((g) => g.start >= p.t0 && g.start < p.t1);
    const pauseMs = inPhase.reduce((a, g) => a + g.ms, 0);
    const wallMs = p.t1 - p.t0;
    return { wallMs: r1(wallMs), gcs: inPhase.length, pauseMs: r1(pauseMs), shareOfWall: r1((100 * pauseMs) / wallMs), cpuMs: r1(p.cpuMs), otherThreadsCpuMs: p.mainThreadCpuMs === undefined ? undefined : r1(p.cpuMs - p.mainThreadCpuMs) };
  }

  stop(): void {
    this.observer.disconnect();
  }

  private take(entries: PerformanceEntry[]): void {
    for (const e of entries) this.pauses.push({ start: e.startTime, ms: e.duration });
  }
}

/** One line for a table: the pauses against the wall time, the CPU beside them. */
export function describeGc(g: GcShare): string {
  const others = g.otherThreadsCpuMs === undefined ? '' : `, ${g.otherThreadsCpuMs} ms of it on V8's helper threads`;
  return `${g.shareOfWall}% of the main thread's time (${g.gcs} GC pauses, ${g.pauseMs} ms of ${g.wallMs} ms wall); process CPU ${g.cpuMs} ms${others}`;
}

/** What the young generation's collections did during a phase (bench-gc-bytes.ts, bench-gc-passes.ts). */
export interface YoungGenBytes {
  gcs: number;
  scavenges: number;
  /** Sum of the collections' own reports of their cost (ms). */
  pauseMs: number;
  /** The old space's growth across each scavenge: what it promoted. */
  promotedMB: number;
  /** The new space left after each scavenge: what it copied into the other semi-space. */
  copiedMB: number;
}

/** One space as the GC profiler reports it. */
type SpaceStats = Array<{ spaceName: string; spaceUsedSize: number }>;
const usedSize = (spaces: SpaceStats, name: string): number => spaces.find((s) => s.spaceName === name)?.spaceUsedSize ?? 0;

/** Runs `fn` with V8's GC profiler on: per scavenge, the old space's growth (promoted) and the new space left (copied). */
export function youngGenBytes<T>(fn: () => T): { value: T; gc: YoungGenBytes } {
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

/**
 * The synthetic fleet's root (or FLEET_DIR), after the `yaml` floor's parse of its files as bench-check.ts runs it: a
 * young-generation measure then starts from the same heap as the bench's check.
 */
export function rootAfterFloor(fleetDir: string | undefined): string {
  const root = (fleetDir ?? ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false).dir).split(path.sep).join('/');
  for (const f of yamlFiles(root)) parseAllDocuments(fs.readFileSync(f, 'utf8'), { uniqueKeys: false, strict: false });
  return root;
}
