// A copy of a provenance map that never changes again (a kept build's, a cached folder build's): the copy reads the
// base and keeps only what was written since. An overlay that sets another namespace on a base's 2,000 objects writes
// one pointer of each, and copying every map entry by entry made the overlay's maps as large as the base's: half of a
// tenant build's retained bytes in the soak (issue 13). Behaves as a Map copied from the base and then changed,
// iteration order included: the base's keys in place (a changed value where it was), then the keys added since.
// Unlike a Map, a walk of a copy may miss keys added or a clear() made while it is under way (a second added key
// turns the pair into a Map the walk does not see): no caller changes a map it is walking (session 25's review of
// compactProvenance.ts, whose CompactProvenance does keep a Map's walk exact).
import type { ProvenanceMap } from './types';
import type { ProvenanceWrite } from './provenance';

type Stack = ProvenanceWrite[];

/** In `changed`: the base's key was deleted (a later set adds it at the end, as a Map's delete and set do). */
const GONE: Stack = Object.freeze([]) as unknown as Stack;

/**
 * A copy's own entries beyond this share of its base's size make a plain copy cheaper to read and to keep than a
 * copy of the copy: a copy of a copy takes the same base and a copy of the own entries (never a chain of bases).
 */
const FLATTEN_SHARE = 0.5;

/** A copy's changed keys: one as a pair (never changed: replaced), more in a Map (the copy's own). */
type Changed = Map<string, Stack> | readonly [string, Stack];

function changedSize(c: Changed | undefined): number {
  return c === undefined ? 0 : c instanceof Map ? c.size : 1;
}

function changedGet(c: Changed | undefined, ptr: string): Stack | undefined {
  return c === undefined ? undefined : c instanceof Map ? c.get(ptr) : c[0] === ptr ? c[1] : undefined;
}

/** `c` with `ptr` set to `stack`: a pair for the first key, a Map (changed in place) from the second on. */
function changedSet(c: Changed | undefined, ptr: string, stack: Stack): Changed {
  if (c === undefined || (!(c instanceof Map) && c[0] === ptr)) return [ptr, stack];
  if (c instanceof Map) return c.set(ptr, stack);
  return new Map([c, [ptr, stack]]);
}

export class ProvenanceCopy implements Map<string, Stack> {
  /**
   * The base's keys written (their new stack, in place) or deleted (GONE) since the copy: one as a pair, more in a Map.
   * A substitution or a namespace writes one pointer of most objects it copies: a Map of that one entry (its table
   * made for four) was some 400 bytes of every such object of a kept build, young when made and copied by scavenges.
   */
  private changed: Changed | undefined;
  /**
   * Keys the base does not hold in place (new ones, or the base's deleted and set again), in the order set, once there
   * are two or more; a single one is the key itself, its stack in `soleStack`. A tenant overlay's namespace transformer
   * adds one key to each object of its bases (`/metadata/namespace`): a Map of one entry per object was some 250 bytes
   * of each kept tenant build's objects (its table, made for four entries), the soak's largest growth. (Four fields in
   * all, the count of deleted keys found from `changed` when asked: 25,700 of the synthetic fleet's 31,000 copies kept
   * by a check add one key and change nothing, and two more fields of each were 0.5 MB the contexts pass promoted.)
   */
  private added: Map<string, Stack> | string | undefined;
  /** The stack of the one added key while `added` is that key. */
  private soleStack: Stack | undefined;

  /** The map this copy reads (never changed after the copy). */
  private base: ProvenanceMap;

  private constructor() {
    throw new Error('ProvenanceCopy.of makes copies');
  }

  /**
   * A copy of `base`, which must never change after this (it is read, never copied). Made as an object literal of
   * this class's prototype, not by `new`: V8 pretenures a literal's allocation site once its objects survive, never a
   * class's, and a check keeps some 33,000 copies (each young when made, copied by a scavenge, then promoted by the
   * next: ~3 MB of the synthetic fleet's scavenge bytes).
   */
  static of(base: ProvenanceMap, changed?: Changed, added?: Map<string, Stack> | string, soleStack?: Stack): ProvenanceCopy {
    return { __proto__: ProvenanceCopy.prototype, base, changed, added, soleStack } as unknown as ProvenanceCopy;
  }

  /** The map this one reads (shared with every other copy of it). */
  get shared(): ProvenanceMap {
    return this.base;
  }

  /** How many entries this copy holds apart from its base (written, added or deleted since the copy). */
  get ownSize(): number {
    return changedSize(this.changed) + this.addedSize();
  }

  /** A copy of `this` (never changed after): its base with copies of its own entries, or a plain copy past FLATTEN_SHARE. */
  copy(): ProvenanceMap {
    if (this.ownSize > this.base.size * FLATTEN_SHARE) {
      const out: ProvenanceMap = new Map();
      this.forEach((stack, ptr) => out.set(ptr, stack));
      return out;
    }
    const added = this.added;
    return ProvenanceCopy.of(this.base, this.changed instanceof Map ? new Map(this.changed) : this.changed, added instanceof Map ? new Map(added) : added, this.soleStack);
  }

