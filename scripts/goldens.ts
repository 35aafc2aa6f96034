// `npm run goldens [-- --corpora] [-- --check]`: records what `kubectl kustomize DIR` (kustomize v5.5.0) makes of
// every folder with a kustomization file, as ground truth for the project's kustomize engine
// (test/unit/kustomizeParity.test.ts compares the engine with these goldens; CI needs no kubectl).
//
// - default: every kustomization folder under test/fixtures and examples/ → test/goldens/<dir with / → __>.yaml
//   (kubectl's stdout), or .error.txt (kubectl's stderr, normalized) when kubectl fails; test/goldens/index.json.
// - --corpora: every kustomization folder of ../shared/corpora → .goldens-cache/corpora/ (not the repository's:
//   the corpora are not ours to copy).
// - --check: writes nothing; exits 1 (listing the files) when the goldens on disk differ from a fresh run.
//
// Folders whose build would fetch a remote base (a non-local resources/components entry, directly or in a local
// base) are skipped, with the reason in the index. Output is deterministic: entries sorted, no timestamps, and error
// texts stripped of klog's time/pid prefix, Go pointers and this machine's absolute paths.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

const ROOT = fs.realpathSync(path.resolve(__dirname, '..'));
const CORPORA_REL = '../shared/corpora';
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const TIMEOUT_MS = 60_000;

interface GoldenEntry {
  /** The kustomization folder, relative to the project root (POSIX separators). */
  dir: string;
  /** The golden file, relative to the project root; null when skipped. */
  golden: string | null;
  status: 'ok' | 'error' | 'skipped';
  /** Why it failed (kubectl's error, first line) or was skipped; null when ok. */
  reason: string | null;
  /** Number of objects in kubectl's output; null unless ok. */
  objects: number | null;
  /** kubectl's warnings on a successful build (deprecated fields…). */
  warnings?: string[];
  /** Set when the build uses an input the engine does not support (helmCharts): it may answer with
   *  `unsupported-kustomize-feature` instead of `kustomize-build-error`. */
  unsupported?: string;
}

interface GoldenIndex {
  generatedBy: string;
  kubectl: string;
  kustomize: string;
  /** Where `dir` paths start from: the project root. */
  root: '.';
  counts: { ok: number; error: number; skipped: number };
  entries: GoldenEntry[];
}

const posix = (p: string) => p.split(path.sep).join('/');
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function kustomizationFile(dir: string): string | undefined {
  // Exact names only (a case-insensitive file system must not make `Kustomization` match twice).
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const found = KUSTOMIZATION_FILES.find((n) => names.includes(n));
  return found && path.join(dir, found);
}

/** Every folder under `top` holding a kustomization file (symlinked folders are not followed). */
function findKustomizationDirs(top: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (kustomizationFile(dir)) out.push(dir);
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') walk(path.join(dir, e.name));
    }
  };
  if (fs.existsSync(top)) walk(top);
  return out;
}

/** kustomize's remote targets: URLs, scp-like git@host:…, go-getter `host.tld/org/repo…`, `?ref=`. */
function looksRemote(entry: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*::/i.test(entry) || // git::https://…
    /^(https?|ssh|git|file|s3|gs):\/\//i.test(entry) ||
    /^[\w.-]+@[\w.-]+:/.test(entry) || // git@github.com:org/repo
    /^[a-z0-9-]+(\.[a-z0-9-]+)+\//i.test(entry) || // github.com/org/repo
    /\?(ref|version|submodules|timeout)=/.test(entry)
  );
}

interface BuildInputs {
  /** The first remote base this build would fetch. */
  remote?: string;
  /** The first unsupported input (helmCharts). */
  unsupported?: string;
}

