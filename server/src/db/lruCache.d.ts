// Types for the `lru-cache` package (v6, the version in node_modules; it ships none). Only what db/lru.ts uses.
declare module 'lru-cache' {
  interface Options<K, V> {
    max?: number;
    length?: (value: V, key: K) => number;
    dispose?: (key: K, value: V) => void;
    noDisposeOnSet?: boolean;
  }
  class LRUCache<K, V> {
    constructor(options?: Options<K, V>);
    max: number;
    readonly length: number;
    readonly itemCount: number;
    get(key: K): V | undefined;
    peek(key: K): V | undefined;
    has(key: K): boolean;
    set(key: K, value: V): boolean;
    del(key: K): void;
    reset(): void;
    keys(): K[];
    values(): V[];
  }
  export = LRUCache;
}
