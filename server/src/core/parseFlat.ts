// A text parsed straight to its flat form (core/compactDocs.ts) from the `yaml` package's CST: no Document or node
// objects are composed for most files (the composer's objects were a third of the parse, and a fleet keeps files
// flat once indexed). Exact only where the composer is simple: block mappings of single-line scalar keys, block
// sequences and flow scalars, without comments, blank lines between items, anchors, aliases, tags, flow collections,
// block scalars, tabs, directives or `...` markers, errors or duplicate keys. Any other text is composed from the same
// CST (parsed once). Scalars resolve as the composer resolves them: the `yaml` package's own flow-scalar reading
// (CST.resolveAsScalar; a one-line plain scalar, whose value is its source, read in place: plainOneLine) and its
// schema's tags, in the composer's order.
// Each step below names the composer function (yaml/dist/compose/*.js) whose outcome it reproduces for that subset;
// test/unit/parseFlat.test.ts compares both over every fixture, the corpora and the synthetic fleet.
import { CST, Scalar, type Document } from 'yaml';
import { compactDoc, flattenCollection, flattenNode, flattenPlainText, flattenRange, flattenScalar, type CompactDoc, type Flat } from './compactDocs';
import { composeYamlAll, MAX_YAML_DEPTH, parseTokens, parseYamlAll, type Token } from './yamlParse';

type ScalarToken = CST.FlowScalar;
type Tag = { default?: boolean | 'key'; test?: RegExp; format?: string; resolve(value: string, onError: (msg: string) => void, options: unknown): unknown };

/** Thrown where the flat reading is not exact: the text is composed instead. */
const NOT_EXACT = Symbol('not exact');

/** A document of the default parse (shared options and schema, core/yamlParse.ts): the shells are copies of it. */
const TEMPLATE: Document.Parsed = Object.assign(parseYamlAll('a: 1\n')[0], { contents: null });
const SCHEMA = TEMPLATE.schema as unknown as { tags: Tag[]; compat: unknown; [k: symbol]: unknown };
/** The tags a plain scalar is tested against (findScalarTagByTest), as a value and as a key. */
const VALUE_TAGS = SCHEMA.tags.filter((t) => t.default === true && t.test);
const KEY_TAGS = SCHEMA.tags.filter((t) => (t.default === true || t.default === 'key') && t.test);
/**
 * One test that fails where every tag's test fails: their patterns as alternatives (only when none has flags or a
 * backreference, which an alternation would change). Most scalars are strings that no tag takes: one test each, not
 * one per tag (seven in the core schema); a scalar it matches is tested tag by tag, in the schema's order.
 */
function anyTag(tags: readonly Tag[]): RegExp | undefined {
  if (tags.some((t) => t.test!.flags !== '' || /\\[1-9k]/.test(t.test!.source))) return undefined;
  try {
    return new RegExp(tags.map((t) => `(?:${t.test!.source})`).join('|'));
  } catch {
    return undefined; // (two tags naming the same group)
  }
}
const ANY_VALUE_TAG = anyTag(VALUE_TAGS);
const ANY_KEY_TAG = anyTag(KEY_TAGS);
const STRING_TAG = SCHEMA[Symbol.for('yaml.scalar')] as Tag;
const OPTIONS = TEMPLATE.options;

/**
 * The text's documents flat (undefined: read `tokens`, the text's CST, with composeYamlAll). `tokens` is left empty
 * when the parser itself could not finish (its stack): parse the text again the usual way.
 */
export function parseFlat(text: string, tokens: Token[]): CompactDoc[] | undefined {
  if (SCHEMA.compat || text.includes('\t')) {
    fillTokens(text, tokens);
    return undefined;
  }
  if (!fillTokens(text, tokens)) return undefined;
  const out: CompactDoc[] = [];
  try {
    for (const token of tokens) {
      switch (token.type) {
        case 'document':
          out.push(flatDocument(token, text));
          break;
        case 'newline':
        case 'space':
        case 'byte-order-mark':
          break;
        default:
          return undefined;
      }
    }
  } catch (e) {
    if (e === NOT_EXACT) return undefined;
    throw e;
  }
  // (an exact-length copy: a parse keeps its flat documents, and the list pushing grew has room for 17: most texts
  // hold one document, and every file of a fleet is kept flat)
  return out.length ? out.slice() : undefined;
}

function fillTokens(text: string, tokens: Token[]): boolean {
  try {
    parseTokens(text, tokens);
    return true;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    tokens.length = 0;
    return false;
  }
}

