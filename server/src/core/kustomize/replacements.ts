// kustomize `replacements`: copy a field of one resource into fields of others (field paths like
// `spec.template.spec.containers.[name=app].image`, with delimiter/index options).
import type { Json, JsonObject, Provenance, Resource } from './types';
import { selector, type Selector } from './resid';
import { writeProvenance } from './transformers';
import { escapeSegment } from './provenance';
import { isSecretLeaf } from '../redact';

export interface Replacement {
  source?: Selector & { fieldPath?: string; options?: { delimiter?: string; index?: number } };
  targets?: Array<{ select?: Selector; reject?: Selector[]; fieldPaths?: string[]; options?: { delimiter?: string; index?: number; create?: boolean } }>;
}

export class ReplacementError extends Error {}

/** `a.b.[name=x].c` → ['a', 'b', '[name=x]', 'c'] (dots inside brackets kept). */
export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}


interface Hit {
  parent: JsonObject | Json[];
  key: string | number;
  pointer: string;
}

/** Every place a field path names (wildcards and selectors can name several); creates maps when asked. */
function resolvePath(root: JsonObject, segments: string[], create: boolean): Hit[] {
  const hits: Hit[] = [];
  const walk = (node: Json, i: number, pointer: string, parent: JsonObject | Json[] | undefined, key: string | number | undefined) => {
    if (i === segments.length) {
      if (parent !== undefined && key !== undefined) hits.push({ parent, key, pointer });
      return;
    }
    const seg = segments[i];
    const sel = /^\[(.+?)=(.*)\]$/.exec(seg);
    if (sel) {
      if (!Array.isArray(node)) return;
      node.forEach((item, idx) => {
        if (item && typeof item === 'object' && !Array.isArray(item) && String((item as JsonObject)[sel[1]]) === sel[2]) walk(item, i + 1, `${pointer}/${idx}`, node, idx);
      });
      return;
    }
    if (seg === '*') {
      if (Array.isArray(node)) node.forEach((item, idx) => walk(item, i + 1, `${pointer}/${idx}`, node, idx));
      else if (node && typeof node === 'object') for (const k of Object.keys(node)) walk((node as JsonObject)[k], i + 1, `${pointer}/${escapeSegment(k)}`, node as JsonObject, k);
      return;
    }
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      const idx = Number(seg);
      if (idx < node.length) walk(node[idx], i + 1, `${pointer}/${idx}`, node, idx);
      return;
    }
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const obj = node as JsonObject;
    if (obj[seg] === undefined && create && i < segments.length - 1) obj[seg] = {};
    if (obj[seg] === undefined && !(create || i === segments.length - 1)) return;
    if (i === segments.length - 1) {
      if (obj[seg] === undefined && !create) return;
      hits.push({ parent: obj, key: seg, pointer: `${pointer}/${escapeSegment(seg)}` });
      return;
    }
    walk(obj[seg], i + 1, `${pointer}/${escapeSegment(seg)}`, obj, seg);
  };
  walk(root, 0, '', undefined, undefined);
  return hits;
}

function getValue(h: Hit): Json {
  return (h.parent as Record<string | number, Json>)[h.key as never];
}

export function applyReplacements(resources: Resource[], replacements: Replacement[], p: (index: number) => Provenance): void {
  replacements.forEach((rep, ri) => {
    const src = rep.source ?? {};
    const sources = resources.filter(selector(src));
    if (sources.length !== 1) throw new ReplacementError(`replacements[${ri}]: the source selects ${sources.length} resources (exactly one needed)`);
    const sourceHits = resolvePath(sources[0].obj, splitFieldPath(src.fieldPath ?? 'metadata.name'), false);
    if (sourceHits.length === 0) throw new ReplacementError(`replacements[${ri}]: fieldPath ${src.fieldPath ?? 'metadata.name'} not found in the source`);
    let value = getValue(sourceHits[0]);
    // A value copied out of a Secret (or from a secret write) stays secret where it lands (core/redact.ts).
    const secret = isSecretLeaf(sources[0], sourceHits[0].pointer, value);
    if (src.options?.delimiter !== undefined && typeof value === 'string') {
      const parts = value.split(src.options.delimiter);
      value = parts[src.options.index ?? 0] ?? '';
    }
    for (const t of rep.targets ?? []) {
      const selected = selector(t.select ?? {});
      const rejected = (t.reject ?? []).map(selector);
      for (const r of resources) {
        if (!selected(r)) continue;
        if (rejected.some((rej) => rej(r))) continue;
        for (const fp of t.fieldPaths ?? ['metadata.name']) {
          for (const h of resolvePath(r.obj, splitFieldPath(fp), !!t.options?.create)) {
            let v: Json = value;
            const current = getValue(h);
            if (t.options?.delimiter !== undefined && typeof current === 'string') {
              const parts = current.split(t.options.delimiter);
              const idx = t.options.index ?? 0;
              if (idx >= parts.length) parts.push(String(value));
              else if (idx < 0) parts.unshift(String(value));
              else parts[idx] = String(value);
              v = parts.join(t.options.delimiter);
            }
            (h.parent as Record<string | number, Json>)[h.key as never] = v as never;
            writeProvenance(r, h.pointer, v, secret ? { ...p(ri), secret } : p(ri));
          }
        }
      }
    }
  });
}
