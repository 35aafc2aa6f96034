// The common strategic merge patch, applied to the target's own objects: a patch of maps, scalars and lists merged
// item by item on the target's first items (a cluster's variables on each of a fleet's Flux Kustomizations, a
// replica count, a container's resources) on a target kyaml's walk would leave as it is everywhere the patch does not
// reach (no `null` field, merged lists whose items stay as they are: see listKeeps).
//
// kyaml's walk (strategicMerge.ts) makes a node of every value of the target and the patch, and the result anew from
// them: for a patch of two scalars on a Flux Kustomization that is the whole object, most of a fleet check's merge
// time and much of its garbage. What it gives for such a patch is known without the walk:
//  - each patch scalar replaces the target's scalar (its stack over the one it overrode) or is added;
//  - each patch map merges into the target's map, or is added whole where the target has none;
//  - each item of a patch list merged by one key merges into the target's item of that key, when those are the
//    target's first items in the patch's order (the walk puts the patch's items first: the order stays);
//  - keys the target lacks are appended in sorted order (the walk visits the union of keys sorted, setting each);
//  - the patch's apiVersion, kind, metadata.name and metadata.namespace are the target's again afterwards;
//  - every other value is the target's, and so is its provenance.
// Anything else (a `null` or `$` directive or other list in the patch, a kind mismatch, which fails, a `null` the
// walk would delete or a merged list it would change in the target, a new key JavaScript orders first) takes the walk.
//
// The result shares every value the patch did not reach with the object before: maps and lists on the patch's paths
// are copied, added values are copies of the patch's. The provenance map is filled anew in document order as the walk
// fills it, its keys interned (PointerTable: the strings the old map held, no new key string for an unchanged leaf).
import type { Json, JsonObject, Provenance, ProvenanceMap, Resource } from './types';
import { fieldSchema, isAssociativeList, itemSchema, patchStrategyAndKeys, schemaForType, type SchemaNode } from './mergeKeys';
import { appended, childPointer, liveRemovals, provenanceWrite, PointerTable, type ProvenanceWrite } from './provenance';
import { CompactProvenance } from './compactProvenance';

const isMap = (v: Json | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
/** A key JavaScript puts before the others (an array index): the walk's Map would keep it where it was set. */
const INDEX_LIKE = /^(0|[1-9][0-9]*)$/;

/** kyaml's schema lookup by the map's own apiVersion and kind (strategicMerge.ts getSchema, on JSON). */
function typeSchema(m: JsonObject | undefined): SchemaNode | undefined {
  if (m === undefined) return undefined;
  const apiVersion = scalarText(m.apiVersion);
  const kind = scalarText(m.kind);
  return apiVersion && kind ? schemaForType(apiVersion, kind) : undefined;
}

/** A yaml.Node's Value where it is not empty: a scalar's text; '' for a missing, null or collection value. */
function scalarText(v: Json | undefined): string {
  return v === undefined || v === null || typeof v === 'object' ? '' : String(v);
}

/** Whether kyaml's walk of the target's map alone (no patch below) gives it back as it is: no null field, lists as listKeeps. */
function walkKeeps(m: JsonObject, schemaIn: SchemaNode | undefined): boolean {
  return keptBesides(m, schemaIn ?? typeSchema(m), () => false);
}

/** Whether the walk keeps every value of `m` that `reached` (the patch's own keys) leaves out, as walkKeeps. */
function keptBesides(m: JsonObject, schema: SchemaNode | undefined, reached: (k: string) => boolean): boolean {
  for (const k in m) {
    if (!Object.hasOwn(m, k) || reached(k)) continue;
    const v = m[k];
    if (v === null) return false;
    if (typeof v !== 'object') continue;
    const s = schema ? fieldSchema(schema, k) : undefined;
    if (Array.isArray(v) ? !listKeeps(v, s) : !walkKeeps(v, s)) return false;
  }
  return true;
}

/**
 * Whether kyaml's walk of a target list alone gives it back as it is. A list it does not merge is never walked into. A
 * merged list of scalars (finalizers) is kept when its items are distinct non-empty texts; a list of maps merged by
 * keys when every item is a map (each kept by the walk) holding the same keys of the list's, each a non-empty scalar,
 * and no two items hold the same values: then no item vanishes, merges into another or moves (kyaml de-duplicates
 * items, drops `{}` ones, matches multi-key items on any shared value).
 */
function listKeeps(list: Json[], s: SchemaNode | undefined): boolean {
  if (!isAssociativeList(s)) return true;
  const { keys } = patchStrategyAndKeys(s);
  const seen = new Set<string>();
  if (keys.length === 0) {
    for (const item of list) {
      if (item === null || typeof item === 'object') return false;
      const text = String(item);
      if (text === '' || seen.has(text)) return false;
      seen.add(text);
    }
    return true;
  }
  const items = itemSchema(s);
  let held: string | undefined;
  for (const item of list) {
    if (!isMap(item)) return false;
    let tuple = '';
    let which = '';
    for (const key of keys) {
      const v = Object.hasOwn(item, key) ? item[key] : undefined;
      if (v === undefined) continue;
      if (v === null || typeof v === 'object' || String(v) === '') return false;
      which += key + '\0';
      tuple += String(v) + '\0';
    }
    if (which === '' || (held !== undefined && which !== held) || seen.has(tuple)) return false;
    held = which;
    seen.add(tuple);
    if (!walkKeeps(item, items)) return false;
  }
  return true;
}

/**
 * Whether a patch list merges into the target list `t` item by item in place: a list merged by one key, the patch's
 * items the target's first ones in order (the walk puts the patch's items first: here they already are), each a map
 * naming its target item by the key and fitting it.
 */
function listFits(t: Json[], p: Json[], s: SchemaNode | undefined): boolean {
  if (!isAssociativeList(s) || p.length === 0 || p.length > t.length || !listKeeps(t, s)) return false;
  const { keys } = patchStrategyAndKeys(s);
  if (keys.length !== 1) return false;
  const [key] = keys;
  const items = itemSchema(s);
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    const ti = t[i] as JsonObject;
    if (!isMap(pi) || !Object.hasOwn(pi, key)) return false;
    const v = pi[key];
    if (v === null || typeof v === 'object' || String(v) !== String(ti[key])) return false;
    if (!fits(ti, pi, items, PLAIN)) return false;
  }
  return true;
}

