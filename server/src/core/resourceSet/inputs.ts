// The input sets of a ResourceSet, combined as the Flux Operator does (internal/inputs): the ResourceSet's own
// `spec.inputs` first, then its providers sorted by kind, namespace and name; each input set gets `provider` (the
// object it came from). Flatten concatenates them; Permute takes the Cartesian product, each provider's input set
// under its normalized name, with `id` the checksum of the choice. Static providers export their `defaultValues`
// with `id` = checksum of the provider (the operator uses the object's UID, unknown offline; like the operator's
// CLI we use its name). Providers that query a service export the sample inputs given, or nothing known.
import { adler32 } from '../gotemplate';
import type { Json, JsonObject } from '../kustomize/types';
import type { Span } from '../text';
import type { SourcedObject } from './source';

export const GROUP_VERSION = 'fluxcd.controlplane.io/v1';
export const MAX_PERMUTATIONS = 10000;

/** The built-in `inputs.id`: the decimal Adler-32 checksum of a string. */
export function inputId(s: string): string {
  return String(adler32(s));
}

export interface ProviderRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** Where a value of an input set was written. */
export interface InputOrigin {
  file: string;
  span: Span;
  /** What wrote it: the ResourceSet's inputs, a provider's defaultValues, or a sample for a provider. */
  from: 'inputs' | 'defaultValues' | 'sample';
}

export interface InputSet {
  /** `inputs.id` as templates see it (Permute: the permutation's). */
  id: string;
  /** The providers whose input sets made this one (one under Flatten). */
  providers: ProviderRef[];
  /** What `inputs` returns. */
  values: JsonObject;
  /** Where each value was written, by JSON pointer into `values` (`/tenant`, `/team1_apps/tenantName`). */
  origins: Record<string, InputOrigin>;
}

/** Sample inputs for a provider the operator would query (declared in `.flux-fleet.yaml`). */
export interface ProviderSamples {
  name: string;
  namespace?: string;
  inputs: Array<{ values: JsonObject; file?: string; spans?: Map<string, { value: Span }> }>;
}

export interface ProviderInputs {
  ref: ProviderRef;
  /** undefined: not known offline (no samples). */
  sets?: Array<{ values: JsonObject; origins: Record<string, InputOrigin> }>;
  providerType?: string;
}

