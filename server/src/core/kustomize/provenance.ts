// Helpers over ProvenanceMap (types.ts): JSON pointers (RFC 6901) and the bookkeeping that keeps the map's keys in
// step with the resource's current shape when values are written, dropped, moved or re-indexed.
import type { Json, Provenance, ProvenanceMap, Removal, Resource } from './types';
import type { Span } from '../text';
import { keptString } from '../keptString';
import { ProvenanceCopy } from './provenanceCopy';
import { CompactProvenance, SharedPointers } from './compactProvenance';

/** One write of a leaf: where it came from and the value it wrote. */
export type ProvenanceWrite = Provenance & { value: Json };

/** RFC 6901 escaping of one reference token: `~` → `~0`, `/` → `~1`. */
export function escapeSegment(segment: string | number): string {
  const s = String(segment);
  return s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s;
}

/** RFC 6901 unescaping of one reference token (`~1` first, then `~0`, so `~01` stays `~1`). */
export function unescapeSegment(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The pointer of a path of segments: `[]` → `''` (the whole document), `['spec', 'a/b', 0]` → `/spec/a~1b/0`. */
export function pointer(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) out += '/' + escapeSegment(s);
  return out;
}

/** The segments of a pointer: `''` → `[]`, `/spec/a~1b/0` → `['spec', 'a/b', '0']`. Throws on a non-empty pointer not starting with `/`. */
export function parsePointer(ptr: string): string[] {
  if (ptr === '') return [];
  if (ptr[0] !== '/') throw new Error(`invalid JSON pointer ${JSON.stringify(ptr)}: must be empty or start with "/"`);
  return ptr.slice(1).split('/').map(unescapeSegment);
}

/**
 * The one copy of a pointer string (keptString: V8's string table, weak: a name no object uses any more goes), so a
 * pointer made by concatenation (`/spec/template/…` per leaf of every document loaded and every write, a chain of cons
 * strings each) is replaced by the table's flat string. Provenance maps hold hundreds of thousands of keys in a few
 * hundred distinct pointers: the soak's heap held 7 MB of them, growing with its builds.
 */
export function internPointer(ptr: string): string {
  return keptString(ptr);
}

/**
 * A build's child pointers, each made and interned once: a pointer made by concatenation per leaf of every document a
 * build loads (and per leaf a strategic merge visits) was a cons string to flatten, hash and look up in V8's string
 * table each time (internPointer: the most of a base build's loading time after reading the flat form). Here a
 * pointer's children are found by their key from the interned parent (its hash kept), the same strings internPointer
 * gives. One table per build (Builder), dropped with it.
 */
export class PointerTable {
  private readonly kids = new Map<string, Map<string | number, string>>();
  /** The spans `span` gave, by spanKey. */
  private readonly spans = new Map<number, Span>();
  /** The lists `list` gave, by their pointers one after another (a trie). */
  private readonly lists: PointerList = {};
  /**
   * The one shared list of these pointers (interned ones) in this order: the objects a build loads and patches have
   * few shapes (a whole check of the synthetic fleet kept 10,600 compact provenance maps of 30 pointer lists), so
   * their maps (CompactProvenance) share the list and its index, each keeping only its stacks. `pointers`: a list, or
   * a map's keys.
   */
  list(pointers: readonly string[] | ReadonlyMap<string, unknown>): SharedPointers {
    let node = this.lists;
    for (const ptr of pointers instanceof Map ? pointers.keys() : (pointers as readonly string[])) {
      let next = node.next?.get(ptr);
      if (next === undefined) (node.next ??= new Map()).set(ptr, (next = {}));
      node = next;
    }
    return (node.list ??= new SharedPointers(pointers instanceof Map ? [...pointers.keys()] : (pointers as readonly string[]).slice()));
  }
  /**
   * The one span `{ start, end }` of this build for that range (frozen: shared by every write with that range). Every
   * leaf a build loads has a write and a span kept to the end of a check, and the files a build reads have few shapes:
   * the synthetic fleet's whole check made 71,000 spans of leaves in 10,800 distinct ranges per build. A range too far
   * or too long for a small-integer key gets a span of its own.
   */
  span(start: number, end: number): Span {
    const key = spanKey(start, end);
    if (key < 0) return { start, end };
    let out = this.spans.get(key);
    if (out === undefined) this.spans.set(key, (out = Object.freeze({ start, end })));
    return out;
  }
  /** internPointer of `parent` + one more segment; `parent` an interned pointer ('' for the document). */
  child(parent: string, key: string | number): string {
    let kids = this.kids.get(parent);
    if (kids === undefined) this.kids.set(parent, (kids = new Map()));
    let out = kids.get(key);
    if (out === undefined) kids.set(key, (out = internPointer(typeof key === 'number' ? `${parent}/${key}` : childPointer(parent, key))));
    return out;
  }
}