  // ---- the added keys: none, one (the key and `soleStack`) or a Map ----

  private addedSize(): number {
    const added = this.added;
    return added === undefined ? 0 : typeof added === 'string' ? 1 : added.size;
  }

  private addedGet(ptr: string): Stack | undefined {
    const added = this.added;
    return added === undefined ? undefined : typeof added === 'string' ? (ptr === added ? this.soleStack : undefined) : added.get(ptr);
  }

  private addedHas(ptr: string): boolean {
    const added = this.added;
    return added === undefined ? false : typeof added === 'string' ? ptr === added : added.has(ptr);
  }

  private addedSet(ptr: string, stack: Stack): void {
    const added = this.added;
    if (added instanceof Map) added.set(ptr, stack);
    else if (added === undefined || added === ptr) {
      this.added = ptr;
      this.soleStack = stack;
    } else {
      this.added = new Map([[added, this.soleStack!], [ptr, stack]]);
      this.soleStack = undefined;
    }
  }

  private addedDelete(ptr: string): boolean {
    const added = this.added;
    if (added instanceof Map) return added.delete(ptr);
    if (ptr !== added) return false;
    this.added = this.soleStack = undefined;
    return true;
  }

  /** How many of the base's keys `changed` holds as GONE. */
  private gone(): number {
    const c = this.changed;
    if (c === undefined) return 0;
    if (!(c instanceof Map)) return c[1] === GONE ? 1 : 0;
    let n = 0;
    c.forEach((stack) => {
      if (stack === GONE) n++;
    });
    return n;
  }

  /** Whether `ptr` is one of the base's keys still in its place (present and not deleted since). */
  private inBase(ptr: string): boolean {
    const c = changedGet(this.changed, ptr);
    return c === undefined ? this.base.has(ptr) : c !== GONE;
  }

  get size(): number {
    return this.base.size - this.gone() + this.addedSize();
  }

  get(ptr: string): Stack | undefined {
    const c = changedGet(this.changed, ptr);
    if (c !== undefined) return c === GONE ? this.addedGet(ptr) : c;
    return this.base.get(ptr) ?? this.addedGet(ptr);
  }

  has(ptr: string): boolean {
    return this.inBase(ptr) || this.addedHas(ptr);
  }

  set(ptr: string, stack: Stack): this {
    if (this.inBase(ptr)) this.changed = changedSet(this.changed, ptr, stack);
    else this.addedSet(ptr, stack);
    return this;
  }

  delete(ptr: string): boolean {
    if (!this.inBase(ptr)) return this.addedDelete(ptr);
    this.changed = changedSet(this.changed, ptr, GONE);
    return true;
  }

  clear(): void {
    this.base = new Map();
    this.changed = this.added = this.soleStack = undefined;
  }

  // Read for every leaf of every build (the overrides and lock passes): no second entry pair per key (the base's own
  // is passed on where the copy did not write it), and forEach without a generator at all. `changed` is read at each
  // key, as before: what is set while iterating reads as a Map's would.
  forEach(callback: (stack: Stack, ptr: string, map: Map<string, Stack>) => void, thisArg?: unknown): void {
    this.base.forEach((stack, ptr) => {
      const c = changedGet(this.changed, ptr);
      if (c !== GONE) callback.call(thisArg, c ?? stack, ptr, this);
    });
    const added = this.added;
    if (added instanceof Map) added.forEach((stack, ptr) => callback.call(thisArg, stack, ptr, this));
    else if (added !== undefined) callback.call(thisArg, this.soleStack!, added, this);
  }

  *entries(): MapIterator<[string, Stack]> {
    for (const entry of this.base) {
      const c = changedGet(this.changed, entry[0]);
      if (c === undefined) yield entry;
      else if (c !== GONE) yield [entry[0], c];
    }
    const added = this.added;
    if (added instanceof Map) yield* added;
    else if (added !== undefined) yield [added, this.soleStack!];
  }

  *keys(): MapIterator<string> {
    for (const ptr of this.base.keys()) if (changedGet(this.changed, ptr) !== GONE) yield ptr;
    const added = this.added;
    if (added instanceof Map) yield* added.keys();
    else if (added !== undefined) yield added;
  }

  *values(): MapIterator<Stack> {
    for (const ptr of this.base.keys()) {
      const c = changedGet(this.changed, ptr);
      if (c !== GONE) yield c ?? this.base.get(ptr)!;
    }
    const added = this.added;
    if (added instanceof Map) yield* added.values();
    else if (added !== undefined) yield this.soleStack!;
  }

  [Symbol.iterator](): MapIterator<[string, Stack]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}
