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
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/**
 * One document: its shell (every own property of the Document but its contents) and the flattened contents: `nums`
 * the node kinds, item counts and ranges, `vals` the scalars' values and the nodes' other properties.
 */
export interface CompactDoc {
  readonly shell: Document.Parsed;
  readonly nums: Int32Array;
  readonly vals: readonly unknown[];
}

const NONE = 0;
/** A scalar whose own keys are value, range, source, type (the composer's order): the common ones by their own code. */
const PLAIN_SAME = 1; // type PLAIN, source === value
const SAME = 2; // source === value
const SOURCED = 3;
const SCALAR = 4; // any other own keys
const MAP = 5; // own keys: items, range
const SEQ = 6;
const MAP_PROPS = 7; // other own keys
const SEQ_PROPS = 8;

interface Flat {
  nums: number[];
  vals: unknown[];
}

/** The documents flattened, or undefined when one holds what the flattening does not reproduce. */
export function compactDocs(docs: readonly Document.Parsed[]): CompactDoc[] | undefined {
  const out: CompactDoc[] = [];
  for (const doc of docs) {
    if (doc.errors.length || doc.warnings.length) return undefined;
    const flat: Flat = { nums: [], vals: [] };
    if (!flatten(doc.contents, flat, doc.schema)) return undefined;
    const shell = copyDocument(doc);
    shell.contents = null;
    // Exact-length copies: the flat form is kept for every file the index read (pushing leaves spare room).
    out.push({ shell, nums: new Int32Array(flat.nums), vals: flat.vals.slice() });
  }
  return out.slice();
}

