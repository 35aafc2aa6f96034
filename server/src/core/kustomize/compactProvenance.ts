// A provenance map kept compact: the one a document is loaded into (load.ts) and the one a patch refills its target's
// with (strategic merge, JSON 6902). Most leaves have one write: a Map held, per leaf, an entry of its hash table and a
// stack array of that one write (about 110 bytes besides the write itself), and the whole check of the synthetic
// fleet kept some 90,000 of them, each copied twice by the young generation's scavenges (issue 12). Here the pointers
// and their stacks are two arrays, and a stack of one write is held as the write itself. Behaves as a Map, iteration
// order included: a pointer set anew (or deleted and set again) goes to the end.
import type { ProvenanceMap } from './types';
import type { PointerTable, ProvenanceWrite } from './provenance';

type Stack = ProvenanceWrite[];

/** In `slots`: the pointer there was deleted (its slot is left, so the others keep their place). */
const GONE = 0;

/** Maps with more pointers than this find them through a Map (made when first asked), the rest by a scan. */
const SCAN_LIMIT = 16;

/** A stack as held: a write alone is the write itself (stacks never change once set: writers replace them). */
type Slot = ProvenanceWrite | Stack | typeof GONE;

/**
 * A list of pointers that maps of one shape share (PointerTable.list: the objects a build loads and patches have few
 * shapes), with where each pointer is, for a long list (made once, when first asked).
 */
export class SharedPointers {
  private index: Map<string, number> | undefined;
  constructor(readonly list: readonly string[]) {}
  /** Where `ptr` is in the list, -1 when it is not. */
  indexOf(ptr: string): number {
    const list = this.list;
    if (list.length <= SCAN_LIMIT) return list.indexOf(ptr);
    if (this.index === undefined) {
      this.index = new Map();
      for (let i = 0; i < list.length; i++) this.index.set(list[i], i);
    }
    return this.index.get(ptr) ?? -1;
  }
}

export class CompactProvenance implements Map<string, Stack> {
  /**
   * The pointers in the order set; a deleted one's slot is GONE (a pointer set again has a later slot). A shared list
   * (SharedPointers: other maps of the same shape hold it) is copied before a pointer is added.
   */
  private pointers: string[] | SharedPointers = [];
  private slots: Slot[] = [];
  /** Where each live pointer's slot is, for a long map of its own pointers (made when first asked). */
  private index: Map<string, number> | undefined;
  /** How many slots are GONE. */
  private gone = 0;
  /**
   * How many walks (iterators, forEach) are under way: slots keep their place while one is (a Map's walk goes on past
   * what is deleted and set during it; one dropping GONE slots under it would skip entries or stop early).
   */
  private walks = 0;

  /** A map holding `entries` (a pointer's stack or its one write), in their order. */
  constructor(entries?: Iterable<readonly [string, ProvenanceWrite | Stack]>) {
    if (entries) for (const [ptr, held] of entries) this.set(ptr, Array.isArray(held) ? held : [held]);
  }

  /** The map of `writes` (see documentProvenance). */
  static ofWrites(writes: ReadonlyMap<string, ProvenanceWrite>, table?: PointerTable): CompactProvenance {
    const out = new CompactProvenance();
    out.slots = [...writes.values()];
    out.pointers = table ? table.list(writes) : [...writes.keys()];
    return out;
  }

  /** The pointers, slot by slot. */
  private list(): readonly string[] {
    const pointers = this.pointers;
    return pointers instanceof SharedPointers ? pointers.list : pointers;
  }

  /** The live slot of `ptr`, -1 when it has none. */
  private at(ptr: string): number {
    const pointers = this.pointers;
    if (pointers instanceof SharedPointers) {
      // (a shared list holds each pointer once: one set again after a delete made the list this map's own)
      const i = pointers.indexOf(ptr);
      return i >= 0 && this.slots[i] !== GONE ? i : -1;
    }
    if (this.index === undefined) {
      if (pointers.length <= SCAN_LIMIT) {
        // (from the end: a pointer deleted and set again has its live slot last)
        for (let i = pointers.length - 1; i >= 0; i--) if (pointers[i] === ptr && this.slots[i] !== GONE) return i;
        return -1;
      }
      this.index = new Map();
      for (let i = 0; i < pointers.length; i++) if (this.slots[i] !== GONE) this.index.set(pointers[i], i);
    }
    return this.index.get(ptr) ?? -1;
  }

  /** A slot's stack: a write alone as a stack of one, a new array each time (which no reader keeps or changes). */
  private static stackOf(slot: ProvenanceWrite | Stack): Stack {
    return Array.isArray(slot) ? slot : [slot];
  }

  get size(): number {
    return this.slots.length - this.gone;
  }

  get(ptr: string): Stack | undefined {
    const i = this.at(ptr);
    return i < 0 ? undefined : CompactProvenance.stackOf(this.slots[i] as ProvenanceWrite | Stack);
  }

  has(ptr: string): boolean {
    return this.at(ptr) >= 0;
  }

