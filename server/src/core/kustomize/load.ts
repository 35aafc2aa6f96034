// YAML text → Resources with provenance: every leaf's JSON pointer is tied to the span of its scalar in the file.
import { parseAllDocuments, isMap, isSeq, isScalar, isAlias, type Node } from 'yaml';
import type { Json, JsonObject, Provenance, ProvenanceMap, Resource } from './types';
import { escapeSegment } from './provenance';


/** Converts a yaml node to JSON while recording, for every leaf, a provenance write at its pointer. */
export function nodeToJson(node: Node | null | undefined, pointer: string, prov: ProvenanceMap, base: Omit<Provenance, 'span'>, doc?: { toJS(): unknown }): Json {
  const record = (value: Json, n: Node | null | undefined) => {
    const r = n?.range;
    const entry = { ...base, span: r ? { start: r[0], end: r[1] } : undefined, value };
    prov.set(pointer, [entry]);
  };
  if (!node) {
    record(null, node);
    return null;
  }
  if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      if (key === '<<') continue; // merge keys are resolved below through toJS
      out[key] = nodeToJson(pair.value as Node | null, `${pointer}/${escapeSegment(key)}`, prov, base, doc);
    }
    if (node.items.length === 0) record(out, node);
    return out;
  }
  if (isSeq(node)) {
    const out: Json[] = node.items.map((item, i) => nodeToJson(item as Node, `${pointer}/${i}`, prov, base, doc));
    if (out.length === 0) record(out, node);
    return out;
  }
  if (isAlias(node)) {
    const value = (doc ? (node.resolve(doc as never)?.toJSON() as Json) : null) ?? null;
    record(value, node);
    return value;
  }
  const value = (isScalar(node) ? node.toJSON() : null) as Json;
  let v: Json = value instanceof Date ? (value as Date).toISOString() : value;
  if (isScalar(node) && node.type === 'PLAIN') {
    const source = (node as { source?: string }).source;
    if (typeof v === 'string') v = goYamlPlainScalar(v);
    else if (typeof v === 'number' && typeof source === 'string' && /^[-+]?0[0-7]+$/.test(source)) v = parseInt(source, 8);
  }
  record(v, node);
  return v;
}

const TIMESTAMP = /^(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.(\d+))?(?:[ \t]*(Z|[-+]\d\d?(?::?\d\d)?))?)?$/;

/**
 * kustomize reads YAML with go-yaml, which (unlike YAML 1.2's core schema) takes a leading-zero integer as octal
 * and a plain date or timestamp as a time, printed back in Go's RFC 3339 form. Strings that are neither stay.
 */
export function goYamlPlainScalar(s: string): Json {
  if (/^[-+]?0[0-7]+$/.test(s)) return parseInt(s, 8);
  const m = TIMESTAMP.exec(s);
  if (!m) return s;
  const pad = (x: string) => x.padStart(2, '0');
  const date = `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  if (m[4] === undefined) return `${date}T00:00:00Z`;
  const frac = m[7] ? '.' + m[7].replace(/0+$/, '') : '';
  let zone = 'Z';
  if (m[8] && m[8] !== 'Z') {
    const z = /^([-+])(\d\d?)(?::?(\d\d))?$/.exec(m[8])!;
    zone = `${z[1]}${pad(z[2])}:${z[3] ?? '00'}`;
  }
  return `${date}T${pad(m[4])}:${m[5]}:${m[6]}${frac === '.' ? '' : frac}${zone}`;
}

export interface LoadedDocs {
  resources: Resource[];
  errors: Array<{ message: string; span: { start: number; end: number } }>;
}

/** Every non-empty document of a manifest file, as a Resource (kind List is expanded into its items). */
export function loadManifests(text: string, file: string, layer: string, kustomization?: string): LoadedDocs {
  const out: LoadedDocs = { resources: [], errors: [] };
  for (const doc of parseAllDocuments(text)) {
    for (const e of doc.errors) out.errors.push({ message: e.message.split('\n')[0], span: { start: e.pos[0], end: e.pos[1] } });
    if (doc.errors.length) continue;
    const root = doc.contents as Node | null;
    if (!root || !isMap(root)) continue;
    const prov: ProvenanceMap = new Map();
    const base = { file, layer, kustomization };
    const obj = nodeToJson(root, '', prov, base, doc) as JsonObject;
    const span = root.range ? { start: root.range[0], end: root.range[1] } : undefined;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach((item, i) => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) return;
        const itemProv: ProvenanceMap = new Map();
        const prefix = `/items/${i}`;
        for (const [k, v] of prov) if (k.startsWith(prefix + '/')) itemProv.set(k.slice(prefix.length), v);
        out.resources.push({ obj: item as JsonObject, prov: itemProv, origin: { file, layer, kustomization, span } });
      });
      continue;
    }
    out.resources.push({ obj, prov, origin: { file, layer, kustomization, span } });
  }
  return out;
}
