// The editor's figures of issue 12 measured on the real server over stdio (dist/server.js), on the synthetic fleet:
// - first diagnostics of a file opened with the workspace (a kustomization listing a file that does not exist: the
//   server publishes only files with findings), against the `yaml` parse floor of the fleet's files;
// - value hovers sent while the server evaluates in the background after an edit (it must yield to requests);
// - the Fleet view's first tree (lazy: the links only) and the expansion of one Kustomization (its contexts' builds),
//   asked once the server is indexed, while it evaluates in the background;
// - the server's peak RSS (VmHWM).
// With FLUX_FLEET_BENCH_SCALE=4 (any factor), the same figures again on a fleet of that many times the tenants
// (4: about 50k files, .bench/fleet-4x), and whether each grew within 1.1x the factor (issue 12: 4.4x at 4x); with them
// the time until the server is indexed, and the CLI's cold index and whole check of both fleets (scripts/bench-check.ts).
// `node --import tsx scripts/benchServer.ts` alone, or a step of `npm run bench`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../test/helpers/lspClient';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS, type SynthOptions } from './synth-fleet';
import { parseFloorMs, yamlFiles } from './benchFloor';
import type { FleetViewFillWire, FleetViewNodeWire } from '../server/src/lsp/fleetViewProtocol';
import { measureCheck, type CheckFigure } from './benchCheckProcess';

export interface ServerFigure {
  files: number;
  floorMs: number;
  firstDiagnosticsMs: number;
  ratio: number;
  /** From the start until the server logs the whole fleet indexed (its cold index, over stdio). */
  indexedMs: number;
  /** Hovers answered while an evaluation ran (sent after the edit, before its "evaluated" log). */
  duringEvaluation: { p50: number; p95: number; max: number; n: number; evaluations: number; edits: number };
  /** The Fleet view: its first (lazy) tree, and one Kustomization expanded (the first root's first child holding releases). */
  fleetView: { firstTreeMs: number; nodes: number; expandMs: number; releases: number };
  peakRssMB: number;
}

/**
 * The server's settings in the bench: the `fluxFleet` section itself (the test client answers workspace/configuration
 * with it). `debug` logs every background evaluation; at `info` one whose result reads the same as the last one's is not
 * logged, and the bench, which waits for that log after each edit, took it for an evaluation that never ended.
 */
export const BENCH_SETTINGS = { logLevel: 'debug' };
/** The log line of a finished background evaluation (lsp/scheduler.ts). */
const EVALUATED = 'flux-fleet: evaluated';

const now = () => performance.now();
const r1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peakRssMB(pid: number | undefined): number {
  const status = pid ? fs.readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function dist(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => r1(s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), max: r1(s[s.length - 1] ?? 0), n: s.length };
}

function positionAt(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle) + needle.length;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export async function measureServer(evaluations = 6, dir = DEFAULT_DIR, options: SynthOptions = DEFAULT_OPTIONS): Promise<ServerFigure> {
  const root = ensureFleet(dir, options, false).dir;
  const files = yamlFiles(root);
  const floorMs = parseFloorMs(files.map((f) => fs.readFileSync(f, 'utf8')));
  const hovered = files.find((f) => /tenant-001\/deploy\/dev\/svc-01-values\.yaml$/.test(f))!;
  const edited = files.filter((f) => /\/deploy\/(dev|production)\/svc-0\d-values\.yaml$/.test(f) && f !== hovered).slice(0, evaluations);
  const hoveredText = fs.readFileSync(hovered, 'utf8');
  const opened = path.join(path.dirname(hovered), 'kustomization.yaml');
  const openedText = fs.readFileSync(opened, 'utf8').replace('resources:\n', 'resources:\n  - not-there.yaml\n');

  const t0 = now();
  const client = await LspClient.start([root], BENCH_SETTINGS);
  await client.notify('textDocument/didOpen', { textDocument: { uri: uri(opened), languageId: 'yaml', version: 1, text: openedText } });
  await client.waitFor(() => (client.diagnostics.get(uri(opened)) ?? []).some((d) => d.code === 'path-not-found'), 600_000);
  const firstDiagnosticsMs = now() - t0;
  // The open file's diagnostics come before the rest of the fleet is indexed; the Fleet view needs the whole index:
  // measured from when the server says it is indexed (the background evaluation is running then).
  await client.waitFor(() => client.logs.some((l) => l.includes('YAML files indexed')), 600_000);
  const indexedMs = now() - t0;
  const fleetView = await measureFleetView(client);

  // Let the first background work settle, then edit another values file and hover while the re-evaluation runs.
  await client.waitFor(() => client.logs.some((l) => l.includes(EVALUATED)), 600_000).catch(() => undefined);
  const during: number[] = [];
  let ran = 0;
  for (const file of edited) {
    const text = fs.readFileSync(file, 'utf8');
    const logged = client.logs.length;
    await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text } });
    await client.notify('textDocument/didChange', { textDocument: { uri: uri(file), version: 2 }, contentChanges: [{ text: text.replace(/replicaCount: (\d+)/, 'replicaCount: 1$1') }] });
    const deadline = Date.now() + 60_000;
    const samples: number[] = [];
    while (Date.now() < deadline && !client.logs.slice(logged).some((l) => l.includes(EVALUATED))) {
      const t = now();
      await client.request('textDocument/hover', { textDocument: { uri: uri(hovered) }, position: positionAt(hoveredText, 'replicaCount: ') });
      samples.push(now() - t);
      await sleep(20);
    }
    // An edit whose evaluation is not logged within the deadline is left out of the figures, and counted as missed.
    if (client.logs.slice(logged).some((l) => l.includes(EVALUATED))) {
      ran++;
      during.push(...samples);
    }
    await client.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }
  const peak = peakRssMB(client.proc.pid);
  await client.stop();
  return { files: files.length, floorMs: r1(floorMs), firstDiagnosticsMs: r1(firstDiagnosticsMs), ratio: r1(firstDiagnosticsMs / floorMs), indexedMs: r1(indexedMs), fleetView, duringEvaluation: { ...dist(during), evaluations: ran, edits: edited.length }, peakRssMB: peak };
}

