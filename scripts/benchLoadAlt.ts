// `node --import tsx scripts/benchLoadAlt.ts [DIR] [ROUNDS]`: in one process, alternating, the parse floor (yaml
// parseAllDocuments of the texts in memory), indexFile over the same texts in memory, and a Fleet's load() of the
// folder from disk; per round each as a ratio to that round's floor, then the medians. A load in a process that has
// run the others is JIT-warm: this compares changes to load()'s own overhead, `npm run bench` gives the cold figure.
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { yamlFiles, parseFloorMs } from './benchFloor';
import { Fleet } from '../server/src/core/model';
import { NodeFileSystem } from '../server/src/core/nodeFileSystem';
import { indexFile } from '../server/src/core/indexFile';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const root = fs.realpathSync((args[0] ?? '.bench/fleet').replace(/\/$/, ''));
const rounds = Number(args[1] ?? 3);
const files = yamlFiles(root);
const time = (fn: () => void): number => {
  gc();
  const t = performance.now();
  fn();
  return performance.now() - t;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: Array<{ floor: number; indexFile: number; load: number; heapMB: number }> = [];
for (let r = 0; r < rounds; r++) {
  let texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const floor = time(() => parseFloorMs(texts));
  const index = time(() => texts.forEach((t, i) => indexFile(files[i], t)));
  texts = [];
  let fleet: Fleet | undefined;
  const load = time(() => {
    fleet = new Fleet(new NodeFileSystem(), { roots: [root] });
    fleet.load();
  });
  gc();
  const heapMB = Math.round(process.memoryUsage().heapUsed / 1048576);
  fleet = undefined;
  rows.push({ floor: Math.round(floor), indexFile: Math.round(index), load: Math.round(load), heapMB });
  console.log(JSON.stringify({ round: r, ...rows[r], indexRatio: +(index / floor).toFixed(2), loadRatio: +(load / floor).toFixed(2) }));
}
console.log(JSON.stringify({
  median: true,
  indexRatio: +median(rows.map((x) => x.indexFile / x.floor)).toFixed(2),
  loadRatio: +median(rows.map((x) => x.load / x.floor)).toFixed(2),
  heapMB: median(rows.map((x) => x.heapMB)),
}));
