// kustomize's configMapGenerator and secretGenerator (kustomize v5.5.0, as `kubectl kustomize` runs them), with the
// provenance of every value, and the create/merge/replace merge onto an inherited generated object.
//
// Usage, per kustomization (after its resources and bases are accumulated, before its transformers):
//   for each entry of configMapGenerator / secretGenerator:
//     const { resource, issues } = generate(kind, entry, kustomizationFile, kustomization.generatorOptions, readFile, spanOf);
//     const existing = <the accumulated resource whose current or any previous id equals (v1, kind, name, namespace)
//                       — namespaces compared with "" meaning "default">;
//     const merged = applyGeneratorBehavior(existing, resource, entry.behavior);   // replaces `existing` in place
// The name-suffix hash is NOT added here: generated objects carry kustomize's build annotation
// (NEEDS_HASH_ANNOTATION) and the root build calls applyNameSuffixHash (hash.ts) once, late — see there.
//
// Behaviour checked against kubectl kustomize (see test/unit/kustomize/generators.test.ts):
//   - data sources load in the order env files (`envs`, then the deprecated `env`), literals, files; a key seen
//     twice is an error; keys are not validated (kubectl's validator accepts `a b`, `a/b`, `1a`).
//   - literals: `key=value`, split at the first `=`; a value wrapped in matching '…' or "…" loses them; no `=` or a
//     leading `=` is an error; `k=` is the empty value.
//   - files: `path` (key = base name) or `key=path`; `=path`, `key=`, and a second `=` are errors; the file must be
//     a file in or below the kustomization's folder. Valid UTF-8 → data (ConfigMap) ; otherwise binaryData
//     (base64). Secret: every value is base64 of the raw bytes.
//   - env files: lines split on \n (a trailing \r dropped), a UTF-8 BOM dropped from the first line, leading
//     whitespace trimmed, blank lines and lines starting with # skipped; `key=value` split at the first `=` with
//     nothing else trimmed or unquoted (`B = 2 ` is key "B " value " 2 ", `export X=1` is key "export X"); a line
//     without `=` is the key with the empty value (no environment lookup in v5.5.0); an empty key is skipped;
//     invalid UTF-8 is an error.
//   - options merge onto generatorOptions: local labels/annotations win per key; disableNameSuffixHash and
//     immutable are true when either says so.
//   - ConfigMap without data has no `data`; a Secret always has `data` (maybe {}), `type` defaults to Opaque.
import { posix as path } from 'node:path';
import type { Span } from '../text';
import { NEEDS_HASH_ANNOTATION, compareGoStrings } from './hash';
import { isJsonObject, type BuildIssue, type Json, type JsonObject, type Provenance, type ProvenanceMap, type Resource } from './types';
import { appended, escapeSegment, internPointer, provenanceWrite } from './provenance';
import { CompactProvenance } from './compactProvenance';
import { stepLayer } from '../layer';
import { MASK } from '../redact';

export { applyNameSuffixHash, kustomizeHash, removeBuildAnnotations, needsNameSuffixHash } from './hash';

export type GeneratorKind = 'ConfigMap' | 'Secret';

/** `generatorOptions:` of a kustomization, or `options:` of one generator entry. */
export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

/** One entry of `configMapGenerator:` / `secretGenerator:` as parsed from YAML. Unknown fields are ignored. */
export interface GeneratorSpec {
  name?: string;
  namespace?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  /** Deprecated single env file; kustomize appends it to `envs`. */
  env?: string;
  /** Secrets only; default Opaque. */
  type?: string;
  options?: GeneratorOptions;
}

/** Reads a file by absolute POSIX path. Return bytes (e.g. a Buffer) for exact binary content; a string is taken
 *  as the file's UTF-8 text (binary files read as text lose their bytes: reported as a warning). */
export type ReadFile = (path: string) => string | Uint8Array | undefined;

/** A generator input the reader did not read: larger than the bound every input has (a 40 MB values file would cost
 *  a minute and gigabytes on every build). Empty, so code that does not know it reads nothing. */
