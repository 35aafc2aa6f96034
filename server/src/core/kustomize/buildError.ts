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

/** A file the build needs is over this tool's size limit: not read, so the build stops (a `limit-exceeded` finding at
 *  the entry that names the file, never a "not found" kustomize would not say). */
export class FileLimitError extends BuildError {
  constructor(what: string, size: number, limit: number, file?: string, span?: Span) {
    super(`limit exceeded: ${what} is ${size} bytes, more than the ${limit} bytes read of a file; it is not read, so this build stops here`, file, span);
  }
}
