// Strategic merge patches as kustomize v5 applies them (`patches:` with an SMP body, `patchesStrategicMerge:`).
//
// kustomize does not use the apiserver's strategic merge: it walks the target and the patch together with kyaml's
// merge2 (sigs.k8s.io/kustomize/kyaml/yaml/walk + merge2, list direction "prepend"), and its results differ from
// `kubectl patch` in ways a faithful engine must copy. This file is a port of that walk, node for node, including
// its quirks (each one checked against `kubectl kustomize`, kustomize v5.5.0):
//  - merged lists put the patch's items first, in the patch's order, then the target's other items in their order;
//  - lists keyed by several keys (container ports: containerPort+protocol, Service ports: port+protocol,
//    topologySpreadConstraints) go through kyaml's "mergeValues" matching, which can drop a patch item (a patch
//    `{containerPort: 80, name: http}` on a target `{containerPort: 80, protocol: TCP}` is lost);
//  - a patch item without the merge key empties the list (every keyed item is deleted);
//  - every associative list of the target is re-walked even when the patch does not touch it: duplicate keys
//    collapse, `{}` items vanish, primitive "merge" lists (finalizers) are de-duplicated;
//  - `$patch: replace` on a list item keeps the target's item; `- $patch: replace|delete` works on keyed lists only
//    (on other lists the element stays, literally); `$setElementOrder/…`, `$deleteFromPrimitiveList/…` and
//    `$retainKeys` are not implemented by kustomize and pass through as ordinary fields.
// The patch's apiVersion, kind, metadata.name and metadata.namespace only select the target: they are restored after
// the merge (kind and name can be allowed to change, as kustomize's `options.allowKindChange/allowNameChange`).
//
// Provenance: every node remembers where it came from (target pointer or patch pointer). After the walk, each leaf of
// the result gets its target stack re-keyed to its new pointer, plus a write for the patch leaf it came from (a
// scalar the patch overrode keeps its old stack underneath). Replaced or deleted subtrees do not reappear; what the
// patch deleted explicitly (`key: null`, `$patch: delete` on a map, list or list item, `$patch: replace` dropping
// what the replacement does not hold) is recorded in Resource.removed, at the patch's `null` or `$patch` value.
import { stringify } from 'yaml';
import type { Json, JsonObject, Provenance, ProvenanceMap, Removal, Resource } from './types';
import { KustomizeError } from './jsonPatch';
import { fieldSchema, isAssociativeList, itemSchema, patchStrategyAndKeys, schemaForType, type SchemaNode } from './mergeKeys';
import { appended, childPointer, liveRemovals, refillProvenance, provenanceWrite, recordRemoval, type PointerTable, type ProvenanceWrite } from './provenance';
import { strategicMergeInPlace } from './strategicMergeInPlace';

export interface StrategicMergeOptions {
  /** kustomize `patches[].options.allowNameChange`: the patch's metadata.name renames the target. */
  allowNameChange?: boolean;
  /** kustomize `patches[].options.allowKindChange`: the patch's kind changes the target's kind. */
  allowKindChange?: boolean;
  /** The build's pointers (provenance.ts PointerTable): the merge in place finds the target's pointers there. */
  pointers?: PointerTable;
}

/** Whether a patch deletes its whole target (`$patch: delete` at the top). */
export function isDeletePatch(patch: JsonObject): boolean {
  return patch['$patch'] === 'delete';
}

// ---- nodes -------------------------------------------------------------------------------------------------------

interface Src {
  side: 'dest' | 'patch' | 'new';
  ptr: string;
}
interface MapN {
  t: 'map';
  f: Map<string, N>;
  src: Src;
  /** A patch container merged into this (target) container. */
  merged?: N;
}
interface SeqN {
  t: 'seq';
  items: N[];
  src: Src;
  merged?: N;
}
interface ScalarN {
  t: 'scalar';
  v: string | number | boolean | null;
  src: Src;
  /** The node this (patch) scalar replaced. */
  overrode?: N;
}
type N = MapN | SeqN | ScalarN;

