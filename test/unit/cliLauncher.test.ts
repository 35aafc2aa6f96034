// dist/cli.js, the `flux-fleet` command, starts node again with the CLI's options where node was not started with them
// (server/src/nodeOptions.ts, server/src/cliLauncher.ts): the options it decides, and the launch itself, run as a user
// runs it, on the one core `taskset` gives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliRelaunchArgv, nodeOptionsArgs, serverExecArgv, v8PoolSize } from '../../server/src/nodeOptions';

const root = path.resolve(__dirname, '../..');
const CLI = path.join(root, 'dist/cli.js');

test('V8 gets one worker thread fewer than the cores, at least one, at most node default 4', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 8, 64].map(v8PoolSize), [1, 1, 2, 3, 4, 4, 4]);
  assert.ok(serverExecArgv(2).includes('--v8-pool-size=1'));
  assert.ok(serverExecArgv(2).includes('--heap-growing-percent=20'));
});

test('the CLI starts node again only when the pool it wants is neither given nor node default', () => {
  assert.deepEqual(cliRelaunchArgv([], undefined, 2), ['--v8-pool-size=1']);
  assert.deepEqual(cliRelaunchArgv(['--import', 'tsx'], '', 4), ['--v8-pool-size=3']);
  // Node's default is what it wants: no second node.
  assert.equal(cliRelaunchArgv([], undefined, 8), undefined);
  // The user's choice stands, on the command line or in NODE_OPTIONS, and the second node does not start a third.
  assert.equal(cliRelaunchArgv(['--v8-pool-size=1'], undefined, 2), undefined);
  assert.equal(cliRelaunchArgv([], '--max-old-space-size=4096 --v8-pool-size=2', 2), undefined);
  assert.equal(cliRelaunchArgv([], '--v8_pool_size=2', 2), undefined);
  assert.deepEqual(cliRelaunchArgv([], '--max-old-space-size=4096', 2), ['--v8-pool-size=1']);
});

test('NODE_OPTIONS is read as node reads it: double quotes, escapes, spaces', () => {
  assert.deepEqual(nodeOptionsArgs(' --require "/a b/x.js"  "--v8-pool-size=2" --title="my \\"cli\\""'), ['--require', '/a b/x.js', '--v8-pool-size=2', '--title=my "cli"']);
  assert.equal(cliRelaunchArgv([], '--require "/a b/x.js" "--v8-pool-size=2"', 2), undefined);
  assert.equal(cliRelaunchArgv([], '"--inspect"', 2), undefined);
  // A path that holds the words is a path.
  assert.deepEqual(cliRelaunchArgv([], '--require "/tmp/ --inspect /x.js"', 2), ['--v8-pool-size=1']);
});

test('under a debugger or profiler the CLI runs in the node the user started', () => {
  for (const a of ['--inspect', '--inspect=127.0.0.1:9230', '--inspect-brk', '--inspect_wait=9231', '--cpu-prof', '--heap-prof', '--prof', '--trace-event-categories=v8,node', '--trace-events-enabled']) {
    assert.equal(cliRelaunchArgv([a], undefined, 2), undefined, a);
    assert.equal(cliRelaunchArgv([], `--max-old-space-size=4096 ${a}`, 2), undefined, `NODE_OPTIONS ${a}`);
  }
  // Options that only look alike start the second node.
  assert.deepEqual(cliRelaunchArgv(['--inspect-port=9230', '--prof-process'], undefined, 2), ['--v8-pool-size=1']);
});

const taskset = ['/usr/bin/taskset', '/bin/taskset'].find((f) => fs.existsSync(f));
const canPin = taskset !== undefined && process.platform === 'linux' && os.availableParallelism() >= 1;

/** The children of a process (Linux: every thread's children file; a thread may end between the list and the read). */
function childrenOf(pid: number): number[] {
  const tasks = fs.readdirSync(`/proc/${pid}/task`);
  const read = (t: string) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8');
    } catch {
      return '';
    }
  };
  return tasks.flatMap((t) => read(t).trim().split(/\s+/).filter(Boolean).map(Number));
}

const cmdline = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);

