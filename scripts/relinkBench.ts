// `node --import tsx scripts/relinkBench.ts [N]`: the links after a value typed into a values file of the synthetic
// fleet, N times: how they were made (carried over or from scratch), how long that took and what it copied.
import * as path from 'node:path';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { Fleet } from '../server/src/core/model';
import { NodeFileSystem } from '../server/src/core/nodeFileSystem';
import { valuePositions } from './valueHoverBench';

const gen = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false);
const fleet = new Fleet(new NodeFileSystem(), { roots: [gen.dir.split(path.sep).join('/')] });
fleet.load();
let t = performance.now();
void fleet.links;
console.log(`full link: ${(performance.now() - t).toFixed(0)} ms (${fleet.links.findings.length} findings, ${fleet.links.objects.all.length} objects, ${fleet.links.flux.size} Flux Kustomizations)`);
const positions = valuePositions(fleet);
const n = Number(process.argv[2] ?? 50);
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < n; i++) {
  const p = positions[(i * 7919) % positions.length];
  const text = fleet.overlays.get(p.file) ?? fleet.facts.get(p.file)!.text;
  fleet.setOverlay(p.file, text.slice(0, p.offset) + String(i % 10) + text.slice(p.offset));
  t = performance.now();
  const c = process.cpuUsage();
  void fleet.links;
  const used = process.cpuUsage(c);
  times.push(performance.now() - t);
  cpu.push((used.user + used.system) / 1000);
}
// Then a comment line added at the top of any file (kustomizations, Flux Kustomizations, sources: every span moves).
const files = [...fleet.facts.keys()].filter((f) => !f.endsWith('.flux-fleet.yaml')).sort();
const ctimes: number[] = [];
const ccpu: number[] = [];
for (let i = 0; i < n; i++) {
  const f = files[(i * 7919) % files.length];
  fleet.setOverlay(f, `# edited ${i}\n` + (fleet.overlays.get(f) ?? fleet.facts.get(f)!.text));
  t = performance.now();
  const c = process.cpuUsage();
  void fleet.links;
  const used = process.cpuUsage(c);
  ctimes.push(performance.now() - t);
  ccpu.push((used.user + used.system) / 1000);
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(1);
console.log(`links after a comment at the top of a file: wall p50 ${q(ctimes, 0.5)} / p95 ${q(ctimes, 0.95)} ms, CPU p50 ${q(ccpu, 0.5)} / p95 ${q(ccpu, 0.95)} ms`);
console.log(`links after a value typed: wall p50 ${q(times, 0.5)} / p95 ${q(times, 0.95)} ms, CPU p50 ${q(cpu, 0.5)} / p95 ${q(cpu, 0.95)} ms; ${JSON.stringify(fleet.linkStats)}`);