function toNode(value: Json, side: Src['side'], ptr: string): N {
  if (value === null || typeof value !== 'object') return { t: 'scalar', v: value, src: { side, ptr } };
  if (Array.isArray(value)) return { t: 'seq', items: value.map((v, i) => toNode(v, side, ptr + '/' + i)), src: { side, ptr } };
  const f = new Map<string, N>();
  // for…in over own keys: Object.entries' order without an array of pairs per map (every target object is walked).
  for (const k in value) if (Object.hasOwn(value, k)) f.set(k, toNode(value[k], side, childPointer(ptr, k)));
  return { t: 'map', f, src: { side, ptr } };
}

function toJson(n: N): Json {
  if (n.t === 'scalar') return n.v;
  if (n.t === 'seq') return n.items.map(toJson);
  const o: JsonObject = {};
  for (const [k, v] of n.f) o[k] = toJson(v);
  return o;
}

const isMissingOrNull = (n: N | undefined): boolean => n === undefined || (n.t === 'scalar' && n.v === null);
const isTaggedNull = (n: N | undefined): boolean => n !== undefined && n.t === 'scalar' && n.v === null;
const isEmptyMap = (n: N | undefined): boolean => n !== undefined && n.t === 'map' && n.f.size === 0;
/** A yaml.Node's `Value`: the scalar's text; '' for maps and sequences. */
const nodeValue = (n: N): string => (n.t === 'scalar' ? (n.v === null ? 'null' : String(n.v)) : '');
/** yaml's IsNilOrEmpty: missing, null, or an empty map/sequence. */
const isNilOrEmpty = (n: N | undefined): boolean => n === undefined || isTaggedNull(n) || (n.t === 'map' && n.f.size === 0) || (n.t === 'seq' && n.items.length === 0);

/** How YAML reads an untagged plain scalar (kyaml's NewScalarRNode(text) re-resolves when written out). */
function plainScalar(text: string): string | number | boolean | null {
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  return text;
}

const KIND_NAMES = { map: 'MappingNode', seq: 'SequenceNode', scalar: 'ScalarNode' } as const;

function errorIfInvalid(n: N | undefined, kind: N['t']): void {
  if (isMissingOrNull(n) || n!.t === kind) return;
  let contents: string;
  try {
    contents = stringify(toJson(n!)).replace(/\n$/, '');
  } catch {
    contents = JSON.stringify(toJson(n!));
  }
  throw new KustomizeError(`wrong node kind: expected ${KIND_NAMES[kind]} but got ${KIND_NAMES[n!.t]}: node contents:\n${contents}`, contents);
}

// ---- yaml filters kyaml's walk relies on ------------------------------------------------------------------------

/** yaml.FieldMatcher{Name, StringValue}: the field's value node, or undefined. */
function fieldMatcher(elem: N | undefined, name: string, stringValue = ''): N | undefined {
  const wanted = stringValue !== '' ? stringValue : undefined;
  if (isMissingOrNull(elem)) return undefined;
  if (name === '') {
    errorIfInvalid(elem, 'scalar');
    return nodeValue(elem!) === (wanted ?? '') ? elem : undefined;
  }
  errorIfInvalid(elem, 'map');
  const field = (elem as MapN).f.get(name);
  if (field !== undefined && (wanted === undefined || nodeValue(field) === wanted)) return field;
  return undefined;
}

/** yaml.ElementSetter: replace (element given) or delete (element undefined) the items matching keys/values; append when none matched. */
function elementSetter(rn: SeqN, element: N | undefined, keysIn: string[], values: string[]): N | undefined {
  const keys = keysIn.length === 0 ? [''] : keysIn;
  const mappingSetter = keys.length > 0 && keys[0] !== '' && values.length > 0 && values[0] !== '';
  const content: N[] = [];
  let matched = false;
  for (const elem of rn.items) {
    if (isMissingOrNull(elem) || isEmptyMap(elem)) continue;
    if (elem.t !== 'map' && mappingSetter) {
      content.push(elem);
      continue;
    }
    let found = true;
    let val: N | undefined;
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length) val = fieldMatcher(elem, keys[j], values[j]);
      if (val === undefined) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (values.length > 0) content.push(elem);
      continue;
    }
    matched = true;
    if (element === undefined) continue;
    content.push(element);
  }
  rn.items = content;
  if (isMissingOrNull(element)) return undefined;
  if (!matched) rn.items.push(element!);
  return element;
}

