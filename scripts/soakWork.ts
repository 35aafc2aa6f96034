// `node --import tsx scripts/soakWork.ts [N]`: the soak's editing session (scripts/soak.ts) counted instead of timed:
// per hover after an edit, the folder builds and Flux builds it made, split by whether it hovered the edited file,
// and how the links were made (carried over or from scratch). Counts do not depend on the machine's load.
import * as path from 'node:path';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import * as ide from '../server/src/ide';
import { valuePositions } from './valueHoverBench';

const N = Number(process.argv[2] ?? 200);
let seed = 0x50a4;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x80000000);
const gen = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false);
const fleet = ide.openFleet([gen.dir.split(path.sep).join('/')]);
void fleet.links;
const allPositions = valuePositions(fleet);
const allFiles = [...new Set(allPositions.map((p) => p.file))];
const open = Array.from({ length: 12 }, () => allFiles[Math.floor(rand() * allFiles.length)]);
const positions = allPositions.filter((p) => open.includes(p.file));
const count = () => ({ folder: fleet.db.counts.get('folderBuild.built') ?? 0, flux: fleet.db.counts.get('fluxBuild.built') ?? 0 });
// Warm: every open file hovered once (the first hover in a file builds its contexts; that is not what is counted).
for (const p of positions) ide.hover(fleet, p.file, p.offset);
const rows = { same: { n: 0, folder: 0, flux: 0, cpu: 0 }, other: { n: 0, folder: 0, flux: 0, cpu: 0 } };
for (let i = 1; i <= N; i++) {
  const p = positions[Math.floor(rand() * positions.length)];
  const text = fleet.overlays.get(p.file) ?? fleet.facts.get(p.file)!.text;
  fleet.setOverlay(p.file, text.slice(0, p.offset) + String(Math.floor(rand() * 10)) + text.slice(p.offset));
  const q = positions[Math.floor(rand() * positions.length)];
  const before = count();
  const c = process.cpuUsage();
  ide.hover(fleet, q.file, Math.min(q.offset, (fleet.overlays.get(q.file) ?? fleet.facts.get(q.file)!.text).length));
  const used = process.cpuUsage(c);
  const after = count();
  const row = q.file === p.file ? rows.same : rows.other;
  row.n++;
  row.folder += after.folder - before.folder;
  row.flux += after.flux - before.flux;
  row.cpu += (used.user + used.system) / 1000;
}
for (const [k, r] of Object.entries(rows)) console.log(`hover ${k === 'same' ? 'in the edited file' : 'in another file'}: ${r.n} hovers, ${(r.folder / r.n).toFixed(2)} folder builds and ${(r.flux / r.n).toFixed(2)} Flux builds each, CPU ${(r.cpu / r.n).toFixed(1)} ms each`);
console.log(`links: ${JSON.stringify(fleet.linkStats)}`);
