// What a cached build depends on: every path it read (with what it read), its binary reads and its remote bases,
// recorded through its BuildOptions and compared again later. Shared by the folder builds (fluxBuild.ts) and the
// inner builds (innerBuilds.ts).
import type { BuildOptions } from '../kustomize/build';
import { FileTooLarge } from '../kustomize/generators';

/**
 * Every path a build read, with what it read (undefined: missing), its binary reads and remote bases. `bytes` and
 * `remotes` are NO_ENTRIES until the first one is recorded (recordBytes, recordRemote): most builds read no generator
 * input as bytes and no remote base, and two empty Maps (their tables made for four entries) of every folder and inner
 * build, kept to the end of a check, were some 0.4 MB of what the contexts pass's scavenges copied twice.
 */
export interface Reads {
  reads: Map<string, string | undefined>;
  bytes: ReadonlyMap<string, Uint8Array | undefined>;
  remotes: ReadonlyMap<string, string | undefined>;
  /**
   * The kept inner builds this build took (innerBuilds.ts), held with it: their objects and provenance maps are the
   * base of this build's copies, so while this build is kept, they cost little more and are found again.
   */
  inner?: object[];
}

/** The one empty map of every Reads' `bytes` and `remotes` until it records one (never written: see Reads). */
const NO_ENTRIES: ReadonlyMap<string, never> = new Map<string, never>();

export function noReads(): Reads {
  return { reads: new Map(), bytes: NO_ENTRIES, remotes: NO_ENTRIES };
}

/** `m` as a map of its own to record into: a copy of it (empty, for NO_ENTRIES), or itself when it is one already. */
function own<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return m === NO_ENTRIES ? new Map() : (m as Map<string, V>);
}

/** Records a binary read into `into` (its map made at the first one). */
export function recordBytes(into: Reads, p: string, bytes: Uint8Array | undefined): void {
  (into.bytes = own(into.bytes)).set(p, bytes);
}

/** Records a remote base's answer into `into` (its map made at the first one). */
export function recordRemote(into: Reads, url: string, folder: string | undefined): void {
  (into.remotes = own(into.remotes)).set(url, folder);
}

/** A copy of `m` to keep apart from it (NO_ENTRIES itself when it is empty: nothing to copy). */
export function copyEntries<V>(m: ReadonlyMap<string, V>): ReadonlyMap<string, V> {
  return m.size ? new Map(m) : NO_ENTRIES;
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
    for (const [p, bytes] of b.bytes) recordBytes(into, p, bytes);
    for (const [url, folder] of b.remotes) recordRemote(into, url, folder);
  }
}

/**
 * Options that record every read into `into`, passing each on to `options`. The functions and maps are taken once:
 * the options and the records differ in shape (a fleet's, an artifact's, a folder build's, an inner build's), and
 * reading them at each call made the recorders' optimized code meet new shapes, again and again.
 */
export function recording(options: BuildOptions, into: Reads): Recording {
  const { readFile, readBytes, resolveRemote } = options;
  // (`bytes` and `remotes` are read at each record: the first one replaces NO_ENTRIES, and `into` may be recorded into
  // by another recording too, a folder build's stage and its whole build)
  const { reads } = into;
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
      recordBytes(into, p, b);
      return b;
    }),
    resolveRemote: resolveRemote && ((url) => {
      const f = resolveRemote(url);
      recordRemote(into, url, f);
      return f;
    }),
  };
}

/** The records a build made through `recording` goes into (the innermost recording's), if any. */
export function recordsOf(options: BuildOptions): Reads | undefined {
  return isRecording(options) ? options.recorder.into : undefined;
}