/** yaml.ElementMatcher{Keys, Values}: the first item matching every key/value. */
function elementList(src: N, keysIn: string[], valuesIn: string[]): N | undefined {
  const keys = keysIn.length === 0 ? [''] : keysIn;
  const values = valuesIn.length === 0 ? [''] : valuesIn;
  errorIfInvalid(src, 'seq');
  if (src.t !== 'seq') return undefined;
  if (keys[0] === '') return src.items.find((item) => nodeValue(item) === values[0]);
  for (const elem of src.items) {
    if (elem.t !== 'map') continue;
    if (keys.length !== values.length) throw new KustomizeError('length of keys must equal length of values when MatchAnyValue is false');
    if (keys.every((k, i) => {
      const field = elem.f.get(k);
      return field !== undefined && nodeValue(field) === values[i];
    }))
      return elem;
  }
  return undefined;
}

/** yaml.FieldSetter{Name, Value} on a map: a missing or null value clears the field. */
function fieldSetter(dest: N, name: string, val: N | undefined): void {
  if (dest.t !== 'map') {
    if (val === undefined || isTaggedNull(val)) return;
    errorIfInvalid(dest, 'map');
    return;
  }
  if (val === undefined || isTaggedNull(val)) dest.f.delete(name);
  else dest.f.set(name, val);
}

// ---- $patch directives (merge2/smpdirective.go) ------------------------------------------------------------------

type Directive = 'merge' | 'replace' | 'delete' | 'unknown';
const DIRECTIVE_KEY = '$patch';

function directiveOf(patch: N | undefined, tolerant = false): Directive {
  if (patch === undefined) return 'merge';
  if (patch.t === 'seq') {
    const el = patch.items.find((item): item is MapN => item.t === 'map' && item.f.has(DIRECTIVE_KEY));
    if (!el || el.f.size > 1) return 'merge';
    const v = nodeValue(el.f.get(DIRECTIVE_KEY)!);
    if (v === 'delete' || v === 'replace' || v === 'merge') {
      elementSetter(patch, undefined, [DIRECTIVE_KEY], [v]);
      return v;
    }
    if (tolerant) return 'unknown';
    throw new KustomizeError(`unknown patch strategy '${v}'`);
  }
  if (patch.t === 'map') {
    const node = patch.f.get(DIRECTIVE_KEY);
    if (node === undefined) return 'merge';
    const v = nodeValue(node);
    if (v === 'delete' || v === 'replace' || v === 'merge') {
      patch.f.delete(DIRECTIVE_KEY);
      return v;
    }
    if (tolerant) return 'unknown';
    throw new KustomizeError(`unknown patch strategy '${v}'`, v);
  }
  if (tolerant) return 'unknown';
  throw new KustomizeError(`no implemented strategic merge patch strategy for '${typeof patch.v}' ('${nodeValue(patch)}')`, nodeValue(patch));
}

// ---- removals (what the patch deletes from the target) ----------------------------------------------------------

/** Target subtrees a walk deleted, each with the patch node that asked for it (one list per strategicMerge call). */
type Removals = Array<{ node: N; value: Json; cause: N }>;

/** A target node (not one the patch brought) that the patch node `cause` deletes or replaces. */
function noteRemoval(removals: Removals, node: N | undefined, cause: N | undefined): void {
  if (node === undefined || cause === undefined || node.src.side !== 'dest' || isTaggedNull(node)) return;
  removals.push({ node, value: toJson(node), cause });
}

// ---- the walk (kyaml/yaml/walk + merge2.Merger) -------------------------------------------------------------------

type Sources = [N | undefined, N | undefined]; // [dest, origin(patch)]

function getSchema(schema: SchemaNode | undefined, sources: Sources): SchemaNode | undefined {
  if (schema) return schema;
  for (const s of sources) {
    if (isMissingOrNull(s) || s!.t !== 'map') continue;
    const av = (s as MapN).f.get('apiVersion');
    const kind = (s as MapN).f.get('kind');
    const apiVersion = av && !isNilOrEmpty(av) ? nodeValue(av) : '';
    const k = kind && !isNilOrEmpty(kind) ? nodeValue(kind) : '';
    if (!apiVersion || !k) continue;
    const found = schemaForType(apiVersion, k);
    if (found) return found;
  }
  return undefined;
}

