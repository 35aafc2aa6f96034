// dist/cli.js, the `flux-fleet` command: runs the CLI (cli.ts, bundled as dist/cliMain.js) in a node started with the
// CLI's options (nodeOptions.ts). Node's options cannot change once it runs, so where they differ from how this node
// was started, it starts node again: the same node binary (process.execPath) on this same file, never a program
// from the workspace; the child gets them and runs the CLI itself. The parent only waits: signals are passed on, and
// it ends as the child ended (exit code, or the same signal). A SIGKILL cannot be passed on, but the child learns of
// it: the launcher holds the child's IPC channel, which closes when the launcher dies, and the child then ends (with
// SIGTERM) rather than run on beside the caller that killed its launcher. A harness that must kill the check itself
// starts node with the options (test/helpers/fuzz.ts).
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { cliRelaunchArgv, machineCpus } from './nodeOptions';

const relaunch = cliRelaunchArgv(process.execArgv, process.env.NODE_OPTIONS, machineCpus());
if (relaunch === undefined) {
  // Started by a launcher (or any parent with an IPC channel): it ends when that parent is gone. Unreferenced: the
  // channel alone does not keep this node running.
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  }
  // A bundle of its own, loaded only here: the parent of a relaunch never reads it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./cliMain.js') as typeof import('./cli')).runFromCommandLine();
} else {
  const child = spawn(process.execPath, [...process.execArgv, ...relaunch, __filename, ...process.argv.slice(2)], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  // On Windows node sees SIGINT and SIGHUP only as console events (Ctrl-C, the window closing), which the console
  // sends the child too; kill() there can only terminate it, and throws ENOSYS for SIGHUP (libuv). So the launcher
  // only waits there, and ends with the child's exit code.
  for (const s of signals) process.on(s, () => process.platform !== 'win32' && child.kill(s));
  child.on('error', (e) => {
    process.stderr.write(`flux-fleet: cannot start node again (${e.message})\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 2);
    for (const s of signals) process.removeAllListeners(s);
    process.exitCode = 128 + (os.constants.signals[signal] ?? 0);
    process.kill(process.pid, signal);
  });
}