export class FileTooLarge extends Uint8Array {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(0);
  }
}

/**
 * A place in the kustomization file that the generator read, for provenance. The caller maps it to a span of its
 * parsed kustomization (any may return undefined):
 *   entry                  — the whole generator list item (origin of the object, apiVersion, kind)
 *   name | namespace | type | behavior — that field of the item
 *   literals/files/envs + index — one list item; env — the deprecated single `env:`
 *   options / generatorOptions + field (+ key) — the item's `options:` or the kustomization's `generatorOptions:`
 */
export type GeneratorField =
  | { in: 'entry' | 'name' | 'namespace' | 'type' | 'behavior' | 'env' }
  | { in: 'literals' | 'files' | 'envs'; index: number }
  | { in: 'options' | 'generatorOptions'; field: 'labels' | 'annotations'; key: string }
  | { in: 'options' | 'generatorOptions'; field: 'disableNameSuffixHash' | 'immutable' };

export type SpanOf = (field: GeneratorField) => Span | undefined;

export interface GenerateResult {
  /** The generated object, or undefined when kustomize could not make one (no name). When `issues` holds errors,
   *  kustomize fails the whole build; the resource is then a best effort without the failing sources. */
  resource?: Resource;
  issues: BuildIssue[];
}

const isMap = isJsonObject;

/** RFC 6901 pointer from raw segments. */
export function pointer(...segments: string[]): string {
  return segments.map((s) => '/' + escapeSegment(s)).join('');
}

/** `ptr` interned (internPointer), or a literal (interned already: no object made to intern it again). */
function setProv(prov: ProvenanceMap, ptr: string, p: Provenance, value: Json): void {
  const stack = prov.get(ptr);
  const write = provenanceWrite(p, value);
  prov.set(ptr, stack ? appended(stack, write) : [write]);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Base64 as kustomize encodes generated data: an encoding of 70 characters or more is cut into lines of 70,
 *  each ending in a newline (this changes the hash too). */
function base64(content: string | Uint8Array): string {
  const encoded = (typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength)).toString('base64');
  const LINE = 70;
  if (encoded.length < LINE) return encoded;
  let out = '';
  for (let i = 0; i < encoded.length; i += LINE) out += encoded.slice(i, i + LINE) + '\n';
  return out;
}

/** kustomize's removeQuotes: only a value wrapped on both ends by the same quote character loses them. */
function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s; // a lone quote stays (checked with kubectl)
  if (s[0] === '"' || s[0] === "'") return s.slice(1, -1);
  return s;
}

/** Whether go-yaml v3 reads this text, as a plain scalar, as something other than a string (null, bool, int,
 *  float, timestamp, merge key). kustomize's generators write map keys as plain scalars and re-read them, so such
 *  a key makes `kubectl kustomize` fail (json: unsupported type: map[interface {}]interface {}). */
export function yamlReadsAsNonString(s: string): boolean {
  if (/^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|<<)$/.test(s)) return true;
  if (/^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(s)) return true;
  if (!/^[-+0-9.]/.test(s)) return false;
  if (/^\d{4}-\d\d?-\d\d?(([Tt]|[ \t]+)\d\d?:\d\d:\d\d(\.\d*)?([ \t]*(Z|[-+]\d\d?(:\d\d)?))?)?$/.test(s)) return true;
  const plain = s.replace(/_/g, '');
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.test(plain)) return true;
  return /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain);
}

/** Characters go-yaml refuses to read back (DEL, C1 controls but NEL, U+FFFE/U+FFFF): kustomize fails with
 *  "yaml: control characters are not allowed" when a generated text value holds one (checked with kubectl). */
export function hasYamlForbiddenChar(s: string): boolean {
  return /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/.test(s);
}

interface EnvLine {
  key: string;
  value: string;
  span: Span;
}

