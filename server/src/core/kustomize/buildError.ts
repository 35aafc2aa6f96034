import type { Span } from '../text';

/** A build failure kustomize would report (the build stops; the message says where). */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly span?: Span,
    /** Other places the failure involves (the first of two resources with one id). */
    readonly related?: Array<{ file: string; span?: Span; message: string }>,
  ) {
    super(message);
  }
}