/** composeDoc and the Composer's handling of a document without directives, comments or errors. */
function flatDocument(token: CST.Document, text: string): CompactDoc {
  const props = readProps(token.start, 'doc-start', true, token.offset);
  const value = token.value;
  if (props.found && value && (value.type === 'block-map' || value.type === 'block-seq') && !props.hasNewline) throw NOT_EXACT;
  const flat: Flat = { nums: [], vals: [], text };
  const contentEnd = value ? flatNode(value, flat, false, 1) : flatEmpty(props.end, token.start, flat, false);
  const { nums, vals } = compactDoc(undefined, flat);
  return new FlatDoc(nums, vals, text, token.offset, contentEnd, contentEnd + spaceLength(token.end), props.found);
}

/**
 * A document read flat from the CST: its shell made when asked for (expandDocs, once per tree made), from its range and
 * whether it has a `---`. Kept for every file of a fleet, a shell held six objects (itself, its Directives and their
 * two maps, its errors and warnings) and its range: a fleet's load kept and copied 11,000 of each in its scavenges.
 */
class FlatDoc implements CompactDoc {
  constructor(
    readonly nums: Int32Array,
    readonly vals: readonly unknown[],
    readonly text: string,
    private readonly start: number,
    private readonly contentEnd: number,
    private readonly end: number,
    private readonly docStart: boolean,
  ) {}

  get shell(): Document.Parsed {
    const directives = new Directives(TEMPLATE_DIRECTIVES.yaml, TEMPLATE_DIRECTIVES.tags);
    if (this.docStart) directives.docStart = true;
    return newShell(directives, [this.start, this.contentEnd, this.end]);
  }
}

const TEMPLATE_DIRECTIVES = TEMPLATE.directives!;
const Directives = TEMPLATE_DIRECTIVES.constructor as new (yaml: unknown, tags: unknown) => NonNullable<Document['directives']>;
const DOCUMENT_CLASS = Object.getPrototypeOf(TEMPLATE) as object;
const NODE_TYPE = Symbol.for('yaml.node.type');
const DOCUMENT_TYPE: PropertyDescriptor = { value: (TEMPLATE as unknown as Record<symbol, unknown>)[NODE_TYPE] };

/**
 * A document without contents as the composer makes it (the Document constructor's own properties, in its order; its
 * node type not enumerable), with the default parse's options and schema: what copyDocument of the template gives, a
 * fifth of its cost (a shell per document of every file).
 */
function newShell(directives: Document['directives'], range: Document.Parsed['range']): Document.Parsed {
  const shell = Object.create(DOCUMENT_CLASS) as Record<string, unknown>;
  shell.commentBefore = null;
  shell.comment = null;
  shell.errors = [];
  shell.warnings = [];
  Object.defineProperty(shell, NODE_TYPE, DOCUMENT_TYPE);
  shell.options = OPTIONS;
  shell.directives = directives;
  shell.schema = TEMPLATE.schema;
  shell.contents = null;
  shell.range = range;
  return shell as unknown as Document.Parsed;
}

/** The length of a node's or document's end tokens (resolveEnd): only spaces and newlines are exact here. */
function spaceLength(end: readonly Token[] | undefined): number {
  let n = 0;
  if (end)
    for (const t of end) {
      if (t.type !== 'space' && t.type !== 'newline') throw NOT_EXACT;
      n += t.source.length;
    }
  return n;
}

interface Props {
  found: boolean;
  /** The indicator's offset (-1 when not found). */
  at: number;
  hasNewline: boolean;
  end: number;
}

/**
 * resolveProps of an item's or a document's start, or a value's separator, when it holds only spaces, newlines and
 * its indicator (once): anything that would give the node properties (a blank line: spaceBefore) is not exact.
 */
function readProps(tokens: readonly Token[], indicator: string, startOnNewline: boolean, offset: number, into: Props = newProps()): Props {
  let atNewline = startOnNewline;
  let found = false;
  let at = -1;
  let hasNewline = false;
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
        break;
      case 'newline':
        if (atNewline && (!found || indicator !== 'seq-item-ind')) throw NOT_EXACT;
        atNewline = true;
        hasNewline = true;
        break;
      default:
        if (t.type !== indicator || found) throw NOT_EXACT;
        found = true;
        at = t.offset;
        atNewline = indicator === 'seq-item-ind';
    }
  }
  const last = tokens[tokens.length - 1];
  into.found = found;
  into.at = at;
  into.hasNewline = hasNewline;
  into.end = last ? last.offset + (last as CST.SourceToken).source.length : offset;
  return into;
}

