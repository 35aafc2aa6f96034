// A parsed file's documents kept compact: each document's node tree flattened into one array (node kinds, ranges, the
// nodes' own properties and scalar values), from which the same tree is made again without reading the text (no
// lexer, parser or composer: only the nodes). A fleet keeps one parse per file text; most files are read once by the
// index and not again until a build or a hover asks for them, and a kept tree is a few hundred small objects per file
// that every young-generation GC of the load copied (the synthetic fleet: 69 MB of trees for 2.7 MB of text, half the
// cold index's time in scavenges). Flattened right after the index read them, the trees die young.
// Only trees the flattening reproduces exactly are flattened (scalars, mappings, sequences and pairs of the `yaml`
// package's own classes whose enumerable properties are primitives, collections on the document's schema; the
// composer gives them no other own property than its NODE_TYPE symbol and a collection's schema); a document with
// anything else (an alias, errors, another class) keeps its tree: `compactDocs` returns undefined.
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { DocReader, NOT_SCALAR_KEY, type ScalarData } from './docReader';
import type { Span } from './text';
import { keptList } from './keptList';

/**
 * One document: its shell (every own property of the Document but its contents) and the flattened contents: `nums`
 * the node kinds, item counts and ranges, `vals` the scalars' values and the nodes' other properties.
 */
export interface CompactDoc {
  readonly shell: Document.Parsed;
  readonly nums: Int32Array;
  readonly vals: readonly unknown[];
  /** The text parsed: a scalar written as its value is read from it (no string of its own kept in `vals`). */
  readonly text: string;
}

const NONE = 0;
/** A scalar whose own keys are value, range, source, type (the composer's order): the common ones by their own code. */
const PLAIN_SAME = 1; // type PLAIN, source === value
const SAME = 2; // source === value
const SOURCED = 3;
// The same, their source the text at their range (most scalars): nothing kept but the range (and a value that is not
// the source: a number, a boolean, null). Strings kept per scalar were most of what a load retained (the synthetic
// fleet: 266,000 of them), and what a load retains every young-generation GC copies.
const PLAIN_TEXT = 4; // type PLAIN, value === source === the text from range[0] to range[1]
const PLAIN_TEXT_VALUE = 5; // type PLAIN, source === that text, value another primitive
const DOUBLE_TEXT = 6; // type QUOTE_DOUBLE, value === source === the text inside the quotes (no escapes)
const SINGLE_TEXT = 7; // type QUOTE_SINGLE, the same
const SCALAR = 8; // any other own keys
const MAP = 9; // own keys: items, range
const SEQ = 10;
const MAP_PROPS = 11; // other own keys
const SEQ_PROPS = 12;
// A collection's head in `nums`: code, item count, range (3), and where its node ends in `nums` and in `vals` (a
// reading skips a collection it does not read in one step: the index reads a few keys of documents whose values are
// large); then its other own keys (MAP_PROPS, SEQ_PROPS), then its items.
const COLLECTION_HEAD = 7;

/** A document's contents being flattened (by flatten, or by core/parseFlat.ts straight from the CST). */
export interface Flat {
  nums: number[];
  vals: unknown[];
  text: string;
}

/** Where a reading of a flattened document is: in `nums`, in `vals`; and the last scalar's source and type. */
interface Cursor {
  n: number;
  v: number;
  source: unknown;
  type: unknown;
}

/** The documents (parsed from `text`) flattened, or undefined when one holds what the flattening does not reproduce. */
export function compactDocs(docs: readonly Document.Parsed[], text: string): CompactDoc[] | undefined {
  const out: CompactDoc[] = [];
  for (const doc of docs) {
    if (doc.errors.length || doc.warnings.length) return undefined;
    const flat: Flat = { nums: [], vals: [], text };
    if (!flatten(doc.contents, flat, doc.schema)) return undefined;
    const shell = copyDocument(doc);
    shell.contents = null;
    out.push(compactDoc(shell, flat));
  }
  return out.slice();
}

/** One flattened document, kept: `shell` the Document without its contents (undefined: the caller makes it, parseFlat.ts). */
export function compactDoc<S extends Document.Parsed | undefined>(shell: S, flat: Flat): { shell: S; nums: Int32Array; vals: readonly unknown[]; text: string } {
  // Exact-length copies: the flat form is kept for every file the index read (pushing leaves spare room); most
  // documents' values are all read from the text: one empty list for them.
  return { shell, nums: keptInts(flat.nums), vals: keptList(flat.vals), text: flat.text };
}

