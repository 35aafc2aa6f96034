// The server's memory over the bench's session (scripts/benchServer.ts's steps, the real server over stdio), with
// when its peak happens: RSS polled from /proc/PID/status every 20 ms, marked with the session's phases (first
// diagnostics, indexed, first evaluation, each edit's evaluation), then VmHWM, and the hover latencies beside.
// `node --import tsx scripts/benchServerMemory.ts [--edits N] [--timeline]`. The server starts as the VS Code client
// starts it (nodeOptions.ts); FLUX_FLEET_SERVER_EXEC_ARGV adds node options after those, to compare (e.g.
// `--heap-growing-percent=0`: V8's own heap growth).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../test/helpers/lspClient';
import { ensureFleet, DEFAULT_DIR, DEFAULT_OPTIONS } from './synth-fleet';
import { yamlFiles } from './benchFloor';
import { BENCH_SETTINGS } from './benchServer';

const EVALUATED = 'flux-fleet: evaluated';
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r1 = (x: number) => Math.round(x * 10) / 10;

function status(pid: number): { rss: number; hwm: number } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

function positionAt(text: string, needle: string): { line: number; character: number } {
  const at = text.indexOf(needle) + needle.length;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return r1(s[Math.min(s.length - 1, Math.floor(0.95 * s.length))] ?? 0);
}

async function main(): Promise<void> {
  const root = ensureFleet(DEFAULT_DIR, DEFAULT_OPTIONS, false).dir;
  const files = yamlFiles(root);
  const hovered = files.find((f) => /tenant-001\/deploy\/dev\/svc-01-values\.yaml$/.test(f))!;
  const edited = files.filter((f) => /\/deploy\/(dev|production)\/svc-0\d-values\.yaml$/.test(f) && f !== hovered).slice(0, arg('--edits', 6));
  const hoveredText = fs.readFileSync(hovered, 'utf8');
  const opened = path.join(path.dirname(hovered), 'kustomization.yaml');
  const openedText = fs.readFileSync(opened, 'utf8').replace('resources:\n', 'resources:\n  - not-there.yaml\n');

  const t0 = now();
  const client = await LspClient.start([root], BENCH_SETTINGS, { execArgv: process.env.FLUX_FLEET_SERVER_EXEC_ARGV?.split(' ').filter(Boolean) });
  const pid = client.proc.pid!;
  const samples: Array<{ t: number; rss: number }> = [];
  const marks: Array<{ t: number; what: string; rss: number }> = [];
  const poll = setInterval(() => samples.push({ t: now() - t0, rss: status(pid).rss }), 20);
  const mark = (what: string) => marks.push({ t: now() - t0, what, rss: status(pid).rss });

  await client.notify('textDocument/didOpen', { textDocument: { uri: uri(opened), languageId: 'yaml', version: 1, text: openedText } });
  await client.waitFor(() => (client.diagnostics.get(uri(opened)) ?? []).some((d) => d.code === 'path-not-found'), 600_000);
  const firstDiagnosticsMs = now() - t0;
  mark('first diagnostics');
  await client.waitFor(() => client.logs.some((l) => l.includes('YAML files indexed')), 600_000);
  mark('indexed');
  await client.waitFor(() => client.logs.some((l) => l.includes(EVALUATED)), 600_000).catch(() => undefined);
  mark('first evaluation');
  const during: number[] = [];
  for (const [i, file] of edited.entries()) {
    const text = fs.readFileSync(file, 'utf8');
    const logged = client.logs.length;
    await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text } });
    await client.notify('textDocument/didChange', { textDocument: { uri: uri(file), version: 2 }, contentChanges: [{ text: text.replace(/replicaCount: (\d+)/, 'replicaCount: 1$1') }] });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !client.logs.slice(logged).some((l) => l.includes(EVALUATED))) {
      const t = now();
      await client.request('textDocument/hover', { textDocument: { uri: uri(hovered) }, position: positionAt(hoveredText, 'replicaCount: ') });
      during.push(now() - t);
      await sleep(20);
    }
    mark(`edit ${i + 1} evaluated`);
    await client.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }
  clearInterval(poll);
  const { hwm } = status(pid);
  await client.stop();

  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a), { t: 0, rss: 0 });
  const phase = (t: number) => marks.find((m) => m.t >= t)?.what ?? 'end';
  console.log(`peak RSS (VmHWM) ${hwm} MB; highest sample ${peak.rss} MB at ${r1(peak.t / 1000)} s (before "${phase(peak.t)}")`);
  let from = 0;
  for (const m of marks) {
    const inPhase = samples.filter((s) => s.t > from && s.t <= m.t);
    const max = Math.max(0, ...inPhase.map((s) => s.rss));
    console.log(`  ${m.what.padEnd(20)} at ${String(r1(m.t / 1000)).padStart(6)} s: RSS ${m.rss} MB (max ${max} MB since the previous mark)`);
    from = m.t;
  }
  console.log(`first diagnostics ${r1(firstDiagnosticsMs)} ms; hover during evaluation p95 ${p95(during)} ms (n=${during.length})`);
  if (process.argv.includes('--timeline')) for (const s of samples.filter((_, i) => i % 10 === 0)) console.log(`${r1(s.t / 1000)}\t${s.rss}`);
}

void main();
