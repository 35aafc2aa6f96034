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

class Differ {
  readonly out: FieldChange[] = [];
  private readonly apiVersion: string;
  private readonly kind: string;
  constructor(
    private readonly base: Resource,
    private readonly work: Resource,
  ) {
    this.apiVersion = String(work.obj.apiVersion ?? '');
    this.kind = String(work.obj.kind ?? '');
  }

  added(shown: string, bPtr: string, v: Json): void {
    this.out.push({ path: shown, new: shownValue(this.work, bPtr, v), cause: causeAt(this.work, bPtr) });
  }
  removed(shown: string, aPtr: string, v: Json): void {
    this.out.push({ path: shown, old: shownValue(this.base, aPtr, v), cause: causeAt(this.base, aPtr, true) });
  }
  replaced(shown: string, aPtr: string, bPtr: string, a: Json, b: Json): void {
    this.out.push({ path: shown, old: shownValue(this.base, aPtr, a), new: shownValue(this.work, bPtr, b), cause: causeAt(this.work, bPtr) });
  }

  /** `fields`: the field names down to here (no indices), for the merge-key schema. */
  diff(a: Json, b: Json, aPtr: string, bPtr: string, shown: string, fields: string[]): void {
    if (deepEqual(a, b)) return;
    if (isMap(a) && isMap(b)) {
      for (const [k, av] of Object.entries(a)) {
        const seg = escapeSegment(k);
        if (!(k in b)) this.removed(`${shown}/${seg}`, `${aPtr}/${seg}`, av);
        else this.diff(av, b[k], `${aPtr}/${seg}`, `${bPtr}/${seg}`, `${shown}/${seg}`, [...fields, k]);
      }
      for (const [k, bv] of Object.entries(b)) if (!(k in a)) this.added(`${shown}/${escapeSegment(k)}`, `${bPtr}/${escapeSegment(k)}`, bv);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) return this.diffList(a, b, aPtr, bPtr, shown, fields);
    this.replaced(shown, aPtr, bPtr, a, b);
  }

  private diffList(a: Json[], b: Json[], aPtr: string, bPtr: string, shown: string, fields: string[]): void {
    const strategy = patchStrategy(this.apiVersion, this.kind, fields);
    if (strategy.strategy === 'merge' && strategy.keys.length) {
      const ka = byKey(a, strategy.keys);
      const kb = byKey(b, strategy.keys);
      if (ka && kb) {
        for (const [k, i] of ka) {
          const j = kb.get(k);
          const at = `${shown}/[${escapeSegment(k)}]`;
          if (j === undefined) this.removed(at, `${aPtr}/${i}`, a[i]);
          else this.diff(a[i], b[j], `${aPtr}/${i}`, `${bPtr}/${j}`, at, fields);
        }
        for (const [k, j] of kb) if (!ka.has(k)) this.added(`${shown}/[${escapeSegment(k)}]`, `${bPtr}/${j}`, b[j]);
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
      for (let i = 0; i < a.length; i++) this.diff(a[i], b[i], `${aPtr}/${i}`, `${bPtr}/${i}`, `${shown}/${i}`, fields);
      return;
    }
    this.replaced(shown, aPtr, bPtr, a, b);
  }
}

/** Every field that differs from `base` to `work` (the same object), with old and new values and their causes. */
export function diffObject(base: Resource, work: Resource): FieldChange[] {
  const d = new Differ(base, work);
  d.diff(base.obj, work.obj, '', '', '', []);
  return d.out;
}
