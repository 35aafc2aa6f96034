// Cancelling a baseline load: the token is structurally the IDE's CancellationToken (ide/cancel.ts; the core does not
// import ide/). A cancelled load throws BaselineCancelled; the IDE layer answers it as its own cancellation.

export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export class BaselineCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

export function throwIfCancelled(token: Cancellation | undefined): void {
  if (token?.isCancellationRequested) throw new BaselineCancelled();
}
