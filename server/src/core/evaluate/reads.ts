// What a cached build depends on: every path it read (with what it read), its binary reads and its remote bases,
// recorded through its BuildOptions and compared again later. Shared by the folder builds (fluxBuild.ts) and the
// inner builds (innerBuilds.ts). A build's reads are those in its own maps and those of the kept inner builds it holds
// (Reads.inner), each recorded once: readsAlong gives them all.
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
   * base of this build's copies, so while this build is kept, they cost little more and are found again. What they read
   * is this build's reads too, kept in their maps only: each includer copying every read of every base it took (and
   * of theirs) made 66,000 entries of the synthetic fleet's 1,300 builds' maps where 11,000 are each one's own, some
   * 2 MB kept to the end of a check and copied twice by the contexts pass's scavenges.
   */
  inner?: object[];
  /**
   * Where each of `inner` was taken: for inner[i], this build's reads.size at innerAt[2i] and bytes.size at innerAt[2i+1]
   * (what it had read by then). The files it read are listed in the order it read them (filesRead, flatReads), a base's
   * where it took the base, as when every read was copied into its maps: the change impact names the first changed
   * kustomization file of that order as an edit's cause (impact/contextImpact.ts).
   */
  innerAt?: number[];
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


export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (a instanceof FileTooLarge || b instanceof FileTooLarge) return a instanceof FileTooLarge && b instanceof FileTooLarge && a.size === b.size;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `b` and every kept inner build it holds (Reads.inner, and theirs), each once: the records that make up its reads. */
export function readsAlong(b: Reads): Reads[] {
  const out = [b];
  if (!b.inner?.length) return out;
  const seen = new Set<object>(out);
  for (let i = 0; i < out.length; i++) {
    for (const e of out[i].inner ?? []) {
      if (seen.has(e)) continue;
      seen.add(e);
      out.push(e as Reads);
    }
  }
  return out;
}

/** Every file `b` read, as text or bytes, once each: its texts in the order read, then its binary reads in that order. */
export function filesRead(b: Reads): string[] {
  const out = new Set<string>();
  inReadOrder(b, 0, (p) => out.add(p));
  inReadOrder(b, 1, (p) => out.add(p));
  return [...out];
}

/**
 * Calls `each` with every key of `b`'s reads (slot 0) or bytes (slot 1) and those of the inner builds it holds, in the
 * order they were read: an inner build's where it was taken (innerAt), before the keys read after it.
 */
function inReadOrder(b: Reads, slot: 0 | 1, each: (p: string, r: Reads) => void, seen = new Set<object>()): void {
  const inner = b.inner ?? [];
  const at = b.innerAt ?? [];
  let k = 0;
  const visit = () => {
    const e = inner[k++];
    if (seen.has(e)) return;
    seen.add(e);
    inReadOrder(e as Reads, slot, each, seen);
  };
  let i = 0;
  for (const p of (slot === 0 ? b.reads : b.bytes).keys()) {
    while (k < inner.length && (at[2 * k + slot] ?? Infinity) <= i) visit();
    each(p, b);
    i++;
  }
  while (k < inner.length) visit();
}

/** Every read of `b` in maps of its own (the first of each path, in the order read): a copy to keep apart from them. */
export function flatReads(b: Reads): Reads {
  const out = noReads();
  inReadOrder(b, 0, (p, r) => {
    if (!out.reads.has(p)) out.reads.set(p, r.reads.get(p));
  });
  inReadOrder(b, 1, (p, r) => {
    if (!out.bytes.has(p)) recordBytes(out, p, r.bytes.get(p));
  });
  for (const r of readsAlong(b)) {
    r.remotes.forEach((folder, url) => {
      if (!out.remotes.has(url)) recordRemote(out, url, folder);
    });
  }
  return out;
}

/** Makes `into` hold `entry`, taken after what `into` has read so far (keeps where: Reads.innerAt). */
export function hold(into: Reads, entry: Reads): void {
  if (into.inner?.includes(entry)) return;
  (into.inner ??= []).push(entry);
  (into.innerAt ??= []).push(into.reads.size, into.bytes.size);
}

/** Reads every recorded path again through `options` (which may record them in turn): all the same? */
export function readsSame(b: Reads, options: BuildOptions): boolean {
  for (const r of readsAlong(b)) {
    for (const [p, text] of r.reads) if (options.readFile(p) !== text) return false;
    for (const [p, bytes] of r.bytes) if (!sameBytes(options.readBytes?.(p), bytes)) return false;
    for (const [url, folder] of r.remotes) if (options.resolveRemote?.(url) !== folder) return false;
  }
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
 * Records `b`'s own reads into `into`, and makes it hold what `b` held: for a build that is not kept (an inner build
 * that failed), whose reads are then its includer's own.
 */
export function passOn(b: Reads, into: Reads): void {
  const reads0 = into.reads.size;
  const bytes0 = into.bytes.size;
  b.reads.forEach((text, p) => into.reads.set(p, text));
  b.bytes.forEach((bytes, p) => recordBytes(into, p, bytes));
  b.remotes.forEach((folder, url) => recordRemote(into, url, folder));
  // (those it held: where it took them among its reads, now placed after what `into` had read; paths `into` had read
  // already stay where they were, so a place is at most what `into` holds)
  const inner = b.inner ?? [];
  for (let k = 0; k < inner.length; k++) {
    if (into.inner?.includes(inner[k])) continue;
    (into.inner ??= []).push(inner[k]);
    (into.innerAt ??= []).push(Math.min(into.reads.size, reads0 + (b.innerAt?.[2 * k] ?? 0)), Math.min(into.bytes.size, bytes0 + (b.innerAt?.[2 * k + 1] ?? 0)));
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
