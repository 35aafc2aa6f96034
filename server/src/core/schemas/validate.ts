// Validation with Ajv (JSON Schema draft-07): one compiled validator per schema file, made on first use and kept.
// Ajv's raw errors are turned into a few readable issues per place: branch errors of an anyOf collapse into one,
// and anything said about a string holding a `${…}` placeholder is set aside (Flux substitutes it before the API
// server sees it), with the schema it was checked against, so a caller that knows the variables can check the
// substituted value instead.
import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { distance } from 'fastest-levenshtein';
import { loadSchema, type CatalogEntry, type JsonSchema } from './catalog';
import { precompiledValidator } from './precompiled';
import type { FleetDb } from '../../db/fleetDb';

/** The fleet's validators (in its database: two fleets compile their own). */
export function schemaValidators(fleet: { db: FleetDb }): SchemaValidators {
  return fleet.db.table<'validators', SchemaValidators>('schemaValidator').getOrMake('validators', () => new SchemaValidators());
}

/**
 * Compiled validators: one Ajv instance and one validator per schema file, made on first use and kept. A fleet's
 * database owns one (db: `schemaValidators(fleet)`); nothing is compiled at module level.
 */
export class SchemaValidators {
  private ajv: Ajv | undefined;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly compiledLeaves = new WeakMap<object, ValidateFunction | null>();

  /** `precompiled`: a catalogue schema's validator made when bundling, if there is one (see precompiled.ts). */
  constructor(private readonly precompiled: (file: string) => ValidateFunction | undefined = precompiledValidator) {}

  private instance(): Ajv {
    this.ajv ??= newAjv();
    return this.ajv;
  }

  validatorFor(entry: CatalogEntry): ValidateFunction {
    let v = this.compiled.get(entry.file);
    if (!v) {
      v = this.precompiled(entry.file) ?? this.instance().compile(schemaToCompile(entry));
      this.compiled.set(entry.file, v);
    }
    return v;
  }

  /**
   * Validates one document's value against a catalogue entry (null map entries dropped first: see withoutNulls;
   * `nullFree`: the caller knows it holds no null, as a flat reading does, and it is not walked for one).
   */
  validateValue(entry: CatalogEntry, value: unknown, nullFree = false): ValidationResult {
    const validate = this.validatorFor(entry);
    const stored = nullFree ? value : withoutNulls(value);
    if (validate(stored)) return { issues: [], placeholders: [] };
    return collect(validate.errors ?? [], stored);
  }

  /**
   * Validates a value against one leaf schema (the schema a placeholder string failed against), for a substituted
   * value. Schemas that reach outside themselves (`$ref`) are not checked (undefined).
   */
  validateLeaf(schema: JsonSchema, value: unknown): string | undefined | null {
    let v = this.compiledLeaves.get(schema);
    if (v === undefined) {
      try {
        v = JSON.stringify(schema).includes('"$ref"') ? null : this.instance().compile(schema);
      } catch {
        v = null;
      }
      this.compiledLeaves.set(schema, v);
    }
    if (!v) return undefined;
    if (v(value)) return null;
    const errs = v.errors ?? [];
    const first = errs.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errs[0];
    return first ? describeError(first).message : 'is not valid here';
  }
}

/** The Ajv every validator is compiled with (`extra`: the bundler's code options, see precompiled.ts). */
export function newAjv(extra: Options = {}): Ajv {
  // strict: false — generated CRD schemas carry x-… annotations and `deprecated`; SchemaStore's has its own extras.
  // code.optimize: false — Ajv's passes over the generated code took a third of compiling the five schemas a
  // fleet's check uses (0.2 of 0.7 s) and made validating its documents no faster.
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, allowUnionTypes: true, validateSchema: false, ...extra, code: { optimize: false, ...extra.code } });
  addFormats(ajv);
  return ajv;
}

/** The schema a catalogue entry's validator checks against. */
export function schemaToCompile(entry: CatalogEntry): JsonSchema {
  // Manifests in Git carry no status (the API server ignores one): not compiling its large schema saves time.
  const schema = loadSchema(entry.file);
  const props = schema.properties as JsonSchema | undefined;
  const lean = props?.status ? { ...schema, properties: Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'status')) } : schema;
  return entry.file.startsWith('kustomize/') ? lean : closeObjects(lean);
}

/**
 * CRD schemas are structural: an object with `properties` holds only those (the API server prunes anything else,
 * and Flux's server-side apply rejects it), unless it says otherwise (`additionalProperties`, which the generator
 * writes for x-kubernetes-preserve-unknown-fields). JSON Schema allows extra keys by default: say it explicitly.
 */
export function closeObjects(schema: JsonSchema): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      out[k] = k === 'properties' && v && typeof v === 'object' ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, sub]) => [name, walk(sub)])) : k === 'enum' || k === 'const' || k === 'default' || k === 'required' ? v : walk(v);
    }
    if (out.properties && typeof out.properties === 'object' && out.additionalProperties === undefined && out.patternProperties === undefined) out.additionalProperties = false;
    return out;
  };
  return walk(schema) as JsonSchema;
}

export type IssueSeverity = 'error' | 'warning';

