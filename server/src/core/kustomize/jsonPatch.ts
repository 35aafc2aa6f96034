// RFC 6902 JSON patches as kustomize v5 applies them (`patches:` with an op list, `patchesJson6902:`).
//
// kustomize hands the resource's JSON to evanphx/json-patch (v4 semantics), so this follows that library rather than
// the RFC where they differ (all checked against `kubectl kustomize`, kustomize v5.5.0):
//  - `replace` of a missing object key adds it (only a missing array index or parent path fails);
//  - negative array indices count from the end (`-1` is the last item; for `add`, `-1` appends);
//  - array indices are parsed like Go's strconv.Atoi: `01` and `+1` are 1;
//  - a path without a leading `/` loses its first segment (`spec/x` is `/x`);
//  - `copy` from a missing object key, and `add`/`replace` without a value, write null;
//  - `test` of a missing key against null passes; scalars compare by their JSON text (so "1" ≠ 1);
//  - `move` is remove-then-add (indices of the destination are taken after the removal).
// Error messages are the library's, as kubectl prints them.
//
// Provenance: written leaves get provOf(opIndex, pointer inside the op's value); a scalar replaced by a scalar keeps
// its old stack underneath; replaced/removed subtrees lose theirs; list items after an insertion/removal are re-keyed;
// moved/copied leaves keep (a copy of) their stacks plus a write of the op. What an operation deletes (`remove`, the
// source of a `move`, the old subtree a `replace`/`add` overwrites) is recorded in Resource.removed, at the operation.
import type { Json, JsonObject, Provenance, ProvenanceMap, Removal, Resource } from './types';
import { childPointer, dropSubtree, escapeSegment, internPointer, leavesOf, liveRemovals, refillProvenance, pushWrite, recordRemoval, reindexList, reindexRemovals, subtreeEntries, type ProvenanceWrite } from './provenance';

/** A kustomize build failure, with kustomize's message; `quoted`: the part of it that is the input's own text (a node's
 *  contents), which the caller masks when the input is secret (core/redact.ts). */
export class KustomizeError extends Error {
  constructor(
    message: string,
    readonly quoted?: string,
  ) {
    super(message);
    this.name = 'KustomizeError';
  }
}