/** kustomize's env-file reader (api/kv keyValuesFromLines). Returns an error message for invalid UTF-8. */
export function parseEnvFile(text: string): { pairs: EnvLine[]; error?: string } {
  const pairs: EnvLine[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    let lineEnd = end;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    let s = start;
    if (lineNo === 0 && text.charCodeAt(s) === 0xfeff) s++;
    const raw = text.slice(s, lineEnd);
    // A lone surrogate cannot come from valid UTF-8 (bytes that are not UTF-8 are rejected before parsing).
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(raw)) {
      return { pairs, error: `line ${lineNo + 1} has invalid utf8 bytes` };
    }
    // Go's unicode.IsSpace: \t \n \v \f \r, space, U+0085, U+00A0 and the Unicode White_Space set.
    const trimmed = raw.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '');
    lineNo++;
    start = next;
    if (trimmed.length === 0 || trimmed[0] === '#') continue;
    const eq = trimmed.indexOf('=');
    const key = eq < 0 ? trimmed : trimmed.slice(0, eq);
    const value = eq < 0 ? '' : trimmed.slice(eq + 1);
    if (key.length === 0) continue;
    pairs.push({ key, value, span: { start: s + (raw.length - trimmed.length), end: lineEnd } });
  }
  return { pairs };
}

/** MergeGlobalOptionsIntoLocal: local labels/annotations win per key; the booleans are or-ed. */
function mergeOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined) {
  const labels = new Map<string, { value: unknown; from: 'options' | 'generatorOptions' }>();
  const annotations = new Map<string, { value: unknown; from: 'options' | 'generatorOptions' }>();
  for (const [target, field] of [
    [labels, 'labels'],
    [annotations, 'annotations'],
  ] as const) {
    const l = isMap(local?.[field]) ? (local![field] as Record<string, unknown>) : undefined;
    const g = isMap(global?.[field]) ? (global![field] as Record<string, unknown>) : undefined;
    for (const [k, v] of Object.entries(l ?? {})) target.set(k, { value: v, from: 'options' });
    for (const [k, v] of Object.entries(g ?? {})) if (!target.has(k)) target.set(k, { value: v, from: 'generatorOptions' });
  }
  const flag = (f: 'disableNameSuffixHash' | 'immutable') =>
    global?.[f] === true ? ('generatorOptions' as const) : local?.[f] === true ? ('options' as const) : undefined;
  return { labels, annotations, disableNameSuffixHash: flag('disableNameSuffixHash'), immutable: flag('immutable') };
}

/**
 * Generates one ConfigMap or Secret the way kustomize's generator does. Relative paths (files, envs) are
 * resolved against the kustomization file's folder and must stay in or below it. Provenance (layer
 * 'configMapGenerator' | 'secretGenerator', `kustomization` = kustomizationFile) of each leaf:
 *   data/binaryData keys — a literal: the kustomization, span of the literal; a file: that file (no span);
 *                          an env file: that file, span of the `key=value` line
 *   metadata.name / namespace, type — the entry's field; labels/annotations/immutable — the options or
 *   generatorOptions entry that set them; apiVersion, kind, Secret's default type — the entry.
 * The object carries NEEDS_HASH_ANNOTATION unless the hash is disabled; its provenance is not recorded.
 */
