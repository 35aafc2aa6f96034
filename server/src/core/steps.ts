// Long work written once, run two ways: a generator that yields between units of work (a file batch indexed, one
// context built, one compared) runs to its end at once for the CLI and tests, or with a turn of the event loop at
// each yield for the server, so a hover waits for one unit at most, never for the whole. Both look at the
// cancellation token at every yield.
import { throwIfCancelled, type CancellationToken } from './cancel';

/** Work that yields between its units and returns a T. */
export type Steps<T> = Generator<void, T, void>;

/** One turn of the event loop: what is queued (a request, a timer) runs before the work goes on. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `steps` to the end without giving the event loop a turn (the CLI, tests). */
export function runSteps<T>(steps: Steps<T>, token?: CancellationToken): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    throwIfCancelled(token);
  }
}

/**
 * Runs `steps`, giving the event loop a turn before the first unit and at each yield (`turn`: the server's shared
 * line, see sharedTurns); throws Cancelled when `token` is cancelled meanwhile. The first unit waits too: work a timer
 * starts would otherwise run it before a request read in the same loop iteration.
 */
export async function runStepsAsync<T>(steps: Steps<T>, token?: CancellationToken, turn: () => Promise<void> = nextTurn): Promise<T> {
  await turn();
  throwIfCancelled(token);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await turn();
    throwIfCancelled(token);
  }
}

/**
 * Runs `steps` in slices of about `sliceMs`: before the first and at the first yield past each slice, `pause` gives the event loop a turn
 * (a request waits one slice and one unit at most, and each turn costs far less than a turn per unit) and says
 * whether the work is still wanted. Undefined when it is not (the generator is closed); throws Cancelled when
 * `token` is cancelled.
 */
export async function runStepsPaced<T>(steps: Steps<T>, pause: () => Promise<boolean>, sliceMs: number, token?: CancellationToken): Promise<T | undefined> {
  // The first slice waits for its turn too (see runStepsAsync).
  if (!(await pause())) {
    steps.return(undefined as T);
    return undefined;
  }
  throwIfCancelled(token);
  let sliceStart = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    throwIfCancelled(token);
    if (performance.now() - sliceStart < sliceMs) continue;
    if (!(await pause())) {
      steps.return(undefined as T);
      return undefined;
    }
    throwIfCancelled(token);
    sliceStart = performance.now();
  }
}

/**
 * Turns shared by the background jobs of one process (the server's evaluation, its publishing, the change impact):
 * each pause waits for its place in one line, and between any two units of work, whichever jobs they belong to, the
 * event loop gets two turns. A request read while a unit ran is then answered before the next unit. With a turn of
 * its own each, the request waited for a unit of every other job whose turn was queued before the one that
 * dispatches it: two or three units at 4x the synthetic fleet, where a unit may take 100 ms.
 */
export function sharedTurns(): () => Promise<void> {
  const line: Array<() => void> = [];
  let serving = false;
  const serve = async () => {
    serving = true;
    while (line.length) {
      // Two turns: a request read in the next turn's poll is dispatched by an immediate queued after the first one.
      await nextTurn();
      await nextTurn();
      line.shift()!();
    }
    serving = false;
  };
  return () =>
    new Promise<void>((resolve) => {
      line.push(resolve);
      if (!serving) void serve();
    });
}