async function measureFleetView(client: LspClient): Promise<ServerFigure['fleetView']> {
  const t = now();
  const tree = await client.request<FleetViewNodeWire[]>('fluxFleet/fleetTree', { lazy: true });
  const firstTreeMs = now() - t;
  const count = (n: FleetViewNodeWire): number => 1 + n.children.reduce((k, c) => k + count(c), 0);
  let fill: FleetViewFillWire | null = null;
  let expandMs = 0;
  for (const kid of (tree[0]?.children ?? []).filter((c) => c.expand)) {
    const e = now();
    fill = await client.request<FleetViewFillWire | null>('fluxFleet/fleetTreeNode', { id: kid.expand });
    expandMs = now() - e;
    if (fill?.releases.length) break;
  }
  return { firstTreeMs: r1(firstTreeMs), nodes: tree.reduce((k, n) => k + count(n), 0), expandMs: r1(expandMs), releases: fill?.releases.length ?? 0 };
}

export function describeServer(r: ServerFigure): Array<[string, string, string]> {
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  const d = r.duringEvaluation;
  return [
    ['server: first diagnostics', `${r.firstDiagnosticsMs} ms from start = ${r.ratio}x the parse floor (${r.floorMs} ms), real server over stdio`, `<= 1.5x ${ok(r.ratio <= 1.5)}`],
    ['server: hover during evaluation', `p50 ${d.p50} / p95 ${d.p95} / max ${d.max} ms (n=${d.n}, over the background evaluations after ${d.evaluations} of ${d.edits} edits${d.evaluations < d.edits ? `; ${d.edits - d.evaluations} not logged within 60 s` : ''})`, `p95 <= 50 ms ${ok(d.n > 0 && d.p95 <= 50 && d.evaluations === d.edits)}`],
    ['server: whole fleet indexed', `${r.indexedMs} ms from start (${r1(r.indexedMs / r.floorMs)}x the parse floor)`, ''],
    ['server: Fleet view first tree', `${r.fleetView.firstTreeMs} ms (${r.fleetView.nodes} nodes, lazy: no context built); one Kustomization expanded in ${r.fleetView.expandMs} ms (${r.fleetView.releases} releases)`, `<= 1000 ms ${ok(r.fleetView.firstTreeMs <= 1000)}`],
    ['server: peak RSS', `${r.peakRssMB} MB`, ''],
  ];
}

/** The scale factor asked for (FLUX_FLEET_BENCH_SCALE), or undefined: the scaled fleet is not measured. */
export function benchScale(): number | undefined {
  const k = Number(process.env.FLUX_FLEET_BENCH_SCALE);
  return Number.isFinite(k) && k > 1 ? k : undefined;
}

export interface ScalingFigure {
  factor: number;
  base: ServerFigure;
  scaled: ServerFigure;
  /** The CLI's cold index and whole check of each fleet (scripts/bench-check.ts, a process of its own each). */
  check: { base: CheckFigure; scaled: CheckFigure };
}

/** The same server figures on a fleet of `factor` times the tenants (the files grow with them; the clusters stay). */
export async function measureScaling(base: ServerFigure, factor: number): Promise<ScalingFigure> {
  const options = { ...DEFAULT_OPTIONS, tenants: Math.round(DEFAULT_OPTIONS.tenants * factor) };
  const dir = path.resolve(DEFAULT_DIR, `../fleet-${factor}x`);
  const scaled = await measureServer(6, dir, options);
  const check = { base: measureCheck(ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false).dir), scaled: measureCheck(ensureFleet(dir, options, false).dir) };
  return { factor, base, scaled, check };
}

