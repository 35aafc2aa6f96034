// A seeded fuzzer of hostile input: copies of the fixture fleets, one YAML file mutated per case (truncation, random
// bytes, deep nesting, huge scalars, alias bombs, BOM, CRLF, U+2028, NUL, UTF-16, duplicate keys, tabs, half-typed
// kustomizations), driven through the real CLI (`dist/cli.js check --format json`) and the real server (didOpen /
// didChange, then hover, completion, definition and document links). Invariants: the CLI exits 0 or 1 with valid
// JSON within a time bound and a heap bound; the server answers every request within a bound and never exits.
// No dependency: a small seeded PRNG (mulberry32), so a failing case is replayed by its seed and index.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from './lspClient';
import { tempDir } from './tempDir';
import { cliExecArgv, machineCpus } from '../../server/src/nodeOptions';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
export const FIXTURES = ['fleet', 'broken', 'values', 'completion', 'locks'].map((f) => path.join(ROOT, 'test/fixtures', f)).filter((f) => fs.existsSync(f));

export type Rng = () => number;

/** mulberry32: a tiny seeded PRNG with a full 2^32 period. */
export function rngOf(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)];

/** A mutation of a file's bytes: a name (for the report) and the new content. */
export interface Mutation {
  name: string;
  apply(text: string, r: Rng): Buffer;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const at = (text: string, r: Rng) => int(r, text.length + 1);

export const MUTATIONS: Mutation[] = [
  { name: 'truncate', apply: (t, r) => utf8(t.slice(0, at(t, r))) },
  { name: 'random-bytes', apply: (t, r) => { const b = Buffer.from(t, 'utf8'); for (let i = 0, n = 1 + int(r, 8); i < n && b.length; i++) b[int(r, b.length)] = int(r, 256); return b; } },
  { name: 'insert-bytes', apply: (t, r) => { const i = at(t, r); return Buffer.concat([utf8(t.slice(0, i)), Buffer.from(Array.from({ length: 1 + int(r, 16) }, () => int(r, 256))), utf8(t.slice(i))]); } },
  { name: 'deep-flow', apply: (t, r) => { const n = pick(r, [300, 1000, 5000, 20000]); return utf8(t + `\ndeep: ${'['.repeat(n)}${']'.repeat(n)}\n`); } },
  { name: 'deep-block', apply: (t, r) => utf8(t + '\nlist:\n' + '- '.repeat(pick(r, [300, 3000, 10000])) + 'x\n') },
  { name: 'huge-scalar', apply: (t, r) => utf8(t + `\nhuge: ${'x'.repeat(pick(r, [100_000, 1_000_000, 5_000_000]))}\n`) },
  { name: 'alias-bomb', apply: (t) => utf8(t + '\n---\na: &a [' + Array(2000).fill('x').join(',') + ']\nb: [' + Array(2000).fill('*a').join(',') + ']\n') },
  { name: 'bom', apply: (t) => utf8('\ufeff' + t) },
  { name: 'crlf', apply: (t) => utf8(t.replace(/\n/g, '\r\n')) },
  { name: 'line-separators', apply: (t, r) => { const i = at(t, r); return utf8(t.slice(0, i) + pick(r, ['\u2028', '\u2029', '\u0085', '\r']) + t.slice(i)); } },
  { name: 'nul', apply: (t, r) => { const i = at(t, r); return utf8(t.slice(0, i) + '\0' + t.slice(i)); } },
  { name: 'utf16', apply: (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]) },
  { name: 'duplicate-keys', apply: (t, r) => { const lines = t.split('\n'); const i = int(r, lines.length); lines.splice(i, 0, lines[i] ?? ''); return utf8(lines.join('\n')); } },
  { name: 'tabs', apply: (t, r) => utf8(r() < 0.5 ? t.replace(/^( +)/gm, (s) => '\t'.repeat(Math.max(1, s.length >> 1))) : t.replace(/: /g, ':\t')) },
  { name: 'many-documents', apply: (t, r) => utf8(Array(pick(r, [100, 2000])).fill(t).join('\n---\n')) },
  { name: 'half-typed-kustomization', apply: (_t, r) => utf8(pick(r, ['', '# soon\n', 'kind: Kustomization\n', '- a\n', 'resources:\n- ', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n', 'resources: [', '{'])) },
  { name: 'delete-line', apply: (t, r) => { const lines = t.split('\n'); lines.splice(int(r, lines.length), 1 + int(r, 3)); return utf8(lines.join('\n')); } },
  { name: 'null-values', apply: (t) => utf8(t.replace(/: [^\n]+/g, (s, i) => (i % 3 === 0 ? ': ~' : s))) },
];

export function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== '.git') walk(p);
      else if (e.isFile() && /\.ya?ml$|^Kustomization$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export interface Failure {
  seed: number;
  index: number;
  driver: 'cli' | 'server';
  fixture: string;
  file: string;
  mutation: string;
  problem: string;
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** Which drivers run: 'both' splits the cases between them. */
  drivers?: 'cli' | 'server' | 'both';
  /** Per CLI run, and per server request. */
  cliTimeoutMs?: number;
  requestTimeoutMs?: number;
  log?: (line: string) => void;
  /** Replays only these case indices (of `seed`). */
  only?: number[];
}

export interface FuzzReport {
  cases: number;
  failures: Failure[];
}

/** A fresh copy of a fixture in a temp folder (its files are mutated). */
function copyOf(fixture: string): string {
  const dir = tempDir('ff-fuzz-');
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

interface Case {
  index: number;
  fixture: string;
  rel: string;
  mutation: Mutation;
  bytes: Buffer;
  r: Rng;
}

/** Case `index` of `seed`: which fixture, file and mutation (replayable on its own). */
export function caseOf(seed: number, index: number): Case {
  const r = rngOf((seed * 1_000_003 + index) >>> 0);
  const fixture = pick(r, FIXTURES);
  const files = yamlFiles(fixture);
  const file = pick(r, files);
  const mutation = pick(r, MUTATIONS);
  const bytes = mutation.apply(fs.readFileSync(file, 'utf8'), r);
  return { index, fixture, rel: path.relative(fixture, file), mutation, bytes, r };
}

function runCli(dir: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    // A bounded heap: a blow-up is a crash here, not a machine out of memory. With the CLI's own node options, so
    // dist/cli.js runs the check in this process and the timeout's SIGKILL reaches it (a launcher cannot pass it on).
    const child = spawn(process.execPath, ['--max-old-space-size=1024', '--stack-size=984', ...cliExecArgv(machineCpus()), CLI, 'check', '--format', 'json', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) return resolve(`killed by ${signal} (over ${timeoutMs} ms or out of memory)`);
      if (code !== 0 && code !== 1) return resolve(`exit ${code}: ${err.split('\n').slice(0, 6).join(' | ')}`);
      try {
        if (!Array.isArray(JSON.parse(out))) return resolve('stdout is not a JSON array');
      } catch {
        return resolve(`stdout is not JSON: ${out.slice(0, 200)}`);
      }
      if (err.trim()) return resolve(`stderr: ${err.split('\n').slice(0, 3).join(' | ')}`);
      resolve(undefined);
    });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** A position somewhere in `text` (line/character in UTF-16 units, as LSP counts). */
function positionIn(text: string, r: Rng): { line: number; character: number } {
  const lines = text.split('\n');
  const line = int(r, lines.length);
  return { line, character: int(r, (lines[line]?.length ?? 0) + 1) };
}

/** The text an editor holds after opening the mutated bytes (UTF-8 decoding, as the server's client would). */
function editorText(bytes: Buffer): string {
  return bytes.toString('utf8');
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => undefined);
  const drivers = options.drivers ?? 'both';
  const failures: Failure[] = [];
  const cases = (options.only ?? Array.from({ length: options.cases }, (_, i) => i)).map((i) => caseOf(options.seed, i));
  const cliCases = cases.filter((c) => drivers === 'cli' || (drivers === 'both' && c.index % 4 === 0));
  const serverCases = cases.filter((c) => drivers === 'server' || (drivers === 'both' && c.index % 4 !== 0));
  const fail = (c: Case, driver: Failure['driver'], problem: string) => {
    failures.push({ seed: options.seed, index: c.index, driver, fixture: path.basename(c.fixture), file: c.rel, mutation: c.mutation.name, problem });
    log(`FAIL ${driver} seed=${options.seed} case=${c.index} ${path.basename(c.fixture)}/${c.rel} ${c.mutation.name}: ${problem}`);
  };

  // The CLI: one fresh copy per case.
  for (const c of cliCases) {
    const dir = copyOf(c.fixture);
    try {
      fs.writeFileSync(path.join(dir, c.rel), c.bytes);
      const problem = await runCli(dir, options.cliTimeoutMs ?? 60_000);
      if (problem) fail(c, 'cli', problem);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  // The server: one per fixture, each case an edit of an open document (restored afterwards), then requests.
  const byFixture = new Map<string, Case[]>();
  for (const c of serverCases) byFixture.set(c.fixture, [...(byFixture.get(c.fixture) ?? []), c]);
  for (const [fixture, list] of byFixture) {
    const dir = copyOf(fixture);
    const roots = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
    let client = await LspClient.start(roots.length ? roots : [dir]);
    let exited = false;
    const watch = () => client.proc.on('exit', () => (exited = true));
    watch();
    const versions = new Map<string, number>();
    try {
      for (const c of list) {
        const file = path.join(dir, c.rel);
        const original = fs.readFileSync(file, 'utf8');
        const text = editorText(c.bytes);
        const u = uri(file);
        const version = (versions.get(u) ?? 0) + 1;
        versions.set(u, version + 1);
        try {
          if (version === 1) await client.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'yaml', version, text } });
          else await client.notify('textDocument/didChange', { textDocument: { uri: u, version }, contentChanges: [{ text }] });
          // Past the debounce of the whole-fleet link (where the crash of typing hid).
          await new Promise((res) => setTimeout(res, 250));
          const bound = options.requestTimeoutMs ?? 20_000;
          for (let i = 0; i < 2; i++) {
            const position = positionIn(text, c.r);
            await withTimeout(client.request('textDocument/hover', { textDocument: { uri: u }, position }), bound, 'hover');
            await withTimeout(client.request('textDocument/completion', { textDocument: { uri: u }, position }), bound, 'completion');
            await withTimeout(client.request('textDocument/definition', { textDocument: { uri: u }, position }), bound, 'definition');
          }
          await withTimeout(client.request('textDocument/documentLink', { textDocument: { uri: u } }), bound, 'documentLink');
          await withTimeout(client.request('textDocument/codeLens', { textDocument: { uri: u } }), bound, 'codeLens');
          await withTimeout(client.request('textDocument/documentSymbol', { textDocument: { uri: u } }), bound, 'documentSymbol');
          // Back to the file as it was, so the next case starts from the fixture.
          await client.notify('textDocument/didChange', { textDocument: { uri: u, version: version + 1 }, contentChanges: [{ text: original }] });
          if (exited) throw new Error('the server exited');
        } catch (e) {
          fail(c, 'server', exited ? 'the server exited' : String((e as Error).message ?? e));
          // A dead or stuck server cannot tell about the next cases: start another.
          await client.stop().catch(() => undefined);
          client = await LspClient.start(roots.length ? roots : [dir]);
          exited = false;
          watch();
          versions.clear();
        }
      }
    } finally {
      await client.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return { cases: cases.length, failures };
}
