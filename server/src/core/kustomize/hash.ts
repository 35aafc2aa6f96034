// kustomize's name-suffix hash for generated ConfigMaps and Secrets (api/hasher/hasher.go, kustomize v5.5.0).
//
// The algorithm, as kustomize v5 runs it:
//   1. Encode the object as JSON with Go's encoding/json (map keys sorted byte-wise, `<` `>` `&` U+2028 U+2029
//      escaped as \u003c \u003e \u0026 \u2028 \u2029, no whitespace), from these fields only:
//        ConfigMap: {"binaryData"?: …, "data": …, "kind": "ConfigMap", "name": ""}
//        Secret:    {"data": …, "kind": "Secret", "name": "", "stringData"?: …, "type": …}
//      A missing `data` or `type` encodes as "" (not null). `binaryData`/`stringData` appear only when they are
//      maps. `name` is always "": kustomize looks the name up with the single path segment "metadata/name",
//      which never exists, so neither the name nor its prefix/suffix feeds the hash. Labels, annotations,
//      namespace and `immutable` do not either.
//   2. sha256 of those bytes, hex, first 10 characters.
//   3. Substitute 0→g 1→h 3→k a→m e→t (kubectl's "no vowels, no look-alike digits" encoding).
// Checked against `kubectl kustomize` (v5.5.0) on the cases in test/unit/kustomize/generators.test.ts.
import { createHash } from 'node:crypto';
import { isJsonObject, type Json, type JsonObject, type Provenance, type Resource } from './types';
import { escapeSegment, provenanceWrite } from './provenance';
import { stepLayer } from '../layer';
import { apiGroupOf, apiVersionOf } from '../kube/apiVersion';

/** Build annotation kustomize's generators put on objects that get the hash suffix (removed before output). */
export const NEEDS_HASH_ANNOTATION = 'internal.config.kubernetes.io/needsHashSuffix';
/** Prefix of kustomize's internal build annotations; none of them reaches the output. */
export const BUILD_ANNOTATION_PREFIX = 'internal.config.kubernetes.io/';

/** Code-point order, which is Go's byte-wise order of UTF-8 strings (JS `<` compares UTF-16 units). */
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (an astral code point) sorts after every BMP character above it in UTF-16.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function goString(s: string): string {
  // JSON.stringify already escapes like Go ≥ 1.22 (\b \f \n \r \t, \u00XX for other controls); Go additionally
  // escapes HTML characters and the JS line separators, and writes invalid UTF-16 (lone surrogates) as U+FFFD.
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]|\\ud[89a-f][0-9a-f]{2}/g, (c) =>
    c.length > 1 ? '\\ufffd' : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** Go's json.Marshal of a decoded JSON value: object keys sorted, HTML-safe strings, compact. */
export function goJsonMarshal(value: Json | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return '[' + value.map((v) => goJsonMarshal(v)).join(',') + ']';
  const keys = Object.keys(value).sort(compareGoStrings);
  return '{' + keys.map((k) => goString(k) + ':' + goJsonMarshal(value[k])).join(',') + '}';
}

const isMap = isJsonObject;

/** kustomize reads each hashed field as its YAML node: a map stays a map, a scalar becomes its string form,
 *  a missing field becomes "". */
function fieldValue(v: Json | undefined): Json {
  if (v === undefined) return '';
  if (v === null) return ''; // `data:` with no value reads as the empty scalar
  if (typeof v === 'object') return v; // maps (and, oddly, lists) are marshalled through JSON
  return String(v);
}

/** The exact bytes (as a string) kustomize v5 hashes for a ConfigMap or Secret; undefined for other kinds. */
export function hashInput(obj: JsonObject): string | undefined {
  const kind = obj.kind;
  if (kind === 'ConfigMap') {
    const m: JsonObject = { kind: 'ConfigMap', name: '', data: fieldValue(obj.data) };
    if (isMap(obj.binaryData)) m.binaryData = obj.binaryData;
    return goJsonMarshal(m);
  }
  if (kind === 'Secret') {
    const m: JsonObject = { kind: 'Secret', type: fieldValue(obj.type), name: '', data: fieldValue(obj.data) };
    if (isMap(obj.stringData)) m.stringData = obj.stringData;
    return goJsonMarshal(m);
  }
  return undefined;
}

/** kubectl's encoding of a sha256 hex digest into a name suffix: 10 characters, no vowels or 0/1/3. */
export function encodeHashSuffix(hex: string): string {
  const sub: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex
    .slice(0, 10)
    .split('')
    .map((c) => sub[c] ?? c)
    .join('');
}

/** The 10-character suffix kustomize appends to a ConfigMap's or Secret's name; undefined for other kinds
 *  (kustomize hashes those through Go's yaml.Node struct, line numbers included, which cannot be reproduced). */
