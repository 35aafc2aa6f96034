// A file text parsed once, the way every reader of a fleet's files shares it (the index, the kustomize engine's loads,
// lock scanning, schemas, completion): core/yamlParse.ts's bounded parse with its default options — kustomize's own
// reading: strict, duplicate keys are errors. Readers that were lenient (the index reports neither duplicate keys nor
// the YAML 1.2 strict-mode errors) read `lenientErrors`; the trees are the same either way (options only add errors).
import type { Document, YAMLError } from 'yaml';
import { parseYaml, parseYamlAll, type Token } from './yamlParse';
import { deAnchor, type AnchorError } from './yamlAnchors';
import { compactDocs, expandDocs, type CompactDoc } from './compactDocs';
import { parseFlatOrTrees } from './parseFlat';

export interface ParsedText {
  readonly text: string;
  readonly docs: readonly Document.Parsed[];
  /** deAnchor of `docs[i]`, run once (it resolves in place: a second run of a failed one would read a half-done tree). */
  anchorError(i: number): AnchorError | undefined;
  /** The errors of `docs[i]` under `{ uniqueKeys: false, strict: false }`. */
  lenientErrors(i: number): readonly YAMLError[];
  /** Whether `lenientErrors(i)` has any (without a second parse when an error is not one strict mode adds). */
  hasLenientErrors(i: number): boolean;
  /** The text as parseDocument reads it: the one document (shared), else parseDocument's own reading (none, several). */
  single(): { doc: Document.Parsed; anchorError(): AnchorError | undefined };
  /** The CST the documents were composed from (kept for texts that may hold inline lock marks: comments are read there). */
  tokens(): readonly Token[];
  /**
   * Keeps the documents flattened (core/compactDocs.ts) until they are asked for again, then made again from that
   * (never from the text) and kept: a file the index read and nothing else yet holds one array per document, not its
   * tree. Texts whose documents are changed in place (aliases resolved) or whose CST is kept stay as they are.
   */
  compact(): void;
  /** Drops the trees made again from the flat form (asked for again: made again); none for a parse kept whole. */
  release(): void;
  /** Whether compact() kept the documents flat (then their trees are made again when asked for, and can be released). */
  readonly flattened: boolean;
  /**
   * The documents flat while no tree is made of them (compactDocs.ts readFlat reads their data without one), else
   * undefined: read `docs`. Flat documents have no errors and no anchors (compact() keeps only those flat).
   */
  flatDocs(): readonly CompactDoc[] | undefined;
  /** `keeper` bounds the trees made again from the flat form (db/parse.ts): it is told each time they are made. */
  keepTreesWith(keeper: TreesKeeper, file: string): void;
}

/** Who bounds the trees parses kept flat make again (db/parse.ts ParseStore), told when a parse makes them. */
export interface TreesKeeper {
  treesMade(file: string, parsed: ParsedText): void;
}

/** Gives a file's text parsed (a fleet's database keeps one parse per text; see db/parse.ts). */
export type ParseText = (file: string, text: string) => ParsedText;

/** Codes the `yaml` package raises only in strict mode, or in both (then only a lenient parse tells which). */
const MAYBE_STRICT_ONLY: ReadonlySet<string> = new Set(['MISSING_CHAR', 'MULTILINE_IMPLICIT_KEY', 'KEY_OVER_1024_CHARS']);

/** Texts whose CST is kept with their documents: those that may hold `# fleet:` lock marks (locks/inline.ts). */
function keepsTokens(text: string): boolean {
  return text.includes('fleet:');
}

/** Whether a text may hold an alias or a merge key: one needs `*` (an alias), `<<` (a plain merge key) or `!` (a tag,
 *  `!!merge` among them). Most files have none: deAnchor's walk of their documents is skipped. */
function mayHoldAnchors(text: string): boolean {
  return text.includes('*') || text.includes('<<') || text.includes('!');
}

/** One object per parsed text, its lazily made parts in fields (a fleet keeps one per file: no closures each). */
class Parsed implements ParsedText {
  private anchors: Array<{ error: AnchorError | undefined } | undefined> | undefined;
  private noAnchors: boolean | undefined;
  private lenient: Document.Parsed[] | undefined;
  private whole: ReturnType<ParsedText['single']> | undefined;
  private cst: Token[] | undefined;
  private trees: readonly Document.Parsed[] | undefined;
  /** The documents kept flat: the one document of most texts as itself (a list per text, kept for every file, was two
   *  objects more that the load's scavenges copied), several as their list. */
  private flat: readonly CompactDoc[] | CompactDoc | undefined;
  private keeper: TreesKeeper | undefined;
  private keptAs: string | undefined;

