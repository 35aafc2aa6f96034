// The whole `flux-fleet check` measured as CI runs it: scripts/bench-check.ts in a process of its own (its own floor,
// then openFleet + check), so no other fleet shares its heap. In the bench's own process the fleets of the earlier
// parts stay reachable, and the check's GC share read 10.1-11.2% there against 8.8-9.7% in a fresh process (same
// head, same hour). A 2-core VM is noisy (the same head read 2.1x-3.2x in four runs), so bench.ts takes the median of
// a few such processes, each check against the floor of its own process.
// The process runs bench-check.ts bundled as dist/cliMain.js is (esbuild, CommonJS, node20), with the node options
// dist/cli.js starts it with (nodeOptions.ts), so the code measured is the code shipped: under tsx every function
// expression also calls esbuild's __name (keepNames), which dist/ does not. The launcher's own start (a second node,
// ~40 ms, on machines of up to 4 cores) is outside the timed part, as node's start is.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { GcShare } from './benchGc';
import { cliExecArgv, machineCpus } from '../server/src/nodeOptions';

/** What scripts/bench-check.ts prints (the part read here). */
export interface CheckFigure {
  files: number;
  floorMs: number;
  floorCpuMs: number;
  loadMs: number;
  loadCpuMs: number;
  checkMs: number;
  cpuMs: number;
  /** checkMs / floorMs, both of this process. */
  ratio: number;
  cpuRatio: number;
  findings: number;
  gc: { load: GcShare; check: GcShare };
  peakRssMB: number;
}

/** Runs `fn` with bench-check.ts bundled (scripts/build.mjs's options) into a temporary folder, removed after. */
function withBundle<T>(fn: (bundle: string) => T): T {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-fleet-bench-check-'));
  try {
    const outfile = path.join(tmp, 'bench-check.cjs');
    buildSync({ entryPoints: [path.join(__dirname, 'bench-check.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
    return fn(outfile);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function runCheck(bundle: string, dir: string): CheckFigure {
  // With the node options `flux-fleet` runs with on this machine (cliLauncher.ts starts node with them).
  const out = execFileSync(process.execPath, [...cliExecArgv(machineCpus()), bundle, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as CheckFigure;
}

/** One fresh process's check of the fleet in `dir` against its own floor. */
export function measureCheck(dir: string): CheckFigure {
  return withBundle((bundle) => runCheck(bundle, dir));
}

/** The median of `runs` (odd) fresh processes, by ratio and by GC share each, with every run's figures. */
export interface CheckRuns {
  runs: CheckFigure[];
  /**
   * gcShare: the whole check's; loadGcShare: the cold index's (openFleet), in the same fresh processes: the code shipped,
   * in a heap of its own (in the bench's process, under tsx, with the floor's and earlier parts' heap, the same head read
   * 8.9% and 11.3% in two runs of one hour).
   */
  median: { ratio: number; checkMs: number; floorMs: number; gcShare: number; loadGcShare: number; findings: number; peakRssMB: number };
}

export function measureCheckRuns(dir: string, runs: number): CheckRuns {
  const all = withBundle((bundle) => Array.from({ length: runs }, () => runCheck(bundle, dir)));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const byRatio = [...all].sort((a, b) => a.ratio - b.ratio)[Math.floor(all.length / 2)];
  return {
    runs: all,
    median: { ratio: byRatio.ratio, checkMs: byRatio.checkMs, floorMs: byRatio.floorMs, gcShare: median(all.map((r) => r.gc.check.shareOfWall)), loadGcShare: median(all.map((r) => r.gc.load.shareOfWall)), findings: byRatio.findings, peakRssMB: Math.max(...all.map((r) => r.peakRssMB)) },
  };
}
