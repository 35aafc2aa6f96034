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

/** Options made by `recording`: the options they read through and the reads they record into. */
export interface Recording extends BuildOptions {
  readonly recorder: { readonly through: BuildOptions; readonly into: Reads; readonly readFile: BuildOptions['readFile'] };
}

/** Options made by `recording` (not options spread from them with a reader of their own: their readFile is another). */
function isRecording(options: BuildOptions): options is Recording {
  const r = (options as Partial<Recording>).recorder;
  return r !== undefined && r.readFile === options.readFile;
}

/** The options a chain of `recording` reads through in the end (a fleet's, an artifact's), and every record along it. */
export function recordedThrough(options: BuildOptions): { source: BuildOptions; records: Reads[] } {
  const records: Reads[] = [];
  let o = options;
  for (; isRecording(o); o = o.recorder.through) records.push(o.recorder.into);
  return { source: o, records };
}

/**
 * Records `b`'s reads into `records` as reading them again through options that read the same would (readsSame: the
 * same order, the same answers), without reading: for reads known to be the same (innerBuilds.ts).
 */
export function recordAgain(b: Reads, records: readonly Reads[]): void {
  for (const into of records) {
    for (const [p, text] of b.reads) into.reads.set(p, text);
    for (const [p, bytes] of b.bytes) into.bytes.set(p, bytes);
    for (const [url, folder] of b.remotes) into.remotes.set(url, folder);
  }
}

/**
 * Options that record every read into `into`, passing each on to `options`. The functions and maps are taken once:
 * the options and the records differ in shape (a fleet's, an artifact's, a folder build's, an inner build's), and
 * reading them at each call made the recorders' optimized code meet new shapes, again and again.
 */
export function recording(options: BuildOptions, into: Reads): Recording {
  const { readFile, readBytes, resolveRemote } = options;
  const { reads, bytes, remotes } = into;
  const recordRead = (p: string): string | undefined => {
    const t = readFile(p);
    reads.set(p, t);
    return t;
  };
  return {
    ...options,
    recorder: { through: options, into, readFile: recordRead },
    readFile: recordRead,
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
  };
}

/** The records a build made through `recording` goes into (the innermost recording's), if any. */
export function recordsOf(options: BuildOptions): Reads | undefined {
  return isRecording(options) ? options.recorder.into : undefined;
}