/**
 * `values` as a kept Int32Array: a small one (most documents' nodes) a view of Node's shared Buffer pool (8 KB pieces,
 * several documents each), not an ArrayBuffer of its own. Every file's flat form is kept, and each ArrayBuffer was an
 * object of 88 bytes in the young generation that its scavenges copied and promoted (with the view, 184 bytes per
 * document; 11,000 on the synthetic fleet). The pool hands out pieces at 8-byte boundaries; another alignment (a
 * Node that changed it) takes an ArrayBuffer of its own.
 */
function keptInts(values: readonly number[]): Int32Array {
  const bytes = values.length * 4;
  if (bytes === 0 || bytes >= Buffer.poolSize >>> 1) return new Int32Array(values);
  const piece = Buffer.allocUnsafe(bytes);
  if (piece.byteOffset % 4 !== 0) return new Int32Array(values);
  const out = new Int32Array(piece.buffer, piece.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/** Flattens a node the composer made (a scalar with other own properties than the common four): false if it cannot. */
export function flattenNode(node: unknown, flat: Flat, schema: unknown): boolean {
  return flatten(node, flat, schema);
}

/**
 * Flattens a scalar with the composer's own keys (value, range, source, type: no other), as flatten does the node
 * (`value` a primitive, `range` [start, end, after]).
 */
export function flattenScalar(flat: Flat, type: string, value: unknown, source: string, range: readonly number[]): void {
  const code = scalarCode(type, value, source, range, flat.text);
  flat.nums.push(code, range[0], range[1], range[2]);
  if (code === PLAIN_TEXT || code === DOUBLE_TEXT || code === SINGLE_TEXT) return;
  flat.vals.push(value);
  if (code === PLAIN_TEXT_VALUE) return;
  if (code === SOURCED) flat.vals.push(source);
  if (code !== PLAIN_SAME) flat.vals.push(type);
}

/**
 * flattenScalar of a plain scalar whose source is the text from `start` to `end` (a one-line plain scalar the CST
 * read: its source is that slice of the text), without its range as an array or a comparison with the text.
 */
export function flattenPlainText(flat: Flat, value: unknown, source: string, start: number, end: number, after: number): void {
  const code = value === source ? PLAIN_TEXT : PLAIN_TEXT_VALUE;
  flat.nums.push(code, start, end, after);
  if (code === PLAIN_TEXT_VALUE) flat.vals.push(value);
}

/**
 * Starts a mapping or sequence with only its items and range as own keys, as flatten does it; returns where its range
 * goes (set by flattenRange once its items are flattened: the range ends where the last item does).
 */
export function flattenCollection(flat: Flat, map: boolean, count: number): number {
  flat.nums.push(map ? MAP : SEQ, count, 0, 0, 0, 0, 0);
  return flat.nums.length - 5;
}

/** Ends the collection flattenCollection started: its range, and its end (where the flattening is now). */
export function flattenRange(flat: Flat, at: number, start: number, end: number, after: number): void {
  flat.nums[at] = start;
  flat.nums[at + 1] = end;
  flat.nums[at + 2] = after;
  flat.nums[at + 3] = flat.nums.length;
  flat.nums[at + 4] = flat.vals.length;
}

/** The documents made again from their flattened form: a tree equal to the one flattened, in new objects. */
export function expandDocs(compact: readonly CompactDoc[]): Document.Parsed[] {
  return compact.map(({ shell, nums, vals, text }) => {
    const doc = copyDocument(shell);
    const at: Cursor = { n: 0, v: 0, source: undefined, type: undefined };
    doc.contents = expand(nums, vals, text, at, shell.schema) as Document.Parsed['contents'];
    return doc;
  });
}

/** A Document with the same own properties: its enumerable ones assigned, its symbols (NODE_TYPE) defined alike. */
function copyDocument(doc: Document.Parsed): Document.Parsed {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(doc)) as Document.Parsed, doc);
  for (const sym of Object.getOwnPropertySymbols(doc)) Object.defineProperty(copy, sym, Object.getOwnPropertyDescriptor(doc, sym)!);
  return copy;
}