function originsOf(values: Json, prefix: string, spans: Map<string, { value: Span }> | undefined, spanPrefix: string, file: string | undefined, from: InputOrigin['from'], out: Record<string, InputOrigin>): void {
  if (!spans || !file) return;
  const walk = (v: Json, p: string, sp: string) => {
    const s = spans.get(sp);
    if (s) out[p] = { file, span: s.value, from };
    if (v !== null && typeof v === 'object') {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}/${i}`, `${sp}/${i}`));
      else for (const k of Object.keys(v)) walk(v[k], `${p}/${esc(k)}`, `${sp}/${esc(k)}`);
    }
  };
  if (values !== null && typeof values === 'object' && !Array.isArray(values)) for (const k of Object.keys(values)) walk(values[k], `${prefix}/${esc(k)}`, `${spanPrefix}/${esc(k)}`);
}
const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

const isObject = (v: Json | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The ResourceSet's own inputs (`spec.inputs`), each a map. */
export function inlineInputs(rset: SourcedObject, ref: ProviderRef): { provider: ProviderInputs; invalid: number[] } {
  const spec = isObject(rset.obj.spec) ? rset.obj.spec : {};
  const list = Array.isArray(spec.inputs) ? spec.inputs : [];
  const invalid: number[] = [];
  const sets: NonNullable<ProviderInputs['sets']> = [];
  list.forEach((entry, i) => {
    if (!isObject(entry)) {
      invalid.push(i);
      return;
    }
    const origins: Record<string, InputOrigin> = {};
    originsOf(entry, '', rset.spans, `/spec/inputs/${i}`, rset.source?.file, 'inputs', origins);
    sets.push({ values: structuredClone(entry), origins });
  });
  return { provider: { ref, sets }, invalid };
}

/** A ResourceSetInputProvider's exported inputs, offline. */
export function providerInputs(rsip: SourcedObject, namespace: string, samples: ProviderSamples[] | undefined): ProviderInputs {
  const meta = isObject(rsip.obj.metadata) ? rsip.obj.metadata : {};
  const spec = isObject(rsip.obj.spec) ? rsip.obj.spec : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const ref: ProviderRef = { apiVersion: GROUP_VERSION, kind: 'ResourceSetInputProvider', name, namespace };
  const type = typeof spec.type === 'string' ? spec.type : '';
  const defaults = isObject(spec.defaultValues) ? spec.defaultValues : {};
  const defaultOrigins: Record<string, InputOrigin> = {};
  originsOf(defaults, '', rsip.spans, '/spec/defaultValues', rsip.source?.file, 'defaultValues', defaultOrigins);
  if (type === 'Static') {
    return { ref, providerType: type, sets: [{ values: { ...structuredClone(defaults), id: inputId(name) }, origins: { ...defaultOrigins } }] };
  }
  const sample = samples?.find((s) => s.name === name && (s.namespace ?? namespace) === namespace);
  if (!sample) return { ref, providerType: type };
  return {
    ref,
    providerType: type,
    sets: sample.inputs.map((input, i) => {
      const origins: Record<string, InputOrigin> = {};
      for (const k of Object.keys(defaults)) if (!(k in input.values)) for (const [p, o] of Object.entries(defaultOrigins)) if (p === `/${esc(k)}` || p.startsWith(`/${esc(k)}/`)) origins[p] = o;
      originsOf(input.values, '', input.spans, '', input.file, 'sample', origins);
      const values: JsonObject = { ...structuredClone(defaults), ...structuredClone(input.values) };
      if (values.id === undefined) values.id = inputId(`${name}/${i}`);
      return { values, origins };
    }),
  };
}

/** The permuter's key for a provider: lower case, `-` → `_`, other characters dropped, empty words removed. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/-/g, '_')
    .replace(/[^a-z0-9_]/g, '')
    .split('_')
    .filter((w) => w !== '')
    .join('_');
}

const providerValue = (ref: ProviderRef): JsonObject => ({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, namespace: ref.namespace });

export type Combination = { sets: InputSet[] } | { error: string };

/** Flatten or Permute the providers' input sets (all known). */
export function combine(strategy: string, providers: ProviderInputs[]): Combination {
  const withProvider = providers.map((p) => ({
    ref: p.ref,
    // The operator sets `provider` on every input set, over any value of that name.
    sets: (p.sets ?? []).map((s) => ({
      values: { ...s.values, provider: providerValue(p.ref) } as JsonObject,
      origins: Object.fromEntries(Object.entries(s.origins).filter(([k]) => k !== '/provider' && !k.startsWith('/provider/'))),
    })),
  }));
  if (strategy === 'Flatten') {
    return {
      sets: withProvider.flatMap((p) =>
        p.sets.map((s) => ({ id: typeof s.values.id === 'string' || typeof s.values.id === 'number' ? String(s.values.id) : '', providers: [p.ref], values: s.values, origins: s.origins })),
      ),
    };
  }
  if (strategy !== 'Permute') return { error: `unknown input strategy: '${strategy}'` };
  const used = withProvider.filter((p) => p.sets.length > 0);
  let expected = 1;
  for (const p of used) {
    expected *= p.sets.length;
    if (expected > MAX_PERMUTATIONS)
      return { error: `failed to get inputs from ResourceSetInputProvider/${p.ref.name}: adding provider '${p.ref.name}' with ${p.sets.length} inputs would exceed the maximum allowed permutations. max: ${MAX_PERMUTATIONS}, got: ${expected}` };
    if (normalizeName(p.ref.name) === '') return { error: `normalized provider name is empty: '${p.ref.name}'` };
  }
  if (used.length === 0) return { sets: [] };
  const out: InputSet[] = [];
  const choose = (i: number, chosen: number[]) => {
    if (i === used.length) {
      const values: JsonObject = {};
      const origins: Record<string, InputOrigin> = {};
      const idParts: string[] = [];
      chosen.forEach((idx, j) => {
        const key = normalizeName(used[j].ref.name);
        const set = used[j].sets[idx];
        values[key] = set.values;
        for (const [p, o] of Object.entries(set.origins)) origins[`/${esc(key)}${p}`] = o;
        idParts.push(`${key}=${idx}`);
      });
      const id = inputId(idParts.join('/'));
      values.id = id;
      out.push({ id, providers: used.map((p) => p.ref), values, origins });
      return;
    }
    for (let k = 0; k < used[i].sets.length; k++) choose(i + 1, [...chosen, k]);
  };
  choose(0, []);
  return { sets: out };
}

/** Kubernetes label selector matching (matchLabels and matchExpressions). */
export function selectorMatches(selector: JsonObject, labels: Record<string, string>): boolean {
  const ml = isObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== String(v)) return false;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isObject(e)) return false;
    const key = String(e.key ?? '');
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
