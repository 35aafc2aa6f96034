// Cancellation: every IDE function takes a token and checks it between units of work. A request is cancelled when
// the client says so ($/cancelRequest) or when a newer edit supersedes the fleet version it started on.
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const NEVER_CANCELLED: CancellationToken = { isCancellationRequested: false };

/** Thrown by `throwIfCancelled`; the LSP layer answers the request with RequestCancelled. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new Cancelled();
}

/** A token that is cancelled when either is: the client's, or "the fleet moved on since the request began". */
export function either(a: CancellationToken | undefined, b: () => boolean): CancellationToken {
  return {
    get isCancellationRequested() {
      return !!a?.isCancellationRequested || b();
    },
  };
}
