// The fields that differ between an object at the baseline and in the working tree, as JSON pointers. List items are
// matched by kustomize's merge keys (containers by name, ports by port and protocol, env by name…), so a reorder is
// not a change. Values are shown through core/redact.ts: never a Secret's or SOPS value, not even inside a string.
import type { Json, JsonObject, Resource } from '../kustomize/types';
import { patchStrategy } from '../kustomize/mergeKeys';
import { escapeSegment } from '../kustomize/provenance';
import { resIdOf } from '../kustomize/resid';
import { shownLeaf } from '../redact';
import { causeAt } from './causes';
import type { FieldChange, ObjectRef } from './types';

/** group/kind/namespace/name: what identifies an object in a cluster (the version may change in place). */
export function objectKey(obj: JsonObject): string {
  const id = resIdOf(obj);
  return `${id.group}/${id.kind}/${id.namespace ?? ''}/${id.name}`;
}

export function objectRef(obj: JsonObject): ObjectRef {
  const id = resIdOf(obj);
  return { apiVersion: String(obj.apiVersion ?? ''), kind: id.kind, ...(id.namespace ? { namespace: id.namespace } : {}), name: id.name };
}

function isMap(v: Json | undefined): v is JsonObject {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** A value of `r` at `pointer` as it may be shown: each leaf through redact.ts. */
export function shownValue(r: Resource, pointer: string, v: Json): Json {
  if (Array.isArray(v)) return v.map((x, i) => shownValue(r, `${pointer}/${i}`, x));
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shownValue(r, `${pointer}/${escapeSegment(k)}`, x)]));
  return shownLeaf(r, pointer, v);
}

/** Items of a merge-keyed list by their key (`name=web`), or undefined when some item has no key or two share one. */
function byKey(items: Json[], keys: string[]): Map<string, number> | undefined {
  const out = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isMap(item) || !(keys[0] in item)) return undefined;
    const k = keys.map((key) => `${key}=${item[key] === undefined ? '' : String(item[key])}`).join(',');
    if (out.has(k)) return undefined;
    out.set(k, i);
  }
  return out;
}

/**
 * Walks both objects once. The pointers down to the current node are stacks of segments (strings are made only for
 * what differs): most of an object is unchanged, and building every pointer of it made the diff allocation-bound.
 */
class Differ {
  readonly out: FieldChange[] = [];
  private readonly apiVersion: string;
  private readonly kind: string;
  /** Segments down to the node: in the baseline object, in the working one, as shown (list items by merge key). */
  private readonly aPath: string[] = [];
  private readonly bPath: string[] = [];
  private readonly shownPath: string[] = [];
  /** The field names down to here (no indices), for the merge-key schema. */
  private readonly fields: string[] = [];
  constructor(
    private readonly base: Resource,
    private readonly work: Resource,
  ) {
    this.apiVersion = String(work.obj.apiVersion ?? '');
    this.kind = String(work.obj.kind ?? '');
  }

  private pointer(path: string[], last?: string): string {
    const all = last === undefined ? path : [...path, last];
    return all.length ? '/' + all.join('/') : '';
  }

  private added(shownSeg: string, bSeg: string, v: Json): void {
    const bPtr = this.pointer(this.bPath, bSeg);
    this.out.push({ path: this.pointer(this.shownPath, shownSeg), new: shownValue(this.work, bPtr, v), cause: causeAt(this.work, bPtr) });
  }
  private removed(shownSeg: string, aSeg: string, v: Json): void {
    const aPtr = this.pointer(this.aPath, aSeg);
    this.out.push({ path: this.pointer(this.shownPath, shownSeg), old: shownValue(this.base, aPtr, v), cause: causeAt(this.base, aPtr, true) });
  }
  private replaced(a: Json, b: Json): void {
    const bPtr = this.pointer(this.bPath);
    this.out.push({ path: this.pointer(this.shownPath), old: shownValue(this.base, this.pointer(this.aPath), a), new: shownValue(this.work, bPtr, b), cause: causeAt(this.work, bPtr) });
  }

  /** Compares a child: `field` is pushed for map entries (the merge-key schema follows field names, not indices). */
  private child(a: Json, b: Json, aSeg: string, bSeg: string, shownSeg: string, field?: string): void {
    if (a === b) return;
    this.aPath.push(aSeg);
    this.bPath.push(bSeg);
    this.shownPath.push(shownSeg);
    if (field !== undefined) this.fields.push(field);
    this.diff(a, b);
    if (field !== undefined) this.fields.pop();
    this.aPath.pop();
    this.bPath.pop();
    this.shownPath.pop();
  }

  diff(a: Json, b: Json): void {
    if (a === b) return;
    if (isMap(a) && isMap(b)) {
      for (const k of Object.keys(a)) {
        const seg = escapeSegment(k);
        if (!(k in b)) this.removed(seg, seg, a[k]);
        else this.child(a[k], b[k], seg, seg, seg, k);
      }
      for (const k of Object.keys(b)) if (!(k in a)) this.added(escapeSegment(k), escapeSegment(k), b[k]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) return this.diffList(a, b);
    if (!deepEqual(a, b)) this.replaced(a, b);
  }

  private diffList(a: Json[], b: Json[]): void {
    const strategy = patchStrategy(this.apiVersion, this.kind, this.fields);
    if (strategy.strategy === 'merge' && strategy.keys.length) {
      const ka = byKey(a, strategy.keys);
      const kb = byKey(b, strategy.keys);
      if (ka && kb) {
        for (const [k, i] of ka) {
          const j = kb.get(k);
          const at = `[${escapeSegment(k)}]`;
          if (j === undefined) this.removed(at, String(i), a[i]);
          else this.child(a[i], b[j], String(i), String(j), at);
        }
        for (const [k, j] of kb) if (!ka.has(k)) this.added(`[${escapeSegment(k)}]`, String(j), b[j]);
        return;
      }
    }
    if (strategy.strategy === 'merge' && !strategy.keys.length) {
      // A set of scalars (finalizers): the order does not matter.
      const sa = new Set(a.map((x) => JSON.stringify(x)));
      const sb = new Set(b.map((x) => JSON.stringify(x)));
      if (sa.size === sb.size && [...sa].every((x) => sb.has(x))) return;
    }
    if (a.length === b.length) {
      for (let i = 0; i < a.length; i++) this.child(a[i], b[i], String(i), String(i), String(i));
      return;
    }
    this.replaced(a, b);
  }
}

/** Every field that differs from `base` to `work` (the same object), with old and new values and their causes. */
export function diffObject(base: Resource, work: Resource): FieldChange[] {
  const d = new Differ(base, work);
  d.diff(base.obj, work.obj);
  return d.out;
}