/** A range as one small integer (V8's Smi: no number boxed for the Map's key): the start's 18 bits above the length's 12; -1 beyond. */
function spanKey(start: number, end: number): number {
  const length = end - start;
  return start >= 0 && start < 0x40000 && length >= 0 && length < 0x1000 ? start * 0x1000 + length : -1;
}

/** A node of PointerTable's trie of lists: the pointers that follow, and the list that ends here. */
interface PointerList {
  next?: Map<string, PointerList>;
  list?: SharedPointers;
}

/** `base` + one more segment. */
export function childPointer(base: string, segment: string | number): string {
  return base + '/' + escapeSegment(segment);
}

/** Whether `ptr` is `base` itself or lies under it (`/a/b` is under `/a`, `/ab` is not). */
export function isAtOrUnder(ptr: string, base: string): boolean {
  return base === '' || ptr === base || ptr.startsWith(base + '/');
}

/** Whether a value is a leaf for provenance purposes: a scalar, null, or an empty object/array. */
export function isLeaf(value: Json): boolean {
  if (value === null || typeof value !== 'object') return true;
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

/** Every leaf of `value` with its pointer (relative to `base`), in document order. */
export function leavesOf(value: Json, base = ''): Array<[string, Json]> {
  const out: Array<[string, Json]> = [];
  const visit = (v: Json, ptr: string): void => {
    if (isLeaf(v)) {
      out.push([ptr, v]);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, ptr + '/' + i));
    } else {
      for (const [k, item] of Object.entries(v as Record<string, Json>)) visit(item, childPointer(ptr, k));
    }
  };
  visit(value, base);
  return out;
}

/**
 * A copy of a provenance map that never changes after (a kept build's, a cached one's), the stacks shared (writers
 * replace them): the copy reads `prov` and keeps only what is written into it (provenanceCopy.ts).
 */
export function copyProvenance(prov: ProvenanceMap): ProvenanceMap {
  return prov instanceof ProvenanceCopy ? prov.copy() : ProvenanceCopy.of(prov);
}

/**
 * Gives `target` the provenance `entries` (a patch's result, the target's whole map anew), in a new compact map
 * (CompactProvenance: most of a patched object's leaves keep the one write they had).
 */
export function refillProvenance(target: Resource, entries: Iterable<readonly [string, ProvenanceWrite[]]>): void {
  const prov = new CompactProvenance();
  for (const [k, v] of entries) prov.set(internPointer(k), v);
  target.prov = prov.trimmed();
}

/** Push one write on the stack of `ptr`. */
export function pushWrite(prov: ProvenanceMap, ptr: string, write: ProvenanceWrite): void {
  // Copy-on-write: copies of a built resource share their stacks (see fluxBuild's build cache).
  const stack = prov.get(ptr);
  prov.set(internPointer(ptr), stack ? appended(stack, write) : [write]);
}

/**
 * A new stack: `stack` with `write` on top, the array exactly as long as it. Kept builds hold one stack per leaf they
 * wrote; `[...stack, write]` gives its array spare room (208 bytes for two writes on Node 20, against 72 by concat):
 * about 140 bytes per resource of a tenant overlay that sets a namespace, held as long as the build is kept. A stack of
 * one write extended (most: an overlay's namespace over its base's, a patch over a loaded value) is an array literal:
 * V8 pretenures a literal's allocation site once its arrays survive, while concat's are always made young, copied by a
 * scavenge and promoted by the next (1.5 MB of a check's scavenge bytes; test/unit/pretenuredKept.test.ts and
 * pretenuring.test.ts ask V8 itself). A literal for each length up to four read 0.7 MB worse, and
 * pretenuredKept.test.ts then found its stacks young.
 */
export function appended<T>(stack: readonly T[], write: T): T[] {
  if (stack.length === 1) return [stack[0], write];
  return stack.concat([write]);
}

/**
 * The write of `value` by `provenance`: `{ ...provenance, value }`, made by Object.assign. V8 (Node 20) gives each
 * object that spread makes and then extends a hidden class of its own: a map, a descriptor array and a property array
 * per write (about 250 bytes), and 10× the time. The soak's namespace writes of tenant builds kept 18,000 of them.
 */
