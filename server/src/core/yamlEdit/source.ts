// A file's text as the edit operations see it: LF line breaks, no byte-order mark, parsed once. Operations compute
// edits on this view; `fileEdits` maps them back to the file's own offsets and writes every new line break the way
// the file does, so a CRLF file stays CRLF (never `\r\r\n`, never a bare `\n`) and the BOM stays where it is.
import type { Document } from 'yaml';
import { parseYamlAll } from '../yamlParse';
import type { Span } from '../text';

/** A minimal text edit: replace `span` with `newText`. */
export interface Edit {
  span: Span;
  newText: string;
}

export type LineEnd = '\n' | '\r\n';

export class EditText {
  /** The view: `\r\n` → `\n`, without the BOM. */
  readonly text: string;
  /** The file's line break: the one most of its lines end with (`\n` for a file of one line). */
  readonly eol: LineEnd;
  readonly bom: boolean;
  /** Offsets in the view where a `\r` was dropped (just before the `\n` there), ascending. */
  private readonly dropped: number[] = [];
  private parsed?: Document.Parsed[];

  constructor(readonly original: string) {
    this.bom = original.charCodeAt(0) === 0xfeff;
    const body = this.bom ? original.slice(1) : original;
    let out = '';
    let from = 0;
    let crlf = 0;
    let lf = 0;
    for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) {
      if (i > 0 && body[i - 1] === '\r') {
        out += body.slice(from, i - 1);
        from = i;
        this.dropped.push(out.length);
        crlf++;
      } else lf++;
    }
    this.text = out + body.slice(from);
    this.eol = crlf > lf ? '\r\n' : '\n';
  }

  /** The view's documents (yaml's CST-backed Documents; parsed on first use). */
  docs(): Document.Parsed[] {
    this.parsed ??= parseYamlAll(this.text) as Document.Parsed[];
    return Array.isArray(this.parsed) ? this.parsed : [];
  }

  /** A view offset → the file (an offset at a line break lands before its `\r`). */
  toFile(offset: number): number {
    return offset + (this.bom ? 1 : 0) + countBelow(this.dropped, offset);
  }

  /** A file offset → the view. */
  fromFile(offset: number): number {
    const o = Math.max(0, offset - (this.bom ? 1 : 0));
    // Each dropped `\r` before `offset` moves it one to the left (the k-th sat at dropped[k] + k in the file).
    let lo = 0;
    let hi = this.dropped.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.dropped[mid] + mid < o) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(o - lo, this.text.length);
  }

  fromFileSpan(span: Span): Span {
    return { start: this.fromFile(span.start), end: this.fromFile(span.end) };
  }

  /** Edits on the view → edits on the file, their new line breaks written as the file writes them. */
  fileEdits(edits: Edit[]): Edit[] {
    return edits.map((e) => ({ span: { start: this.toFile(e.span.start), end: this.toFile(e.span.end) }, newText: this.eol === '\n' ? e.newText : e.newText.replace(/\r?\n/g, this.eol) }));
  }
}

/** How many of the ascending `xs` are below `n`. */
function countBelow(xs: number[], n: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The line break a new file written next to `text` should use (LF without a model). */
export function lineEndOf(text: string | undefined): LineEnd {
  return text === undefined ? '\n' : new EditText(text).eol;
}

/** Applies edits that do not overlap (what the editor does with a WorkspaceEdit); throws when they do. */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].span.end > sorted[i - 1].span.start) throw new Error('overlapping edits');
  for (const e of sorted) text = text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
  return text;
}
