// Cancellation: long work takes a token and checks it between units of work. A request is cancelled when the client
// says so ($/cancelRequest) or when a newer edit supersedes the fleet version it started on. The core checks tokens
// (a baseline load, the change impact); the IDE facade re-exports these (ide/cancel.ts) and the LSP layer answers
// Cancelled with RequestCancelled.
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const NEVER_CANCELLED: CancellationToken = { isCancellationRequested: false };

/** Thrown by `throwIfCancelled`. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new Cancelled();
}