function isPrimitive(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Own keys besides the first (a scalar's value, a collection's items) and range, with their values, in order; and
 *  where range is among them (its index in the own keys). False when one is not a primitive. */
function pushProps(node: object, keys: string[], flat: Flat): boolean {
  let n = 0;
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    if (k === 'range') continue;
    const v = (node as Record<string, unknown>)[k];
    if (!isPrimitive(v)) return false;
    flat.vals.push(k, v);
    n++;
  }
  flat.nums.push(keys.indexOf('range'), n);
  return true;
}

function isRange(r: unknown): r is readonly [number, number, number] {
  // (offsets in a text of at most MAX_YAML_BYTES: they fit an Int32Array)
  return Array.isArray(r) && r.length === 3 && typeof r[0] === 'number' && typeof r[1] === 'number' && typeof r[2] === 'number';
}

function pushRange(node: { range?: unknown }, flat: Flat): boolean {
  const r = node.range;
  if (!isRange(r)) return false;
  flat.nums.push(r[0], r[1], r[2]);
  return true;
}

/** The classes flatten reproduces, by prototype (every node of a load passes here: one comparison each, not the
 *  package's type guards through a bundle's import getters). */
const SCALAR_CLASS: object = Scalar.prototype;
const MAP_CLASS: object = YAMLMap.prototype;
const SEQ_CLASS: object = YAMLSeq.prototype;
const PAIR_CLASS: object = Pair.prototype;

/** The code of a scalar with the composer's own keys (value, range, source, type): read from the text where it can be. */
function scalarCode(type: string, value: unknown, source: string, range: unknown, text: string): number {
  const r = range as readonly number[] | undefined;
  const start = r?.[0];
  const length = (r?.[1] ?? -1) - (start ?? 0);
  if (start !== undefined && typeof start === 'number') {
    // (a slice compared with the source: a tenth of compaction less than startsWith at an offset, in V8 12)
    if (type === 'PLAIN' && length === source.length && text.slice(start, start + length) === source) return value === source ? PLAIN_TEXT : PLAIN_TEXT_VALUE;
    if (value === source && length === source.length + 2 && text.slice(start + 1, start + 1 + source.length) === source) {
      if (type === 'QUOTE_DOUBLE' && text[start] === '"') return DOUBLE_TEXT;
      if (type === 'QUOTE_SINGLE' && text[start] === "'") return SINGLE_TEXT;
    }
  }
  return source !== value ? SOURCED : type === 'PLAIN' ? PLAIN_SAME : SAME;
}

/**
 * A scalar's value, the scalar's code at `at.n` (not SCALAR): `at` moved past it, its source and type in `at`. The
 * text's scalars are sliced from it again (new strings: a flat document keeps none of its own). Not the string table's
 * copies (keptString.ts): that cost a whole check of the synthetic fleet ~140 ms of CPU (4% of it) for no fewer
 * scavenge bytes at V8's default young generation (+1.7 MB in one reading, -3 MB under other semi-space sizes).
 */
function scalarValue(code: number, nums: Int32Array, vals: readonly unknown[], text: string, at: Cursor): unknown {
  const start = nums[at.n + 1];
  const end = nums[at.n + 2];
  at.n += 4;
  switch (code) {
    case PLAIN_TEXT:
      at.type = 'PLAIN';
      return (at.source = text.slice(start, end));
    case PLAIN_TEXT_VALUE:
      at.type = 'PLAIN';
      at.source = text.slice(start, end);
      return vals[at.v++];
    case DOUBLE_TEXT:
    case SINGLE_TEXT:
      at.type = code === DOUBLE_TEXT ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      return (at.source = text.slice(start + 1, end - 1));
    case PLAIN_SAME:
      at.type = 'PLAIN';
      return (at.source = vals[at.v++]);
    case SAME:
      at.source = vals[at.v++];
      at.type = vals[at.v++];
      return at.source;
    default: {
      const value = vals[at.v++];
      at.source = vals[at.v++];
      at.type = vals[at.v++];
      return value;
    }
  }
}