export function describeScaling(r: ScalingFigure): Array<[string, string, string]> {
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  const limit = r.factor * 1.1;
  const grew = (a: number, b: number) => r1(b / Math.max(a, 0.1));
  const first = grew(r.base.firstDiagnosticsMs, r.scaled.firstDiagnosticsMs);
  const hover = grew(r.base.duringEvaluation.p95, r.scaled.duringEvaluation.p95);
  return [
    [`scaled fleet (${r.factor}x)`, `${r.scaled.files} YAML files (${grew(r.base.files, r.scaled.files)}x); parse floor ${r.scaled.floorMs} ms (${grew(r.base.floorMs, r.scaled.floorMs)}x)`, ''],
    ...describeServer(r.scaled).map(([a, b, c]): [string, string, string] => [`  ${a}`, b, c]),
    ['  first diagnostics grew', `${first}x (${r.base.firstDiagnosticsMs} → ${r.scaled.firstDiagnosticsMs} ms)`, `<= ${r1(limit)}x ${ok(first <= limit)}`],
    ['  hover p95 during evaluation grew', `${hover}x (${r.base.duringEvaluation.p95} → ${r.scaled.duringEvaluation.p95} ms)`, `<= ${r1(limit)}x ${ok(hover <= limit)}`],
    ['  whole fleet indexed grew', `${grew(r.base.indexedMs, r.scaled.indexedMs)}x (${r.base.indexedMs} → ${r.scaled.indexedMs} ms)`, `<= ${r1(limit)}x ${ok(grew(r.base.indexedMs, r.scaled.indexedMs) <= limit)}`],
    ['  Fleet view first tree grew', `${grew(r.base.fleetView.firstTreeMs, r.scaled.fleetView.firstTreeMs)}x (${r.base.fleetView.firstTreeMs} → ${r.scaled.fleetView.firstTreeMs} ms; one Kustomization expanded ${r.base.fleetView.expandMs} → ${r.scaled.fleetView.expandMs} ms)`, `<= ${r1(limit)}x ${ok(grew(r.base.fleetView.firstTreeMs, r.scaled.fleetView.firstTreeMs) <= limit)}`],
    ...describeCheckScaling(r.check.base, r.check.scaled, limit),
    ['  peak RSS grew', `${grew(r.base.peakRssMB, r.scaled.peakRssMB)}x (${r.base.peakRssMB} → ${r.scaled.peakRssMB} MB)`, ''],
  ];
}

/** The CLI's figures on both fleets; CPU time decides (wall time on a shared machine counts the wait for a core). */
function describeCheckScaling(a: CheckFigure, b: CheckFigure, limit: number): Array<[string, string, string]> {
  const ok = (x: boolean) => (x ? 'ok' : 'MISSED');
  const grew = (x: number, y: number) => r1(y / Math.max(x, 0.1));
  const row = (what: string, x: number, y: number, wallX: number, wallY: number): [string, string, string] =>
    [`  ${what} grew`, `${grew(x, y)}x CPU (${x} → ${y} ms; wall ${wallX} → ${wallY} ms, ${grew(wallX, wallY)}x)`, `<= ${r1(limit)}x ${ok(grew(x, y) <= limit)}`];
  return [
    [`  CLI (bench-check.ts)`, `${a.files} → ${b.files} files; parse floor CPU ${a.floorCpuMs} → ${b.floorCpuMs} ms (${grew(a.floorCpuMs, b.floorCpuMs)}x); ${a.findings} → ${b.findings} findings; peak RSS ${a.peakRssMB} → ${b.peakRssMB} MB`, ''],
    row('cold index (openFleet)', a.loadCpuMs, b.loadCpuMs, a.loadMs, b.loadMs),
    row('whole check', a.cpuMs, b.cpuMs, a.checkMs, b.checkMs),
    ['  GC of the whole check', `${a.gc.check.shareOfWall}% → ${b.gc.check.shareOfWall}% of the main thread's time (cold index ${a.gc.load.shareOfWall}% → ${b.gc.load.shareOfWall}%)`, `< 10% ${ok(b.gc.check.shareOfWall < 10 && b.gc.load.shareOfWall < 10)}`],
  ];
}

if (require.main === module) {
  void (async () => {
    const r = await measureServer();
    for (const [a, b, c] of describeServer(r)) console.log(`${a}  ${b}   [${c}]`);
    const k = benchScale();
    if (k) for (const [a, b, c] of describeScaling(await measureScaling(r, k))) console.log(`${a}  ${b}${c ? `   [${c}]` : ''}`);
  })();
}