export function generate(
  kind: GeneratorKind,
  spec: GeneratorSpec,
  kustomizationFile: string,
  generatorOptions: GeneratorOptions | undefined,
  readFile: ReadFile,
  spanOf: SpanOf = () => undefined,
): GenerateResult {
  const issues: BuildIssue[] = [];
  const layer = stepLayer(kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator');
  const at = (field: GeneratorField): Provenance => ({ file: kustomizationFile, span: spanOf(field), layer, kustomization: kustomizationFile });
  const inFile = (file: string, span?: Span): Provenance => ({ file, span, layer, kustomization: kustomizationFile });
  const fail = (field: GeneratorField, message: string, severity: BuildIssue['severity'] = 'error') =>
    issues.push({ file: kustomizationFile, span: spanOf(field) ?? spanOf({ in: 'entry' }), severity, code: 'kustomize-build-error', message });

  const name = typeof spec.name === 'string' ? spec.name : '';
  if (name === '') {
    fail({ in: 'entry' }, `a ${kind === 'ConfigMap' ? 'configmap' : 'secret'} must have a name`);
    return { issues };
  }
  const root = path.dirname(kustomizationFile);
  const entry = at({ in: 'entry' });

  // Data pairs in kustomize's loading order: env files, literals, files.
  interface Pair {
    key: string;
    text?: string; // valid UTF-8 text
    bytes?: Uint8Array; // non-UTF-8 content (files only)
    prov: Provenance;
    field: GeneratorField;
  }
  const pairs: Pair[] = [];

  const load = (rel: string, field: GeneratorField): { text?: string; bytes?: Uint8Array } | undefined => {
    const abs = path.resolve(root, rel);
    if (abs !== root && !abs.startsWith(root.endsWith('/') ? root : root + '/')) {
      fail(field, `security; file '${abs}' is not in or below '${root}'`);
      return undefined;
    }
    const content = readFile(abs);
    if (content instanceof FileTooLarge) {
      // Reported as this tool's limit; the key stays (empty), so nothing downstream reports it missing.
      issues.push({ file: kustomizationFile, span: spanOf(field) ?? spanOf({ in: 'entry' }), severity: 'warning', code: 'limit-exceeded', message: `limit exceeded: '${rel}' is ${content.size} bytes, more than the ${content.limit} bytes read of a generator input; its content is not read` });
      return { text: '' };
    }
    if (content === undefined) {
      fail(field, `file '${abs}' not found (or not a file)`);
      return undefined;
    }
    if (typeof content === 'string') {
      if (content.includes('\ufffd')) {
        fail(field, `'${abs}' was read as text and may hold binary data; its bytes cannot be reproduced exactly`, 'warning');
      }
      return { text: content };
    }
    const text = decodeUtf8(content);
    return text === undefined ? { bytes: content } : { text };
  };

  const envFiles: Array<{ rel: unknown; field: GeneratorField }> = [];
  (Array.isArray(spec.envs) ? spec.envs : []).forEach((rel, index) => envFiles.push({ rel, field: { in: 'envs', index } }));
  if (typeof spec.env === 'string' && spec.env !== '') envFiles.push({ rel: spec.env, field: { in: 'env' } });
  for (const { rel, field } of envFiles) {
    if (typeof rel !== 'string') continue;
    const content = load(rel, field);
    if (!content) continue;
    if (content.text === undefined) {
      fail(field, `env file '${rel}' has invalid utf8 bytes`);
      continue;
    }
    const parsed = parseEnvFile(content.text);
    if (parsed.error) fail(field, `env file '${rel}': ${parsed.error}`);
    const file = path.resolve(root, rel);
    for (const p of parsed.pairs) pairs.push({ key: p.key, text: p.value, prov: inFile(file, p.span), field });
  }

  (Array.isArray(spec.literals) ? spec.literals : []).forEach((lit, index) => {
    const field: GeneratorField = { in: 'literals', index };
    const s = typeof lit === 'string' ? lit : String(lit);
    const eq = s.indexOf('=');
    if (eq <= 0) {
      fail(field, `invalid literal source ${kind === 'Secret' ? MASK : s}, expected key=value`); // a Secret's literal is never shown (redact.ts)
      return;
    }
    pairs.push({ key: s.slice(0, eq), text: removeQuotes(s.slice(eq + 1)), prov: at(field), field });
  });

  (Array.isArray(spec.files) ? spec.files : []).forEach((src, index) => {
    const field: GeneratorField = { in: 'files', index };
    const s = typeof src === 'string' ? src : String(src);
    const eq = s.indexOf('=');
    let key: string;
    let rel: string;
    if (eq < 0) {
      rel = s;
      key = path.basename(s);
    } else if (eq === 0) {
      fail(field, `missing key name for file path "${s.slice(1)}" in source "${s}"`);
      return;
    } else {
      key = s.slice(0, eq);
      rel = s.slice(eq + 1);
      if (rel.includes('=')) {
        fail(field, `source "${s}" key name or file path contains '='`);
        return;
      }
      if (rel === '') {
        fail(field, `missing file path for key name "${key}" in source "${s}"`);
        return;
      }
    }
    if (/^https?:\/\//.test(rel)) {
      issues.push({ file: kustomizationFile, span: spanOf(field), severity: 'warning', code: 'unsupported-kustomize-feature', message: `remote file source ${rel} is not fetched` });
      return;
    }
    const content = load(rel, field);
    if (!content) return;
    pairs.push({ key, text: content.text, bytes: content.bytes, prov: inFile(path.resolve(root, rel)), field });
  });

  const seen = new Map<string, Pair>();
  for (const p of pairs) {
    if (seen.has(p.key)) {
      fail(p.field, `configmap ${name} illegally repeats the key \`${p.key}\``);
      continue;
    }
    seen.set(p.key, p);
  }
  const keys = [...seen.keys()].sort(compareGoStrings);
  for (const k of keys) {
    const p = seen.get(k)!;
    if (yamlReadsAsNonString(k)) fail(p.field, `data key ${JSON.stringify(k)} reads as a non-string in YAML; kustomize cannot marshal it (json: unsupported type: map[interface {}]interface {})`);
    if (kind === 'ConfigMap' && p.text !== undefined && (hasYamlForbiddenChar(p.text) || hasYamlForbiddenChar(k))) fail(p.field, `data ${JSON.stringify(k)}: yaml: control characters are not allowed`);
  }

  const obj: JsonObject = { apiVersion: 'v1', kind };
  const prov = new CompactProvenance();
  setProv(prov, '/apiVersion', entry, 'v1');
  setProv(prov, '/kind', entry, kind);
  const metadata: JsonObject = { name };
  obj.metadata = metadata;
  setProv(prov, '/metadata/name', at({ in: 'name' }), name);
  if (typeof spec.namespace === 'string' && spec.namespace !== '') {
    metadata.namespace = spec.namespace;
    setProv(prov, '/metadata/namespace', at({ in: 'namespace' }), spec.namespace);
  }

  const opts = mergeOptions(spec.options, generatorOptions);
  for (const [field, entries] of [
    ['labels', opts.labels],
    ['annotations', opts.annotations],
  ] as const) {
    const sorted = [...entries.keys()].sort(compareGoStrings);
    for (const k of sorted) {
      const { value, from } = entries.get(k)!;
      const f: GeneratorField = { in: from, field, key: k };
      if (typeof value !== 'string') {
        fail(f, `${from}.${field}.${k}: cannot unmarshal ${value === null ? 'null' : typeof value} into a string`);
        continue;
      }
      if (yamlReadsAsNonString(k)) fail(f, `${field} key ${JSON.stringify(k)} reads as a non-string in YAML; kustomize cannot marshal it (json: unsupported type: map[interface {}]interface {})`);
      if (hasYamlForbiddenChar(k) || hasYamlForbiddenChar(value)) fail(f, `${field} ${JSON.stringify(k)}: yaml: control characters are not allowed`);
      const m = isMap(metadata[field]) ? (metadata[field] as JsonObject) : (metadata[field] = {});
      m[k] = value;
      setProv(prov, internPointer(pointer('metadata', field, k)), at(f), value);
    }
  }
  if (!opts.disableNameSuffixHash) {
    const a = isMap(metadata.annotations) ? metadata.annotations : (metadata.annotations = {});
    a[NEEDS_HASH_ANNOTATION] = 'enabled';
  }

  if (kind === 'Secret') {
    const type = typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'Opaque';
    obj.type = type;
    setProv(prov, '/type', type === spec.type ? at({ in: 'type' }) : entry, type);
    const data: JsonObject = {};
    for (const k of keys) {
      const p = seen.get(k)!;
      const v = base64(p.bytes ?? p.text ?? '');
      data[k] = v;
      setProv(prov, internPointer(pointer('data', k)), p.prov, v);
    }
    obj.data = data;
    if (keys.length === 0) setProv(prov, '/data', entry, {});
  } else {
    const data: JsonObject = {};
    const binaryData: JsonObject = {};
    for (const k of keys) {
      const p = seen.get(k)!;
      if (p.bytes) {
        const v = base64(p.bytes);
        binaryData[k] = v;
        setProv(prov, internPointer(pointer('binaryData', k)), p.prov, v);
      } else {
        data[k] = p.text ?? '';
        setProv(prov, internPointer(pointer('data', k)), p.prov, p.text ?? '');
      }
    }
    if (Object.keys(data).length > 0) obj.data = data;
    if (Object.keys(binaryData).length > 0) obj.binaryData = binaryData;
  }
  if (opts.immutable) {
    obj.immutable = true;
    setProv(prov, '/immutable', at({ in: opts.immutable, field: 'immutable' }), true);
  }
  return { resource: { obj, prov: prov.trimmed(), origin: entry }, issues };
}

export type GeneratorBehavior = 'create' | 'merge' | 'replace';

/** kustomize's NewGenerationBehavior: anything but merge/replace means create. */
export function generatorBehavior(s: unknown): GeneratorBehavior {
  return s === 'merge' || s === 'replace' ? s : 'create';
}

export interface BehaviorResult {
  /** The resource to keep: `generated` for create, the merged object for merge/replace (it takes the place of
   *  `existing` in the resource list). Undefined on error. */
  resource?: Resource;
  issues: BuildIssue[];
}

function cloneJson<T extends Json>(v: T): T {
  return structuredClone(v);
}

function stringMap(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (x === null || x === undefined) out[k] = '';
    else out[k] = typeof x === 'object' ? JSON.stringify(x) : String(x);
  }
  return out;
}