  constructor(readonly text: string) {
    if (keepsTokens(text)) this.trees = parseYamlAll(text, undefined, (this.cst = []));
    else if (mayHoldAnchors(text)) this.trees = parseYamlAll(text);
    else {
      // Kept flat from the start when the CST reads exactly (most files): no trees made until they are asked for.
      const read = parseFlatOrTrees(text);
      if ('flat' in read) this.flat = read.flat.length === 1 ? read.flat[0] : read.flat;
      else this.trees = read.trees;
    }
  }

  get docs(): readonly Document.Parsed[] {
    if (this.trees) return this.trees;
    const trees = (this.trees = expandDocs(this.flatList()!));
    // (the keeper may release them at once, past its bound: these are still the trees asked for)
    this.keeper?.treesMade(this.keptAs!, this);
    return trees;
  }

  keepTreesWith(keeper: TreesKeeper, file: string): void {
    this.keeper = keeper;
    this.keptAs = file;
  }

  get flattened(): boolean {
    return this.flat !== undefined;
  }

  flatDocs(): readonly CompactDoc[] | undefined {
    return this.trees ? undefined : this.flatList();
  }

  private flatList(): readonly CompactDoc[] | undefined {
    const flat = this.flat;
    return flat === undefined || isList(flat) ? flat : [flat];
  }

  compact(): void {
    if (this.flat) return this.release();
    if (!this.trees || this.cst || this.anchors || this.lenient || mayHoldAnchors(this.text)) return;
    const flat = compactDocs(this.trees, this.text);
    if (!flat) return;
    this.flat = flat.length === 1 ? flat[0] : flat;
    this.release();
  }

  release(): void {
    if (!this.flat || !this.trees) return;
    this.trees = undefined;
    if (this.whole && !isList(this.flat)) this.whole = undefined;
  }

  anchorError(i: number): AnchorError | undefined {
    // Asked once per document: the text is looked at once (a file of 4,000 documents scanned its text 4,000 times).
    if (this.noAnchors ??= !mayHoldAnchors(this.text)) return undefined;
    const anchors = (this.anchors ??= []);
    return (anchors[i] ??= { error: deAnchor(this.docs[i]) }).error;
  }

  lenientErrors(i: number): readonly YAMLError[] {
    const errors = this.docs[i].errors;
    if (errors.some((e) => MAYBE_STRICT_ONLY.has(e.code))) {
      // Rare: a second parse tells the strict-only errors from the others (same trees, same documents).
      this.lenient ??= parseYamlAll(this.text, { uniqueKeys: false, strict: false });
      return this.lenient[i]?.errors ?? [];
    }
    return errors.some((e) => e.code === 'DUPLICATE_KEY') ? errors.filter((e) => e.code !== 'DUPLICATE_KEY') : errors;
  }

  hasLenientErrors(i: number): boolean {
    const errors = this.docs[i].errors;
    if (errors.some((e) => e.code !== 'DUPLICATE_KEY' && !MAYBE_STRICT_ONLY.has(e.code))) return true;
    return this.lenientErrors(i).length > 0;
  }

  single(): { doc: Document.Parsed; anchorError(): AnchorError | undefined } {
    if (!this.whole) {
      if (this.docs.length === 1) this.whole = { doc: this.docs[0], anchorError: () => this.anchorError(0) };
      else {
        const doc = parseYaml(this.text);
        let anchor: { error: AnchorError | undefined } | undefined;
        this.whole = { doc, anchorError: () => (anchor ??= { error: deAnchor(doc) }).error };
      }
    }
    return this.whole;
  }

  tokens(): readonly Token[] {
    if (!this.cst) parseYamlAll(this.text, undefined, (this.cst = []));
    return this.cst;
  }
}

function isList(flat: readonly CompactDoc[] | CompactDoc): flat is readonly CompactDoc[] {
  return Array.isArray(flat);
}

export function parseText(text: string): ParsedText {
  return new Parsed(text);
}

/** Without a fleet (tests, one-off builds): every call parses. */
export const parseUnshared: ParseText = (_file, text) => parseText(text);
