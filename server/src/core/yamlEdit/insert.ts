// Adding entries: list items after a list's last line (the comment lines that end the list stay above them), a key
// into a map at the indentation of its other keys.
import { isMap, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Edit } from './source';
import { column, indentAt, lineStart, spaces, shiftLines } from './lines';
import { colonAfterKey, pairEnd, valueBlock } from './entries';

/** A list entry made elsewhere: its lines, the first at `col` (lines after it at their own columns, relative to `col`). */
export interface MovedEntries {
  text: string;
  col: number;
}

/** A one-line entry in flow style (`path: x` → `{path: x}`), or undefined when it spans lines. */
export function flowEntry(text: string): string | undefined {
  const s = text.trim();
  if (s.includes('\n') || /(^|\s)#/.test(s)) return undefined;
  return /^[^\s{[\]'"#][^:]*: /.test(s) ? `{${s}}` : s;
}

/**
 * Appends entries (already in list syntax, `- …` lines starting at `from.col`) to the list that is `pair`'s value:
 * after its last line, at its dashes' column. For a flow list, each entry must be one `- x` line.
 */
export function appendToList(t: string, pair: Pair, from: MovedEntries): Edit | undefined {
  const seq = pair.value as Node | null;
  if (!isSeq(seq) || !seq.range) return undefined;
  if ((seq as YAMLSeq).flow) {
    const items: string[] = [];
    for (const l of from.text.split('\n')) {
      if (!l.trim()) continue;
      const m = /^ *- (.*)$/.exec(l);
      const item = m && flowEntry(m[1]);
      if (!item) return undefined;
      items.push(item);
    }
    const close = t.lastIndexOf(']', seq.range[1]);
    if (close < seq.range[0]) return undefined;
    return { span: { start: close, end: close }, newText: ((seq as YAMLSeq).items.length ? ', ' : '') + items.join(', ') };
  }
  const block = valueBlock(t, pair);
  if (!block || !(seq as YAMLSeq).items.length) return undefined;
  return { span: { start: block.end, end: block.end }, newText: '\n' + shiftLines(from.text, block.col - from.col) };
}

/** The indentation of a map's keys, and where an entry goes after its last one. */
function mapGeometry(t: string, map: YAMLMap): { indent: number; at: number } | undefined {
  const pairs = map.items as Pair[];
  if (!pairs.length || map.flow) return undefined;
  const first = (pairs[0].key as Node).range![0];
  return { indent: column(t, first), at: pairEnd(t, pairs[pairs.length - 1]) };
}

/**
 * Inserts `key: value` (value text on the key's line; more lines are placed relative to the key) as the last entry
 * of a map. An empty flow map `{}` becomes a block map indented by `unit` under its key; a non-empty one gets
 * `, key: value` (one-line values only).
 */
export function insertMapEntry(t: string, map: YAMLMap, key: string, value: string, holder?: Pair, unit = 2): Edit | undefined {
  if (map.flow) {
    const close = t.lastIndexOf('}', map.range![1]);
    if (close < map.range![0]) return undefined;
    if (map.items.length) return value.includes('\n') ? undefined : { span: { start: close, end: close }, newText: `, ${key}: ${value}` };
    if (!holder) return undefined;
    const col = indentAt(t, (holder.key as Node).range![0]) + unit;
    return { span: { start: colonAfterKey(t, holder) + 1, end: close + 1 }, newText: `\n${spaces(col)}${key}: ${shiftLines(value, col, 0, true)}` };
  }
  const g = mapGeometry(t, map);
  if (!g) return undefined;
  return { span: { start: g.at, end: g.at }, newText: `\n${spaces(g.indent)}${key}: ${shiftLines(value, g.indent, 0, true)}` };
}

/** The file's indentation step: the first nested block map's offset from its parent key (2 when there is none). */
export function indentUnit(t: string, root: Node | null | undefined): number {
  const visit = (n: Node | null | undefined): number | undefined => {
    if (!isMap(n)) return undefined;
    for (const p of (n as YAMLMap).items as Pair[]) {
      const v = p.value as Node | null;
      if (isMap(v) && !(v as YAMLMap).flow && v.range && (p.key as Node)?.range && lineStart(t, v.range[0]) !== lineStart(t, (p.key as Node).range![0])) {
        const d = column(t, v.range[0]) - column(t, (p.key as Node).range![0]);
        if (d > 0) return d;
      }
      const inner = visit(v);
      if (inner) return inner;
    }
    return undefined;
  };
  return visit(root) ?? 2;
}
