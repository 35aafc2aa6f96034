// The one way the server parses YAML text: the `yaml` package's parse with two bounds and no console output.
// - Nesting: hostile input (5,000 nested flow sequences are 10 KB) would overflow the stack of every recursive walker
//   after the parse (kustomize's loader, merges, substitution), or of the parse itself. A collection nested deeper
//   than MAX_YAML_DEPTH is read as null, with a limit error at its range (reported as `limit-exceeded` where it is:
//   the rest of the document, a HelmRelease around deep values, still counts). A parse the parser's own stack cannot
//   hold (near 800 levels) is read as empty, with the error where the parser gave up.
// - Warnings ("Keys with collection values will be stringified", from toJS) are data, never console output: the
//   server's stderr is its client's error log.
import { Composer, Parser, parseAllDocuments, parseDocument, isMap, isSeq, isPair, isScalar, Scalar, YAMLParseError, type CST, type Document, type DocumentOptions, type ErrorCode, type Node, type ParseOptions, type SchemaOptions } from 'yaml';

/** kyaml's go-yaml stops at 10,000 levels, the `yaml` package's recursive composer overflows near 800 (it reports
 *  RESOURCE_EXHAUSTION), our walkers take a few frames a level; real documents stay under 50. */
export const MAX_YAML_DEPTH = 256;

const LIMIT_CODE = 'LIMIT_EXCEEDED' as ErrorCode;

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;
export type Token = CST.Token;

/** A parse error that is a limit of this tool (not a YAML syntax error). */
export function isLimitError(e: { code?: string }): boolean {
  return e.code === LIMIT_CODE;
}

function limitError(start: number, end: number): YAMLParseError {
  return new YAMLParseError([start, Math.max(end, start + 1)], LIMIT_CODE, `limit exceeded: YAML nested deeper than ${MAX_YAML_DEPTH} levels is not read`);
}

/**
 * Walks a node tree without recursion: every collection deeper than `max` is replaced by null, its range returned
 * (in document order); and, when `keys` is given, the start of every key that repeats an earlier scalar key of its
 * mapping goes into `keys` (the `yaml` package's own check compares each key with every earlier one: quadratic).
 */
function pruneDeeperThan(root: unknown, max: number, keys?: number[], schema?: Document['schema']): Array<[number, number]> {
  const pruned: Array<[number, number]> = [];
  // Parallel stacks (every node of every indexed file passes here): the node, its depth, and where it sits in its
  // parent — a sequence and the item's index, or a pair and KEY / VALUE — to replace it there.
  const nodes: unknown[] = [root];
  const depths: number[] = [1];
  const parents: unknown[] = [undefined];
  const slots: number[] = [0];
  while (nodes.length) {
    const n = nodes.pop();
    const d = depths.pop()!;
    const parent = parents.pop();
    const slot = slots.pop()!;
    if (isSeq(n)) {
      if (d > max) {
        prune(n, parent, slot, pruned);
        continue;
      }
      if (schema) n.schema = schema;
      const items = (n.items = exactly(n.items));
      for (let i = 0; i < items.length; i++) {
        nodes.push(items[i]);
        depths.push(d + 1);
        parents.push(n);
        slots.push(i);
      }
    } else if (isMap(n)) {
      if (d > max) {
        prune(n, parent, slot, pruned);
        continue;
      }
      if (schema) n.schema = schema;
      const items = (n.items = exactly(n.items));
      if (keys) repeatedKeys(items, keys);
      for (const pair of items) {
        nodes.push(pair.key, pair.value);
        depths.push(d + 1, d + 1);
        parents.push(pair, pair);
        slots.push(KEY, VALUE);
      }
    }
  }
  return pruned.sort((a, b) => a[0] - b[0]);
}

/** A collection's items in an array of their own length: the composer grows each by push (room for 16 items where most
 *  mappings hold 2 or 3), and a fleet keeps its documents (about a tenth of a kept parse was that room). */
function exactly<T>(items: T[]): T[] {
  return items.length > 0 ? items.slice() : items;
}

const KEY = -1;
const VALUE = -2;

/** Replaces a collection nested too deep by null in its parent, its range noted. */
function prune(n: Node, parent: unknown, slot: number, pruned: Array<[number, number]>): void {
  const r = n.range;
  pruned.push([r?.[0] ?? 0, r?.[1] ?? 0]);
  const nothing = new Scalar(null);
  if (r) nothing.range = [r[0], r[0], r[0]];
  if (isSeq(parent)) parent.items[slot] = nothing;
  else if (isPair(parent)) {
    if (slot === KEY) parent.key = nothing;
    else parent.value = nothing;
  }
}