function sortedMap(m: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(m).sort(compareGoStrings)) out[k] = m[k];
  return out;
}

function idString(r: Resource): string {
  const meta = isMap(r.obj.metadata) ? r.obj.metadata : {};
  return `${String(r.obj.kind)} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
}

/**
 * kustomize's appendReplaceOrMerge for a generated object against the accumulated one with the same id.
 *   create  — `existing` must be undefined; returns `generated`.
 *   merge   — existing must exist. The result is the generated object with: name and namespace of `existing`
 *             (its current ones, prefixes included); labels and annotations of both (generated wins per key);
 *             data and binaryData of both (generated wins per key; a map left empty is dropped). Everything else
 *             (type, immutable) is the generated object's.
 *   replace — as merge, but data and binaryData are only the generated object's.
 * The hash suffix is kept only when both objects wanted it (checked with kubectl: disabling it on either side
 * disables it). Provenance: each leaf keeps the stack of the side it came from; a key both sides wrote keeps the
 * existing stack with the generated write(s) on top; `origin` stays the existing object's. Neither input is
 * modified.
 */
export function applyGeneratorBehavior(existing: Resource | undefined, generated: Resource, behavior: string | undefined): BehaviorResult {
  const b = generatorBehavior(behavior);
  const issue = (message: string): BehaviorResult => ({
    issues: [{ file: generated.origin.kustomization ?? generated.origin.file, span: generated.origin.span, severity: 'error', code: 'kustomize-build-error', message }],
  });
  if (b === 'create') {
    if (existing) return issue(`${idString(generated)} already exists; behavior must be merge or replace`);
    return { resource: generated, issues: [] };
  }
  if (!existing) return issue(`${idString(generated)} does not exist; cannot ${b}`);

  const oldObj = existing.obj;
  const oldMeta = isMap(oldObj.metadata) ? oldObj.metadata : {};
  const obj = cloneJson(generated.obj);
  const meta = isMap(obj.metadata) ? obj.metadata : (obj.metadata = {});
  const newMeta = isMap(generated.obj.metadata) ? generated.obj.metadata : {};

  // labels: old then new
  const labels = { ...stringMap(oldMeta.labels), ...stringMap(newMeta.labels) };
  if (Object.keys(labels).length > 0) meta.labels = sortedMap(labels);
  else delete meta.labels;
  // annotations: old then new; build annotations from the old one, the hash only when both want it
  const oldAnn = stringMap(oldMeta.annotations);
  const newAnn = stringMap(newMeta.annotations);
  const ann: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...oldAnn, ...newAnn })) if (!k.startsWith('internal.config.kubernetes.io/')) ann[k] = v;
  for (const [k, v] of Object.entries(oldAnn)) if (k.startsWith('internal.config.kubernetes.io/') && k !== NEEDS_HASH_ANNOTATION) ann[k] = v;
  if (oldAnn[NEEDS_HASH_ANNOTATION] !== undefined && newAnn[NEEDS_HASH_ANNOTATION] !== undefined) ann[NEEDS_HASH_ANNOTATION] = oldAnn[NEEDS_HASH_ANNOTATION];
  if (Object.keys(ann).length > 0) meta.annotations = sortedMap(ann);
  else delete meta.annotations;
  // identity: the existing one's
  if (oldMeta.name !== undefined) meta.name = cloneJson(oldMeta.name);
  if (oldMeta.namespace !== undefined && oldMeta.namespace !== '') meta.namespace = cloneJson(oldMeta.namespace);
  else delete meta.namespace;
  // data
  if (b === 'merge') {
    for (const field of ['data', 'binaryData'] as const) {
      const merged = { ...stringMap(oldObj[field]), ...stringMap(generated.obj[field]) };
      if (Object.keys(merged).length > 0) obj[field] = sortedMap(merged);
      else delete obj[field];
    }
  }

  // provenance
  const fromOld = (segs: string[]): boolean | 'both' => {
    const [a, b2, c] = segs;
    const has = (o: Json | undefined, ...p: string[]) => {
      let cur: Json | undefined = o;
      for (const s of p) {
        if (!isMap(cur) || !(s in cur)) return false;
        cur = cur[s];
      }
      return true;
    };
    if (a === 'metadata' && (b2 === 'name' || b2 === 'namespace')) return true;
    if (a === 'metadata' && (b2 === 'labels' || b2 === 'annotations') && c !== undefined) {
      const inNew = has(generated.obj, 'metadata', b2, c);
      if (!inNew) return true;
      return has(oldObj, 'metadata', b2, c) ? 'both' : false;
    }
    if (b === 'merge' && (a === 'data' || a === 'binaryData') && b2 !== undefined) {
      const inNew = has(generated.obj, a, b2);
      if (!inNew) return true;
      return has(oldObj, a, b2) ? 'both' : false;
    }
    return has(oldObj, ...segs) && has(generated.obj, ...segs) ? 'both' : false;
  };
  // Only leaves keep provenance (an empty map counts as one).
  const exists = (segs: string[]) => {
    let cur: Json | undefined = obj;
    for (const s of segs) {
      if (!isMap(cur) || !(s in cur)) return false;
      cur = cur[s];
    }
    return !(isMap(cur) && Object.keys(cur).length > 0) && !(Array.isArray(cur) && cur.length > 0);
  };
  const prov = new CompactProvenance();
  const keys = new Set([...existing.prov.keys(), ...generated.prov.keys()]);
  for (const key of keys) {
    const segs = key
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (!exists(segs)) continue;
    const src = fromOld(segs);
    const oldStack = existing.prov.get(key) ?? [];
    const newStack = generated.prov.get(key) ?? [];
    const stack = src === true ? oldStack : src === 'both' ? [...oldStack, ...newStack] : newStack;
    if (stack.length > 0) prov.set(internPointer(key), stack.map((e) => ({ ...e })));
  }
  return { resource: { obj, prov: prov.trimmed(), origin: existing.origin }, issues: [] };
}
