// `node --import tsx scripts/benchIndex.ts [DIR] [--decompose]`: the cold index alone, as scripts/bench.ts measures it
// (the parse floor of the same files in memory, then a Fleet's load of them from disk; wall and CPU time), with the
// heap after the load.
// One process per figure (the load is cold only once): interleave runs of two builds to compare them.
// --decompose: also our parse alone, parse + index (nothing kept) and parse keeping the documents, against the floor.
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { yamlFiles, parseFloorMs } from './benchFloor';
import { Fleet } from '../server/src/core/model';
import { NodeFileSystem } from '../server/src/core/nodeFileSystem';
import { indexFile } from '../server/src/core/indexFile';
import { parseText, type ParsedText } from '../server/src/core/parsedText';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const args = process.argv.slice(2);
const root = (args.find((a) => !a.startsWith('--')) ?? '.bench/fleet').replace(/\/$/, '');
const mb = (b: number) => Math.round(b / 1048576);
const files = yamlFiles(fs.realpathSync(root));
let texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const cpuMs = (c: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
// On a shared machine wall time is noisy: the CPU time of the floor and of the load are compared as well.
let c = process.cpuUsage();
const floor = parseFloorMs(texts);
const floorCpu = cpuMs(c);
const out: Record<string, number> = { files: files.length, floorMs: Math.round(floor) };
if (args.includes('--decompose')) {
  const time = (fn: () => void) => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  };
  out.parse = time(() => texts.forEach((t) => parseText(t))) / floor;
  out.parseIndex = time(() => texts.forEach((t, i) => indexFile(files[i], t))) / floor;
  const kept: ParsedText[] = [];
  out.parseKeep = time(() => texts.forEach((t) => kept.push(parseText(t)))) / floor;
  kept.length = 0;
}
texts = [];
gc();
const t = performance.now();
c = process.cpuUsage();
const fleet = new Fleet(new NodeFileSystem(), { roots: [fs.realpathSync(root)] });
fleet.load();
const loadMs = performance.now() - t;
const loadCpu = cpuMs(c);
gc();
out.loadMs = Math.round(loadMs);
out.ratio = Math.round((loadMs / floor) * 100) / 100;
out.cpuRatio = Math.round((loadCpu / floorCpu) * 100) / 100;
out.heapMB = mb(process.memoryUsage().heapUsed);
out.rssPeakMB = mb(process.resourceUsage().maxRSS * 1024);
for (const k of ['parse', 'parseIndex', 'parseKeep']) if (k in out) out[k] = Math.round(out[k] * 100) / 100;
console.log(JSON.stringify(out));
