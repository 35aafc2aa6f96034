// The files a context's postBuild variable lookups found their objects in (contexts.ts variablesLookup): what the
// context's builds depend on besides what they read. A context keeps its set as long as it lives, and nearly every
// one holds a single file (its cluster's variables), so a lone file is held as the string itself: a Set of one entry
// (its table made for four) was some 180 bytes of each of the 2,580 contexts a check of the synthetic fleet keeps
// to its end, copied twice by the young generation's scavenges while the contexts are found.

/** A set of file paths that only grows, one path held without a Set. Iterates in insertion order, as a Set does. */
export class LookupFiles implements ReadonlySet<string> {
  /** The one file while there is one (undefined when there is none or `many` holds them). */
  private one!: string | undefined;
  private many!: Set<string> | undefined;

  private constructor() {
    throw new Error('LookupFiles.empty makes sets');
  }

  /** An empty set, made as a literal of this class's prototype (see LazyContext.of in contexts.ts: kept per context). */
  static empty(): LookupFiles {
    return { __proto__: LookupFiles.prototype, one: undefined, many: undefined } as unknown as LookupFiles;
  }

  add(file: string): this {
    if (this.many) this.many.add(file);
    else if (this.one === undefined) this.one = file;
    else if (this.one !== file) {
      this.many = new Set([this.one, file]);
      this.one = undefined;
    }
    return this;
  }

  has(file: string): boolean {
    return this.many ? this.many.has(file) : this.one === file;
  }

  get size(): number {
    return this.many ? this.many.size : this.one === undefined ? 0 : 1;
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const f of this) callback.call(thisArg, f, f, this);
  }

  *values(): SetIterator<string> {
    if (this.many) yield* this.many;
    else if (this.one !== undefined) yield this.one;
  }

  keys(): SetIterator<string> {
    return this.values();
  }

  *entries(): SetIterator<[string, string]> {
    for (const f of this.values()) yield [f, f];
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }
}
