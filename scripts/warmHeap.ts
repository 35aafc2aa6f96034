// `node --import tsx scripts/warmHeap.ts [--snapshot]`: the heap of the synthetic fleet after the language server's
// warm-up (ide.warmContexts: every context found), with each table's release (as soak --release) and, optionally,
// a heap snapshot in the temp folder for scripts/heapTables.ts.
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import * as ide from '../server/src/ide';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const used = () => (gc(), gc(), v8.getHeapStatistics().used_heap_size);
const mb = (b: number) => (b / 1048576).toFixed(2);
const gen = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false);
const fleet = ide.openFleet([gen.dir.split(path.sep).join('/')]);
void fleet.links;
const linked = used();
if (process.argv.includes('--snapshot')) console.log(`heap snapshot: ${v8.writeHeapSnapshot(path.join(os.tmpdir(), `linked-${process.pid}.heapsnapshot`))}`);
const cpu = process.cpuUsage();
const seen = ide.warmContextsNow(fleet);
const c = process.cpuUsage(cpu);
const warm = used();
console.log(`linked ${mb(linked)} MB; warm (${seen} contexts, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU) ${mb(warm)} MB: +${mb(warm - linked)} MB`);
if (process.argv.includes('--snapshot')) console.log(`heap snapshot: ${v8.writeHeapSnapshot(path.join(os.tmpdir(), `warm-${process.pid}.heapsnapshot`))}`);
const stats = fleet.db.stats();
const first = ['contexts', 'wholeBuilds', 'locksReaching'];
const names = [...first, ...Object.keys(stats).filter((n) => n !== 'parse' && !first.includes(n))].filter((n) => n in stats);
let before = warm;
const freed: Array<{ name: string; bytes: number; size: number }> = [];
for (const name of names) {
  fleet.db.drop(name as Parameters<typeof fleet.db.drop>[0]);
  const now = used();
  freed.push({ name, bytes: before - now, size: stats[name].size });
  before = now;
}
console.log(`release: ${mb(before)} MB left without the tables`);
for (const f of freed.sort((a, b) => b.bytes - a.bytes).filter((f) => f.bytes > 100_000)) console.log(`${mb(f.bytes).padStart(8)} MB  ${f.name} (${f.size} entries)`);
