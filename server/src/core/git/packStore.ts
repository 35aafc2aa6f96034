// Objects of a repository's packfiles, read synchronously: the version 2 pack index (fanout, sorted ids, offsets) and
// the pack's entries (zlib streams, OFS_DELTA / REF_DELTA against a base in the same packs), inflated with node's zlib.
// isomorphic-git reads the same objects, but one promise chain and a pure-JavaScript inflate per object made a
// whole tree several times slower than reading its files from disk (issue 15 asks for 1.5x); it still resolves refs
// and reads loose objects (objects.ts). Bases of deltas are kept while the store lives (a chain is inflated once).
import { inflateSync } from 'node:zlib';
import type { ReadOnlyGitFs } from './readOnlyGitFs';

export type ObjectType = 'commit' | 'tree' | 'blob' | 'tag';
export interface GitObject {
  type: ObjectType;
  bytes: Uint8Array;
}

const TYPES: Array<ObjectType | undefined> = [undefined, 'commit', 'tree', 'blob', 'tag'];
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** Delta chains git writes are at most 50 deep by default; a longer one (or a loop) is refused. */
const MAX_DELTA_DEPTH = 10000;
/** Bytes of delta bases kept for the chains still to read. */
const BASE_CACHE_BYTES = 64 * 1024 * 1024;

/** Thrown for a pack that does not read as one (corrupt, truncated, or not what its index says). */
export class BadPack extends Error {}

class Pack {
  private readonly fanout: Uint32Array;
  private readonly count: number;
  private readonly ids: Uint8Array;
  /** Every entry's offset, sorted: an entry's zlib stream ends where the next entry starts. */
  private readonly ends: Float64Array;
  private readonly view: DataView;
  /** Delta bases read (by entry offset), while the store's budget lasts. */
  readonly bases = new Map<number, GitObject>();

  constructor(
    readonly name: string,
    private readonly idx: Uint8Array,
    readonly pack: Uint8Array,
  ) {
    const view = new DataView(idx.buffer, idx.byteOffset, idx.byteLength);
    this.view = view;
    if (idx.length < 8 + 256 * 4 + 40 || view.getUint32(0) !== 0xff744f63 || view.getUint32(4) !== 2) throw new BadPack(`${name}: not a version 2 pack index`);
    this.fanout = new Uint32Array(256);
    for (let i = 0; i < 256; i++) this.fanout[i] = view.getUint32(8 + i * 4);
    this.count = this.fanout[255];
    const need = 8 + 1024 + this.count * 28 + 40;
    if (idx.length < need) throw new BadPack(`${name}: truncated pack index`);
    this.ids = idx.subarray(8 + 1024, 8 + 1024 + this.count * 20);
    const head = new DataView(pack.buffer, pack.byteOffset, pack.byteLength);
    if (pack.length < 32 || head.getUint32(0) !== 0x5041434b /* PACK */ || head.getUint32(8) !== this.count) throw new BadPack(`${name}: the pack does not match its index`);
    // The index names the pack it indexes by the pack's checksum (its last 20 bytes).
    const trailer = pack.subarray(pack.length - 20);
    const named = idx.subarray(idx.length - 40, idx.length - 20);
    for (let i = 0; i < 20; i++) if (trailer[i] !== named[i]) throw new BadPack(`${name}: the pack's checksum is not the one its index names`);
    const ends = new Float64Array(this.count + 1);
    for (let i = 0; i < this.count; i++) ends[i] = this.offsetAt(i);
    ends[this.count] = pack.length - 20;
    ends.sort();
    this.ends = ends;
  }

  private offsetAt(i: number): number {
    const view = this.view;
    const small = view.getUint32(8 + 1024 + this.count * 24 + i * 4);
    if (!(small & 0x80000000)) return small;
    const at = 8 + 1024 + this.count * 28 + (small & 0x7fffffff) * 8;
    if (at + 8 > this.idx.length - 40) throw new BadPack(`${this.name}: bad large offset`);
    return view.getUint32(at) * 2 ** 32 + view.getUint32(at + 4);
  }

  /** The entry's offset of object `id` (20 bytes), by binary search within its fanout bucket. */
  offsetOf(id: Uint8Array): number | undefined {
    let lo = id[0] === 0 ? 0 : this.fanout[id[0] - 1];
    let hi = this.fanout[id[0]];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compare(this.ids, mid * 20, id);
      if (c === 0) return this.offsetAt(mid);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  /** Where the entry starting at `offset` ends (the next entry's offset). */
  endOf(offset: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.ends.length ? this.ends[lo] : this.pack.length - 20;
  }
}

function compare(ids: Uint8Array, at: number, id: Uint8Array): number {
  for (let i = 0; i < 20; i++) {
    const d = ids[at + i] - id[i];
    if (d !== 0) return d;
  }
  return 0;
}

export function hexToId(oid: string): Uint8Array {
  return Buffer.from(oid, 'hex');
}

export class PackStore {
  private baseBytes = 0;

  private constructor(private readonly packs: Pack[]) {}

