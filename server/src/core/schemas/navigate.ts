// Walking a JSON Schema by a YAML path: `$ref`s followed, `allOf`/`anyOf`/`oneOf` flattened into alternatives.
// Completion asks "what keys and values are allowed here"; validation asks "what does this scalar have to be".
import type { JsonSchema } from './catalog';

export type PathSegment = string | number;

/** Follows a local `$ref` (`#/definitions/X`, any `#/…` pointer) against the root schema. */
export function deref(root: JsonSchema, s: JsonSchema | boolean | undefined, depth = 0): JsonSchema | undefined {
  if (!s || typeof s !== 'object') return undefined;
  if (typeof s.$ref !== 'string' || depth > 16) return s;
  if (!s.$ref.startsWith('#')) return undefined;
  let cur: unknown = root;
  for (const raw of s.$ref.slice(1).split('/').slice(1)) {
    const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return deref(root, cur as JsonSchema, depth + 1);
}

/** The schema and every alternative it allows (allOf parts, anyOf/oneOf branches), refs followed. */
export function alternatives(root: JsonSchema, s: JsonSchema | boolean | undefined, out: JsonSchema[] = [], depth = 0): JsonSchema[] {
  const d = deref(root, s);
  if (!d || depth > 8 || out.includes(d)) return out;
  out.push(d);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(d[k])) for (const sub of d[k]) alternatives(root, sub, out, depth + 1);
  }
  return out;
}

/** Schemas of a child (a map key or a sequence index) of any of `parents`. */
export function childSchemas(root: JsonSchema, parents: JsonSchema[], seg: PathSegment): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const p of parents) {
    if (typeof seg === 'number') {
      const items = Array.isArray(p.items) ? p.items[seg] ?? p.additionalItems : p.items;
      if (items && typeof items === 'object') alternatives(root, items, out);
      continue;
    }
    const prop = p.properties?.[seg];
    if (prop !== undefined) {
      alternatives(root, prop, out);
      continue;
    }
    if (p.patternProperties) {
      for (const [re, sub] of Object.entries(p.patternProperties)) {
        try {
          if (new RegExp(re, 'u').test(seg)) alternatives(root, sub as JsonSchema, out);
        } catch {
          /* an invalid pattern matches nothing */
        }
      }
    }
    if (p.additionalProperties && typeof p.additionalProperties === 'object') alternatives(root, p.additionalProperties, out);
  }
  return out;
}

/** The schemas that apply at `path` below the root schema (empty: nothing is known there). */
export function schemasAt(root: JsonSchema, path: PathSegment[]): JsonSchema[] {
  let cur = alternatives(root, root);
  for (const seg of path) {
    if (!cur.length) return [];
    cur = childSchemas(root, cur, seg);
  }
  return cur;
}

export interface PropertyInfo {
  name: string;
  schemas: JsonSchema[];
  required: boolean;
  description?: string;
}

/** Every property the schemas at one place declare, with whether any of them requires it. */
export function propertiesOf(root: JsonSchema, schemas: JsonSchema[]): PropertyInfo[] {
  const byName = new Map<string, PropertyInfo>();
  const required = new Set<string>();
  for (const s of schemas) {
    for (const r of Array.isArray(s.required) ? s.required : []) required.add(r);
    for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
      let info = byName.get(name);
      if (!info) byName.set(name, (info = { name, schemas: [], required: false }));
      const alts = alternatives(root, sub);
      info.schemas.push(...alts);
      info.description ??= descriptionOf(alts);
    }
  }
  for (const info of byName.values()) info.required = required.has(info.name);
  return [...byName.values()];
}

export function descriptionOf(schemas: JsonSchema[]): string | undefined {
  for (const s of schemas) if (typeof s.description === 'string' && s.description.trim()) return s.description;
  return undefined;
}

/** JSON types the schemas allow (`integer` and `number` kept apart); empty when nothing says. */
export function typesOf(schemas: JsonSchema[]): Set<string> {
  const out = new Set<string>();
  for (const s of schemas) {
    if (typeof s.type === 'string') out.add(s.type);
    else if (Array.isArray(s.type)) for (const t of s.type) out.add(t);
    else if (s.properties || s.additionalProperties) out.add('object');
    else if (s.items) out.add('array');
  }
  return out;
}

/** Allowed literal values: enum entries and consts, in order, without duplicates. */
export function enumValues(schemas: JsonSchema[]): unknown[] {
  const out: unknown[] = [];
  for (const s of schemas) {
    if (Array.isArray(s.enum)) for (const v of s.enum) if (!out.includes(v)) out.push(v);
    if ('const' in s && !out.includes(s.const)) out.push(s.const);
  }
  return out;
}

export function defaultOf(schemas: JsonSchema[]): unknown {
  for (const s of schemas) if ('default' in s) return s.default;
  return undefined;
}