/** Walks the local kustomization graph (bases, components) from `dir`, looking for remote bases and helmCharts. */
function inspect(dir: string, found: BuildInputs = {}, seen = new Set<string>()): BuildInputs {
  if (seen.has(dir) || found.remote) return found;
  seen.add(dir);
  const file = kustomizationFile(dir);
  if (!file) return found;
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch {
    return found; // kubectl will report the syntax error
  }
  if (!doc || typeof doc !== 'object') return found;
  const k = doc as Record<string, unknown>;
  if (!found.unsupported && (Array.isArray(k.helmCharts) || k.helmGlobals)) {
    found.unsupported = `helmCharts in ${posix(path.relative(ROOT, file))} (kustomize runs helm with --enable-helm)`;
  }
  for (const field of ['resources', 'bases', 'components', 'generators', 'transformers', 'validators']) {
    const list = k[field];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item !== 'string' || item.includes('\n')) continue; // inline generator/transformer configs
      const local = path.resolve(dir, item);
      if (fs.existsSync(local)) {
        if (fs.statSync(local).isDirectory()) inspect(local, found, seen);
      } else if (looksRemote(item)) {
        found.remote = `${posix(path.relative(ROOT, file))}: ${field} entry ${item} is a remote base (kubectl would fetch it)`;
      }
      if (found.remote) return found;
    }
  }
  return found;
}

/** The gist of kubectl's error: klog's `"command failed" err="…"` unquoted, or the first line of an `err=<` block. */
function errorReason(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() && !l.startsWith('# Warning'));
  const first = lines[0] ?? 'kubectl failed';
  const quoted = /^"command failed" err=(".*")$/.exec(first);
  if (quoted) {
    try {
      return JSON.parse(quoted[1]) as string;
    } catch {
      return quoted[1];
    }
  }
  if (/^"command failed" err=<$/.test(first)) {
    const block: string[] = [];
    for (const l of lines.slice(1)) {
      if (l.trim() === '>') break;
      block.push(l.trim());
    }
    return block.join(' ');
  }
  return first.trim();
}

/** Machine- and run-independent error text. */
function normalizeStderr(text: string, absRoots: Array<[string, string]>): string {
  let s = text.replace(/^[EWIF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\] /gm, '');
  s = s.replace(/0xc[0-9a-f]{6,}/g, '0xc…');
  for (const [abs, rel] of absRoots) s = s.split(abs).join(rel);
  return s.replace(/\s+$/, '') + '\n';
}

function versions(): { kubectl: string; kustomize: string } {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: TIMEOUT_MS });
  if (r.error || r.status !== 0) {
    console.error(`goldens: cannot run kubectl (${r.error?.message ?? r.stderr}); install kubectl with kustomize v5.5.0`);
    process.exit(2);
  }
  const lines = r.stdout.split('\n');
  return {
    kubectl: lines.find((l) => l.startsWith('Client Version')) ?? lines[0],
    kustomize: lines.find((l) => l.startsWith('Kustomize Version')) ?? '',
  };
}

interface Job {
  /** Absolute kustomization folder. */
  abs: string;
  /** `dir` in the index (relative to the project root). */
  dir: string;
  /** Golden file base name (without extension). */
  name: string;
}

function run(job: Job, outDir: string, absRoots: Array<[string, string]>): { entry: GoldenEntry; file?: [string, string] } {
  const inputs = inspect(job.abs);
  const extra = inputs.unsupported ? { unsupported: inputs.unsupported } : {};
  if (inputs.remote) {
    return { entry: { dir: job.dir, golden: null, status: 'skipped', reason: inputs.remote, objects: null, ...extra } };
  }
  const r = spawnSync('kubectl', ['kustomize', job.abs], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
  });
  const stderr = normalizeStderr(r.stderr ?? '', absRoots);
  const goldenRel = (ext: string) => posix(path.relative(ROOT, path.join(outDir, job.name + ext)));
  if (r.error || r.status !== 0) {
    const text = r.error && !r.stderr ? `${r.error.message}\n` : stderr;
    const reason =
      r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `timed out after ${TIMEOUT_MS / 1000}s` : errorReason(text);
    const golden = goldenRel('.error.txt');
    return { entry: { dir: job.dir, golden, status: 'error', reason, objects: null, ...extra }, file: [golden, text] };
  }
  const objects = parseAllDocuments(r.stdout).filter((d) => d.contents !== null && d.toJS() != null).length;
  const warnings = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const golden = goldenRel('.yaml');
  const entry: GoldenEntry = { dir: job.dir, golden, status: 'ok', reason: null, objects };
  if (warnings.length) entry.warnings = warnings;
  Object.assign(entry, extra);
  return { entry, file: [golden, r.stdout] };
}

