// FleetDb: the single owner of a fleet's derived state (one per Fleet, `fleet.db`). Inputs are the fleet's file texts,
// overlays, layout and settings; one revision counter is bumped by any change to them. Every query's results live in
// a table of this database (queries.ts declares them), so two fleets in one process share nothing, and dropping a
// fleet drops all it derived.
import { QUERIES, type Input, type QueryDecl, type QueryName } from './queries';
import { lruTable, mapTable, weakTable, type QueryStats, type Table } from './table';
import type { Lru, LruOptions } from './lru';
import { ParseStore } from './parse';

/** A query run through `FleetDb.query`: reused while none of its declared inputs changed. */
export interface Query<C, K, V> {
  readonly name: QueryName;
  readonly compute: (context: C, key: K) => V;
}

/** Declares a query (an immutable value: the registry of computations is the set of these, named in queries.ts). */
export function defineQuery<C, K, V>(name: QueryName, compute: (context: C, key: K) => V): Query<C, K, V> {
  return Object.freeze({ name, compute });
}

interface Held {
  table: Table<unknown, unknown>;
  lru?: Lru<unknown, unknown>;
}

export class FleetDb {
  /** Bumped on every change of an input; results record the revision they were computed (or checked) at. */
  revision = 0;
  /** The revision of each input's last change. */
  private readonly changedAt: Record<Input, number> = { texts: 0, overlays: 0, layout: 0, settings: 0 };
  private readonly tables = new Map<string, Held>();
  /** Counters for the benchmark and tests (builds made, reused, their time). */
  readonly counts = new Map<string, number>();
  /** One parse per file text (see parse.ts). */
  readonly parses = new ParseStore(QUERIES.parse.bound, QUERIES.parseTrees.bound);

  /** Inputs changed: one new revision. */
  changed(...inputs: Input[]): number {
    this.revision++;
    for (const i of inputs) this.changedAt[i] = this.revision;
    return this.revision;
  }

  count(name: string, n = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  /** The last revision at which any of `inputs` changed. */
  lastChange(inputs: readonly Input[]): number {
    let at = 0;
    for (const i of inputs) at = Math.max(at, this.changedAt[i]);
    return at;
  }

  private held<K, V>(name: QueryName, make: () => Held): { table: Table<K, V>; lru?: Lru<K, V> } {
    let h = this.tables.get(name);
    if (!h) this.tables.set(name, (h = make()));
    return h as unknown as { table: Table<K, V>; lru?: Lru<K, V> };
  }

  /** A query's table keyed by value: an LRU when the query declares a bound, else a Map. */
  table<K, V>(name: QueryName): Table<K, V> {
    // (an open table without a closure made: tables are asked for in the innermost loops of an evaluation)
    const open = this.tables.get(name);
    if (open) return open.table as unknown as Table<K, V>;
    const decl = QUERIES[name] as QueryDecl;
    return this.held<K, V>(name, () => (decl.bound ? lruTable<unknown, unknown>(bounded(decl, {})) : mapTable<unknown, unknown>()) as Held).table;
  }

  /** A query's table keyed by the objects it derives from (entries go with their keys). */
  weak<K extends object, V>(name: QueryName): Table<K, V> {
    const open = this.tables.get(name);
    if (open) return open.table as unknown as Table<K, V>;
    return this.held<K, V>(name, () => weakTable<object, unknown>() as Held).table;
  }

  /** A bounded table with its LRU at hand (for callers that resize it or walk it in recency order). */
  lru<K, V>(name: QueryName, options: Partial<LruOptions<K, V>> = {}): { table: Table<K, V>; lru: Lru<K, V> } {
    const decl = QUERIES[name] as QueryDecl;
    return this.held<K, V>(name, () => lruTable<unknown, unknown>(bounded(decl, options as Partial<LruOptions<unknown, unknown>>)) as Held) as { table: Table<K, V>; lru: Lru<K, V> };
  }

  /** `query`'s value for `key`: reused while none of its declared inputs changed since it was computed. */
  query<C, K, V>(q: Query<C, K, V>, context: C, key: K): V {
    const table = this.table<K, { value: V; at: number }>(q.name);
    const hit = table.get(key);
    if (hit && hit.at >= this.lastChange(QUERIES[q.name].inputs)) return hit.value;
    if (hit) table.reject(key);
    return table.set(key, { value: q.compute(context, key), at: this.revision }).value;
  }

  /**
   * Drops a table with all its entries (the soak's `--release`: what a table holds that nothing else does). The next
   * use opens a new one; whoever kept the old table's LRU (the evaluator, which the `contexts` table holds) keeps it.
   */
  drop(name: QueryName): void {
    this.tables.delete(name);
  }

  /** Statistics per query (hits, misses, entries), for tests and the benchmark. */
  stats(): Record<string, QueryStats> {
    const out: Record<string, QueryStats> = { parse: this.parses.stats() };
    for (const [name, h] of this.tables) out[name] = h.table.stats();
    return out;
  }
}

/** A bounded table's LRU options: the declared bound and weight (whoever opens the table first, the same table). */
function bounded(decl: QueryDecl, options: Partial<LruOptions<unknown, unknown>>): LruOptions<unknown, unknown> {
  const weigh = options.weigh ?? (decl.weigh as ((value: unknown) => number) | undefined);
  return { ...options, max: options.max ?? decl.bound ?? Infinity, ...(weigh && { weigh }) };
}