function flatten(value: unknown, flat: Flat, schema: unknown): boolean {
  if (value === null) {
    flat.nums.push(NONE);
    return true;
  }
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object;
  if (proto === SCALAR_CLASS) {
    const node = value as Scalar;
    const keys = Object.keys(node);
    if (keys[0] !== 'value') return false;
    const v = node.value;
    if (!isPrimitive(v)) return false;
    const source = (node as { source?: unknown }).source;
    if (keys.length === 4 && keys[1] === 'range' && keys[2] === 'source' && keys[3] === 'type' && typeof node.type === 'string' && typeof source === 'string') {
      if (!isRange(node.range)) return false;
      flattenScalar(flat, node.type, v, source, node.range);
      return true;
    }
    flat.nums.push(SCALAR);
    flat.vals.push(v);
    return pushRange(node, flat) && pushProps(node, keys, flat);
  }
  if (proto === MAP_CLASS || proto === SEQ_CLASS) {
    const map = proto === MAP_CLASS;
    const node = value as YAMLMap | YAMLSeq;
    const keys = Object.keys(node);
    if (node.schema !== schema || keys[0] !== 'items') return false;
    const plain = keys.length === 2 && keys[1] === 'range';
    flat.nums.push(map ? (plain ? MAP : MAP_PROPS) : plain ? SEQ : SEQ_PROPS, node.items.length);
    if (!pushRange(node, flat)) return false;
    const endAt = flat.nums.length;
    flat.nums.push(0, 0);
    if (!plain && !pushProps(node, keys, flat)) return false;
    for (const item of node.items as unknown[]) {
      if (map) {
        if (item === null || typeof item !== 'object' || Object.getPrototypeOf(item) !== PAIR_CLASS) return false;
        const pk = Object.keys(item);
        if (pk.length !== 2 || pk[0] !== 'key' || pk[1] !== 'value') return false;
        if (!flatten((item as Pair).key, flat, schema) || !flatten((item as Pair).value, flat, schema)) return false;
      } else if (!flatten(item, flat, schema)) return false;
    }
    flat.nums[endAt] = flat.nums.length;
    flat.nums[endAt + 1] = flat.vals.length;
    return true;
  }
  return false;
}

/** Sets a node's range and other properties in the order they were flattened in (the same own key order). */
function restore(node: Record<string, unknown>, range: number[], nums: Int32Array, vals: readonly unknown[], at: Cursor): void {
  const rangeAt = nums[at.n];
  const n = nums[at.n + 1];
  at.n += 2;
  // Own keys: the first (value / items), then the others, `range` at its index among them.
  let index = 1;
  for (let p = 0; p < n; p++, index++) {
    if (index === rangeAt) {
      node.range = range;
      index++;
    }
    node[vals[at.v] as string] = vals[at.v + 1];
    at.v += 2;
  }
  if (rangeAt >= index) node.range = range;
}

function expand(nums: Int32Array, vals: readonly unknown[], text: string, at: Cursor, schema: Document['schema']): unknown {
  const code = nums[at.n];
  if (code === NONE) {
    at.n++;
    return null;
  }
  if (code === SCALAR) {
    const s = new Scalar(vals[at.v++]);
    const range = [nums[at.n + 1], nums[at.n + 2], nums[at.n + 3]];
    at.n += 4;
    restore(s as unknown as Record<string, unknown>, range, nums, vals, at);
    return s;
  }
  if (code < SCALAR) {
    const range = [nums[at.n + 1], nums[at.n + 2], nums[at.n + 3]];
    const s = new Scalar(scalarValue(code, nums, vals, text, at)) as Scalar & { source?: string };
    s.range = range as Scalar['range'];
    s.source = at.source as string;
    s.type = at.type as Scalar['type'];
    return s;
  }
  const count = nums[at.n + 1];
  const range = [nums[at.n + 2], nums[at.n + 3], nums[at.n + 4]];
  at.n += COLLECTION_HEAD;
  if (code === MAP || code === MAP_PROPS) {
    const m = new YAMLMap(schema);
    if (code === MAP) m.range = range as YAMLMap['range'];
    else restore(m as unknown as Record<string, unknown>, range, nums, vals, at);
    const items: Pair[] = new Array(count);
    for (let k = 0; k < count; k++) {
      const key = expand(nums, vals, text, at, schema);
      items[k] = new Pair(key, expand(nums, vals, text, at, schema));
    }
    m.items = items as YAMLMap['items'];
    return m;
  }
  const q = new YAMLSeq(schema);
  if (code === SEQ) q.range = range as YAMLSeq['range'];
  else restore(q as unknown as Record<string, unknown>, range, nums, vals, at);
  const items: unknown[] = new Array(count);
  for (let k = 0; k < count; k++) items[k] = expand(nums, vals, text, at, schema);
  q.items = items;
  return q;
}