/** The start of every scalar key of `pairs` that repeats an earlier one (SameValueZero, like a Set). */
function repeatedKeys(pairs: ReadonlyArray<{ key: unknown }>, keys: number[]): void {
  if (pairs.length < 2) return;
  if (pairs.length <= 16) {
    // Small mappings (nearly all): compared pairwise, no Set made.
    for (let i = 1; i < pairs.length; i++) {
      const k = pairs[i].key;
      if (!isScalar(k)) continue;
      const v = k.value;
      for (let j = 0; j < i; j++) {
        const e = pairs[j].key;
        if (isScalar(e) && (e.value === v || (e.value !== e.value && v !== v))) {
          keys.push(k.range?.[0] ?? 0);
          break;
        }
      }
    }
    return;
  }
  const seen = new Set<unknown>();
  for (const pair of pairs) {
    const k = pair.key;
    if (!isScalar(k)) continue;
    if (seen.has(k.value)) keys.push(k.range?.[0] ?? 0);
    else seen.add(k.value);
  }
}

/** Lines and columns like the `yaml` package's prettified messages (" at line 3, column 1:" and the line), one search each. */
function lineColumn(text: string): (pos: number) => string {
  let starts: number[] | undefined;
  return (pos) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    const end = text.indexOf('\n', starts[lo]);
    return ` at line ${lo + 1}, column ${pos - starts[lo] + 1}:\n\n${text.slice(starts[lo], end < 0 ? text.length : end).slice(0, 80)}\n`;
  };
}

/** Errors kept per document: hostile input (20,000 unclosed brackets) makes one per token. */
const MAX_ERRORS = 50;

function bounded<T extends Document>(doc: T, checkKeys: boolean, at: (pos: number) => string, schema?: Document['schema']): T {
  const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) {
    // The parser's own stack overflowed (it caught it): the partial tree is no document, the other errors its noise.
    doc.errors = [limitError(exhausted.pos[0], exhausted.pos[1])];
    doc.contents = null;
    return doc;
  }
  // The package's own prettifying copies the error's whole line per error (quadratic on one long line): done here,
  // the same first line, with a line found by binary search and cut to 80 characters.
  if (doc.errors.length > MAX_ERRORS) doc.errors.length = MAX_ERRORS;
  for (const e of [...doc.errors, ...doc.warnings]) if (e.pos[0] >= 0) e.message += at(e.pos[0]);
  const keys: number[] | undefined = checkKeys ? [] : undefined;
  const pruned = doc.contents ? pruneDeeperThan(doc.contents, MAX_YAML_DEPTH, keys, schema) : [];
  for (const [start, end] of pruned.slice(0, MAX_ERRORS)) doc.errors.push(limitError(start, end));
  if (keys?.length) for (const k of keys.slice(0, MAX_ERRORS)) doc.errors.push(new YAMLParseError([k, k + 1], 'DUPLICATE_KEY', `Map keys must be unique${at(k)}`));
  if (pruned.length || keys?.length) doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
  return doc;
}

/**
 * Runs `parse` as every parse here runs, synchronous (nothing else runs meanwhile), two globals set for it and put back:
 * - no stack traces captured: the parser makes an Error per bad token, and capturing each one's stack in a deep
 *   composer cost seconds on 20,000 unclosed brackets;
 * - `process.env` a view whose own properties are the `yaml` package's two debug switches, read once: its Parser reads
 *   process.env.LOG_TOKENS once per token (its Composer LOG_STREAM once per document), and each read of the real
 *   process.env is a call into Node's environment store (~0.3 µs: on a fleet's 1.1 million tokens, a third of the
 *   Parser's own time). Every other name reads through to the real environment (the view's prototype).
 */
function asParsing<T>(parse: () => T): T {
  const limit = Error.stackTraceLimit;
  const env = process.env;
  Error.stackTraceLimit = 0;
  // (a literal with its prototype: a third of what Object.assign of an Object.create cost, per file parsed)
  const viewed = setEnv({ __proto__: env, LOG_TOKENS: env.LOG_TOKENS, LOG_STREAM: env.LOG_STREAM } as unknown as NodeJS.ProcessEnv);
  try {
    return parse();
  } finally {
    if (viewed) process.env = env;
    Error.stackTraceLimit = limit;
  }
}

/** Sets process.env; false where the host does not let it be set (Node's own is a writable property): the parse reads the real one. */
function setEnv(env: NodeJS.ProcessEnv): boolean {
  try {
    process.env = env;
    return true;
  } catch {
    return false;
  }
}

