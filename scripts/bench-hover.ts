// `npm run bench:hover [-- N] [-- --warm]`: value-hover latency alone on the synthetic fleet (a quick loop while
// working on it; `npm run bench` reports the same figures among the others). First hover per file, again, after an edit.
import * as path from 'node:path';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { Fleet } from '../server/src/core/model';
import { NodeFileSystem } from '../server/src/core/nodeFileSystem';
import { effectiveValueHover } from '../server/src/features/effectiveValues';
import { allContexts } from '../server/src/core/evaluate/contexts';
import { evaluationStats } from '../server/src/core/evaluate/fluxBuild';
import { rootKustomizations } from '../server/src/core/deployChains';

const gen = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false);
const root = gen.dir.split(path.sep).join('/');
const fleet = new Fleet(new NodeFileSystem(), { roots: [root] });
fleet.load();
void fleet.links;
let seed = 0x5eed;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x80000000);
const samples: Array<{ file: string; offset: number }> = [];
for (const facts of fleet.facts.values()) {
  if (!/\/(release|values)[^/]*\.yaml$/.test(facts.file)) continue;
  for (const m of facts.text.matchAll(/^\s+(replicaCount|tag|memory|cpu|host): /gm)) samples.push({ file: facts.file, offset: m.index! + m[0].length + 1 });
}
if (process.argv.includes('--warm')) {
  const t0 = performance.now();
  let n = 0;
  for (const c of allContexts(fleet, rootKustomizations(fleet))) n += c.build.resources.length;
  console.log(`evaluated every context (${n} resources) in ${(performance.now() - t0).toFixed(0)} ms`);
}
const picked = Array.from({ length: Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 300) }, () => samples[Math.floor(rand() * samples.length)]);
const files = new Set(picked.map((s) => s.file));
console.log(`${samples.length} positions in ${new Set(samples.map((s) => s.file)).size} files; picked ${picked.length} in ${files.size} files`);
const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)].toFixed(1); };
const first: number[] = [], again: number[] = [];
const seen = new Set<string>();
let hits = 0;
for (const s of picked) {
  const t = performance.now();
  const h = effectiveValueHover(fleet, s.file, s.offset);
  const ms = performance.now() - t;
  if (h) hits++;
  (seen.has(s.file) ? again : first).push(ms);
  seen.add(s.file);
}
console.log(`first in file: n=${first.length} p50 ${q(first, 0.5)} p95 ${q(first, 0.95)} max ${q(first, 1)}`);
console.log(`again: n=${again.length} p50 ${again.length ? q(again, 0.5) : '-'} p95 ${again.length ? q(again, 0.95) : '-'}`);
const all = [...first, ...again];
console.log(`all: p50 ${q(all, 0.5)} p95 ${q(all, 0.95)}; hits ${hits}`);
const one = picked[0];
console.log(effectiveValueHover(fleet, one.file, one.offset)?.markdown.split('\n').slice(0, 6).join('\n'));
// Typing elsewhere (a values file of another tenant), then hovering a spot hovered before: the fleet re-links (not
// timed), contexts and builds whose inputs did not change are kept.
const afterEdit: number[] = [];
for (let i = 0; i < 40; i++) {
  const edit = samples[(i * 37) % samples.length];
  const s = picked[i];
  if (edit.file === s.file) continue;
  effectiveValueHover(fleet, s.file, s.offset);
  const text = fleet.facts.get(edit.file)!.text;
  fleet.setOverlay(edit.file, text.slice(0, edit.offset) + '9' + text.slice(edit.offset));
  void fleet.links;
  Object.assign(evaluationStats, { folderBuilds: 0, folderBuildMs: 0, reused: 0, built: 0 });
  const t = performance.now();
  effectiveValueHover(fleet, s.file, s.offset);
  afterEdit.push(performance.now() - t);
  if (process.env.DEBUG && afterEdit.at(-1)! > Number(process.env.DEBUG)) console.log(`slow ${afterEdit.at(-1)!.toFixed(0)} ms: edited ${edit.file.slice(root.length)}, hovered ${s.file.slice(root.length)}`, JSON.stringify(evaluationStats));
  fleet.clearOverlay(edit.file);
}
console.log(`after an edit elsewhere (links ready): p50 ${q(afterEdit, 0.5)} p95 ${q(afterEdit, 0.95)}`);