function walk(removals: Removals, schemaIn: SchemaNode | undefined, sources: Sources): N | undefined {
  const schema = getSchema(schemaIn, sources);
  const first = sources.find((s) => !isMissingOrNull(s));
  const kind = first?.t;
  if (kind !== undefined) for (const s of sources) errorIfInvalid(s, kind);
  switch (kind) {
    case 'seq':
      return isAssociativeList(schema) ? walkAssociativeSequence(removals, schema, sources) : visitList(removals, sources, false);
    case 'scalar':
      return visitScalar(sources);
    default:
      return walkMap(removals, schema, sources);
  }
}

function visitMap(removals: Removals, sources: Sources): N | undefined {
  const [dest, origin] = sources;
  if (isMissingOrNull(dest)) {
    if (directiveOf(origin, true) === 'delete') return undefined;
    return origin;
  }
  if (isTaggedNull(origin)) return undefined;
  switch (directiveOf(origin)) {
    case 'delete':
      return undefined;
    case 'replace':
      noteRemoval(removals, dest, origin);
      return origin;
    default:
      if (origin !== undefined && origin !== dest && (dest!.t === 'map' || dest!.t === 'seq')) dest!.merged = origin;
      return dest;
  }
}

function visitScalar(sources: Sources): N | undefined {
  const [dest, origin] = sources;
  if (origin !== undefined) {
    if (dest !== undefined && dest !== origin && origin.t === 'scalar' && origin.overrode === undefined) origin.overrode = dest;
    return origin;
  }
  return dest;
}

function visitList(removals: Removals, sources: Sources, associative: boolean): N | undefined {
  const [dest, origin] = sources;
  if (!associative) return origin !== undefined ? origin : dest;
  if (isMissingOrNull(dest)) return origin;
  if (isTaggedNull(origin)) return undefined;
  switch (directiveOf(origin)) {
    case 'delete':
      return undefined;
    case 'replace':
      noteRemoval(removals, dest, origin);
      return origin;
    default:
      if (origin !== undefined && origin !== dest && (dest!.t === 'map' || dest!.t === 'seq')) dest!.merged = origin;
      return dest;
  }
}

function fieldNames(sources: Sources): string[] {
  const [dest, patch] = sources;
  const d = dest !== undefined && dest.t === 'map' ? dest.f : undefined;
  const p = patch !== undefined && patch.t === 'map' ? patch.f : undefined;
  // Most maps a walk enters are the target's alone (the patch holds a few fields): their keys, without a Set.
  let names: string[];
  if (d && p) {
    const all = new Set(d.keys());
    for (const k of p.keys()) all.add(k);
    names = [...all];
  } else names = d ? [...d.keys()] : p ? [...p.keys()] : [];
  return sortedInPlace(names);
}

/**
 * Sorted by UTF-16 code units, in place: a map's few keys by insertion (Array.prototype.sort copies every array it
 * sorts into a work array first: a tenth of a strategic merge's garbage), a long list by sort.
 */
function sortedInPlace(names: string[]): string[] {
  if (names.length > 16) return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < names.length; i++) {
    const k = names[i];
    let j = i - 1;
    for (; j >= 0 && names[j] > k; j--) names[j + 1] = names[j];
    names[j + 1] = k;
  }
  return names;
}

function walkMap(removals: Removals, schema: SchemaNode | undefined, sources: Sources): N | undefined {
  const dest = visitMap(removals, sources);
  sources[0] = dest;
  if (dest === undefined) return undefined;
  for (const key of fieldNames(sources)) {
    const s = schema ? fieldSchema(schema, key) : undefined;
    const fv: Sources = [sources[0]?.t === 'map' ? sources[0].f.get(key) : undefined, sources[1]?.t === 'map' ? sources[1].f.get(key) : undefined];
    const [before, patchValue] = fv; // (the walk replaces fv[0] with its result)
    const val = walk(removals, s, fv);
    if (patchValue !== undefined && (val === undefined || isTaggedNull(val))) noteRemoval(removals, before, patchValue);
    fieldSetter(dest, key, val);
  }
  return dest;
}

function walkAssociativeSequence(removals: Removals, schema: SchemaNode | undefined, sources: Sources): N | undefined {
  const dest = visitList(removals, sources, true);
  sources[0] = dest;
  if (dest === undefined) return undefined;
  const { keys } = patchStrategyAndKeys(schema);
  const values = elementValues(sources, keys);
  if (values.length !== 0 || keys.length > 0) return setAssociativeSequenceElements(removals, schema, sources, values, keys, dest);
  return setAssociativeSequenceElements(removals, schema, sources, elementPrimitiveValues(sources), [''], dest);
}

