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

/** Runs `steps`, giving the event loop a turn at each yield; throws Cancelled when `token` is cancelled meanwhile. */
export async function runStepsAsync<T>(steps: Steps<T>, token?: CancellationToken): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await nextTurn();
    throwIfCancelled(token);
  }
}

/**
 * Runs `steps` in slices of about `sliceMs`: at the first yield past the slice, `pause` gives the event loop a turn
 * (a request waits one slice and one unit at most, and each turn costs far less than a turn per unit) and says
 * whether the work is still wanted. Undefined when it is not (the generator is closed); throws Cancelled when
 * `token` is cancelled.
 */
export async function runStepsPaced<T>(steps: Steps<T>, pause: () => Promise<boolean>, sliceMs: number, token?: CancellationToken): Promise<T | undefined> {
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