/** Whether a patch value added whole is a copy of it after the walk: maps (not empty) and scalars, no null, no directive. */
function plainPatch(v: Json): boolean {
  if (v === null || Array.isArray(v)) return false;
  if (typeof v !== 'object') return true;
  let any = false;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (k.startsWith('$') || k === '__proto__' || !plainPatch(v[k])) return false;
    any = true;
  }
  return any;
}

/**
 * What the merge skips of a patch map at one level, and the rule of the level below each key: at the top the patch's
 * apiVersion and kind, in its metadata its name and namespace (the walk sets the target's back, or deletes a namespace
 * the target lacked), nothing elsewhere.
 */
interface Level {
  /** Whether the merge skips the patch's `key` holding `value` (only ever a scalar: any other goes the walk). */
  skips(key: string, value: Json): boolean;
  below(key: string): Level;
}
const isScalar = (v: Json): boolean => v !== null && typeof v !== 'object';
const PLAIN: Level = { skips: () => false, below: () => PLAIN };
const METADATA: Level = { skips: (k, v) => (k === 'name' || k === 'namespace') && isScalar(v), below: () => PLAIN };
const TOP: Level = { skips: (k, v) => (k === 'apiVersion' || k === 'kind') && isScalar(v), below: (k) => (k === 'metadata' ? METADATA : PLAIN) };

/**
 * Whether the patch map `p` merges into the target map `t` as described above (both walked together, the schema
 * found as kyaml finds it): every patch value fits the target's (or is added whole), every target value the patch
 * does not reach is one the walk keeps.
 */
function fits(t: JsonObject, p: JsonObject, schemaIn: SchemaNode | undefined, level: Level): boolean {
  const schema = schemaIn ?? typeSchema(t) ?? typeSchema(p);
  let keys = 0;
  for (const k in p) {
    if (!Object.hasOwn(p, k)) continue;
    keys++;
    const pv = p[k];
    if (level.skips(k, pv)) continue;
    if (k.startsWith('$') || k === '__proto__') return false;
    const tv = Object.hasOwn(t, k) ? t[k] : undefined;
    if (tv === undefined) {
      // added whole (appended: not a key JavaScript puts first); never a metadata the target lacks
      if (level === TOP && k === 'metadata') return false;
      if (INDEX_LIKE.test(k) || !plainPatch(pv)) return false;
    } else if (isMap(pv)) {
      if (!isMap(tv) || !fits(tv, pv, schema ? fieldSchema(schema, k) : undefined, level.below(k))) return false;
    } else if (Array.isArray(pv)) {
      if (!Array.isArray(tv) || !listFits(tv, pv, schema ? fieldSchema(schema, k) : undefined)) return false;
    } else if (pv === null || tv === null || typeof tv === 'object') return false;
  }
  // an empty patch map (`{}`) leaves a write on an empty target map: the walk's rule
  if (keys === 0 && level !== TOP) return false;
  return keptBesides(t, schema, (k) => Object.hasOwn(p, k) && !level.skips(k, p[k]));
}

function copyPlain(v: Json): Json {
  if (!isMap(v)) return v;
  const out: JsonObject = {};
  for (const k in v) if (Object.hasOwn(v, k)) out[k] = copyPlain(v[k]);
  return out;
}

/** Sorted by UTF-16 code units, as the walk visits keys. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `p` merged into `t` (the caller's own map: changed in place; maps below on the patch's paths are copied first).
 * `added` gets the keys each map was given (their leaves have the patch's write alone: the walk's rule).
 */
