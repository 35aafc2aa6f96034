// `node --import tsx scripts/bench-check.ts`: only the whole `check` of the synthetic fleet (scripts/synth-fleet.ts)
// against the `yaml` parse floor of the same files, with peak RSS and the share of wall time spent in GC
// (`performance` gc entries). The same fleet and measurement as part 8 of scripts/bench.ts, in seconds not minutes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { yamlFiles } from './benchFloor';
import * as ide from '../server/src/ide';

const now = () => performance.now();
const r1 = (x: number) => Math.round(x * 10) / 10;

const gen = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false);
const root = gen.dir.split(path.sep).join('/');
const files = yamlFiles(root);
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
for (const text of texts.slice(0, 300)) parseAllDocuments(text, { uniqueKeys: false, strict: false });
const cpuMsSince = (c: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
const floorCpu = process.cpuUsage();
let t = now();
for (const text of texts) parseAllDocuments(text, { uniqueKeys: false, strict: false });
const floorMs = now() - t;
// On a shared machine wall time is noisy: the CPU time of the floor, the index and the check is compared as well.
const floorCpuMs = cpuMsSince(floorCpu);

let gcMs = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
});
obs.observe({ entryTypes: ['gc'] });
const cpu0 = process.cpuUsage();
t = now();
const fleet = ide.openFleet([root]);
const loadMs = now() - t;
const loadCpuMs = cpuMsSince(cpu0);
const findings = ide.check(fleet, { strictSubstitution: true, schema: true });
const checkMs = now() - t;
const cpu = process.cpuUsage(cpu0);
setTimeout(() => {
  obs.disconnect();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const out = { files: files.length, floorMs: r1(floorMs), floorCpuMs: r1(floorCpuMs), loadMs: r1(loadMs), loadCpuRatio: r1(loadCpuMs / floorCpuMs), cpuRatio: r1(cpuMs / floorCpuMs), checkMs: r1(checkMs), ratio: r1(checkMs / floorMs), findings: findings.length, cpuMs: r1(cpuMs), gcMs: r1(gcMs), gcShareOfCheck: r1((100 * gcMs) / checkMs) + '%', peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), gcShareOfCpu: r1((100 * gcMs) / cpuMs) + '%', parses: (fleet as { db?: { stats(): Record<string, unknown> } }).db?.stats().parse };
  console.log(JSON.stringify(out));
}, 0);