/** A Props to read into: a collection's items are read into the same ones (not an object per item and separator). */
function newProps(): Props {
  return { found: false, at: -1, hasNewline: false, end: 0 };
}

/** Flattens a node (composeNode without properties); returns its range's end (range[2]). */
function flatNode(token: Token, flat: Flat, atKey: boolean, depth: number): number {
  switch (token.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
      return flatScalar(token, flat, atKey);
    case 'block-map':
      return flatMap(token, flat, depth);
    case 'block-seq':
      return flatSeq(token, flat, depth);
    default:
      throw NOT_EXACT;
  }
}

/** composeEmptyNode: an empty plain scalar where emptyScalarPosition puts it. */
function flatEmpty(offset: number, before: readonly Token[] | undefined, flat: Flat, atKey: boolean): number {
  const at = emptyScalarPosition(offset, before);
  return flatScalar({ type: 'scalar', offset: at, indent: -1, source: '' }, flat, atKey);
}

/** utilEmptyScalarPosition (without comments: none reach here). */
function emptyScalarPosition(offset: number, before: readonly Token[] | undefined): number {
  if (!before) return offset;
  for (let i = before.length - 1; i >= 0; --i) {
    const t = before[i];
    if (t.type === 'space' || t.type === 'newline') {
      offset -= t.source.length;
      continue;
    }
    for (let j = i + 1; before[j]?.type === 'space'; j++) offset += (before[j] as CST.SourceToken).source.length;
    break;
  }
  return offset;
}

function notExact(): never {
  throw NOT_EXACT;
}

/** The tag the composer gives an untagged plain scalar's value (findScalarTagByTest): a string's, unless a test takes it. */
function plainTag(value: string, atKey: boolean): Tag {
  const any = atKey ? ANY_KEY_TAG : ANY_VALUE_TAG;
  if (!any || any.test(value)) for (const t of atKey ? KEY_TAGS : VALUE_TAGS) if (t.test!.test(value)) return t;
  return STRING_TAG;
}

/** composeScalar of an untagged flow scalar: its value read by the package (resolveFlowScalar), its tag found by test. */
function flatScalar(token: ScalarToken, flat: Flat, atKey: boolean, key?: { value: unknown }): number {
  if (token.type === 'scalar') {
    // Most scalars of a fleet: read in place, without a reading's object and range array (58 MB of a fleet's load).
    const after = plainOneLineEnd(token);
    if (after >= 0) {
      const source = token.source;
      const tag = plainTag(source, atKey);
      const resolved = tag.resolve(source, notExact, OPTIONS);
      if (!tag.format && (resolved === null || typeof resolved !== 'object')) {
        flattenPlainText(flat, resolved, source, token.offset, token.offset + source.length, after);
        if (key) key.value = resolved;
        return after;
      }
    }
  }
  const { value, type, range, comment } = (token.type === 'scalar' && plainOneLine(token)) || CST.resolveAsScalar(token, true, notExact)!;
  if (comment) throw NOT_EXACT;
  const source = value;
  const tag = token.type === 'scalar' ? plainTag(value, atKey) : STRING_TAG;
  const resolved = tag.resolve(value, notExact, OPTIONS);
  if (tag.format || (resolved !== null && typeof resolved === 'object')) {
    // (rare: hexadecimal and octal integers, exponents, floats that keep their digits) the composer's node, flattened
    const node = (resolved instanceof Scalar ? resolved : new Scalar(resolved)) as Scalar & { source?: string };
    node.range = range;
    node.source = source;
    if (type) node.type = type;
    if (tag.format) node.format = tag.format;
    if (!flattenNode(node, flat, SCHEMA)) throw NOT_EXACT;
  } else {
    if (!type) throw NOT_EXACT;
    flattenScalar(flat, type, resolved, source, range);
  }
  // (a key's value as the duplicate check reads it: a float's tag gives a node)
  if (key) key.value = resolved instanceof Scalar ? resolved.value : resolved;
  return range[2];
}

/**
 * resolveFlowScalar of a plain scalar on one line whose end holds only spaces and newlines (most scalars of a fleet),
 * else undefined (the package reads it): plainValue's unfoldLines folds nothing without a newline (the value is the
 * source), and resolveEnd of such an end has no comment and ends after it. A first character plainValue reports
 * (BAD_SCALAR_START) is left to the package, which reports it (parseFlat then declines the text).
 */
