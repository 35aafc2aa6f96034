// The one LRU policy of the database (the `lru-cache` package): bounded tables drop their least recently used entries.
import LRUCache from 'lru-cache';

export interface LruOptions<K, V> {
  max: number;
  /** An entry's weight (default 1): the bound is on the total. */
  weigh?: (value: V, key: K) => number;
  /** Called for an entry the bound dropped (or that was deleted). */
  dispose?: (key: K, value: V) => void;
}

export function newLru<K, V>(options: LruOptions<K, V>): LRUCache<K, V> {
  return new LRUCache<K, V>({ max: options.max, ...(options.weigh && { length: options.weigh }), ...(options.dispose && { dispose: options.dispose }), noDisposeOnSet: true });
}

export type Lru<K, V> = LRUCache<K, V>;