export interface SchemaIssue {
  /** JSON pointer of the value the issue is about (for `unknown-field` and `required`, of the object holding it). */
  pointer: string;
  keyword: string;
  message: string;
  severity: IssueSeverity;
  /** `unknown-field`: the offending key; `required`: the missing key. */
  property?: string;
}

export interface PlaceholderSite {
  pointer: string;
  /** The string as written, with its `${…}`. */
  raw: string;
  /** The schema the string failed against (to check the substituted value with). */
  schema: JsonSchema;
}

export interface ValidationResult {
  issues: SchemaIssue[];
  placeholders: PlaceholderSite[];
}

export function hasPlaceholder(v: unknown): v is string {
  return typeof v === 'string' && v.includes('${');
}

export function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(seg)] : (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** `/spec/chart/spec` → `spec.chart.spec`; indices as `[0]`. */
export function displayPointer(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out;
}

const DURATION = /^\^\(\[0-9\]\+\(\\\.\[0-9\]\+\)\?\((ms\|)?s\|m(\|h)?\)\)\+\$$/;

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '…' : s;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

function typeWords(t: unknown): string {
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => (x === 'object' ? 'a map' : x === 'array' ? 'a list' : x === 'integer' ? 'an integer' : `a ${String(x)}`)).join(' or ');
}

/** A readable sentence for one Ajv error (the value is the instance data Ajv reports with `verbose`). */
export function describeError(e: ErrorObject, closest?: (name: string, candidates: string[]) => string | undefined): { message: string; severity: IssueSeverity; property?: string } {
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'required':
      return { message: `missing required field '${p.missingProperty}'`, severity: 'error', property: p.missingProperty };
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as JsonSchema | undefined)?.properties ?? {});
      const hint = closest?.(p.additionalProperty, known);
      return { message: `unknown field '${p.additionalProperty}'${hint ? ` (did you mean '${hint}'?)` : ''}`, severity: 'warning', property: p.additionalProperty };
    }
    case 'type':
      return { message: `must be ${typeWords(p.type)}, not ${typeName(e.data)} (${show(e.data)})`, severity: 'error' };
    case 'enum':
      return { message: `${show(e.data)} is not one of ${(p.allowedValues as unknown[]).map(show).join(', ')}`, severity: 'error' };
    case 'const':
      return { message: `must be ${show(p.allowedValue)}, not ${show(e.data)}`, severity: 'error' };
    case 'pattern':
      return DURATION.test(String(p.pattern))
        ? { message: `${show(e.data)} is not a duration (Go syntax: a number and a unit, e.g. 30s, 5m, 1h30m)`, severity: 'error' }
        : { message: `${show(e.data)} does not match ${p.pattern}`, severity: 'error' };
    case 'format':
      return { message: `${show(e.data)} is not a valid ${p.format}`, severity: 'error' };
    default:
      return { message: e.message ?? e.keyword, severity: 'error' };
  }
}

export function closestName(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * The value as the API server stores it: a map entry whose value is null (`field: null`, `field: ~`, `field:`) is
 * dropped before validation (CRDs prune nulls of fields that are not nullable; no schema here has a required
 * nullable field), so it is never a type error. Items of lists are kept. Copies only the maps that change.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const v = withoutNulls(item);
      if (v !== item) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  if (!value || typeof value !== 'object') return value;
  let out: Record<string, unknown> | undefined;
  // (Object.keys, not entries: a pair per key of every document validated)
  const map = value as Record<string, unknown>;
  for (const k of Object.keys(map)) {
    const item = map[k];
    const v = item === null ? undefined : withoutNulls(item);
    if (v === item) continue;
    out ??= { ...(value as Record<string, unknown>) };
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out ?? value;
}

function collect(errors: ErrorObject[], value: unknown): ValidationResult {
  const issues: SchemaIssue[] = [];
  const placeholders: PlaceholderSite[] = [];
  // Errors of the branches of a failed anyOf/oneOf are summarised by that anyOf (one issue per place).
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inFailedUnion = (e: ErrorObject) => unions.some((u) => u !== e && e.instancePath.startsWith(u.instancePath) && e.schemaPath.startsWith(u.schemaPath + '/'));
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const data = valueAt(value, e.instancePath);
    if (hasPlaceholder(data)) {
      // Whatever the schema wants here, the string is replaced before anything checks it.
      if (e.parentSchema && !placeholders.some((x) => x.pointer === e.instancePath && x.schema === e.parentSchema)) placeholders.push({ pointer: e.instancePath, raw: data, schema: e.parentSchema as JsonSchema });
      continue;
    }
    if (inFailedUnion(e)) continue;
    let d: { message: string; severity: IssueSeverity; property?: string };
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const branches = ((e.schema as JsonSchema[] | undefined) ?? []).map((b) => b?.type).filter(Boolean);
      d = branches.length && branches.length === (e.schema as unknown[]).length
        ? { message: `must be ${typeWords([...new Set(branches.flat())])}, not ${typeName(data)} (${show(data)})`, severity: 'error' }
        : { message: e.keyword === 'oneOf' ? 'matches none (or more than one) of the allowed forms' : 'matches none of the allowed forms', severity: 'error' };
    } else {
      d = describeError(e, closestName);
    }
    const key = `${e.instancePath}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ pointer: e.instancePath, keyword: e.keyword, ...d });
  }
  return { issues, placeholders };
}

