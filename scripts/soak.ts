// `npm run soak [-- --edits N] [-- --seed S] [-- --heap-snapshots 2000,9000] [-- --lazy]`: random edits with hovers and
// completions on the synthetic fleet, in-process through the IDE facade, as a long editing session in the language
// server does. The fleet is opened as the server opens it: loaded, linked, then every context found (the server's
// warm-up right after loading, lsp/scheduler.ts `warm`: ide.warmContexts, here without yielding). `--lazy` skips that
// step: each context is then found when a hover or completion first needs it, as in a session whose first edit came
// before the warm-up ended (it stops when the fleet changes) or a fleet past its 5,000 contexts. A person works in a
// handful of open files (edits, hovers and completions there; every 500 edits two of them are swapped for others), and
// now and then a file elsewhere changes (a pull). Prints, per 1,000 edits (or per tenth of N): RSS, heap after GC, and
// the p50/p95 of value hovers and completions in that slice; the hovers' CPU time (the process's: on a busy machine
// wall time also counts waiting for a core), and the folder builds and full links made (counts, which do not depend on
// the machine). Ends with the growth of memory after warm-up (the server's, then the first slice) and the drift of
// latency between the first and the last slice.
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import * as ide from '../server/src/ide';
import { valuePositions } from './valueHoverBench';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const EDITS = arg('--edits', 10_000);
// Heap snapshots after the GC of these edits' reports (compare two: what the session keeps that it did not before).
const snapshotArg = process.argv.indexOf('--heap-snapshots');
const snapshotsAt = new Set(snapshotArg >= 0 ? process.argv[snapshotArg + 1].split(',').map(Number) : []);
let seed = arg('--seed', 0x50a4);
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x80000000);
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : 0);
const mb = (b: number) => Math.round(b / 1048576);

const gen = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false);
const fleet = ide.openFleet([gen.dir.split(path.sep).join('/')]);
void fleet.links;
const lazy = process.argv.includes('--lazy');
if (!lazy) {
  const contexts = ide.warmContextsNow(fleet);
  gc();
  console.log(`warm-up: ${contexts} contexts found, heap ${mb(v8.getHeapStatistics().used_heap_size)} MB`);
}
const allPositions = valuePositions(fleet);
const allFiles = [...new Set(allPositions.map((p) => p.file))];
// A position is the start of a value in the file as on disk; after digits typed into the open file's text the same
// value starts later. Each edit and hover finds the value again in the text as it is now (the same key's match, by
// its ordinal in the file): a person types into and hovers a value, not the offset it had on disk. (Offsets taken
// from the disk text drifted into keys and indentation after a few edits of a file: `memory1:4 229Mi`, a syntax
// error; each new error message changed the file's link shape, so the whole fleet linked from scratch every few
// edits of such a file — the soak's late-slice full links and hover slowdown, which a value edit never causes.)
const VALUE_KEY = /^\s+(replicaCount|tag|memory|cpu|host): /gm;
const ordinal = new Map<(typeof allPositions)[number], number>();
{
  const seen = new Map<string, number>();
  for (const p of allPositions) {
    const k = seen.get(p.file) ?? 0;
    ordinal.set(p, k);
    seen.set(p.file, k + 1);
  }
}
const currentText = (file: string) => fleet.overlays.get(file) ?? fleet.facts.get(file)!.text;
function offsetNow(p: (typeof allPositions)[number], text: string): number {
  if (text === fleet.facts.get(p.file)?.text && !fleet.overlays.has(p.file)) return p.offset;
  const m = [...text.matchAll(VALUE_KEY)][ordinal.get(p)!];
  return m ? m.index! + m[0].length + 1 : Math.min(p.offset, text.length);
}
const OPEN = 12;
let open = Array.from({ length: OPEN }, () => allFiles[Math.floor(rand() * allFiles.length)]);
let positions = allPositions.filter((p) => open.includes(p.file));
let files = open;
const slice = Math.max(1, Math.min(1000, Math.floor(EDITS / 10)));
console.log(`soak: ${EDITS} edits on ${gen.dir} (${fleet.facts.size} YAML files), a report every ${slice}${lazy ? ', contexts found lazily (--lazy)' : ''}`);