const seqItems = (n: N | undefined): N[] => (n !== undefined && n.t === 'seq' ? n.items : []);
const sameValues = (a: string[], b: string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The key values of every item, patch items first (kustomize merges with "prepend"), de-duplicated. */
function elementValues(sources: Sources, keys: string[]): string[][] {
  const out: string[][] = [];
  for (const src of [sources[1], sources[0]]) {
    if (src === undefined) continue;
    for (const elem of seqItems(src)) {
      const vals = keys.map((key) => {
        const field = elem.t === 'map' ? elem.f.get(key) : undefined;
        return isNilOrEmpty(field) ? '' : nodeValue(field!);
      });
      if (vals.length === 0 || out.some((o) => sameValues(o, vals))) continue;
      out.push(vals);
    }
  }
  return out;
}

function elementPrimitiveValues(sources: Sources): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (src === undefined) continue;
    for (const item of seqItems(src)) {
      const v = nodeValue(item);
      if (seen.has(v)) continue;
      out.push([v]);
      seen.add(v);
    }
  }
  return out;
}

/** Two key tuples match if they share a value and differ only where one side is empty. */
function matchValues(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const res: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      res.push(a[i]);
      continue;
    }
    if (a[i] !== '' && b[i] !== '') return undefined;
    res.push(a[i] !== '' ? a[i] : b[i]);
  }
  return common ? res : undefined;
}

function mergeValues(list: string[][]): string[][] {
  for (let i = 0; i < list.length; i++) {
    const v1 = list[i];
    for (let j = 0; j < list.length; j++) {
      const res = matchValues(v1, list[j]);
      if (res) {
        list[i] = res;
        list[j] = res;
      }
    }
  }
  return list;
}

function validateKeys(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i]));
  if (valid.size === 0) return [keys, values];
  return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== '' || valid.has(keys[i]))];
}

function elementValueList(sources: Sources, keysIn: string[], valuesIn: string[]): Sources {
  const [keys, values] = validateKeys([valuesIn], valuesIn, keysIn);
  return [sources[0] === undefined ? undefined : elementList(sources[0], keys, values), sources[1] === undefined ? undefined : elementList(sources[1], keys, values)];
}

function setAssociativeSequenceElements(removals: Removals, schema: SchemaNode | undefined, sources: Sources, valuesListIn: string[][], keys: string[], destIn: N): N | undefined {
  let dest: N = destIn;
  const itemsToBeAdded: SeqN = { t: 'seq', items: [], src: { ...destIn.src } };
  if (destIn.t !== 'scalar' && destIn.merged) itemsToBeAdded.merged = destIn.merged;
  const elemSchema = schema ? itemSchema(schema) : undefined;
  const valuesList = keys.length > 1 ? mergeValues(valuesListIn) : valuesListIn;
  let validKeys: string[] = [];
  let validValues: string[] = [];
  for (const values of valuesList) {
    if (values.length === 0) continue;
    [validKeys, validValues] = validateKeys(valuesList, values, keys);
    const elems = elementValueList(sources, validKeys, validValues);
    const val = walk(removals, elemSchema, [elems[0], elems[1]]);
    let exit = false;
    for (let i = 0; i < validKeys.length; i++) {
      const key = validKeys[i];
      if (isMissingOrNull(val) || isEmptyMap(val)) {
        if (i === 0 && elems[1] !== undefined) noteRemoval(removals, elems[0], elems[1]);
        if (dest.t === 'seq') elementSetter(dest, undefined, validKeys, validValues);
        exit = true;
      } else if ((val!.t !== 'map' || !val!.f.has(key)) && validValues[i] !== '') {
        // "make sure the key is set on the field"
        if (val!.t === 'map') {
          const from = [elems[1], elems[0]].map((e) => (e?.t === 'map' ? e.f.get(key) : undefined)).find((x) => x !== undefined);
          val!.f.set(key, { t: 'scalar', v: from?.t === 'scalar' ? from.v : plainScalar(validValues[i]), src: from ? { ...from.src } : { side: 'new', ptr: '' } });
        } else if (!(key === '' && val!.t === 'scalar')) {
          errorIfInvalid(val, key === '' ? 'scalar' : 'map'); // kyaml's FieldSetter fails on a non-map item
        }
      }
    }
    if (exit) continue;
    elementSetter(itemsToBeAdded, val, validKeys, validValues);
  }
  if (valuesList.length > 0) dest = appendListNode(itemsToBeAdded, dest, validKeys);
  if (isMissingOrNull(dest)) return undefined;
  return dest;
}

