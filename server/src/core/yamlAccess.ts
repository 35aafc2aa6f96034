// Small accessors over `yaml` nodes that keep source spans.
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq, type Scalar } from 'yaml';
import type { Span } from './text';

export function spanOf(node: Node | null | undefined): Span | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

export function mapGet(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of (node as YAMLMap).items as Pair[]) {
    const k = pair.key;
    if ((isScalar(k) ? k.value : k) === key) return (pair.value ?? undefined) as Node | undefined;
  }
  return undefined;
}

export function mapPair(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of (node as YAMLMap).items as Pair[]) {
    const k = pair.key;
    if ((isScalar(k) ? k.value : k) === key) return pair;
  }
  return undefined;
}

export function getIn(node: unknown, keys: string[]): Node | undefined {
  let cur: unknown = node;
  for (const k of keys) {
    cur = mapGet(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur as Node;
}

/** A scalar's value as a string (numbers and booleans too), or undefined for anything else. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = (node as Scalar).value;
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : String(v);
}

export function stringAt(node: unknown, keys: string[]): { value: string; span: Span } | undefined {
  const n = getIn(node, keys);
  const value = scalarText(n);
  const span = spanOf(n);
  return value !== undefined && span ? { value, span } : undefined;
}

export function boolAt(node: unknown, keys: string[]): boolean | undefined {
  const n = getIn(node, keys);
  if (!isScalar(n)) return undefined;
  const v = (n as Scalar).value;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

export function seqItems(node: unknown): Node[] {
  return isSeq(node) ? ((node as YAMLSeq).items as Node[]) : [];
}

export function mapEntries(node: unknown): Array<{ key: string; keySpan?: Span; value: Node | undefined }> {
  if (!isMap(node)) return [];
  const out: Array<{ key: string; keySpan?: Span; value: Node | undefined }> = [];
  for (const pair of (node as YAMLMap).items as Pair[]) {
    const key = scalarText(pair.key);
    if (key !== undefined) out.push({ key, keySpan: spanOf(pair.key as Node), value: (pair.value ?? undefined) as Node | undefined });
  }
  return out;
}
