// Line geometry on an edit view (LF only, no BOM: see source.ts), and the yaml nodes' extents as whole lines.
import type { Node } from 'yaml';
import type { Edit } from './source';

export const lineStart = (t: string, o: number): number => t.lastIndexOf('\n', o - 1) + 1;

/** The offset of the line break ending the line at `o` (or the text's end). */
export const lineEnd = (t: string, o: number): number => {
  const i = t.indexOf('\n', o);
  return i < 0 ? t.length : i;
};

/** Where the line after the one at `o` starts (the text's end for the last line). */
export const nextLineStart = (t: string, o: number): number => Math.min(t.length, lineEnd(t, o) + 1);

export const column = (t: string, o: number): number => o - lineStart(t, o);

/** Leading spaces of the line at `o` (YAML indents with spaces only). */
export function indentAt(t: string, o: number): number {
  const s = lineStart(t, o);
  let i = s;
  while (t[i] === ' ') i++;
  return i - s;
}

export const spaces = (n: number): string => ' '.repeat(Math.max(0, n));

export function isBlankLine(t: string, o: number): boolean {
  return t.slice(lineStart(t, o), lineEnd(t, o)).trim() === '';
}

export function isCommentLine(t: string, o: number): boolean {
  return t.slice(lineStart(t, o), lineEnd(t, o)).trimStart().startsWith('#');
}

/** Just after the node's last character (the blanks and line breaks yaml counts into its range left out). */
export function contentEnd(t: string, n: Node): number {
  const [s, e0] = n.range!;
  let e = e0;
  while (e > s && /\s/.test(t[e - 1])) e--;
  return e;
}

/** The end of the node's last line (its inline comment included), before the line break. */
export const lastLineEnd = (t: string, n: Node): number => lineEnd(t, contentEnd(t, n));

/**
 * Re-indents the lines of `block` by `delta` columns (never below `min`). Only leading spaces change; blank lines
 * are left as they are; with `skipFirst`, the first line (which starts mid-line) too.
 */
export function shiftLines(block: string, delta: number, min = 0, skipFirst = false): string {
  if (delta === 0 && min === 0) return block;
  return block
    .split('\n')
    .map((l, i) => {
      if ((skipFirst && i === 0) || l.trim() === '') return l;
      const n = l.length - l.replace(/^ +/, '').length;
      return spaces(Math.max(min, n + delta)) + l.slice(n);
    })
    .join('\n');
}

/** Edits (on the whole text) that re-indent the lines starting in [from, to) like `shiftLines`. */
export function shiftLineEdits(t: string, from: number, to: number, delta: number, min = 0): Edit[] {
  const out: Edit[] = [];
  for (let s = lineStart(t, from); s < to && s < t.length; s = nextLineStart(t, s)) {
    if (isBlankLine(t, s)) continue;
    const n = indentAt(t, s);
    const want = Math.max(min, n + delta);
    if (want !== n) out.push({ span: { start: s, end: s + n }, newText: spaces(want) });
  }
  return out;
}