/** The text's CST pushed onto `tokens` (the `yaml` Parser's, as parseAllDocuments makes it; RangeError: the parser's own stack could not hold it). */
export function parseTokens(text: string, tokens: Token[]): void {
  asParsing(() => {
    for (const t of new Parser().parse(text)) tokens.push(t);
  });
}

/** The options to parse with: no console output; unique keys checked by `bounded` (linear) instead of the parser. */
function parseOptionsOf(options: YamlOptions): { opts: YamlOptions; checkKeys: boolean } {
  const checkKeys = options.uniqueKeys === undefined || options.uniqueKeys === true;
  return { opts: { logLevel: 'error', ...options, prettyErrors: false, ...(checkKeys && { uniqueKeys: false }) }, checkKeys };
}

/** No options asked for: the default parse (every file a fleet indexes). */
const NO_OPTIONS: YamlOptions = Object.freeze({});
/** What parseOptionsOf gives the default parse, made once (it made two objects and a spread per file parsed). */
const DEFAULT_PARSE: Readonly<{ opts: YamlOptions; checkKeys: boolean }> = (() => {
  const { opts, checkKeys } = parseOptionsOf({});
  return Object.freeze({ opts: Object.freeze(opts), checkKeys });
})();

/** The options and schema every document parsed with the default options gets (the parse each fleet keeps per file). */
const DEFAULT_SETTINGS: Readonly<{ options: Document.Parsed['options']; schema: Document['schema'] }> = (() => {
  const doc = parseDocument('', parseOptionsOf({}).opts);
  return { options: doc.options, schema: doc.schema };
})();

/**
 * A document parsed with the default options: its options and schema replaced by the shared ones (the same
 * values: every Document makes its own copies, each of its collections points at its schema, and a fleet keeps one
 * document per file). Returns the schema its collections are to point at (bounded's walk sets them), if shared. A
 * document whose directives name another YAML version keeps its own.
 */
function shareSettings(doc: Document.Parsed, asked: YamlOptions): Document['schema'] | undefined {
  if (doc.directives?.yaml.explicit || (doc.options as { version?: string }).version !== '1.2') return undefined;
  for (const _ in asked) return undefined; // other options: its own
  doc.options = DEFAULT_SETTINGS.options;
  doc.schema = DEFAULT_SETTINGS.schema;
  return DEFAULT_SETTINGS.schema;
}

/**
 * parseAllDocuments, bounded: a document nested too deep (or a parse the stack cannot hold) is empty with an error.
 * `tokens`: filled with the CST the documents were composed from (one parse gives both; comments are read there).
 */
export function parseYamlAll(text: string, options: YamlOptions = NO_OPTIONS, tokens?: Token[]): Document.Parsed[] {
  return parseAll(text, options, tokens, false);
}

/** parseYamlAll with the default options of a text whose CST is `tokens` (core/parseFlat.ts made it: not again). */
export function composeYamlAll(text: string, tokens: Token[]): Document.Parsed[] {
  return parseAll(text, NO_OPTIONS, tokens, true);
}

function parseAll(text: string, options: YamlOptions, tokens: Token[] | undefined, parsed: boolean): Document.Parsed[] {
  const { opts, checkKeys } = options === NO_OPTIONS ? DEFAULT_PARSE : parseOptionsOf(options);
  const at = lineColumn(text);
  try {
    const docs = asParsing(() => {
      if (!tokens) return parseAllDocuments(text, opts);
      // What parseAllDocuments does (no line counter, no pretty errors), keeping the parser's tokens.
      if (!parsed) for (const t of new Parser().parse(text)) tokens.push(t);
      return Array.from(new Composer(opts).compose(tokens));
    });
    return (Array.isArray(docs) ? (docs as Document.Parsed[]) : []).map((d) => bounded(d, checkKeys, at, shareSettings(d, options)));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    if (tokens) tokens.length = 0;
    const doc = parseDocument('', opts);
    doc.errors.push(limitError(0, text.length));
    return [doc as Document.Parsed];
  }
}

/** parseDocument, bounded the same way. */
export function parseYaml(text: string, options: YamlOptions = {}): Document.Parsed {
  const { opts, checkKeys } = parseOptionsOf(options);
  try {
    return bounded(asParsing(() => parseDocument(text, opts)) as Document.Parsed, checkKeys, lineColumn(text));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const doc = parseDocument('', opts);
    doc.errors.push(limitError(0, text.length));
    return doc as Document.Parsed;
  }
}
