// The IDE facade's cancellation: the core's (core/cancel.ts), and `either` for a request's token plus "the fleet moved on".
import type { CancellationToken } from '../core/cancel';

export { Cancelled, NEVER_CANCELLED, throwIfCancelled, type CancellationToken } from '../core/cancel';

/** A token that is cancelled when either is: the client's, or "the fleet moved on since the request began". */
export function either(a: CancellationToken | undefined, b: () => boolean): CancellationToken {
  return {
    get isCancellationRequested() {
      return !!a?.isCancellationRequested || b();
    },
  };
}
