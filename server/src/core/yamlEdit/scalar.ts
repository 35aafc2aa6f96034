// Scalars written in the style of the text they replace: a double- or single-quoted value stays quoted the same way,
// a plain one stays plain when YAML reads the new value back unchanged as plain, else it is double-quoted.
import { isScalar, stringify, type Node, type Scalar } from 'yaml';
import type { Span } from '../text';
import type { Edit } from './source';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** A string as a plain scalar when it reads back as that same string, else double-quoted. */
export function plainOrQuoted(value: string): string {
  const plain = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  if (plain.includes('\n')) return JSON.stringify(value);
  return plain;
}

/** YAML text for a scalar value in the style of `replacing` (the source text it takes the place of). */
export function scalarSource(value: Json, replacing: string): string | undefined {
  if (value !== null && typeof value === 'object') return undefined;
  if (typeof value === 'string') {
    if (replacing.startsWith('"')) return JSON.stringify(value);
    if (replacing.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
    return plainOrQuoted(value);
  }
  return value === null ? 'null' : String(value);
}

/** Replaces a one-line scalar's text at `span` (quotes included when it has them) with `value`, same style. */
export function replaceScalarAt(t: string, span: Span, value: Json): Edit | undefined {
  const old = t.slice(span.start, span.end);
  if (old.includes('\n') || /^[|>]/.test(old)) return undefined;
  const newText = scalarSource(value, old);
  return newText === undefined ? undefined : { span, newText };
}

/** Replaces only the text inside a scalar's quotes (or the whole plain scalar) with raw `text`, e.g. an apiVersion. */
export function replaceScalarContent(node: Node, text: string): Edit | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const t = (node as Scalar).type;
  const quoted = t === 'QUOTE_DOUBLE' || t === 'QUOTE_SINGLE';
  const [s, e] = node.range;
  return { span: quoted ? { start: s + 1, end: e - 1 } : { start: s, end: e }, newText: text };
}

/**
 * A new string for the text `old` (a whole scalar, or a part of a plain one): quoted the same way when `old` is a
 * quoted scalar, else as is.
 */
export function requoteLike(old: string, value: string): string {
  if (old.length >= 2 && old.startsWith('"') && old.endsWith('"')) return JSON.stringify(value);
  if (old.length >= 2 && old.startsWith("'") && old.endsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  return value;
}