test('on one core: a second node with --v8-pool-size=1 runs the command; exit code and output pass through', { skip: !canPin && 'needs Linux and taskset' }, () => {
  const r = spawnSync(taskset!, ['-c', '0', process.execPath, CLI, 'check', '--format', 'json', 'test/fixtures/broken'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.ok((JSON.parse(r.stdout) as Array<{ code: string }>).some((x) => x.code === 'path-not-found'));
  const usage = spawnSync(taskset!, ['-c', '0', process.execPath, CLI, 'no-such-command'], { cwd: root, encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /Usage: flux-fleet/);
});

test('a CPU profile of the CLI is the check\'s, and the only one', { skip: !canPin && 'needs Linux and taskset' }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-fleet-launcher-'));
  try {
    const r = spawnSync(taskset!, ['-c', '0', process.execPath, '--cpu-prof', `--cpu-prof-dir=${tmp}`, CLI, 'check', 'test/fixtures/broken'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const profiles = fs.readdirSync(tmp);
    assert.equal(profiles.length, 1, profiles.join(', '));
    const profile = JSON.parse(fs.readFileSync(path.join(tmp, profiles[0]), 'utf8')) as { nodes: Array<{ callFrame: { url: string } }> };
    assert.ok(profile.nodes.some((n) => n.callFrame.url.endsWith('/dist/cliMain.js')), 'the profile has no frame of the CLI');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

/**
 * The launcher pinned to one core, with a preload (both nodes get NODE_OPTIONS) that keeps only the relaunched node
 * alive after the command: the one started with --v8-pool-size. Its second node found, the test runs.
 */
async function withHeldLaunch(fn: (launcher: ChildProcess, ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>, child: number) => Promise<void>): Promise<void> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-fleet-launcher-'));
  let child: number | undefined;
  try {
    const hold = path.join(tmp, 'hold.js');
    fs.writeFileSync(hold, "if (process.execArgv.some((a) => a.startsWith('--v8-pool-size'))) setTimeout(() => {}, 60000);\n");
    const env = { ...process.env, NODE_OPTIONS: `--require ${hold}` };
    const pinned = spawn(taskset!, ['-c', '0', process.execPath, CLI, 'check', 'test/fixtures/broken'], { cwd: root, env, stdio: 'ignore' });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => pinned.on('exit', (code, signal) => resolve({ code, signal })));
    // taskset execs node: the pinned process is the launcher.
    for (let i = 0; i < 200 && child === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      child = childrenOf(pinned.pid!).find((c) => cmdline(c).includes(CLI));
    }
    assert.ok(child !== undefined, 'no second node');
    await fn(pinned, ended, child);
  } finally {
    if (child !== undefined && running(child)) process.kill(child, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Whether a process runs (an orphan that ended stays a zombie where nothing reaps it, as in some containers). */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

test('the second node has the options, and a signal to the first ends both, with the signal', { skip: !canPin && 'needs Linux and taskset' }, async () => {
  await withHeldLaunch(async (pinned, ended, child) => {
    assert.deepEqual(cmdline(child).slice(1, cmdline(child).indexOf(CLI)), ['--v8-pool-size=1']);
    assert.deepEqual(cmdline(child).slice(cmdline(child).indexOf(CLI) + 1), ['check', 'test/fixtures/broken']);
    pinned.kill('SIGTERM');
    assert.deepEqual(await ended, { code: null, signal: 'SIGTERM' });
    assert.ok(!fs.existsSync(`/proc/${child}`), 'the second node outlived the first');
  });
});

// `kill -9` on the launcher, or a harness's timeout with SIGKILL (node's execFile kills only the process it started):
// the second node would run the whole check on, orphaned, its output after the caller moved on.
test('a SIGKILL to the first node ends the second too', { skip: !canPin && 'needs Linux and taskset' }, async () => {
  await withHeldLaunch(async (pinned, ended, child) => {
    pinned.kill('SIGKILL');
    assert.deepEqual(await ended, { code: null, signal: 'SIGKILL' });
    for (let i = 0; i < 100 && running(child); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(!running(child), 'the second node runs on without the first');
  });
});