const rows: Array<{ rss: number; heap: number; hover95: number; completion95: number }> = [];
let hovers: number[] = [];
let hoverCpu: number[] = [];
let completions: number[] = [];
const counted = () => ({ folder: fleet.db.counts.get('folderBuild.built') ?? 0, full: fleet.linkStats.full });
let sliceStart = counted();
const started = Date.now();
for (let i = 1; i <= EDITS; i++) {
  // An edit: a digit typed into a value of a values file (sometimes undone), as a person tunes a release.
  if (i % 500 === 0) {
    for (let k = 0; k < 2; k++) open[Math.floor(rand() * OPEN)] = allFiles[Math.floor(rand() * allFiles.length)];
    positions = allPositions.filter((p) => open.includes(p.file));
    files = open;
  }
  const p = rand() < 0.9 ? positions[Math.floor(rand() * positions.length)] : allPositions[Math.floor(rand() * allPositions.length)];
  const text = currentText(p.file);
  const at = offsetNow(p, text);
  if (rand() < 0.2) fleet.clearOverlay(p.file);
  else fleet.setOverlay(p.file, text.slice(0, at) + String(Math.floor(rand() * 10)) + text.slice(at));
  // Typing pauses now and then: the whole fleet re-links (as the server's debounced publication does).
  if (i % 25 === 0) void fleet.links;
  const q = positions[Math.floor(rand() * positions.length)];
  const qAt = offsetNow(q, currentText(q.file));
  let t = performance.now();
  const cpu = process.cpuUsage();
  ide.hover(fleet, q.file, qAt);
  hovers.push(performance.now() - t);
  const used = process.cpuUsage(cpu);
  hoverCpu.push((used.user + used.system) / 1000);
  const f = files[Math.floor(rand() * files.length)];
  const ftext = currentText(f);
  t = performance.now();
  ide.completion(fleet, f, Math.floor(rand() * ftext.length));
  completions.push(performance.now() - t);
  if (i % slice === 0) {
    gc();
    const row = { rss: mb(process.memoryUsage().rss), heap: mb(v8.getHeapStatistics().used_heap_size), hover95: pct(hovers, 95), completion95: pct(completions, 95) };
    rows.push(row);
    if (snapshotsAt.has(i)) console.log(`heap snapshot: ${v8.writeHeapSnapshot(path.join(os.tmpdir(), `soak-${process.pid}-${i}.heapsnapshot`))}`);
    const now = counted();
    console.log(`${String(i).padStart(6)} edits  rss ${row.rss} MB  heap ${row.heap} MB  hover p50 ${pct(hovers, 50).toFixed(1)} / p95 ${row.hover95.toFixed(1)} ms (CPU ${pct(hoverCpu, 50).toFixed(1)} / ${pct(hoverCpu, 95).toFixed(1)})  completion p50 ${pct(completions, 50).toFixed(1)} / p95 ${row.completion95.toFixed(1)} ms  folder builds ${now.folder - sliceStart.folder}, full links ${now.full - sliceStart.full}  (${Math.round((Date.now() - started) / 1000)} s)`);
    sliceStart = now;
    hovers = [];
    hoverCpu = [];
    completions = [];
  }
}
if (rows.length >= 2) {
  const first = rows[0];
  const last = rows[rows.length - 1];
  const peak = Math.max(...rows.slice(1).map((r) => r.heap));
  console.log(`heap after warm-up ${first.heap} MB → last ${last.heap} MB (peak ${peak} MB): growth ${(((last.heap - first.heap) / first.heap) * 100).toFixed(1)}%`);
  console.log(`hover p95 first slice ${first.hover95.toFixed(1)} ms → last ${last.hover95.toFixed(1)} ms; completion p95 ${first.completion95.toFixed(1)} → ${last.completion95.toFixed(1)} ms`);
}
// `--release`: what each table of the database holds that nothing else does, at the end: its entries and the heap
// freed when it is dropped, one table after the other (an object two tables share is freed by the later one). Compare
// a run of 1,000 edits with one of 10,000: a table that frees more at the end of the long run is where the heap grew.
if (process.argv.includes('--release')) {
  const used = () => (gc(), gc(), v8.getHeapStatistics().used_heap_size);
  const stats = fleet.db.stats();
  // (the evaluator first: the `contexts` table holds it; it goes with the last table whose entries hold its contexts:
  // `wholeBuilds`, whose LRU calls back into it, and `locksReaching`, whose walks list contexts)
  const first = ['contexts', 'wholeBuilds', 'locksReaching'];
  const names = [...first, ...Object.keys(stats).filter((n) => n !== 'parse' && !first.includes(n))].filter((n) => n in stats);
  let before = used();
  const freed: Array<{ name: string; bytes: number; size: number }> = [];
  for (const name of names) {
    fleet.db.drop(name as Parameters<typeof fleet.db.drop>[0]);
    const now = used();
    freed.push({ name: first.includes(name) ? `${name} (or the evaluator, freed with it)` : name, bytes: before - now, size: stats[name].size });
    before = now;
  }
  console.log(`release: ${mb(before)} MB left without the tables (parses, facts, links, overlays of ${fleet.overlays.size} files)`);
  for (const f of freed.sort((a, b) => b.bytes - a.bytes).filter((f) => f.bytes > 100_000)) console.log(`${(f.bytes / 1048576).toFixed(2).padStart(8)} MB  ${f.name} (${f.size} entries)`);
}
