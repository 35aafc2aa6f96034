// The parse query: one parse per file text. Keyed by file; an entry serves while the file's text is the same string
// (by value), bounded by the total length of the texts it holds (the one LRU policy): a whole check of a fleet whose
// YAML fits the bound parses each text once; a larger one re-parses what the bound dropped.
import { parseText, type ParsedText, type TreesKeeper } from '../core/parsedText';
import type { QueryStats } from './table';
import { newLru, type Lru } from './lru';

export class ParseStore implements TreesKeeper {
  private readonly lru: Lru<string, ParsedText>;
  /** Parses made per file (tests: each text once; after an edit, only the edited file again). */
  readonly counts = new Map<string, number>();
  private hits = 0;
  private misses = 0;

  /**
   * The parses whose trees were asked for since they were kept flat (ParsedText.compact), most recent last, bounded
   * by their texts' length: beyond it, the least recently asked for go back to their flat form (made again if asked).
   * A parse enters when it makes its trees (treesMade), not at every hit: most hits (a build's loads, read flat) make
   * none, and entering each one churned the bound (an entry in and the oldest out, per read of a whole check).
   */
  private readonly trees: Lru<string, ParsedText>;

  /**
   * The same parses by text: a file whose text another file has (a fleet's copies: the synthetic fleet's 10,987 files
   * hold 6,750 texts; every cluster's flux-system, every tenant's base) shares that file's parse. Parses are read-only.
   * A parse is here while a file holds it (`holders`): an editor's superseded revisions are not kept.
   */
  private readonly byText = new Map<string, ParsedText>();
  private readonly holders = new Map<ParsedText, number>();

  constructor(
    maxTextLength: number,
    private readonly maxTreesTextLength = Infinity,
  ) {
    this.lru = newLru<string, ParsedText>({ max: maxTextLength, weigh: (p) => Math.max(1, p.text.length), dispose: (_, p) => this.unhold(p) });
    this.trees = newLru<string, ParsedText>({ max: maxTreesTextLength, weigh: (p) => Math.max(1, p.text.length), dispose: (_, p) => p.release() });
  }

  parse(file: string, text: string): ParsedText {
    const hit = this.lru.get(file);
    if (hit && hit.text === text) {
      this.hits++;
      // Only a flat-kept parse's trees can go back to flat: parses kept whole take none of the trees' bound. Trees
      // made again are asked for again: the most recent.
      if (hit.flattened && !hit.flatDocs() && this.trees.get(file) !== hit) this.trees.set(file, hit);
      return hit;
    }
    const same = this.byText.get(text);
    if (same) {
      this.hits++;
      this.hold(file, same);
      if (same.flattened && !same.flatDocs()) this.trees.set(file, same);
      return same;
    }
    this.misses++;
    // Another fleet's parse of the same text (the change impact's baseline: see Fleet.seedFrom). Parses are read-only.
    const lent = this.donor?.lru.peek(file);
    if (lent && lent.text === text) {
      // (its trees stay bounded by the lender, which keeps it: a parse holding this store would hold it past its fleet)
      this.hold(file, lent);
      if (lent.flattened && !lent.flatDocs()) this.trees.set(file, lent);
      return lent;
    }

    this.counts.set(file, (this.counts.get(file) ?? 0) + 1);
    const parsed = parseText(text);
    parsed.keepTreesWith(this, file);
    this.byText.set(text, parsed);
    this.hold(file, parsed);
    return parsed;
  }

  /** `file`'s parse is now `parsed` (the one it held before is held by one file fewer). */
  private hold(file: string, parsed: ParsedText): void {
    const before = this.lru.peek(file);
    this.holders.set(parsed, (this.holders.get(parsed) ?? 0) + 1);
    this.lru.set(file, parsed);
    // (a text past the whole bound is not kept: the cache dropped it, and `before` with it, through dispose)
    if (this.lru.peek(file) !== parsed) return this.unhold(parsed);
    if (before && before !== parsed) this.unhold(before);
  }

  private unhold(parsed: ParsedText): void {
    const n = (this.holders.get(parsed) ?? 1) - 1;
    if (n > 0) return void this.holders.set(parsed, n);
    this.holders.delete(parsed);
    if (this.byText.get(parsed.text) === parsed) this.byText.delete(parsed.text);
  }

  /** A parse kept flat made its trees again: they count against the bound, the most recent. */
  treesMade(file: string, parsed: ParsedText): void {
    // A text past the whole bound keeps the trees it made until its next read (which releases them: see parse), as it
    // did before trees entered here: entered now, the bound would drop them at once, and every `docs` of one reader
    // (a loop over its documents, a finding per document) would make them again (31 ms each for a 1.3 MB file).
    if (parsed.text.length > this.maxTreesTextLength) return;
    if (parsed.flattened && this.lru.peek(file) === parsed) this.trees.set(file, parsed);
  }

  /** Keeps `file`'s parse compact until it is asked for again (ParsedText.compact): the index has read it. */
  compact(file: string): void {
    this.lru.peek(file)?.compact();
    this.trees.del(file);
  }

  private donor: ParseStore | undefined;
  /** Parses of `donor` (another fleet's) serve this store's misses for the same text. */
  seedFrom(donor: ParseStore): void {
    this.donor = donor;
  }

  stats(): QueryStats {
    return { hits: this.hits, misses: this.misses, size: this.lru.itemCount };
  }
}
