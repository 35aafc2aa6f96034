// `node --import tsx scripts/bench-check.ts [FLEET_DIR]`: only the whole `check` of the synthetic fleet
// (scripts/synth-fleet.ts; or of FLEET_DIR, already generated) against the `yaml` parse floor of the same files, with
// peak RSS and the GC share of the cold index (openFleet) and of the whole check (openFleet + check), as
// scripts/benchGc.ts measures it. The same fleet and measurement as part 8 of scripts/bench.ts, in seconds not
// minutes; one JSON line (scripts/benchServer.ts's scaling runs it on the base and the scaled fleet).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { yamlFiles } from './benchFloor';
import { GcMeter } from './benchGc';
import * as ide from '../server/src/ide';

const r1 = (x: number) => Math.round(x * 10) / 10;

void (async () => {
  const root = (process.argv[2] ?? ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false).dir).split(path.sep).join('/');
  const files = yamlFiles(root);
  let texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  for (const text of texts.slice(0, 300)) parseAllDocuments(text, { uniqueKeys: false, strict: false });
  const gc = new GcMeter();
  // On a shared machine wall time is noisy: the CPU time of the floor, the index and the check is compared as well.
  const floor = gc.phase(() => {
    for (const text of texts) parseAllDocuments(text, { uniqueKeys: false, strict: false });
  }).phase;
  texts = [];
  const load = gc.phase(() => ide.openFleet([root]));
  const fleet = load.value;
  const checked = gc.phase(() => ide.check(fleet, { strictSubstitution: true, schema: true }));
  const whole = { ...checked.phase, t0: load.phase.t0, cpuMs: load.phase.cpuMs + checked.phase.cpuMs, mainThreadCpuMs: load.phase.mainThreadCpuMs === undefined || checked.phase.mainThreadCpuMs === undefined ? undefined : load.phase.mainThreadCpuMs + checked.phase.mainThreadCpuMs };
  const [loadGc, checkGc] = [await gc.share(load.phase), await gc.share(whole)];
  gc.stop();
  const floorMs = floor.t1 - floor.t0;
  const out = {
    files: files.length,
    floorMs: r1(floorMs),
    floorCpuMs: r1(floor.cpuMs),
    loadMs: loadGc.wallMs,
    loadCpuMs: loadGc.cpuMs,
    loadCpuRatio: r1(loadGc.cpuMs / floor.cpuMs),
    checkMs: checkGc.wallMs,
    cpuMs: checkGc.cpuMs,
    ratio: r1(checkGc.wallMs / floorMs),
    cpuRatio: r1(checkGc.cpuMs / floor.cpuMs),
    findings: checked.value.length,
    gc: { load: loadGc, check: checkGc },
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    parses: (fleet as { db?: { stats(): Record<string, unknown> } }).db?.stats().parse,
  };
  console.log(JSON.stringify(out));
})();