function main() {
  const args = process.argv.slice(2);
  const corpora = args.includes('--corpora');
  const check = args.includes('--check');
  const unknown = args.filter((a) => a !== '--corpora' && a !== '--check');
  if (unknown.length) {
    console.error(`usage: npm run goldens [-- --corpora] [-- --check]   (unknown: ${unknown.join(' ')})`);
    process.exit(2);
  }

  const corporaAbs = path.resolve(ROOT, CORPORA_REL);
  let jobs: Job[];
  let outDir: string;
  const absRoots: Array<[string, string]> = [];
  if (corpora) {
    if (!fs.existsSync(corporaAbs)) {
      console.error(`goldens: ${CORPORA_REL} is absent: nothing to do`);
      process.exit(0);
    }
    const real = fs.realpathSync(corporaAbs);
    outDir = path.join(ROOT, '.goldens-cache', 'corpora');
    absRoots.push([real + '/', CORPORA_REL + '/'], [real, CORPORA_REL]);
    jobs = findKustomizationDirs(real).map((abs) => ({
      abs,
      dir: posix(path.join(CORPORA_REL, path.relative(real, abs))),
      name: posix(path.relative(real, abs)).split('/').join('__'),
    }));
  } else {
    outDir = path.join(ROOT, 'test', 'goldens');
    jobs = ['test/fixtures', 'examples']
      .flatMap((top) => findKustomizationDirs(path.join(ROOT, top)))
      .map((abs) => {
        const rel = posix(path.relative(ROOT, abs));
        return { abs, dir: rel, name: rel.split('/').join('__') };
      });
  }
  absRoots.push([ROOT + '/', ''], [ROOT, '.']);
  jobs.sort((a, b) => byCodePoint(a.dir, b.dir));

  const v = versions();
  const entries: GoldenEntry[] = [];
  const files = new Map<string, string>();
  for (const job of jobs) {
    const { entry, file } = run(job, outDir, absRoots);
    entries.push(entry);
    if (file) files.set(file[0], file[1]);
    const tag = entry.status === 'ok' ? `ok (${entry.objects})` : entry.status;
    process.stderr.write(`${tag.padEnd(9)} ${entry.dir}${entry.status === 'ok' ? '' : `: ${entry.reason}`}\n`);
  }
  const counts = { ok: 0, error: 0, skipped: 0 };
  for (const e of entries) counts[e.status]++;
  const index: GoldenIndex = {
    generatedBy: corpora ? 'npm run goldens -- --corpora' : 'npm run goldens',
    kubectl: v.kubectl,
    kustomize: v.kustomize,
    root: '.',
    counts,
    entries,
  };
  files.set(posix(path.relative(ROOT, path.join(outDir, 'index.json'))), JSON.stringify(index, null, 2) + '\n');

  // Files of ours no longer produced (a fixture removed or renamed) are stale.
  const stale = fs.existsSync(outDir)
    ? fs
        .readdirSync(outDir)
        .filter((n) => n.endsWith('.yaml') || n.endsWith('.error.txt') || n === 'index.json')
        .map((n) => posix(path.relative(ROOT, path.join(outDir, n))))
        .filter((rel) => !files.has(rel))
    : [];

  if (check) {
    const changed = [...files].filter(([rel, text]) => {
      const abs = path.join(ROOT, rel);
      return !fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== text;
    });
    const out = [...changed.map(([rel]) => `changed: ${rel}`), ...stale.map((rel) => `stale:   ${rel}`)];
    if (out.length) {
      console.error(`goldens are out of date (run npm run goldens${corpora ? ' -- --corpora' : ''}):\n${out.join('\n')}`);
      process.exit(1);
    }
    console.log(`goldens up to date: ${counts.ok} ok, ${counts.error} error, ${counts.skipped} skipped`);
    return;
  }

  fs.mkdirSync(outDir, { recursive: true });
  for (const rel of stale) fs.rmSync(path.join(ROOT, rel));
  for (const [rel, text] of files) {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs) || fs.readFileSync(abs, 'utf8') !== text) fs.writeFileSync(abs, text);
  }
  console.log(
    `goldens: ${counts.ok} ok, ${counts.error} error, ${counts.skipped} skipped → ${posix(path.relative(ROOT, outDir))}/ ` +
      `(${v.kubectl}; ${v.kustomize})`,
  );
}

main();