export function kustomizeHash(obj: JsonObject): string | undefined {
  const input = hashInput(obj);
  if (input === undefined) return undefined;
  return encodeHashSuffix(createHash('sha256').update(input, 'utf8').digest('hex'));
}

function annotationsOf(obj: JsonObject): JsonObject | undefined {
  const meta = obj.metadata;
  if (!isMap(meta)) return undefined;
  return isMap(meta.annotations) ? meta.annotations : undefined;
}

/** Whether the hash transformer renames this object: a generator left its build annotation on it (no
 *  `disableNameSuffixHash`). A plain resource's `kustomize.config.k8s.io/needs-hash: "true"` annotation is
 *  ignored by kustomize v5.5.0 (checked with kubectl); only plugin/function generators' output honours it. */
export function needsNameSuffixHash(obj: JsonObject): boolean {
  const a = annotationsOf(obj);
  return a !== undefined && a[NEEDS_HASH_ANNOTATION] !== undefined;
}

/** Marks (or unmarks) an object for the hash suffix, the way kustomize's generators do. */
export function setNeedsNameSuffixHash(obj: JsonObject, needs: boolean): void {
  let meta = obj.metadata;
  if (!isMap(meta)) {
    if (!needs) return;
    meta = obj.metadata = {};
  }
  let a = meta.annotations;
  if (!isMap(a)) {
    if (!needs) return;
    a = meta.annotations = {};
  }
  if (needs) a[NEEDS_HASH_ANNOTATION] = 'enabled';
  else {
    delete a[NEEDS_HASH_ANNOTATION];
    if (Object.keys(a).length === 0) delete meta.annotations;
  }
}

/** Removes kustomize's internal build annotations (and an annotations map left empty), as kustomize does just
 *  before printing. Call once on every resource of the final output. */
/** Whether removeBuildAnnotations changes the resource (build annotations, or an empty annotations map, to remove). */
export function hasBuildAnnotations(resource: Resource): boolean {
  const meta = resource.obj.metadata;
  if (!isMap(meta) || !isMap(meta.annotations)) return false;
  const keys = Object.keys(meta.annotations);
  return keys.length === 0 || keys.some((k) => k.startsWith(BUILD_ANNOTATION_PREFIX));
}

export function removeBuildAnnotations(resource: Resource): void {
  const meta = resource.obj.metadata;
  if (!isMap(meta) || !isMap(meta.annotations)) return;
  const a = meta.annotations;
  for (const k of Object.keys(a)) {
    if (k.startsWith(BUILD_ANNOTATION_PREFIX)) {
      delete a[k];
      resource.prov.delete('/metadata/annotations/' + escapeSegment(k));
    }
  }
  if (Object.keys(a).length === 0) {
    delete meta.annotations;
    resource.prov.delete('/metadata/annotations');
  }
}

export interface HashRename {
  kind: string;
  group: string;
  version: string;
  oldName: string;
  newName: string;
  namespace?: string;
  provenance: Provenance;
}

/**
 * kustomize's HashTransformer for one resource: when the object needs the suffix (see needsNameSuffixHash),
 * appends `-<hash>` to metadata.name, records the write (layer 'hash', `why` as file/span/kustomization, the
 * object's origin by default) and returns the rename for updateNameReferences; otherwise returns undefined.
 *
 * Where it belongs in the pipeline: once, in the top-level (root) kustomization only, after the whole
 * accumulation has finished — every resource and base loaded, every generator run and merged
 * (behavior: merge/replace), and every transformer of every level applied (namespace, namePrefix/nameSuffix,
 * labels, annotations, patches, images, replicas, replacements …). Then, in this order: the name reference fix
 * (updateNameReferences with the renames of this call plus those of prefixes/suffixes/namespaces), vars, and
 * finally removeBuildAnnotations before output. Bases built as part of an overlay are never hashed on their own;
 * Flux's postBuild substitution runs after the whole build and never changes a hash.
 */
export function applyNameSuffixHash(resource: Resource, why?: Provenance): HashRename | undefined {
  const obj = resource.obj;
  if (!needsNameSuffixHash(obj)) return undefined;
  const hash = kustomizeHash(obj);
  if (hash === undefined) return undefined;
  const meta = isMap(obj.metadata) ? obj.metadata : (obj.metadata = {});
  const oldName = typeof meta.name === 'string' ? meta.name : '';
  const newName = `${oldName}-${hash}`;
  meta.name = newName;
  const base = why ?? resource.origin;
  const provenance: Provenance = { file: base.file, span: base.span, kustomization: base.kustomization, layer: stepLayer('hash') };
  resource.prov.set('/metadata/name', [...(resource.prov.get('/metadata/name') ?? []), provenanceWrite(provenance, newName)]);
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  return {
    kind: String(obj.kind ?? ''),
    group: apiGroupOf(apiVersion),
    version: apiVersionOf(apiVersion),
    oldName,
    newName,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    provenance,
  };
}
