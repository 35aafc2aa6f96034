// Where a map entry or a collection sits in the text as whole lines, with the comments that belong to it: the
// comment lines between a key and its block value's first entry, and those after its last entry that are indented
// like its entries (yaml itself hands those to whatever comes next, even a less indented key).
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../text';
import type { Edit } from './source';
import { column, indentAt, isBlankLine, isCommentLine, lastLineEnd, lineEnd, lineStart, nextLineStart } from './lines';
import { plainOrQuoted } from './scalar';

export const keyOf = (p: Pair): string | undefined => (isScalar(p.key) ? String((p.key as Scalar).value) : undefined);

export function pairOf(map: Node | null | undefined, key: string): Pair | undefined {
  return isMap(map) ? ((map as YAMLMap).items as Pair[]).find((p) => isPair(p) && keyOf(p) === key) : undefined;
}

/** The lines of a block collection that is a pair's value, on the lines after its key. */
export interface ValueBlock {
  /** Start of the first line after the key's line. */
  start: number;
  /** End of the last line (before its line break): the last entry's, or a trailing comment's indented like it. */
  end: number;
  /** The entries' column (a sequence's dashes). */
  col: number;
}

/** The block value of a pair when it starts on a line after the key (undefined for flow, inline or empty values). */
export function valueBlock(t: string, pair: Pair): ValueBlock | undefined {
  const key = pair.key as Node;
  const v = pair.value as Node | null;
  if (!v?.range || !key?.range || (!isMap(v) && !isSeq(v)) || (v as YAMLMap | YAMLSeq).flow) return undefined;
  if (lineStart(t, v.range[0]) === lineStart(t, key.range[0])) return undefined;
  const col = column(t, v.range[0]);
  const keyCol = column(t, key.range[0]);
  let end = lastLineEnd(t, v);
  // Trailing comment lines indented like the entries (deeper than the key) are the collection's.
  for (let s = nextLineStart(t, end); s < t.length; s = nextLineStart(t, s)) {
    if (isBlankLine(t, s)) continue;
    if (!isCommentLine(t, s) || indentAt(t, s) < col || indentAt(t, s) <= keyCol) break;
    end = lineEnd(t, s);
  }
  return { start: nextLineStart(t, key.range[0]), end, col };
}

/** End of the pair's last line: its value's (block value with its trailing comments), or the key's line. */
export function pairEnd(t: string, pair: Pair): number {
  const block = valueBlock(t, pair);
  if (block) return block.end;
  const v = pair.value as Node | null;
  return v?.range ? lastLineEnd(t, v) : lineEnd(t, (pair.key as Node).range![1]);
}

/**
 * The text a pair takes, as a region to delete: its whole lines (line break included) when the key starts its line,
 * else (`- key: …` of a list item) from the key to the end of its last line.
 */
export function pairRegion(t: string, pair: Pair): Span {
  const ks = (pair.key as Node).range![0];
  const end = pairEnd(t, pair);
  const ls = lineStart(t, ks);
  if (t.slice(ls, ks).trim() === '') return { start: ls, end: nextLineStart(t, end) };
  return { start: ks, end };
}

/** Renames a key in place; its quoting kept when it was quoted (or needed then). */
export function renameKey(t: string, pair: Pair, to: string): Edit | undefined {
  const k = pair.key as Node | null;
  if (!k?.range || !isScalar(k)) return undefined;
  const style = (k as Scalar).type;
  const quoted = style === 'QUOTE_DOUBLE' ? JSON.stringify(to) : style === 'QUOTE_SINGLE' ? `'${to.replace(/'/g, "''")}'` : plainOrQuoted(to);
  return { span: { start: k.range[0], end: k.range[1] }, newText: quoted };
}

/** The colon after a pair's key. */
export function colonAfterKey(t: string, pair: Pair): number {
  return t.indexOf(':', (pair.key as Node).range![1]);
}