  set(ptr: string, stack: Stack): this {
    const held = stack.length === 1 ? stack[0] : stack;
    const i = this.at(ptr);
    if (i >= 0) this.slots[i] = held;
    else {
      // (Deleted slots are dropped here, not in delete: a Map may be deleted from while it is iterated.)
      if (this.walks === 0 && this.gone > 8 && this.gone * 2 > this.slots.length) this.compact();
      if (this.pointers instanceof SharedPointers) this.pointers = this.pointers.list.slice();
      this.index?.set(ptr, this.slots.length);
      this.pointers.push(ptr);
      this.slots.push(held);
    }
    return this;
  }

  /**
   * set() of a pointer this map does not hold (the caller knows it: a walk filling a new map sets each pointer once),
   * without looking for it: a map of more than SCAN_LIMIT pointers made and kept an index of them for those looks.
   */
  append(ptr: string, stack: Stack): this {
    if (this.pointers instanceof SharedPointers) this.pointers = this.pointers.list.slice();
    this.index?.set(ptr, this.slots.length);
    this.pointers.push(ptr);
    this.slots.push(stack.length === 1 ? stack[0] : stack);
    return this;
  }

  delete(ptr: string): boolean {
    const i = this.at(ptr);
    if (i < 0) return false;
    this.slots[i] = GONE;
    this.index?.delete(ptr);
    this.gone++;
    return true;
  }

  /** Drops the slots of deleted pointers (the live ones keep their order). */
  private compact(): void {
    const pointers: string[] = [];
    const slots: Slot[] = [];
    const list = this.list();
    for (let i = 0; i < this.slots.length; i++) {
      if (this.slots[i] === GONE) continue;
      pointers.push(list[i]);
      slots.push(this.slots[i]);
    }
    this.pointers = pointers;
    this.slots = slots;
    this.gone = 0;
    this.index = undefined;
  }

  /** Shares this map's list of pointers with the other maps of `table` of the same shape (PointerTable.list). */
  sharePointers(table: PointerTable): this {
    if (this.gone) this.compact();
    if (!(this.pointers instanceof SharedPointers)) this.pointers = table.list(this.pointers);
    this.index = undefined;
    return this.trimmed();
  }

  /**
   * This map with its stacks in an array of their number: one filled by push has room for half as many again (kept
   * as long as the map is, and young when made: copied by scavenges). For a map that is filled and then kept.
   */
  trimmed(): this {
    this.slots = this.slots.slice();
    if (!(this.pointers instanceof SharedPointers)) this.pointers = this.pointers.slice();
    return this;
  }

  clear(): void {
    if (this.walks) {
      // (a walk under way goes on to what is set after: the slots stay, all GONE)
      this.slots.fill(GONE);
      this.gone = this.slots.length;
      this.index = undefined;
      return;
    }
    this.pointers = [];
    this.slots = [];
    this.gone = 0;
    this.index = undefined;
  }

  forEach(callback: (stack: Stack, ptr: string, map: Map<string, Stack>) => void, thisArg?: unknown): void {
    // (Read at each step, as a Map's entries are: what is set while iterating reads as a Map's would.)
    this.walks++;
    try {
      for (let i = 0; i < this.slots.length; i++) {
        const slot = this.slots[i];
        if (slot !== GONE) callback.call(thisArg, CompactProvenance.stackOf(slot), this.list()[i], this);
      }
    } finally {
      this.walks--;
    }
  }

  // (A walk is counted from its first step to its end, or to a `break` out of it: for...of returns the iterator. One
  // left unfinished by hand keeps this map's deleted slots, never its entries wrong.)
  *entries(): MapIterator<[string, Stack]> {
    this.walks++;
    try {
      for (let i = 0; i < this.slots.length; i++) {
        const slot = this.slots[i];
        if (slot !== GONE) yield [this.list()[i], CompactProvenance.stackOf(slot)];
      }
    } finally {
      this.walks--;
    }
  }

  *keys(): MapIterator<string> {
    this.walks++;
    try {
      for (let i = 0; i < this.slots.length; i++) if (this.slots[i] !== GONE) yield this.list()[i];
    } finally {
      this.walks--;
    }
  }

  *values(): MapIterator<Stack> {
    this.walks++;
    try {
      for (let i = 0; i < this.slots.length; i++) {
        const slot = this.slots[i];
        if (slot !== GONE) yield CompactProvenance.stackOf(slot);
      }
    } finally {
      this.walks--;
    }
  }

  [Symbol.iterator](): MapIterator<[string, Stack]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}

/**
 * A compact map of `entries` (each a pointer's stack or its one write, pointers interned), in their order; with
 * `table`, its list of pointers shared with the other maps of that shape (PointerTable.list).
 */
export function compactProvenance(entries: Iterable<readonly [string, ProvenanceWrite | ProvenanceWrite[]]>, table?: PointerTable): ProvenanceMap {
  const out = new CompactProvenance(entries);
  return table ? out.sharePointers(table) : out.trimmed();
}

/**
 * The compact map of a loaded document: `writes` its leaves' one write each by pointer (interned), in document order;
 * its arrays made at their length at once (each document of every build is loaded into one).
 */
export function documentProvenance(writes: ReadonlyMap<string, ProvenanceWrite>, table?: PointerTable): ProvenanceMap {
  return CompactProvenance.ofWrites(writes, table);
}
