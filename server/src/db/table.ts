// A table of one query's results, with its statistics. Three shapes: a Map (entries keyed by value), an LRU (the same,
// bounded) and a WeakMap (entries keyed by an object the query derives from, dropped with it).
import { newLru, type Lru, type LruOptions } from './lru';

export interface QueryStats {
  hits: number;
  misses: number;
  /** Entries held (for a WeakMap table: entries stored, some of which may have been collected). */
  size: number;
}

interface Store<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
  delete(key: K): unknown;
}

export class Table<K, V> {
  hits = 0;
  misses = 0;
  private stored = 0;

  constructor(private readonly store: Store<K, V>, private readonly sized: () => number | undefined) {}

  /** The entry for `key` (counted: a hit when there is one, else a miss). */
  get(key: K): V | undefined {
    const v = this.store.get(key);
    if (v === undefined) this.misses++;
    else this.hits++;
    return v;
  }

  set(key: K, value: V): V {
    this.store.set(key, value);
    this.stored++;
    return value;
  }

  delete(key: K): void {
    this.store.delete(key);
  }

  /** An entry `get` returned that its own check found stale: deleted, and counted as a miss, not a hit. */
  reject(key: K): void {
    this.store.delete(key);
    this.hits--;
    this.misses++;
  }

  /** The entry for `key`, made by `make` when there is none. */
  getOrMake(key: K, make: () => V): V {
    const v = this.get(key);
    return v !== undefined ? v : this.set(key, make());
  }

  stats(): QueryStats {
    return { hits: this.hits, misses: this.misses, size: this.sized() ?? this.stored };
  }
}

export function mapTable<K, V>(): { table: Table<K, V> } {
  const map = new Map<K, V>();
  return { table: new Table<K, V>(map, () => map.size) };
}

export function weakTable<K extends object, V>(): { table: Table<K, V> } {
  const map = new WeakMap<K, V>();
  return { table: new Table<K, V>(map, () => undefined) };
}

export function lruTable<K, V>(options: LruOptions<K, V>): { table: Table<K, V>; lru: Lru<K, V> } {
  const lru = newLru(options);
  const store: Store<K, V> = { get: (k) => lru.get(k), set: (k, v) => lru.set(k, v), delete: (k) => lru.del(k) };
  return { table: new Table<K, V>(store, () => lru.itemCount), lru };
}