/** How readFlat hands a flattened document's nodes to its reader. */
export interface FlatReader<P> {
  /** A map entry's (by its key's text) or a sequence item's path, from its parent's. */
  child(parent: P, key: string | number): P;
  /** A scalar's data: its value, and the type and source the composer gave the node (when it has them). */
  scalar(value: string | number | boolean | null, type: unknown, source: unknown): unknown;
  /**
   * A leaf at `at`: a scalar's data, an empty map or sequence (the object or array made), or null for no node; its
   * range's start and end (-1 for no node: no array made per leaf of every document read).
   */
  leaf(at: P, value: unknown, start: number, end: number): void;
}

/** The kind of a flattened document's root node. */
export function flatRootKind(doc: CompactDoc): 'none' | 'scalar' | 'map' | 'seq' {
  const code = doc.nums[0];
  return code === NONE ? 'none' : code <= SCALAR ? 'scalar' : code === MAP || code === MAP_PROPS ? 'map' : 'seq';
}

/** A node the flat reading does not read (a map key that is a collection, a scalar without a value): the tree does. */
const NEEDS_TREE = Symbol('needs the tree');

/**
 * A flattened document's contents as data (maps as objects whose keys are the key scalars' values as text, sequences
 * as arrays, each leaf made by `reader.scalar` and handed to `reader.leaf` in the tree's order), read straight from
 * the flat form: no tree is made. Undefined when a node needs the tree; the root's range with it.
 */
export function readFlat<P>(doc: CompactDoc, root: P, reader: FlatReader<P>): { value: unknown; range: readonly number[] | undefined } | undefined {
  const at: Cursor = { n: 0, v: 0, source: undefined, type: undefined };
  const rootCode = doc.nums[0];
  const range = rootCode === NONE ? undefined : rootCode <= SCALAR ? [doc.nums[1], doc.nums[2]] : [doc.nums[2], doc.nums[3]];
  try {
    return { value: readNode(doc.nums, doc.vals, doc.text, at, root, reader), range };
  } catch (e) {
    if (e === NEEDS_TREE) return undefined;
    throw e;
  }
}

/** A scalar's own properties besides value and range (flattened by pushProps), as a record; advances `at`. */
function scalarProps(nums: Int32Array, vals: readonly unknown[], at: Cursor): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  const n = nums[at.n + 1];
  at.n += 2;
  for (let p = 0; p < n; p++, at.v += 2) props[vals[at.v] as string] = vals[at.v + 1];
  return props;
}

/** Skips a collection's own properties (flattened by pushProps). */
function skipProps(nums: Int32Array, at: Cursor): void {
  at.v += 2 * nums[at.n + 1];
  at.n += 2;
}

/** A map key's text as the tree's readers take it (String of a scalar's value; a key without a node is "null"). */
function readKey(nums: Int32Array, vals: readonly unknown[], text: string, at: Cursor): string {
  const code = nums[at.n];
  if (code === NONE) {
    at.n++;
    return 'null';
  }
  if (code > SCALAR) throw NEEDS_TREE;
  if (code < SCALAR) return String(scalarValue(code, nums, vals, text, at));
  const value = vals[at.v++];
  at.n += 4;
  scalarProps(nums, vals, at);
  return String(value);
}

