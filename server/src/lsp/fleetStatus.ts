// What the server is doing, for the user: work-done progress the server creates (`window/workDoneProgress/create`,
// then `$/progress`: any LSP client shows it) while the fleet is indexed, its contexts found and evaluated, and the
// `fluxFleet/status` notification the VS Code client's status bar item reads (repositories, files, evaluation).
// Short work shows no progress: an evaluation after a keystroke takes a few milliseconds, and a progress that
// flashes on every pause in typing is noise (issue 16: "the output channel is noisy" — so would the status bar be).
import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';

export const FLEET_STATUS = 'fluxFleet/status';
export const FLEET_STATUS_REQUEST = 'fluxFleet/status';

export interface FleetStatusWire {
  /** Repositories and YAML files of the fleet (0 before the first index). */
  repositories: number;
  files: number;
  indexing: boolean;
  /** Contexts being evaluated in the background: how many are built so far, of how many. */
  evaluating?: { done: number; total: number };
}

/** How long the index waits for the client to create its progress token. */
const CREATE_WAIT_MS = 1000;

/** Progress is shown only for work that lasts longer than this. */
export const PROGRESS_AFTER_MS = 400;

export interface FleetStatusHost {
  counts(): { repositories: number; files: number };
  /** Milliseconds before a progress shows (the initialization option `progressAfterMs`; tests: 0). */
  progressAfterMs?(): number | undefined;
}

export interface EvaluationProgress {
  report(done: number, total: number): void;
  done(): void;
}

export function fleetStatus(connection: Connection, host: FleetStatusHost) {
  let indexing = false;
  let evaluating: { done: number; total: number } | undefined;
  /** The evaluation whose progress is shown (a newer one supersedes it). */
  let current: object | undefined;
  const after = () => host.progressAfterMs?.() ?? PROGRESS_AFTER_MS;

  const status = (): FleetStatusWire => ({ ...host.counts(), indexing, ...(evaluating ? { evaluating: { ...evaluating } } : {}) });
  const send = () => void connection.sendNotification(FLEET_STATUS, status());

  /** A progress created once the work has lasted `after()` ms (never for work done before). */
  function lateProgress(title: string) {
    let reporter: WorkDoneProgressServerReporter | undefined;
    let ended = false;
    let last = { percentage: 0, message: '' };
    const create = () => {
      void connection.window.createWorkDoneProgress().then(
        (r) => {
          // Work that ended while the token was being created: begun and ended at once, so the client's progress closes.
          r.begin(title, last.percentage, last.message);
          if (ended) r.done();
          else reporter = r;
        },
        () => undefined,
      );
    };
    const timer = after() === 0 ? (create(), undefined) : setTimeout(create, after());
    return {
      report(percentage: number, message: string) {
        last = { percentage, message };
        reporter?.report(percentage, message);
      },
      done() {
        ended = true;
        clearTimeout(timer);
        reporter?.done();
      },
    };
  }

  return {
    status,
    /** Indexes the fleet (synchronous work) with a progress shown first, whatever it lasts: it is the first thing a user waits for. */
    async indexing<T>(roots: number, load: () => T | Promise<T>): Promise<T> {
      indexing = true;
      send();
      // The index never waits on the client for long: a progress token not given within a second is closed when it comes.
      let late = false;
      const created = connection.window.createWorkDoneProgress().then(
        (r) => {
          if (late) {
            r.begin('Flux Fleet');
            r.done();
            return undefined;
          }
          return r;
        },
        () => undefined,
      );
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => {
          late = true;
          resolve(undefined);
        }, CREATE_WAIT_MS);
      });
      const reporter = await Promise.race([created, waited]);
      clearTimeout(timer);
      reporter?.begin('Flux Fleet', undefined, `Indexing ${roots} workspace folder${roots === 1 ? '' : 's'}…`);
      // Let the begin reach the client before the index blocks the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        return await load();
      } finally {
        indexing = false;
        reporter?.done();
        send();
      }
    },
    /** Finding the contexts after a load: a count, as the total is not known before. */
    findingContexts(): { report(found: number): void; done(): void } {
      const p = lateProgress('Flux Fleet');
      return { report: (found) => p.report(0, `Finding contexts: ${found}`), done: () => p.done() };
    },
    /** One background evaluation; a newer one ends the progress of the one before. */
    evaluation(): EvaluationProgress {
      const me = {};
      current = me;
      const p = lateProgress('Flux Fleet');
      const started = Date.now();
      let shown = false;
      let lastSent = 0;
      return {
        report(done, total) {
          if (current !== me) return;
          evaluating = { done, total };
          p.report(total ? Math.floor((done / total) * 100) : 0, `Evaluating contexts ${done}/${total}`);
          // The status bar: only for work that lasts (like the progress), at most a few updates a second.
          const now = Date.now();
          if (now - started < after() || (shown && done !== total && now - lastSent < 250)) return;
          shown = true;
          lastSent = now;
          send();
        },
        done() {
          p.done();
          if (current !== me) return;
          current = undefined;
          evaluating = undefined;
          if (shown) send();
        },
      };
    },
    /** The counts changed (a load): tell the client. */
    changed: send,
  };
}
