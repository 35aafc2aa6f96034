// The node options our processes start with, decided in one place from the machine they run on:
// - the language server's: every client passes them (client/src/extension.ts, test/helpers/lspClient.ts), so the
//   benches measure the process the editor runs;
// - the CLI's: cliLauncher.ts (dist/cli.js) starts node again with them when node was not started so.
// Plain functions of the core count: the client bundles this file, nothing of the server.
import * as os from 'node:os';

/** Node's own size of V8's worker pool (`--v8-pool-size`), used when none is given. */
export const NODE_DEFAULT_V8_POOL = 4;

/**
 * V8's worker threads (concurrent optimizing compilation, GC helpers): one fewer than the cores, at most Node's 4.
 * Node starts 4 whatever the machine. On 2 cores those threads took the main thread's core: the whole check of the
 * synthetic fleet (scripts/bench-check.ts, same minute, alternating, 3 runs each) ran 3.63-3.97 s with 4,
 * 3.38-3.56 s with 2 and 3.06-3.11 s with 1, and the helpers' own CPU fell from ~3.0 s to ~2.3 s. Compilation and GC
 * still run beside the main thread, on the core it leaves.
 */
export function v8PoolSize(cpus: number): number {
  return Math.max(1, Math.min(NODE_DEFAULT_V8_POOL, Math.floor(cpus) - 1));
}

/** The cores this process may use. */
export function machineCpus(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : Math.max(1, os.cpus().length);
}

/**
 * The language server's options. The old generation grows by at most 20% of what survived the last full GC before the
 * next one. V8's own factor on a machine with a few GB to spare is up to 4x, and the server's allocation rate (the
 * background evaluation) always earns it: on the synthetic fleet (12k files) about 300 MB live after the first
 * evaluation let the heap reach 600–900 MB before a full GC, most of it garbage (issue 12's peak RSS;
 * scripts/benchServerMemory.ts shows when). At 20% the peak follows what is live; a full GC then runs every ~60 MB
 * promoted, mostly marked concurrently.
 */
export function serverExecArgv(cpus: number): string[] {
  return ['--heap-growing-percent=20', `--v8-pool-size=${v8PoolSize(cpus)}`];
}

/** The CLI's options (a check is one long burst of compilation and allocation on a machine it may share). */
export function cliExecArgv(cpus: number): string[] {
  return [`--v8-pool-size=${v8PoolSize(cpus)}`];
}

/**
 * The options to start the CLI again with, or undefined when this process already runs as they say: node was given a
 * pool size (on its command line or in NODE_OPTIONS: the user's choice stands), or the wanted size is node's default,
 * or node runs under a debugger or profiler. Those options reach a second node too (its execArgv, NODE_OPTIONS), and
 * the user observes the node they started: `--inspect` left the debugger on the launcher (the second node's inspector
 * found the port taken), `--cpu-prof-name=x` had the launcher's idle profile overwrite the check's, `--cpu-prof-dir`
 * got two profiles, and node_trace.1.log (`--trace-event-categories`) held only the launcher's events. So the CLI
 * runs in that node, with the pool it was given.
 */
export function cliRelaunchArgv(execArgv: readonly string[], nodeOptions: string | undefined, cpus: number): string[] | undefined {
  const options = [...execArgv, ...nodeOptionsArgs(nodeOptions ?? '')];
  const given = options.some((a) => /^--v8[-_]pool[-_]size(=|$)/.test(a));
  const observed = options.some((a) => /^--(inspect|inspect[-_]brk|inspect[-_]wait|cpu[-_]prof|heap[-_]prof|prof|trace[-_]event[-_]categories|trace[-_]events[-_]enabled)(=|$)/.test(a));
  if (given || observed || v8PoolSize(cpus) === NODE_DEFAULT_V8_POOL) return undefined;
  return cliExecArgv(cpus);
}

/**
 * NODE_OPTIONS as node reads it (node_options.cc ParseNodeOptionsEnvVar): split at spaces outside double quotes, the
 * quotes dropped, a backslash inside them escaping the next character. `"--v8-pool-size=2"` is the user's pool too.
 */
export function nodeOptionsArgs(value: string): string[] {
  const args: string[] = [];
  let current: string | undefined;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted && c === '\\' && i + 1 < value.length) current = (current ?? '') + value[++i];
    else if (c === '"') quoted = !quoted;
    else if (c === ' ' && !quoted) {
      if (current !== undefined) args.push(current);
      current = undefined;
    } else current = (current ?? '') + c;
  }
  if (current !== undefined) args.push(current);
  return args;
}