function readNode<P>(nums: Int32Array, vals: readonly unknown[], text: string, at: Cursor, path: P, reader: FlatReader<P>): unknown {
  const code = nums[at.n];
  if (code === NONE) {
    at.n++;
    reader.leaf(path, null, -1, -1);
    return null;
  }
  if (code <= SCALAR) {
    const start = nums[at.n + 1];
    const end = nums[at.n + 2];
    let value: unknown;
    let type: unknown;
    let source: unknown;
    if (code === SCALAR) {
      value = vals[at.v++];
      if (value === undefined) throw NEEDS_TREE;
      at.n += 4;
      const props = scalarProps(nums, vals, at);
      type = props.type;
      source = props.source;
    } else {
      value = scalarValue(code, nums, vals, text, at);
      if (value === undefined) throw NEEDS_TREE;
      type = at.type;
      source = at.source;
    }
    const data = reader.scalar(value as string | number | boolean | null, type, source);
    reader.leaf(path, data, start, end);
    return data;
  }
  const count = nums[at.n + 1];
  const start = nums[at.n + 2];
  const end = nums[at.n + 3];
  at.n += COLLECTION_HEAD;
  if (code === MAP_PROPS || code === SEQ_PROPS) skipProps(nums, at);
  if (code === MAP || code === MAP_PROPS) {
    const out: Record<string, unknown> = {};
    for (let k = 0; k < count; k++) {
      const key = readKey(nums, vals, text, at);
      out[key] = readNode(nums, vals, text, at, reader.child(path, key), reader);
    }
    if (count === 0) reader.leaf(path, out, start, end);
    return out;
  }
  const out: unknown[] = new Array(count);
  for (let k = 0; k < count; k++) out[k] = readNode(nums, vals, text, at, reader.child(path, k), reader);
  if (count === 0) reader.leaf(path, out, start, end);
  return out;
}

/** Where a node of a flattened document starts (in `nums`, in `vals`): read in place by FlatDocReader. */
export interface FlatPlace {
  readonly n: number;
  readonly v: number;
}

/** A flattened document's root node. */
export function flatRoot(): FlatPlace {
  return { n: 0, v: 0 };
}

/** Moves `at` past the node there (and its items), making nothing. */
function skipNode(nums: Int32Array, at: Cursor): void {
  const code = nums[at.n];
  if (code === NONE) {
    at.n++;
    return;
  }
  if (code === SCALAR) {
    at.v++;
    at.n += 4;
    skipProps(nums, at);
    return;
  }
  if (code < SCALAR) {
    at.n += 4;
    // (the values scalarValue reads for each code)
    at.v += code === PLAIN_TEXT || code === DOUBLE_TEXT || code === SINGLE_TEXT ? 0 : code === PLAIN_TEXT_VALUE || code === PLAIN_SAME ? 1 : code === SAME ? 2 : 3;
    return;
  }
  at.v = nums[at.n + 6];
  at.n = nums[at.n + 5];
}

/** Whether the key node at `at` is the string `key` (its value, as mapGet compares it): read without a string made. */
function keyIs(nums: Int32Array, vals: readonly unknown[], text: string, at: Cursor, key: string): boolean {
  const code = nums[at.n];
  const start = nums[at.n + 1];
  const end = nums[at.n + 2];
  if (code === PLAIN_TEXT) return end - start === key.length && text.startsWith(key, start);
  if (code === DOUBLE_TEXT || code === SINGLE_TEXT) return end - start - 2 === key.length && text.startsWith(key, start + 1);
  if (code === PLAIN_TEXT_VALUE || code === NONE || code > SCALAR) return false; // (a number, boolean or null; none; a collection)
  return vals[at.v] === key; // (the value comes first in `vals` for every other scalar code)
}

/**
 * One flattened document's nodes read in place (core/docReader.ts), as yamlAccess.ts reads the tree it was made from:
 * no tree made, nothing made but the places and the values read. (Here, beside the form's codes: a reading calls
 * nothing through another module's exports.)
 */
export class FlatDocReader extends DocReader<FlatPlace> {
  private readonly nums: Int32Array;
  private readonly vals: readonly unknown[];
  /** The text parsed. */
  private readonly source: string;

  constructor(private readonly doc: CompactDoc) {
    super();
    this.nums = doc.nums;
    this.vals = doc.vals;
    this.source = doc.text;
  }

  get(node: FlatPlace | undefined, key: string): FlatPlace | undefined {
    if (!node) return undefined;
    const { nums, vals, source: text } = this;
    const code = nums[node.n];
    if (code !== MAP && code !== MAP_PROPS) return undefined;
    const at: Cursor = { n: node.n, v: node.v, source: undefined, type: undefined };
    const count = nums[at.n + 1];
    at.n += COLLECTION_HEAD;
    if (code === MAP_PROPS) skipProps(nums, at);
    for (let k = 0; k < count; k++) {
      const found = keyIs(nums, vals, text, at, key);
      skipNode(nums, at);
      // (the first entry of the key, as mapGet; one without a value node reads as none)
      if (found) return nums[at.n] === NONE ? undefined : { n: at.n, v: at.v };
      skipNode(nums, at);
    }
    return undefined;
  }