export function provenanceWrite(provenance: Provenance, value: Json): ProvenanceWrite {
  const p = provenance;
  switch (writeShape(p)) {
    case 1: return { file: p.file, span: p.span, layer: p.layer, kustomization: p.kustomization, value };
    case 2: return { file: p.file, layer: p.layer, kustomization: p.kustomization, span: p.span, value };
    default: return Object.assign({}, p, { value });
  }
}

/**
 * Which literal rebuilds `p` with its keys in their order: 1 for `file, span, layer, kustomization`, 2 for `file, layer,
 * kustomization, span` (a build step's provenance; the two shapes of every write of a check of the synthetic fleet
 * with four keys), 0 for any other. Object.assign's `{}` has room for four properties in the object: the fifth,
 * `value`, went to a property array of its own (some 32 bytes more per write, 18,600 writes that the contexts pass
 * keeps). A literal of five keys holds them all in the object; the keys and their order stay what Object.assign
 * gives, as JSON output and the provenance's readers may see them.
 */
function writeShape(p: Provenance): 0 | 1 | 2 {
  let n = 0;
  let first = true;
  let second = true;
  for (const key in p) {
    if (n >= 4) return 0;
    first &&= key === SHAPE_1[n];
    second &&= key === SHAPE_2[n];
    n++;
  }
  return n !== 4 ? 0 : first ? 1 : second ? 2 : 0;
}
const SHAPE_1 = ['file', 'span', 'layer', 'kustomization'];
const SHAPE_2 = ['file', 'layer', 'kustomization', 'span'];

/** Push a write of `provenance` for every leaf of `value`, placed at `basePointer`. */
export function recordLeaves(prov: ProvenanceMap, basePointer: string, value: Json, provenance: Provenance): void {
  for (const [ptr, leaf] of leavesOf(value, basePointer)) pushWrite(prov, ptr, provenanceWrite(provenance, leaf));
}

/** Delete every key at or under `ptr`. */
export function dropSubtree(prov: ProvenanceMap, ptr: string): void {
  for (const key of [...prov.keys()]) if (isAtOrUnder(key, ptr)) prov.delete(key);
}

/** The entries at or under `ptr`, with their keys made relative to it (`''` for `ptr` itself). */
export function subtreeEntries(prov: ProvenanceMap, ptr: string): Array<[string, ProvenanceWrite[]]> {
  const out: Array<[string, ProvenanceWrite[]]> = [];
  for (const [key, stack] of prov) if (isAtOrUnder(key, ptr)) out.push([key.slice(ptr.length), stack]);
  return out;
}

/**
 * Re-key the subtree at `from` to `to`: what was at or under `to` is dropped first (the moved value replaces it), then
 * every key at or under `from` moves. Moving onto itself is a no-op.
 */
export function moveSubtree(prov: ProvenanceMap, from: string, to: string): void {
  if (from === to) return;
  const moved = subtreeEntries(prov, from);
  dropSubtree(prov, from);
  dropSubtree(prov, to);
  for (const [rel, stack] of moved) prov.set(internPointer(to + rel), stack);
}

/** Copy the subtree at `from` to `to` (stacks are copied, not shared); what was at or under `to` is dropped. */
export function copySubtree(prov: ProvenanceMap, from: string, to: string): void {
  const copied = subtreeEntries(prov, from).map(([rel, stack]) => [rel, stack.map((w) => ({ ...w }))] as const);
  dropSubtree(prov, to);
  for (const [rel, stack] of copied) prov.set(internPointer(to + rel), stack);
}

export type IndexMapping = ((oldIndex: number) => number | undefined) | ReadonlyArray<number | undefined> | ReadonlyMap<number, number | undefined>;

/**
 * Re-key the item subtrees of the list at `listPointer` after items moved or vanished: `mapping(oldIndex)` is the
 * item's new index, or undefined when it is gone (its keys are deleted). Keys of the list itself and keys under it
 * whose first segment is not an index are left alone. All keys move at once, so swaps are safe.
 */
export function reindexList(prov: ProvenanceMap, listPointer: string, mapping: IndexMapping): void {
  const map = typeof mapping === 'function' ? mapping : Array.isArray(mapping) ? (i: number) => (mapping as ReadonlyArray<number | undefined>)[i] : (i: number) => (mapping as ReadonlyMap<number, number | undefined>).get(i);
  const prefix = listPointer + '/';
  const moved: Array<[string, ProvenanceWrite[]]> = [];
  for (const [key, stack] of prov) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    const head = slash < 0 ? rest : rest.slice(0, slash);
    if (!/^(0|[1-9][0-9]*)$/.test(head)) continue;
    prov.delete(key);
    const to = map(Number(head));
    if (to !== undefined) moved.push([prefix + to + (slash < 0 ? '' : rest.slice(slash)), stack]);
  }
  for (const [key, stack] of moved) {
    const existing = prov.get(key);
    prov.set(internPointer(key), existing ? [...existing, ...stack] : stack);
  }
}