function appendListNode(dst: SeqN, src: N, keys: string[]): SeqN {
  for (const elem of [...seqItems(src)]) {
    if (keys[0] === '') {
      elementSetter(dst, elem, [''], [nodeValue(elem)]);
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      const valueNode = fieldMatcher(elem, key);
      if (valueNode === undefined) {
        dst.items.push(elem);
        continue;
      }
      v.push(nodeValue(valueNode));
    }
    if (keys.length > 1) elementSetter(dst, undefined, keys, v);
    elementSetter(dst, elem, keys, v);
  }
  return dst;
}

// ---- the entry point --------------------------------------------------------------------------------------------

/**
 * Apply a strategic merge patch to `target` as kustomize does, mutating `target.obj` and `target.prov`.
 * `provOf(pointer)` gives the provenance of the patch leaf at `pointer` (a JSON pointer inside the patch document as
 * given, before any directive is removed). A whole-object `$patch: delete` empties `target.obj` (see isDeletePatch:
 * the caller drops the resource). Throws KustomizeError where kustomize fails (a field whose kind differs between
 * target and patch, an unknown `$patch` value); the target is left untouched then. Returns what it did:
 *  - false: the target is as it was (a top-level `$patch: replace`);
 *  - 'anew': every value below `target.obj` is made anew (only the top-level object itself is kept and refilled);
 *  - 'inPlace': a patch of maps and scalars merged into the target's own values (strategicMergeInPlace.ts): the
 *    maps on its paths are new, every other value below `target.obj` is the one it held before (shared with whatever
 *    shared it).
 * Either way `target.prov` is replaced by a new map of the result (refillProvenance).
 */
export function strategicMerge(target: Resource, patch: JsonObject, provOf: (patchPointer: string) => Provenance, options: StrategicMergeOptions = {}): MergeOutcome {
  if (strategicMergeInPlace(target, patch, provOf, !!(options.allowNameChange || options.allowKindChange), options.pointers)) return 'inPlace';
  return strategicMergeByWalk(target, patch, provOf, options) ? 'anew' : false;
}

export type MergeOutcome = false | 'anew' | 'inPlace';

/** The merge by kyaml's walk (any patch): whether it changed the target (then every value below `target.obj` is new). */
export function strategicMergeByWalk(target: Resource, patch: JsonObject, provOf: (patchPointer: string) => Provenance, options: StrategicMergeOptions = {}): boolean {
  const destRoot = toNode(target.obj, 'dest', '') as MapN;
  const patchRoot = toNode(patch, 'patch', '') as MapN;
  const origKind = destRoot.f.get('kind');
  const origApiVersion = destRoot.f.get('apiVersion');
  const origMeta = destRoot.f.get('metadata');
  const origName = origMeta?.t === 'map' ? origMeta.f.get('name') : undefined;
  const origNamespace = origMeta?.t === 'map' ? origMeta.f.get('namespace') : undefined;

  const directives = directivePointers(patch, '');
  const noted: Removals = [];
  const result = walk(noted, undefined, [destRoot, patchRoot]);

  // kustomize keeps the resource's own node and ignores the walk's return value: a top-level `$patch: replace`
  // (which returns the patch node) leaves the target as it was.
  if (result !== undefined && result !== destRoot) return false;

  const newProv: ProvenanceMap = new Map();
  let newObj: JsonObject = {};
  if (result !== undefined && result.t === 'map' && result.f.size > 0) {
    // kustomize: the patch copy gets the target's apiVersion; kind, name and namespace are set back afterwards.
    if (origApiVersion !== undefined) result.f.set('apiVersion', origApiVersion);
    if (!options.allowKindChange && origKind !== undefined) result.f.set('kind', origKind);
    let meta = result.f.get('metadata');
    const needsMeta = (!options.allowNameChange && origName !== undefined) || origNamespace !== undefined;
    if (needsMeta && (meta === undefined || meta.t !== 'map')) {
      meta = { t: 'map', f: new Map(), src: { side: 'new', ptr: '/metadata' } };
      result.f.set('metadata', meta);
    }
    if (meta !== undefined && meta.t === 'map') {
      if (!options.allowNameChange && origName !== undefined) meta.f.set('name', origName);
      if (origNamespace !== undefined) meta.f.set('namespace', origNamespace);
      else meta.f.delete('namespace');
    }
    newObj = toJson(result) as JsonObject;
    collectProvenance(result, '', target.prov, provOf, newProv);
  }

  const removed = new Map<string, Removal>(target.removed ?? []);
  for (const { node, value, cause } of noted) {
    // Reported at the patch's `null` or `$patch` value (a `$patch: delete` item's own pointer has no leaf).
    const by = provOf(directives.get(cause.src.ptr) ?? cause.src.ptr);
    recordRemoval(removed, target.prov, node.src.ptr, value, by);
  }
  for (const k of Object.keys(target.obj)) delete target.obj[k];
  Object.assign(target.obj, newObj);
  refillProvenance(target, newProv);
  const live = removed.size ? liveRemovals(removed, newObj) : undefined;
  if (live) target.removed = live;
  else delete target.removed;
  return true;
}