  items(node: FlatPlace | undefined): readonly FlatPlace[] {
    const code = node ? this.nums[node.n] : NONE;
    if (!node || (code !== SEQ && code !== SEQ_PROPS)) return [];
    const nums = this.nums;
    const at: Cursor = { n: node.n, v: node.v, source: undefined, type: undefined };
    const count = nums[at.n + 1];
    at.n += COLLECTION_HEAD;
    if (code === SEQ_PROPS) skipProps(nums, at);
    const out: FlatPlace[] = new Array(count);
    for (let k = 0; k < count; k++) {
      out[k] = { n: at.n, v: at.v };
      skipNode(nums, at);
    }
    return out;
  }

  entries(node: FlatPlace | undefined): Array<{ key: unknown; value: FlatPlace | undefined }> | undefined {
    const code = node ? this.nums[node.n] : NONE;
    if (!node || (code !== MAP && code !== MAP_PROPS)) return undefined;
    const { nums, vals, source: text } = this;
    const at: Cursor = { n: node.n, v: node.v, source: undefined, type: undefined };
    const count = nums[at.n + 1];
    at.n += COLLECTION_HEAD;
    if (code === MAP_PROPS) skipProps(nums, at);
    const out: Array<{ key: unknown; value: FlatPlace | undefined }> = [];
    for (let k = 0; k < count; k++) {
      const keyCode = nums[at.n];
      let key: unknown;
      if (keyCode === NONE) {
        key = null;
        at.n++;
      } else if (keyCode === SCALAR) {
        key = vals[at.v++];
        at.n += 4;
        skipProps(nums, at);
      } else if (keyCode < SCALAR) key = scalarValue(keyCode, nums, vals, text, at);
      else {
        key = NOT_SCALAR_KEY;
        skipNode(nums, at);
      }
      out.push({ key, value: nums[at.n] === NONE ? undefined : { n: at.n, v: at.v } });
      skipNode(nums, at);
    }
    return out;
  }

  shape(node: FlatPlace | undefined): 'map' | 'seq' | 'scalar' | undefined {
    const code = node ? this.nums[node.n] : NONE;
    return code === NONE ? undefined : code <= SCALAR ? 'scalar' : code === MAP || code === MAP_PROPS ? 'map' : 'seq';
  }

  scalar(node: FlatPlace | undefined): ScalarData | undefined {
    const code = node ? this.nums[node.n] : NONE;
    if (!node || code === NONE || code > SCALAR) return undefined;
    const { nums, vals } = this;
    const range: [number, number, number] = [nums[node.n + 1], nums[node.n + 2], nums[node.n + 3]];
    const at: Cursor = { n: node.n, v: node.v, source: undefined, type: undefined };
    if (code === SCALAR) {
      const value = vals[at.v++];
      at.n += 4;
      return { value, type: scalarProps(nums, vals, at).type, range };
    }
    const value = scalarValue(code, nums, vals, this.source, at);
    return { value, type: at.type, range };
  }

  text(node: FlatPlace | undefined): string | undefined {
    const code = node ? this.nums[node.n] : NONE;
    if (!node || code === NONE || code > SCALAR) return undefined;
    const value = code === SCALAR ? this.vals[node.v] : scalarValue(code, this.nums, this.vals, this.source, { n: node.n, v: node.v, source: undefined, type: undefined });
    return value === null || value === undefined ? undefined : typeof value === 'string' ? value : String(value);
  }

  span(node: FlatPlace | undefined): Span | undefined {
    const code = node ? this.nums[node.n] : NONE;
    if (!node || code === NONE) return undefined;
    const at = code <= SCALAR ? node.n + 1 : node.n + 2;
    return { start: this.nums[at], end: this.nums[at + 1] };
  }

  /** The root's JSON from the tree the flat form makes again (not kept: these readings are rare). */
  rootJSON(root: FlatPlace): unknown {
    if (root.n !== 0) throw new Error('FlatDocReader.rootJSON reads the root only');
    return (expandDocs([this.doc])[0].contents as Node | null)?.toJSON();
  }
}