/**
 * Re-keys the removals recorded *inside* items of the list at `listPointer` after items moved (see reindexList): a
 * field removed from the second container follows that container when one is inserted before it, and goes with it
 * when it is removed. Removals of whole items keep their pointer (the item is gone; the pointer says where it was).
 */
export function reindexRemovals(removed: Map<string, Removal>, listPointer: string, mapping: (i: number) => number | undefined): void {
  const prefix = listPointer + '/';
  const moved: Array<[string, Removal]> = [];
  for (const [key, r] of removed) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) continue;
    const head = rest.slice(0, slash);
    if (!/^(0|[1-9][0-9]*)$/.test(head)) continue;
    removed.delete(key);
    const to = mapping(Number(head));
    if (to !== undefined) moved.push([prefix + to + rest.slice(slash), r]);
  }
  for (const [key, r] of moved) removed.set(key, r);
}

/** The write that set the value at `pointer` of `r`: its own, a leaf below it for a subtree, else the nearest above, else the object's document. */
export function writeAt(r: Resource, pointer: string): Provenance {
  let w = r.prov.get(pointer)?.at(-1);
  if (!w) {
    const prefix = pointer + '/';
    for (const [k, stack] of r.prov) {
      if (k.startsWith(prefix) && stack.length) {
        w = stack[stack.length - 1];
        break;
      }
    }
  }
  for (let p = pointer; !w && p !== ''; ) {
    p = p.slice(0, p.lastIndexOf('/'));
    w = r.prov.get(p)?.at(-1);
  }
  return w ?? r.origin;
}

/** The effective write of a leaf: the top of its stack. */
export function lastWrite(prov: ProvenanceMap, ptr: string): ProvenanceWrite | undefined {
  const stack = prov.get(ptr);
  return stack && stack.length > 0 ? stack[stack.length - 1] : undefined;
}

/** The value at a pointer of a JSON document, or undefined when there is none. */
export function valueAt(doc: Json, ptr: string): Json | undefined {
  let cur: Json | undefined = doc;
  for (const seg of parsePointer(ptr)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(seg)) return undefined;
      cur = cur[Number(seg)];
    } else {
      cur = Object.prototype.hasOwnProperty.call(cur, seg) ? (cur as Record<string, Json>)[seg] : undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

// ---- removals (Resource.removed) -------------------------------------------------------------------------------

/**
 * Record that the subtree at `ptr` (holding `value`) was removed by `by`, with the stacks its leaves had in `prov`
 * (call it before the stacks are dropped). A removal at the same pointer replaces the earlier one.
 */
export function recordRemoval(removed: Map<string, Removal>, prov: ProvenanceMap, ptr: string, value: Json | undefined, by: Provenance): void {
  if (value === undefined) return;
  removed.set(ptr, { ...by, value, prov: new Map(subtreeEntries(prov, ptr)) });
}

/**
 * The leaves of a removal that are still missing from `doc`: a leaf that a later layer set again (the exact pointer,
 * or a parent written wholesale that holds it) is no longer removed; its stack tells who set it.
 * Each as [full pointer, removed value, its stack before the removal].
 */
export function liveRemovedLeaves(doc: Json, ptr: string, removal: Removal): Array<[string, Json, ProvenanceWrite[]]> {
  const out: Array<[string, Json, ProvenanceWrite[]]> = [];
  // A removed list item is not "set again" by whatever moved into its position (the next item shifts up): it stays
  // removed. Elsewhere, a value at the same pointer means a later layer wrote it back.
  const parent = ptr.slice(0, ptr.lastIndexOf('/'));
  const listItem = Array.isArray(valueAt(doc, parent)) && /\/(0|[1-9][0-9]*)$/.test(ptr);
  for (const [rel, leaf] of leavesOf(removal.value, '')) {
    if (!listItem && valueAt(doc, ptr + rel) !== undefined) continue;
    out.push([ptr + rel, leaf, removal.prov.get(rel) ?? []]);
  }
  return out;
}

/** The removals of `removed` with at least one leaf still missing from `doc` (undefined when none is left). */
export function liveRemovals(removed: Map<string, Removal>, doc: Json): Map<string, Removal> | undefined {
  const out = new Map<string, Removal>();
  for (const [ptr, r] of removed) if (liveRemovedLeaves(doc, ptr, r).length) out.set(ptr, r);
  return out.size ? out : undefined;
}