/** Where each `$patch` directive of a patch is: a map's own `$patch` key, or a list's `- $patch: …` item. */
function directivePointers(value: Json, ptr: string, out = new Map<string, string>()): Map<string, string> {
  if (value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1 && '$patch' in item && !out.has(ptr)) out.set(ptr, `${ptr}/${i}/$patch`);
      directivePointers(item, `${ptr}/${i}`, out);
    });
    return out;
  }
  if ('$patch' in value) out.set(ptr, childPointer(ptr, '$patch'));
  for (const [k, v] of Object.entries(value)) directivePointers(v, childPointer(ptr, k), out);
  return out;
}

const NO_WRITES: ProvenanceWrite[] = [];

function collectProvenance(root: N, rootPtr: string, oldProv: ProvenanceMap, provOf: (patchPointer: string) => Provenance, out: ProvenanceMap): void {
  const cache = new Map<N, ProvenanceWrite[]>();
  // The stack of a node (never changed after: stacks are copy-on-write, shared between maps and pointers). A target
  // leaf the patch did not touch keeps its stack array itself: a patch of one field no longer copies every write of
  // every other leaf (twice), the bulk of a patched build's garbage.
  const writesOf = (n: N, value: Json, depth = 0): ProvenanceWrite[] => {
    const cached = cache.get(n);
    if (cached) return cached;
    let stack: ProvenanceWrite[] = NO_WRITES;
    if (n.src.side === 'dest') {
      stack = oldProv.get(n.src.ptr) ?? NO_WRITES;
      if (stack.length === 0 && n.t !== 'scalar' && !n.merged) {
        // a target list/map kyaml emptied on its own (items without a key, `{}` items): it keeps the origin of
        // what it held
        const prefix = n.src.ptr + '/';
        for (const [k, s] of oldProv) {
          if (k.startsWith(prefix) && s.length > 0) {
            stack = [{ ...s[s.length - 1], value }];
            break;
          }
        }
      }
      if (n.t !== 'scalar' && n.merged) stack = appended(stack, provenanceWrite(provOf(n.merged.src.ptr), value));
    } else if (n.src.side === 'patch') {
      const below = n.t === 'scalar' && n.overrode && depth < 64 && n.overrode.t === 'scalar' ? writesOf(n.overrode, toJson(n.overrode), depth + 1) : NO_WRITES;
      stack = appended(below, provenanceWrite(provOf(n.src.ptr), value));
    }
    cache.set(n, stack);
    return stack;
  };
  const visit = (n: N, ptr: string): void => {
    if (n.t === 'map' && n.f.size > 0) {
      for (const [k, v] of n.f) visit(v, childPointer(ptr, k));
      return;
    }
    if (n.t === 'seq' && n.items.length > 0) {
      n.items.forEach((v, i) => visit(v, ptr + '/' + i));
      return;
    }
    const stack = writesOf(n, toJson(n));
    if (stack.length > 0) out.set(ptr, stack);
  };
  visit(root, rootPtr);
}
