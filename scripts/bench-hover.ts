// `npm run bench:hover [-- N] [-- --warm] [-- --cpu]`: value-hover latency alone on the synthetic fleet (a quick loop while
// working on it; `npm run bench` reports the same figures among the others). With --warm every context is
// evaluated first, as the server's background evaluation does for the open files. With --cpu hovers are timed by the
// process's CPU time (on a loaded machine wall time measures the other work too).
import * as path from 'node:path';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { Fleet } from '../server/src/core/model';
import { NodeFileSystem } from '../server/src/core/nodeFileSystem';
import { allContexts } from '../server/src/core/evaluate/contexts';
import { rootKustomizations } from '../server/src/core/deployChains';
import { evaluationStats } from '../server/src/core/evaluate/fluxBuild';
import { hoverAfterEdits, hoverEach, useCpuClock, valuePositions } from './valueHoverBench';
if (process.argv.includes('--cpu')) useCpuClock();

const gen = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false);
const fleet = new Fleet(new NodeFileSystem(), { roots: [gen.dir.split(path.sep).join('/')] });
fleet.load();
void fleet.links;
let seed = 0x5eed;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x80000000);
const positions = valuePositions(fleet);
if (process.argv.includes('--warm')) {
  const t0 = performance.now();
  let n = 0;
  for (const c of allContexts(fleet, rootKustomizations(fleet))) n += c.build.resources.length;
  console.log(`evaluated every context (${n} resources) in ${(performance.now() - t0).toFixed(0)} ms`);
}
const picked = Array.from({ length: Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 300) }, () => positions[Math.floor(rand() * positions.length)]);
const q = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)].toFixed(1) : '-');
const line = (label: string, xs: number[]) => console.log(`${label}: n=${xs.length} p50 ${q(xs, 0.5)} p95 ${q(xs, 0.95)} max ${q(xs, 1)} ms`);
const each = hoverEach(fleet, picked);
line('first in a file', each.first);
line('again', each.again);
line('all', [...each.first, ...each.again]);
line('after an edit elsewhere', hoverAfterEdits(fleet, picked, positions));
console.log(`answered ${each.answered}/${picked.length}; builds: ${JSON.stringify(evaluationStats(fleet))}`);
