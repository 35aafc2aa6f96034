// A copy of a provenance map that never changes again (a kept build's, a cached folder build's): the copy reads the
// base and keeps only what was written since. An overlay that sets another namespace on a base's 2,000 objects writes
// one pointer of each, and copying every map entry by entry made the overlay's maps as large as the base's: half of a
// tenant build's retained bytes in the soak (issue 13). Behaves as a Map copied from the base and then changed,
// iteration order included: the base's keys in place (a changed value where it was), then the keys added since.
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

export class ProvenanceCopy implements Map<string, Stack> {
  /** The base's keys written (their new stack, in place) or deleted (GONE) since the copy. */
  private changed: Map<string, Stack> | undefined;
  /** Keys the base does not hold in place (new ones, or the base's deleted and set again), in the order set. */
  private added: Map<string, Stack> | undefined;
  /** How many of the base's keys `changed` holds as GONE. */
  private gone = 0;

  /** `base` must never change after this (it is read, never copied). */
  constructor(private base: ProvenanceMap, changed?: Map<string, Stack>, added?: Map<string, Stack>, gone = 0) {
    this.changed = changed;
    this.added = added;
    this.gone = gone;
  }

  /** The map this one reads (shared with every other copy of it). */
  get shared(): ProvenanceMap {
    return this.base;
  }

  /** How many entries this copy holds apart from its base (written, added or deleted since the copy). */
  get ownSize(): number {
    return (this.changed?.size ?? 0) + (this.added?.size ?? 0);
  }

  /** A copy of `this` (never changed after): its base with copies of its own entries, or a plain copy past FLATTEN_SHARE. */
  copy(): ProvenanceMap {
    if (this.ownSize > this.base.size * FLATTEN_SHARE) {
      const out: ProvenanceMap = new Map();
      this.forEach((stack, ptr) => out.set(ptr, stack));
      return out;
    }
    return new ProvenanceCopy(this.base, this.changed && new Map(this.changed), this.added && new Map(this.added), this.gone);
  }

  /** Whether `ptr` is one of the base's keys still in its place (present and not deleted since). */
  private inBase(ptr: string): boolean {
    const c = this.changed?.get(ptr);
    return c === undefined ? this.base.has(ptr) : c !== GONE;
  }

  get size(): number {
    return this.base.size - this.gone + (this.added?.size ?? 0);
  }

  get(ptr: string): Stack | undefined {
    const c = this.changed?.get(ptr);
    if (c !== undefined) return c === GONE ? this.added?.get(ptr) : c;
    return this.base.get(ptr) ?? this.added?.get(ptr);
  }

  has(ptr: string): boolean {
    return this.inBase(ptr) || (this.added?.has(ptr) ?? false);
  }

  set(ptr: string, stack: Stack): this {
    if (this.inBase(ptr)) (this.changed ??= new Map()).set(ptr, stack);
    else (this.added ??= new Map()).set(ptr, stack);
    return this;
  }

  delete(ptr: string): boolean {
    if (!this.inBase(ptr)) return this.added?.delete(ptr) ?? false;
    (this.changed ??= new Map()).set(ptr, GONE);
    this.gone++;
    return true;
  }

  clear(): void {
    this.base = new Map();
    this.changed = this.added = undefined;
    this.gone = 0;
  }

  // Read for every leaf of every build (the overrides and lock passes): no second entry pair per key (the base's own
  // is passed on where the copy did not write it), and forEach without a generator at all. `changed` is read at each
  // key, as before: what is set while iterating reads as a Map's would.
  forEach(callback: (stack: Stack, ptr: string, map: Map<string, Stack>) => void, thisArg?: unknown): void {
    this.base.forEach((stack, ptr) => {
      const c = this.changed?.get(ptr);
      if (c !== GONE) callback.call(thisArg, c ?? stack, ptr, this);
    });
    this.added?.forEach((stack, ptr) => callback.call(thisArg, stack, ptr, this));
  }

  *entries(): MapIterator<[string, Stack]> {
    for (const entry of this.base) {
      const c = this.changed?.get(entry[0]);
      if (c === undefined) yield entry;
      else if (c !== GONE) yield [entry[0], c];
    }
    if (this.added) yield* this.added;
  }

  *keys(): MapIterator<string> {
    for (const ptr of this.base.keys()) if (this.changed?.get(ptr) !== GONE) yield ptr;
    if (this.added) yield* this.added.keys();
  }

  *values(): MapIterator<Stack> {
    for (const ptr of this.base.keys()) {
      const c = this.changed?.get(ptr);
      if (c !== GONE) yield c ?? this.base.get(ptr)!;
    }
    if (this.added) yield* this.added.values();
  }

  [Symbol.iterator](): MapIterator<[string, Stack]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}