export interface JsonPatchOp {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

type Container = JsonObject | Json[];

class OpError extends Error {}

const isContainer = (v: Json | undefined): v is Container => v !== null && typeof v === 'object';
const has = (o: JsonObject, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const decodeKey = (k: string) => k.replace(/~1/g, '/').replace(/~0/g, '~');

/** Go's strconv.Atoi, with its error text. */
function atoi(key: string): number {
  if (!/^[+-]?[0-9]+$/.test(key)) throw new OpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  const n = Number(key);
  if (!Number.isSafeInteger(n)) throw new OpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: value out of range`);
  return n;
}

const invalidIndex = (idx: number) => new OpError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);

/** The index an existing item is read at (negative counts from the end). */
function resolveIndex(ary: Json[], key: string): number {
  const idx = atoi(key);
  let i = idx;
  if (i < 0) {
    if (i < -ary.length) throw invalidIndex(idx);
    i += ary.length;
  }
  if (i >= ary.length) throw invalidIndex(idx);
  return i;
}

/** The container's `get`: undefined for a missing object key (not an error, as in json-patch v4). */
function get(con: Container, key: string): { value: Json | undefined; at: string } {
  if (Array.isArray(con)) {
    const i = resolveIndex(con, key);
    return { value: con[i], at: String(i) };
  }
  return { value: has(con, key) ? con[key] : undefined, at: key };
}

/** The container's `add`; returns the key or index written. */
function add(con: Container, key: string, value: Json): { at: string; inserted?: number } {
  if (!Array.isArray(con)) {
    con[key] = value;
    return { at: key };
  }
  if (key === '-') {
    con.push(value);
    return { at: String(con.length - 1), inserted: con.length - 1 };
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new OpError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = con.length + 1;
  if (idx >= size) throw invalidIndex(idx);
  let i = idx;
  if (i < 0) {
    if (i < -size) throw invalidIndex(idx);
    i += size;
  }
  con.splice(i, 0, value);
  return { at: String(i), inserted: i };
}

/** The container's `remove`; returns the key or index removed, and the value it held. */
function remove(con: Container, key: string): { at: string; removed?: number; value: Json } {
  if (!Array.isArray(con)) {
    if (!has(con, key)) throw new OpError(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    const value = con[key];
    delete con[key];
    return { at: key, value };
  }
  const idx = atoi(key);
  let i = idx;
  if (i >= con.length) throw invalidIndex(idx);
  if (i < 0) {
    if (i < -con.length) throw invalidIndex(idx);
    i += con.length;
  }
  const value = con[i];
  con.splice(i, 1);
  return { at: String(i), removed: i, value };
}

/** json-patch's findObject: the parent container of the path's last segment, its real pointer, and that segment. */
function findObject(doc: JsonObject, path: string): { con: Container; conPtr: string; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let con: Container = doc;
  let conPtr = '';
  for (const part of split.slice(1, -1)) {
    let next: { value: Json | undefined; at: string };
    try {
      next = get(con, decodeKey(part));
    } catch {
      return undefined;
    }
    if (!isContainer(next.value ?? null)) return undefined;
    con = next.value as Container;
    conPtr += '/' + escapeSegment(next.at);
  }
  return { con, conPtr, key: decodeKey(split[split.length - 1]) };
}

/** json-patch's lazyNode.equal: objects by keys (order-free), arrays by position, scalars by their JSON text. */
function jsonEqual(a: Json, b: Json): boolean {
  if (isContainer(a) || isContainer(b)) {
    if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) return false;
    if (Array.isArray(a)) return a.length === (b as Json[]).length && a.every((v, i) => jsonEqual(v, (b as Json[])[i]));
    const ka = Object.keys(a);
    const ob = b as JsonObject;
    return ka.length === Object.keys(ob).length && ka.every((k) => has(ob, k) && jsonEqual((a as JsonObject)[k], ob[k]));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

const clone = <T extends Json>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * Apply RFC 6902 operations to `target` as kustomize does, mutating `target.obj` and `target.prov`. `provOf(opIndex,
 * valuePointer)` gives the provenance of a leaf written by operation `opIndex`, `valuePointer` being the leaf's pointer
 * inside that operation's `value` ('' for the value itself, and for `move`/`copy`, which have none); `opProvOf(opIndex)`
 * the provenance of the whole operation (where a `remove` or `move` is reported). Throws a KustomizeError with
 * json-patch's message when an operation does not apply; the target is left untouched then.
 */
export function applyJsonPatch(target: Resource, ops: ReadonlyArray<JsonPatchOp>, provOf: (opIndex: number, valuePointer: string) => Provenance, opProvOf: (opIndex: number) => Provenance = (i) => provOf(i, '')): void {
  let doc = clone(target.obj);
  const prov: ProvenanceMap = new Map([...target.prov].map(([k, stack]) => [k, stack.map((w) => ({ ...w }))]));
  const removed = new Map<string, Removal>(target.removed ?? []);
  const hadAnnotations = withInternalAnnotations(doc);
  const noteRemoval = (ptr: string, value: Json | undefined, by: Provenance) => recordRemoval(removed, prov, ptr, value === undefined ? undefined : withoutInternal(ptr, value), by);

  const writeValue = (ptr: string, value: Json, opIndex: number, old: Json | undefined): void => {
    // a subtree written over: what the new value does not hold again is removed
    if (isContainer(old ?? null)) noteRemoval(ptr, old, provOf(opIndex, ''));
    if (old !== undefined && !isContainer(old) && !isContainer(value)) {
      // a scalar over a scalar: the old stack stays underneath
      for (const key of [...prov.keys()]) if (key.startsWith(ptr + '/')) prov.delete(key);
      pushWrite(prov, ptr, { ...provOf(opIndex, ''), value });
      return;
    }
    dropSubtree(prov, ptr);
    for (const [rel, leaf] of leavesOf(value, '')) pushWrite(prov, ptr + rel, { ...provOf(opIndex, rel), value: leaf });
  };
  const markEmptied = (con: Container, conPtr: string, opIndex: number): void => {
    if ((Array.isArray(con) ? con.length : Object.keys(con).length) === 0) pushWrite(prov, conPtr, { ...provOf(opIndex, ''), value: Array.isArray(con) ? [] : {} });
  };
  const prepareInsert = (con: Container, conPtr: string) => {
    if (!Array.isArray(con)) return;
    // a list that was empty is no longer a leaf
    if (con.length === 0) prov.delete(conPtr);
  };
  const afterAdd = (con: Container, conPtr: string, at: { at: string; inserted?: number }) => {
    if (at.inserted !== undefined) {
      const i = at.inserted;
      reindexList(prov, conPtr, (old) => (old >= i ? old + 1 : old));
      reindexRemovals(removed, conPtr, (old) => (old >= i ? old + 1 : old));
    } else if (!Array.isArray(con) && Object.keys(con).length === 1) {
      prov.delete(conPtr); // an empty object got its first key
    }
  };

  ops.forEach((op, opIndex) => {
    const kind = op && typeof op.op === 'string' ? op.op : 'unknown';
    const path = op && typeof op.path === 'string' ? op.path : undefined;
    const from = op && typeof op.from === 'string' ? op.from : undefined;
    const value: Json = op && typeof op === 'object' && op.value !== undefined ? op.value : null;
    const fail = (msg: string): never => {
      throw new KustomizeError(msg);
    };
    const wrap = (prefix: string, e: unknown): never => {
      if (e instanceof OpError) throw new KustomizeError(`${prefix}: ${e.message}`);
      throw e;
    };
    const needPath = (): string => path ?? fail(`${kind} operation failed to decode path: operation, missing path field: ${MISSING}`);
    const needFrom = (): string => from ?? fail(`${kind} operation failed to decode from: operation, missing from field: ${MISSING}`);

    switch (kind) {
      case 'add': {
        const p = needPath();
        const found = findObject(doc, p) ?? fail(`add operation does not apply: doc is missing path: "${p}": ${MISSING}`);
        const old = Array.isArray(found.con) ? undefined : has(found.con, found.key) ? found.con[found.key] : undefined;
        prepareInsert(found.con, found.conPtr);
        let at: { at: string; inserted?: number };
        try {
          at = add(found.con, found.key, clone(value));
        } catch (e) {
          return wrap(`error in add for path: '${p}'`, e);
        }
        afterAdd(found.con, found.conPtr, at);
        writeValue(childPointer(found.conPtr, at.at), value, opIndex, old);
        return;
      }
      case 'remove': {
        const p = needPath();
        const found = findObject(doc, p) ?? fail(`remove operation does not apply: doc is missing path: "${p}": ${MISSING}`);
        let at: { at: string; removed?: number; value: Json };
        try {
          at = remove(found.con, found.key);
        } catch (e) {
          return wrap(`error in remove for path: '${p}'`, e);
        }
        noteRemoval(childPointer(found.conPtr, at.at), at.value, opProvOf(opIndex));
        removeProvenance(prov, removed, found.conPtr, at);
        markEmptied(found.con, found.conPtr, opIndex);
        return;
      }
      case 'replace': {
        const p = needPath();
        if (p === '') {
          if (!isContainer(value)) return; // json-patch silently ignores a scalar document
          if (Array.isArray(value)) fail('replace operation value must be object or array: a resource must be an object');
          noteRemoval('', doc, provOf(opIndex, ''));
          doc = clone(value) as JsonObject;
          prov.clear();
          for (const [rel, leaf] of leavesOf(value, '')) pushWrite(prov, rel, { ...provOf(opIndex, rel), value: leaf });
          return;
        }
        const found = findObject(doc, p) ?? fail(`replace operation does not apply: doc is missing path: ${p}: ${MISSING}`);
        let cur: { value: Json | undefined; at: string };
        try {
          cur = get(found.con, found.key);
        } catch {
          return fail(`replace operation does not apply: doc is missing key: ${p}: ${MISSING}`);
        }
        const wasEmptyObject = !Array.isArray(found.con) && Object.keys(found.con).length === 0;
        if (Array.isArray(found.con)) found.con[Number(cur.at)] = clone(value);
        else found.con[found.key] = clone(value);
        if (wasEmptyObject) prov.delete(found.conPtr);
        writeValue(childPointer(found.conPtr, cur.at), value, opIndex, cur.value);
        return;
      }
      case 'move':
      case 'copy': {
        const f = needFrom();
        const src = findObject(doc, f) ?? fail(`${kind} operation does not apply: doc is missing from path: ${f}: ${MISSING}`);
        let got: { value: Json | undefined; at: string };
        try {
          got = get(src.con, src.key);
        } catch (e) {
          return wrap(kind === 'move' ? `error in move for path: '${src.key}'` : `error in copy for from: '${f}'`, e);
        }
        const fromPtr = childPointer(src.conPtr, got.at);
        const moved: Array<[string, ProvenanceWrite[]]> = subtreeEntries(prov, fromPtr).map(([rel, stack]) => [rel, stack.map((w) => ({ ...w }))]);
        const val: Json = got.value === undefined ? null : kind === 'copy' ? clone(got.value) : got.value;
        if (kind === 'move') {
          let at: { at: string; removed?: number; value: Json };
          try {
            at = remove(src.con, src.key);
          } catch (e) {
            return wrap(`error in move for path: '${src.key}'`, e);
          }
          noteRemoval(fromPtr, at.value, opProvOf(opIndex)); // (a move onto itself: set again, not removed)
          removeProvenance(prov, removed, src.conPtr, at);
        }
        const p = needPath();
        const dst = findObject(doc, p) ?? fail(`${kind} operation does not apply: doc is missing destination path: ${p}: ${MISSING}`);
        prepareInsert(dst.con, dst.conPtr);
        let at: { at: string; inserted?: number };
        try {
          at = add(dst.con, dst.key, val);
        } catch (e) {
          return wrap(kind === 'move' ? `error in move for path: '${p}'` : 'error while adding value during copy', e);
        }
        if (kind === 'move') markEmptied(src.con, src.conPtr, opIndex);
        afterAdd(dst.con, dst.conPtr, at);
        const toPtr = childPointer(dst.conPtr, at.at);
        dropSubtree(prov, toPtr);
        for (const [rel, stack] of moved) prov.set(internPointer(toPtr + rel), stack);
        if (kind === 'copy' || toPtr !== fromPtr) {
          for (const [rel, leaf] of leavesOf(val, '')) pushWrite(prov, toPtr + rel, { ...provOf(opIndex, ''), value: leaf });
        }
        return;
      }
      case 'test': {
        const p = needPath();
        if (p === '') {
          if (!jsonEqual(doc, value)) fail(`testing value ${p} failed: test failed`);
          return;
        }
        const found = findObject(doc, p) ?? fail(`test operation does not apply: is missing path: ${p}: ${MISSING}`);
        let cur: { value: Json | undefined };
        try {
          cur = get(found.con, found.key);
        } catch (e) {
          return wrap(`error in test for path: '${p}'`, e);
        }
        const actual = cur.value ?? null;
        if (actual === null || value === null) {
          if (actual === null && value === null) return;
          fail(`testing value ${p} failed: test failed`);
        }
        if (!jsonEqual(actual, value)) fail(`testing value ${p} failed: test failed`);
        return;
      }
      default:
        fail(`Unexpected kind: ${kind}`);
    }
  });

  withoutInternalAnnotations(doc, hadAnnotations, prov);
  const meta = doc.metadata;
  const name = meta !== null && typeof meta === 'object' && !Array.isArray(meta) ? meta.name : undefined;
  if (typeof name !== 'string' || name === '') {
    const ns = meta !== null && typeof meta === 'object' && !Array.isArray(meta) && typeof meta.namespace === 'string' ? meta.namespace : '';
    throw new KustomizeError(`missing metadata.name in object {{${typeof doc.apiVersion === 'string' ? doc.apiVersion : ''} ${typeof doc.kind === 'string' ? doc.kind : ''}} {{${typeof name === 'string' ? name : ''} ${ns}} map[] map[]}}`);
  }

  for (const k of Object.keys(target.obj)) delete target.obj[k];
  Object.assign(target.obj, doc);
  refillProvenance(target, prov);
  const live = removed.size ? liveRemovals(removed, doc) : undefined;
  if (live) target.removed = live;
  else delete target.removed;
}

/** A removed value without the internal annotations kustomize adds for the duration of the patch (undefined: nothing else). */
function withoutInternal(ptr: string, value: Json): Json | undefined {
  const rel = ptr === '' ? ['metadata', 'annotations'] : ptr === '/metadata' ? ['annotations'] : ptr === '/metadata/annotations' ? [] : undefined;
  if (!rel || !isContainer(value)) return value;
  const copy = clone(value);
  let ann: Json | undefined = copy;
  for (const k of rel) ann = isContainer(ann ?? null) && !Array.isArray(ann) ? (ann as JsonObject)[k] : undefined;
  if (!isContainer(ann ?? null) || Array.isArray(ann)) return copy;
  for (const k of INTERNAL_ANNOTATIONS) delete (ann as JsonObject)[k];
  return rel.length === 0 && Object.keys(ann as JsonObject).length === 0 ? undefined : copy;
}

// kustomize stores the resource's previous id in internal annotations before a JSON patch and puts them back after
// it, so during the patch `metadata.annotations` always exists (an `add /metadata/annotations/x` works on a resource
// without annotations) and holds these keys; they never reach the output.
const INTERNAL_ANNOTATIONS = ['internal.config.kubernetes.io/previousKinds', 'internal.config.kubernetes.io/previousNames', 'internal.config.kubernetes.io/previousNamespaces'];

function withInternalAnnotations(doc: JsonObject): boolean {
  const meta = doc.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return false;
  const had = has(meta, 'annotations');
  if (!had || meta.annotations === null) meta.annotations = {};
  const ann = meta.annotations;
  if (ann === null || typeof ann !== 'object' || Array.isArray(ann)) return had;
  const str = (v: Json | undefined, dflt: string) => (typeof v === 'string' && v !== '' ? v : dflt);
  ann[INTERNAL_ANNOTATIONS[0]] = str(doc.kind, '');
  ann[INTERNAL_ANNOTATIONS[1]] = str(meta.name, '');
  ann[INTERNAL_ANNOTATIONS[2]] = str(meta.namespace, 'default');
  return had;
}

function withoutInternalAnnotations(doc: JsonObject, hadAnnotations: boolean, prov: ProvenanceMap): void {
  const meta = doc.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return;
  const ann = meta.annotations;
  if (ann === null || typeof ann !== 'object' || Array.isArray(ann)) return;
  for (const k of INTERNAL_ANNOTATIONS) {
    if (!has(ann, k)) continue;
    delete ann[k];
    dropSubtree(prov, '/metadata/annotations/' + escapeSegment(k));
  }
  if (Object.keys(ann).length === 0 && !hadAnnotations) {
    delete meta.annotations;
    prov.delete('/metadata/annotations');
  }
}

function removeProvenance(prov: ProvenanceMap, removed: Map<string, Removal>, conPtr: string, at: { at: string; removed?: number }): void {
  dropSubtree(prov, childPointer(conPtr, at.at));
  if (at.removed !== undefined) {
    const i = at.removed;
    const shift = (old: number) => (old === i ? undefined : old > i ? old - 1 : old);
    reindexList(prov, conPtr, shift);
    reindexRemovals(removed, conPtr, shift);
  }
}
