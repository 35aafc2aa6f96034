#!/usr/bin/env node
// Headless Neovim as a real LSP client of dist/server.js (run `npm run build` first).
//   npm run build && npm run test:nvim
// Runs `nvim --headless --clean -u test/nvim/lsp_test.lua` with XDG_* in a fresh temp dir, a hard timeout, and prints
// one line per scenario plus `N passed, N failed`. Exit 1 on any failure, including a missing nvim (never skipped).
// Needs Neovim >= 0.7 (Debian: `apt-get install -y neovim`).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import git from 'isomorphic-git';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const server = path.join(root, 'dist/server.js');
const script = path.join(here, 'lsp_test.lua');
const fleet = path.join(root, 'test/fixtures/fleet');
const broken = path.join(root, 'test/fixtures/broken');
const shapes = path.join(root, 'test/fixtures/real-shapes');
const operator = path.join(root, 'test/fixtures/operator-fleet');
const generated = path.join(root, 'test/fixtures/operator-generated/platform');
const tenants = path.join(root, 'test/fixtures/tenants');
const impactFixture = path.join(root, 'test/fixtures/impact-editor/fleet');
const timeoutMs = Number(process.env.FLUX_NVIM_TIMEOUT_MS ?? 60000);
const nvimBin = process.env.NVIM_BIN ?? 'nvim';

function die(msg) {
  console.error(`test:nvim: ${msg}`);
  process.exit(1);
}

const version = spawnSync(nvimBin, ['--version'], { encoding: 'utf8' });
if (version.error || version.status !== 0) {
  die(`Neovim (\`${nvimBin}\`) not found or not runnable (${version.error?.message ?? `exit ${version.status}`}).\n` +
    '  Install it (Debian/Ubuntu: `apt-get install -y neovim`, 0.7 or newer) — this test is never skipped.');
}
const nvimVersion = version.stdout.split('\n')[0];
const m = /NVIM v(\d+)\.(\d+)/.exec(nvimVersion);
if (!m || Number(m[1]) === 0 && Number(m[2]) < 7) die(`Neovim 0.7 or newer needed, found: ${nvimVersion}`);
if (!fs.existsSync(server)) die(`${path.relative(root, server)} is missing: run \`npm run build\` first.`);
for (const p of [script, fleet, broken, shapes, operator, generated]) if (!fs.existsSync(p)) die(`${path.relative(root, p)} is missing.`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-fleet-nvim-'));
// The Fleet Impact scenario compares with HEAD: a copy of its fixture made a Git repository here (isomorphic-git).
const impactFleet = path.join(fs.realpathSync(tmp), 'fleet');
fs.cpSync(impactFixture, impactFleet, { recursive: true });
await git.init({ fs, dir: impactFleet, defaultBranch: 'main' });
const filesUnder = (d) => fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.name !== '.git').flatMap((e) => (e.isDirectory() ? filesUnder(path.join(d, e.name)) : [path.relative(impactFleet, path.join(d, e.name))]));
for (const filepath of filesUnder(impactFleet)) await git.add({ fs, dir: impactFleet, filepath });
const author = { name: 'Flux Fleet tests', email: 'tests@flux-fleet.invalid', timestamp: 1764892800, timezoneOffset: 0 };
await git.commit({ fs, dir: impactFleet, message: 'the fleet as deployed', author, committer: author });
// Add tenant writes nothing here, but it needs the new tenant's folder in the workspace: a copy of the tenants
// fixture with an empty team-gamma beside it.
const addFleet = path.join(fs.realpathSync(tmp), 'add-tenant');
fs.cpSync(tenants, addFleet, { recursive: true });
fs.mkdirSync(path.join(addFleet, 'team-gamma'));
// Add app (the values a base requires, sent as the request's values): test/fixtures/add-app, read only.
const addAppFleet = path.join(root, 'test/fixtures/add-app/platform');
const resultFile = path.join(tmp, 'result.json');
const env = { ...process.env };
for (const k of Object.keys(env)) if (k.startsWith('NVIM') || k === 'VIMINIT' || k === 'MYVIMRC') delete env[k];
Object.assign(env, {
  XDG_CONFIG_HOME: path.join(tmp, 'config'),
  XDG_DATA_HOME: path.join(tmp, 'data'),
  XDG_STATE_HOME: path.join(tmp, 'state'),
  XDG_CACHE_HOME: path.join(tmp, 'cache'),
  XDG_RUNTIME_DIR: path.join(tmp, 'run'),
  NVIM_LOG_FILE: path.join(tmp, 'nvim.log'),
  FLUX_NVIM_SERVER: server,
  FLUX_NVIM_FLEET: fleet,
  FLUX_NVIM_BROKEN: broken,
  FLUX_NVIM_SHAPES: shapes,
  FLUX_NVIM_OPERATOR: operator,
  FLUX_NVIM_GENERATED: generated,
  FLUX_NVIM_TENANTS: tenants,
  FLUX_NVIM_ADD: addFleet,
  FLUX_NVIM_ADD_APP: addAppFleet,
  FLUX_NVIM_IMPACT: impactFleet,
  FLUX_NVIM_RESULT: resultFile,
});
for (const d of ['config', 'data', 'state', 'cache', 'run']) fs.mkdirSync(path.join(tmp, d), { mode: 0o700 });

const started = process.hrtime.bigint();
const child = spawn(nvimBin, ['--headless', '--clean', '-u', script], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true, // own process group, so a timeout kills nvim and the server it started
});
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}, timeoutMs);
const { code, signal } = await new Promise((resolve) => child.on('close', (c, s) => resolve({ code: c, signal: s })));
clearTimeout(timer);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;

let results;
try {
  results = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
} catch (e) {
  results = undefined;
}

console.log(`${nvimVersion} — server ${path.relative(root, server)}`);
let passed = 0;
let failed = 0;
for (const s of results?.scenarios ?? []) {
  if (s.ok) passed++;
  else failed++;
  const detail = String(s.detail ?? '').replace(/\s*\n\s*/g, ' ⏎ ');
  console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.ms} ms)${detail ? ` — ${detail}` : ''}`);
}
const problems = [];
if (timedOut) problems.push(`nvim killed after the ${timeoutMs} ms timeout`);
else if (code !== 0) problems.push(`nvim exited with ${code ?? signal}`);
if (!results) problems.push(`no results in ${resultFile}`);
else if (!results.scenarios?.length) problems.push('no scenarios ran');
else if (results.shutdown_clean === false) problems.push('the server did not exit within 3 s of shutdown');
if (problems.length) {
  failed++;
  console.log(`FAIL run — ${problems.join('; ')}`);
  if (output.trim()) console.log(`nvim output:\n${output.trim()}`);
  const log = path.join(tmp, 'state/nvim/lsp.log');
  const altLog = path.join(tmp, 'cache/nvim/lsp.log');
  for (const l of [log, altLog]) if (fs.existsSync(l)) console.log(`lsp.log (${l}):\n${fs.readFileSync(l, 'utf8').slice(-4000)}`);
}
if (results) {
  const scen = (results.scenarios ?? []).reduce((a, s) => a + (s.ms ?? 0), 0);
  console.log(
    `timing: wall ${wallMs.toFixed(0)} ms (nvim inside: ${Number(results.total_ms ?? 0).toFixed(0)} ms, scenarios ${scen.toFixed(0)} ms, ` +
      `shutdown ${Number(results.shutdown_ms ?? 0).toFixed(0)} ms)`,
  );
}
console.log(`${passed} passed, ${failed} failed`);
if (failed === 0) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`(kept ${tmp} for inspection)`);
process.exit(failed === 0 ? 0 : 1);