function plainOneLine(token: ScalarToken): { value: string; type: Scalar.Type; range: [number, number, number]; comment: string } | undefined {
  const after = plainOneLineEnd(token);
  return after < 0 ? undefined : { value: token.source, type: Scalar.PLAIN, range: [token.offset, token.offset + token.source.length, after], comment: '' };
}

/** Where plainOneLine's range ends (range[2]), or -1 where the package reads the scalar. */
function plainOneLineEnd(token: ScalarToken): number {
  const { source, offset, end } = token;
  if (source.includes('\n')) return -1;
  switch (source[0]) {
    case '\t':
    case ',':
    case '%':
    case '|':
    case '>':
    case '@':
    case '`':
      return -1;
  }
  let after = offset + source.length;
  if (end)
    for (const t of end) {
      if (t.type !== 'space' && t.type !== 'newline') return -1;
      after += t.source.length;
    }
  return after;
}

/** resolveBlockMap of implicit single-line scalar keys, each with its `:` (and the default parse's duplicate-key check). */
function flatMap(map: CST.BlockMap, flat: Flat, depth: number): number {
  if (depth > MAX_YAML_DEPTH) throw NOT_EXACT;
  const at = flattenCollection(flat, true, map.items.length);
  let offset = map.offset;
  let keys: unknown[] | Set<unknown> = [];
  const read = { value: undefined as unknown };
  const keyProps = newProps();
  const valueProps = newProps();
  for (const { start, key, sep, value } of map.items) {
    readProps(start, 'explicit-key-ind', true, offset, keyProps);
    if (keyProps.found || !key || !sep) throw NOT_EXACT;
    if (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar') throw NOT_EXACT;
    if (key.indent !== map.indent || key.source.includes('\n')) throw NOT_EXACT;
    if (key.end) for (const t of key.end) if (t.type === 'newline') throw NOT_EXACT;
    const keyEnd = flatScalar(key, flat, true, read);
    const k = read.value;
    // (the default parse's repeated keys, by SameValueZero: keys are primitives here. A list for small maps, as
    // yamlParse's repeatedKeys does, then a Set: a map of 30,000 keys took 3.5 s to read with a list alone)
    if (Array.isArray(keys)) {
      if (keys.includes(k)) throw NOT_EXACT;
      keys.push(k);
      if (keys.length > 16) keys = new Set(keys);
    } else {
      if (keys.has(k)) throw NOT_EXACT;
      keys.add(k);
    }
    readProps(sep, 'map-value-ind', false, keyEnd, valueProps);
    if (!valueProps.found) throw NOT_EXACT;
    if (value?.type === 'block-map' && !valueProps.hasNewline) throw NOT_EXACT;
    // (KEY_OVER_1024_CHARS, strict mode: a key's `:` within 1024 characters of where its properties end)
    if (keyProps.end < valueProps.at - 1024) throw NOT_EXACT;
    offset = value ? flatNode(value, flat, false, depth + 1) : flatEmpty(valueProps.end, sep, flat, false);
  }
  flattenRange(flat, at, map.offset, offset, offset);
  return offset;
}

/** resolveBlockSeq of items each with its `-`. */
function flatSeq(seq: CST.BlockSequence, flat: Flat, depth: number): number {
  if (depth > MAX_YAML_DEPTH) throw NOT_EXACT;
  const at = flattenCollection(flat, false, seq.items.length);
  let offset = seq.offset;
  const props = newProps();
  for (const { start, value } of seq.items) {
    readProps(start, 'seq-item-ind', true, offset, props);
    if (!props.found) throw NOT_EXACT;
    offset = value ? flatNode(value, flat, false, depth + 1) : flatEmpty(props.end, start, flat, false);
  }
  flattenRange(flat, at, seq.offset, offset, offset);
  return offset;
}

/** The text's documents: flat when parseFlat is exact, else composed from the same CST (or parsed again, see parseFlat). */
export function parseFlatOrTrees(text: string): { flat: CompactDoc[] } | { trees: Document.Parsed[] } {
  const tokens: Token[] = [];
  const flat = parseFlat(text, tokens);
  if (flat) return { flat };
  return { trees: tokens.length ? composeYamlAll(text, tokens) : parseYamlAll(text) };
}