function mergeInto(t: JsonObject, p: JsonObject, level: Level, added: Map<JsonObject, string[]>): void {
  const keys: string[] = [];
  for (const k in p) {
    if (!Object.hasOwn(p, k)) continue;
    const pv = p[k];
    if (level.skips(k, pv)) continue;
    if (!Object.hasOwn(t, k)) keys.push(k);
    else if (isMap(pv)) {
      const own = { ...(t[k] as JsonObject) };
      mergeInto(own, pv, level.below(k), added);
      t[k] = own;
    } else if (Array.isArray(pv)) {
      const list = (t[k] as Json[]).slice();
      for (let i = 0; i < pv.length; i++) {
        const own = { ...(list[i] as JsonObject) };
        mergeInto(own, pv[i] as JsonObject, PLAIN, added);
        list[i] = own;
      }
      t[k] = list;
    } else t[k] = pv;
  }
  if (keys.length === 0) return;
  if (keys.length > 1) keys.sort(byCodeUnits);
  for (const k of keys) t[k] = copyPlain(p[k]);
  added.set(t, keys);
}

interface Collecting {
  oldProv: ProvenanceMap;
  provOf: (patchPointer: string) => Provenance;
  out: CompactProvenance;
  added: Map<JsonObject, string[]>;
  /** The target's pointers, interned: the old map's keys are the same strings (no new key string for a leaf). */
  pointers: PointerTable;
}

/**
 * The provenance of the merged object, in document order: a leaf the patch wrote gets its write (over the stack of the
 * scalar it replaced), every other leaf keeps its stack (as the walk's collectProvenance gives them).
 */
function collect(c: Collecting, value: Json, ptr: string, p: Json | undefined, pptr: string, level: Level, fresh: boolean): void {
  if (value !== null && typeof value === 'object') {
    if (Array.isArray(value)) {
      if (value.length > 0) {
        const pl = Array.isArray(p) ? p : undefined;
        for (let i = 0; i < value.length; i++) {
          const below = pl !== undefined && i < pl.length ? pl[i] : undefined;
          collect(c, value[i], c.pointers.child(ptr, i), below, below === undefined ? '' : pptr + '/' + i, PLAIN, false);
        }
        return;
      }
    } else {
      let any = false;
      const pm = isMap(p) ? p : undefined;
      const added = c.added.get(value);
      for (const k in value) {
        if (!Object.hasOwn(value, k)) continue;
        any = true;
        const below = pm !== undefined && Object.hasOwn(pm, k) && !level.skips(k, pm[k]) ? pm[k] : undefined;
        collect(c, value[k], c.pointers.child(ptr, k), below, below === undefined ? '' : childPointer(pptr, k), level.below(k), fresh || (added !== undefined && added.includes(k)));
      }
      if (any) return;
    }
  }
  let stack: ProvenanceWrite[] | undefined;
  if (p !== undefined) {
    // a patch scalar (a patch map is never a leaf here: none is empty), over the stack of the one it replaced
    const write = provenanceWrite(c.provOf(pptr), value);
    stack = fresh ? [write] : appended(c.oldProv.get(ptr) ?? [], write);
  } else {
    stack = c.oldProv.get(ptr);
    if ((stack === undefined || stack.length === 0) && value !== null && typeof value === 'object') {
      // an empty target list/map without a write of its own keeps the origin of what was below it (the walk's rule)
      const prefix = ptr + '/';
      for (const [k, s] of c.oldProv) {
        if (k.startsWith(prefix) && s.length > 0) {
          stack = [provenanceWrite(s[s.length - 1], Array.isArray(value) ? [] : {})];
          break;
        }
      }
    }
  }
  if (stack === undefined || stack.length === 0) return;
  // (each pointer once: the walk visits each leaf of the merged object once)
  c.out.append(ptr, stack);
}

/**
 * Applies `patch` to `target` in place when the walk's result is known as described above; returns false (the
 * target untouched) when the whole walk is needed (and always for a patch that may rename or re-kind its target).
 */
export function strategicMergeInPlace(target: Resource, patch: JsonObject, provOf: (patchPointer: string) => Provenance, renames: boolean, pointers: PointerTable = new PointerTable()): boolean {
  const t = target.obj;
  const meta = t.metadata;
  // the identity fields the walk sets back: the target's own
  if (renames || !Object.hasOwn(t, 'apiVersion') || !Object.hasOwn(t, 'kind') || !isMap(meta) || !Object.hasOwn(meta, 'name')) return false;
  if (!fits(t, patch, undefined, TOP)) return false;
  const added = new Map<JsonObject, string[]>();
  mergeInto(t, patch, TOP, added);
  const c: Collecting = { oldProv: target.prov, provOf, out: new CompactProvenance(), added, pointers };
  collect(c, t, '', patch, '', TOP, false);
  // (its pointers are interned already: the build's table's)
  target.prov = c.out.sharePointers(pointers);
  const live = target.removed?.size ? liveRemovals(target.removed, t) : undefined;
  if (live) target.removed = live;
  else delete target.removed;
  return true;
}