/** The documents made again from their flattened form: a tree equal to the one flattened, in new objects. */
export function expandDocs(compact: readonly CompactDoc[]): Document.Parsed[] {
  return compact.map(({ shell, nums, vals }) => {
    const doc = copyDocument(shell);
    const at = { n: 0, v: 0 };
    doc.contents = expand(nums, vals, at, shell.schema) as Document.Parsed['contents'];
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

function pushRange(node: { range?: unknown }, flat: Flat): boolean {
  const r = node.range;
  // (offsets in a text of at most MAX_YAML_BYTES: they fit an Int32Array)
  if (!Array.isArray(r) || r.length !== 3 || typeof r[0] !== 'number' || typeof r[1] !== 'number' || typeof r[2] !== 'number') return false;
  flat.nums.push(r[0], r[1], r[2]);
  return true;
}

/** The classes flatten reproduces, by prototype (every node of a load passes here: one comparison each, not the
 *  package's type guards through a bundle's import getters). */
const SCALAR_CLASS: object = Scalar.prototype;
const MAP_CLASS: object = YAMLMap.prototype;
const SEQ_CLASS: object = YAMLSeq.prototype;
const PAIR_CLASS: object = Pair.prototype;

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
      const code = source !== v ? SOURCED : node.type === 'PLAIN' ? PLAIN_SAME : SAME;
      flat.nums.push(code);
      if (!pushRange(node, flat)) return false;
      flat.vals.push(v);
      if (code === SOURCED) flat.vals.push(source);
      if (code !== PLAIN_SAME) flat.vals.push(node.type);
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
    if (!pushRange(node, flat) || (!plain && !pushProps(node, keys, flat))) return false;
    for (const item of node.items as unknown[]) {
      if (map) {
        if (item === null || typeof item !== 'object' || Object.getPrototypeOf(item) !== PAIR_CLASS) return false;
        const pk = Object.keys(item);
        if (pk.length !== 2 || pk[0] !== 'key' || pk[1] !== 'value') return false;
        if (!flatten((item as Pair).key, flat, schema) || !flatten((item as Pair).value, flat, schema)) return false;
      } else if (!flatten(item, flat, schema)) return false;
    }
    return true;
  }
  return false;
}

/** Sets a node's range and other properties in the order they were flattened in (the same own key order). */
function restore(node: Record<string, unknown>, range: number[], nums: Int32Array, vals: readonly unknown[], at: { n: number; v: number }): void {
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

function expand(nums: Int32Array, vals: readonly unknown[], at: { n: number; v: number }, schema: Document['schema']): unknown {
  const code = nums[at.n];
  if (code === NONE) {
    at.n++;
    return null;
  }
  if (code <= SCALAR) {
    const s = new Scalar(vals[at.v++]) as Scalar & { source?: string };
    const range = [nums[at.n + 1], nums[at.n + 2], nums[at.n + 3]];
    at.n += 4;
    if (code === SCALAR) {
      restore(s as unknown as Record<string, unknown>, range, nums, vals, at);
      return s;
    }
    s.range = range as Scalar['range'];
    s.source = (code === SOURCED ? vals[at.v++] : s.value) as string;
    s.type = code === PLAIN_SAME ? 'PLAIN' : (vals[at.v++] as Scalar['type']);
    return s;
  }
  const count = nums[at.n + 1];
  const range = [nums[at.n + 2], nums[at.n + 3], nums[at.n + 4]];
  at.n += 5;
  if (code === MAP || code === MAP_PROPS) {
    const m = new YAMLMap(schema);
    if (code === MAP) m.range = range as YAMLMap['range'];
    else restore(m as unknown as Record<string, unknown>, range, nums, vals, at);
    const items: Pair[] = new Array(count);
    for (let k = 0; k < count; k++) {
      const key = expand(nums, vals, at, schema);
      items[k] = new Pair(key, expand(nums, vals, at, schema));
    }
    m.items = items as YAMLMap['items'];
    return m;
  }
  const q = new YAMLSeq(schema);
  if (code === SEQ) q.range = range as YAMLSeq['range'];
  else restore(q as unknown as Record<string, unknown>, range, nums, vals, at);
  const items: unknown[] = new Array(count);
  for (let k = 0; k < count; k++) items[k] = expand(nums, vals, at, schema);
  q.items = items;
  return q;
}

/** How readFlat hands a flattened document's nodes to its reader. */
export interface FlatReader<P> {
  /** A map entry's (by its key's text) or a sequence item's path, from its parent's. */
  child(parent: P, key: string | number): P;
  /** A scalar's data: its value, and the type and source the composer gave the node (when it has them). */
  scalar(value: string | number | boolean | null, type: unknown, source: unknown): unknown;
  /** A leaf at `at`: a scalar's data, an empty map or sequence (the object or array made), or null for no node. */
  leaf(at: P, value: unknown, range: readonly number[] | undefined): void;
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
  const at = { n: 0, v: 0 };
  const rootCode = doc.nums[0];
  const range = rootCode === NONE ? undefined : rootCode <= SCALAR ? [doc.nums[1], doc.nums[2]] : [doc.nums[2], doc.nums[3]];
  try {
    return { value: readNode(doc.nums, doc.vals, at, root, reader), range };
  } catch (e) {
    if (e === NEEDS_TREE) return undefined;
    throw e;
  }
}

/** A scalar's own properties besides value and range (flattened by pushProps), as a record; advances `at`. */
function scalarProps(nums: Int32Array, vals: readonly unknown[], at: { n: number; v: number }): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  const n = nums[at.n + 1];
  at.n += 2;
  for (let p = 0; p < n; p++, at.v += 2) props[vals[at.v] as string] = vals[at.v + 1];
  return props;
}

/** Skips a collection's own properties (flattened by pushProps). */
function skipProps(nums: Int32Array, at: { n: number; v: number }): void {
  at.v += 2 * nums[at.n + 1];
  at.n += 2;
}

/** A map key's text as the tree's readers take it (String of a scalar's value; a key without a node is "null"). */
function readKey(nums: Int32Array, vals: readonly unknown[], at: { n: number; v: number }): string {
  const code = nums[at.n];
  if (code === NONE) {
    at.n++;
    return 'null';
  }
  if (code > SCALAR) throw NEEDS_TREE;
  const value = vals[at.v++];
  at.n += 4;
  if (code === SCALAR) scalarProps(nums, vals, at);
  else {
    if (code === SOURCED) at.v++;
    if (code !== PLAIN_SAME) at.v++;
  }
  return String(value);
}

function readNode<P>(nums: Int32Array, vals: readonly unknown[], at: { n: number; v: number }, path: P, reader: FlatReader<P>): unknown {
  const code = nums[at.n];
  if (code === NONE) {
    at.n++;
    reader.leaf(path, null, undefined);
    return null;
  }
  if (code <= SCALAR) {
    const value = vals[at.v++];
    if (value === undefined) throw NEEDS_TREE;
    const range = [nums[at.n + 1], nums[at.n + 2]];
    at.n += 4;
    let type: unknown;
    let source: unknown;
    if (code === SCALAR) {
      const props = scalarProps(nums, vals, at);
      type = props.type;
      source = props.source;
    } else {
      source = code === SOURCED ? vals[at.v++] : value;
      type = code === PLAIN_SAME ? 'PLAIN' : vals[at.v++];
    }
    const data = reader.scalar(value as string | number | boolean | null, type, source);
    reader.leaf(path, data, range);
    return data;
  }
  const count = nums[at.n + 1];
  const range = [nums[at.n + 2], nums[at.n + 3]];
  at.n += 5;
  if (code === MAP_PROPS || code === SEQ_PROPS) skipProps(nums, at);
  if (code === MAP || code === MAP_PROPS) {
    const out: Record<string, unknown> = {};
    for (let k = 0; k < count; k++) {
      const key = readKey(nums, vals, at);
      out[key] = readNode(nums, vals, at, reader.child(path, key), reader);
    }
    if (count === 0) reader.leaf(path, out, range);
    return out;
  }
  const out: unknown[] = new Array(count);
  for (let k = 0; k < count; k++) out[k] = readNode(nums, vals, at, reader.child(path, k), reader);
  if (count === 0) reader.leaf(path, out, range);
  return out;
}
