// The kustomize layer's data model: resources as plain JSON-like values, with provenance per leaf.
import type { Span } from '../text';
import type { Layer } from '../layer';

/** Where a value came from: the file and span that wrote it, and the layer (which kustomize step). */
export interface Provenance {
  file: string;
  span?: Span;
  /** The step that wrote it (core/layer.ts: data; layerLabel shows it). */
  layer: Layer;
  /** The kustomization file whose step this was. */
  kustomization?: string;
  /**
   * The value came from a Secret, a SOPS-encrypted document or a substitution of one: never shown (core/redact.ts
   * masks it in every output).
   */
  secret?: boolean;
  /** A secret write's value as it may be shown: the secret parts masked (`postgres://app:••••@db`). */
  masked?: string;
  /**
   * A namePrefix/nameSuffix write of `metadata/name`: what it added. kustomize records these per object (innermost
   * first) to tell apart objects renamed from one name: a reference prefers the one renamed like its referrer.
   */
  affix?: { prefix: string; suffix: string };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * Provenance of the leaves of one resource, keyed by JSON pointer (RFC 6901: `/spec/template/spec/containers/0/image`).
 * Each key holds the stack of writes, oldest first: the last one is the effective value's origin, the earlier ones
 * are what it overrode. Keys always describe the resource's *current* shape: operations that move list items or
 * drop subtrees re-key or delete the affected entries (see provenance.ts).
 */
export type ProvenanceMap = Map<string, Array<Provenance & { value: Json }>>;

/**
 * A subtree a patch deleted (a JSON 6902 `remove`, the source of a `move`, the old value a `replace`/`add` of a
 * parent overwrote; a strategic-merge `key: null` or `$patch: delete`): the operation's provenance, the value that
 * was removed, and the provenance stacks its leaves had (keys relative to the removed pointer). Leaves a later
 * layer sets again are no longer removed (see provenance.ts liveRemovedLeaves).
 */
export type Removal = Provenance & { value: Json; prov: ProvenanceMap };

export interface Resource {
  obj: JsonObject;
  prov: ProvenanceMap;
  /** Where the resource was first defined (a file's document, or a generator entry). */
  origin: Provenance;
  /**
   * Subtrees patches removed, by the JSON pointer they had when removed (what lock checks need to tell a deleted
   * locked field). Copy-on-write like `prov`: writers replace the map's entries, never mutate them.
   */
  removed?: Map<string, Removal>;
}

/** kustomize's resource identity: group/version/kind + namespace + name. */
export interface ResId {
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A problem the build met, reported as a finding by the caller. */
export interface BuildIssue {
  file: string;
  span?: Span;
  severity: 'error' | 'warning' | 'information';
  code: 'unsupported-kustomize-feature' | 'kustomize-build-error' | 'limit-exceeded';
  message: string;
  related?: Array<{ file: string; span?: Span; message: string }>;
}

/**
 * Sets `key` of `o` as an own property, as JSON.parse, structuredClone and the YAML reading make it: a `__proto__` key
 * is defined (an assignment would set the object's prototype instead), any other assigned (defining every key gave
 * objects hidden classes of their own).
 */
export function setOwnKey(o: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

/**
 * A shallow copy of `o`, its keys set one by one in order (setOwnKey). Not a spread: V8 (Node 20) gives the copy a
 * spread makes at a site that has seen many shapes a hidden class outside the transition tree, and then one of its
 * own to each such copy that gains a key (a namespace, a `checked` stamp): every read of it later missed the inline
 * caches, and optimized code that met it was thrown away (a "wrong map" deoptimization) and compiled again.
 */
export function copyOwnKeys(o: JsonObject): JsonObject {
  const keys = Object.keys(o);
  if (!keys.length || keys[0] === '__proto__') {
    const out: JsonObject = {};
    for (const k of keys) setOwnKey(out, k, o[k]);
    return out;
  }
  // The first key in a literal (a computed key: the hidden class is `{}`'s given that key): V8 pretenures a literal's
  // allocation site once its objects survive, and `{}` has none. The copies builds keep (a base's objects and
  // metadata maps its namespace transformer owns) were all young, copied by scavenges (test/unit/pretenuredKept.test.ts).
  const first = keys[0];
  const out: JsonObject = { [first]: o[first] };
  for (let i = 1; i < keys.length; i++) setOwnKey(out, keys[i], o[keys[i]]);
  return out;
}

/** A JSON object (not null, not an array). */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