  /** The packs of `objects/pack` (each .idx with its .pack), read whole through the confined file system. */
  static open(fs: ReadOnlyGitFs, gitdir: string): PackStore {
    const dir = `${gitdir}/objects/pack`;
    const packs: Pack[] = [];
    for (const name of fs.namesSync(dir) ?? []) {
      if (!/^pack-[0-9a-f]+\.idx$/.test(name)) continue;
      const idx = fs.bytesSync(`${dir}/${name}`);
      const pack = idx && fs.bytesSync(`${dir}/${name.replace(/\.idx$/, '.pack')}`);
      if (idx && pack) packs.push(new Pack(name, idx, pack));
    }
    return new PackStore(packs);
  }

  get size(): number {
    return this.packs.length;
  }

  /** Object `oid` when it is in a pack (undefined: not packed here, or a delta against an object outside the packs). */
  read(oid: string): GitObject | undefined {
    const id = hexToId(oid);
    for (const pack of this.packs) {
      const offset = pack.offsetOf(id);
      if (offset !== undefined) return this.readAt(pack, offset, 0);
    }
    return undefined;
  }

  private readAt(pack: Pack, offset: number, depth: number): GitObject | undefined {
    if (depth > MAX_DELTA_DEPTH) throw new BadPack(`${pack.name}: delta chain too deep at ${offset}`);
    const cached = pack.bases.get(offset);
    if (cached) return cached;
    const p = pack.pack;
    let pos = offset;
    let byte = p[pos++];
    const type = (byte >> 4) & 7;
    let size = byte & 15;
    for (let shift = 4; byte & 0x80; shift += 7) {
      byte = p[pos++];
      size += (byte & 0x7f) * 2 ** shift;
    }
    let base: GitObject | undefined;
    if (type === OFS_DELTA) {
      byte = p[pos++];
      let back = byte & 0x7f;
      while (byte & 0x80) {
        byte = p[pos++];
        back = (back + 1) * 128 + (byte & 0x7f);
      }
      if (back <= 0 || back > offset) throw new BadPack(`${pack.name}: bad delta base at ${offset}`);
      base = this.readBase(pack, offset - back, depth);
    } else if (type === REF_DELTA) {
      const baseId = p.subarray(pos, pos + 20);
      pos += 20;
      const found = this.packs.map((q) => ({ q, at: q.offsetOf(baseId) })).find((x) => x.at !== undefined);
      if (!found) return undefined;
      base = this.readBase(found.q, found.at!, depth);
    } else if (!TYPES[type]) throw new BadPack(`${pack.name}: unknown object type ${type} at ${offset}`);
    if ((type === OFS_DELTA || type === REF_DELTA) && !base) return undefined;
    const data = inflate(p.subarray(pos, pack.endOf(offset)), size, pack.name, offset);
    if (!base) return { type: TYPES[type]!, bytes: data };
    return { type: base.type, bytes: applyDelta(base.bytes, data, pack.name, offset) };
  }

  private readBase(pack: Pack, offset: number, depth: number): GitObject | undefined {
    const base = this.readAt(pack, offset, depth + 1);
    if (base && !pack.bases.has(offset) && this.baseBytes + base.bytes.length <= BASE_CACHE_BYTES) {
      pack.bases.set(offset, base);
      this.baseBytes += base.bytes.length;
    }
    return base;
  }
}

function inflate(deflated: Uint8Array, size: number, pack: string, offset: number): Uint8Array {
  let out: Buffer;
  try {
    // One output buffer of the size the header states (the default 16 KB chunks per object cost more than the
    // inflating); a stream that inflates to more is cut there and reported, never grown.
    out = inflateSync(deflated, { chunkSize: Math.max(64, size + 1), maxOutputLength: size + 1 });
  } catch (e) {
    throw new BadPack(`${pack}: the entry at ${offset} does not inflate (${(e as Error).message})`);
  }
  if (out.length !== size) throw new BadPack(`${pack}: the entry at ${offset} is ${out.length} bytes, not the ${size} its header says`);
  return out;
}

/** git's delta format: the base's and the result's sizes, then copy (from the base) and insert instructions. */
function applyDelta(base: Uint8Array, delta: Uint8Array, pack: string, offset: number): Uint8Array {
  let pos = 0;
  const varint = () => {
    let n = 0;
    let byte: number;
    let shift = 0;
    do {
      byte = delta[pos++];
      n += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80 && pos < delta.length);
    return n;
  };
  const bad = (why: string) => new BadPack(`${pack}: bad delta at ${offset} (${why})`);
  if (varint() !== base.length) throw bad('base size');
  const out = new Uint8Array(varint());
  let at = 0;
  while (pos < delta.length) {
    const op = delta[pos++];
    if (op & 0x80) {
      let from = 0;
      let len = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) from += delta[pos++] * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (1 << (4 + i))) len += delta[pos++] << (8 * i);
      if (len === 0) len = 0x10000;
      if (from + len > base.length || at + len > out.length) throw bad('copy out of range');
      out.set(base.subarray(from, from + len), at);
      at += len;
    } else if (op) {
      if (pos + op > delta.length || at + op > out.length) throw bad('insert out of range');
      out.set(delta.subarray(pos, pos + op), at);
      pos += op;
      at += op;
    } else throw bad('reserved instruction');
  }
  if (at !== out.length) throw bad('result size');
  return out;
}
