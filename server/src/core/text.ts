// Offsets are the core's only position currency; line/column conversion happens here, once.

export interface Span {
  start: number;
  end: number;
}

export interface LineCol {
  line: number; // 0-based
  character: number; // 0-based, UTF-16 code units (what LSP uses by default)
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  // An exact-length copy: every file's facts keep theirs (pushing leaves spare room).
  return starts.slice();
}

export function offsetToLineCol(lineStarts: number[], offset: number): LineCol {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo] };
}

export function lineColToOffset(lineStarts: number[], pos: LineCol, textLength: number): number {
  if (pos.line >= lineStarts.length) return textLength;
  const lineStart = lineStarts[Math.max(0, pos.line)];
  const nextLine = pos.line + 1 < lineStarts.length ? lineStarts[pos.line + 1] : textLength;
  return Math.min(lineStart + Math.max(0, pos.character), nextLine);
}

export function spanContains(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
