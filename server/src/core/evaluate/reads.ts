// What a cached build depends on: every path it read (with what it read), its binary reads and its remote bases,
// recorded through its BuildOptions and compared again later. Shared by the folder builds (fluxBuild.ts) and the
// inner builds (innerBuilds.ts).
import type { BuildOptions } from '../kustomize/build';
import { FileTooLarge } from '../kustomize/generators';

/** Every path a build read, with what it read (undefined: missing), its binary reads and remote bases. */
export interface Reads {
  reads: Map<string, string | undefined>;
  bytes: Map<string, Uint8Array | undefined>;
  remotes: Map<string, string | undefined>;
  /**
   * The kept inner builds this build took (innerBuilds.ts), held with it: their objects and provenance maps are the
   * base of this build's copies, so while this build is kept, they cost little more and are found again.
   */
  inner?: object[];
}

/** Where recording options record (see recordsOf). */
const RECORDS = Symbol('records');

export function noReads(): Reads {
  return { reads: new Map(), bytes: new Map(), remotes: new Map() };
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (a instanceof FileTooLarge || b instanceof FileTooLarge) return a instanceof FileTooLarge && b instanceof FileTooLarge && a.size === b.size;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reads every recorded path again through `options` (which may record them in turn): all the same? */
export function readsSame(b: Reads, options: BuildOptions): boolean {
  for (const [p, text] of b.reads) if (options.readFile(p) !== text) return false;
  for (const [p, bytes] of b.bytes) if (!sameBytes(options.readBytes?.(p), bytes)) return false;
  for (const [url, folder] of b.remotes) if (options.resolveRemote?.(url) !== folder) return false;
  return true;
}

/**
 * Options that record every read into `into`, passing each on to `options`. The functions and maps are taken once:
 * the options and the records differ in shape (a fleet's, an artifact's, a folder build's, an inner build's), and
 * reading them at each call made the recorders' optimized code meet new shapes, again and again.
 */
export function recording(options: BuildOptions, into: Reads): BuildOptions {
  const { readFile, readBytes, resolveRemote } = options;
  const { reads, bytes, remotes } = into;
  return {
    ...options,
    [RECORDS]: into,
    readFile: (p) => {
      const t = readFile(p);
      reads.set(p, t);
      return t;
    },
    readBytes: readBytes && ((p) => {
      const b = readBytes(p);
      bytes.set(p, b);
      return b;
    }),
    resolveRemote: resolveRemote && ((url) => {
      const f = resolveRemote(url);
      remotes.set(url, f);
      return f;
    }),
  } as BuildOptions;
}

/** The records a build made through `recording` goes into (the innermost recording's), if any. */
export function recordsOf(options: BuildOptions): Reads | undefined {
  return (options as { [RECORDS]?: Reads })[RECORDS];
}
