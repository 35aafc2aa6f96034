// Where the cursor is in a YAML document that is being typed (so often not valid YAML yet): the path of keys and
// sequence indices above it, whether a key or a value is being written, and the span of the word to replace. The
// path comes from indentation (lines above the cursor), which survives half-written lines; the values around it
// (apiVersion, kind, sibling keys) come from a parse of the document with the word under the cursor blanked out.
import { type Document } from 'yaml';
import { MAX_YAML_DEPTH, parseYaml } from '../core/yamlParse';
import type { Span } from '../core/text';
import type { PathSegment } from '../core/schemas/navigate';

export interface CursorContext {
  text: string;
  offset: number;
  /** Offsets of the document holding the cursor (between `---` lines), and its index in the file. */
  docStart: number;
  docEnd: number;
  docIndex: number;
  /** The document as data, the word under the cursor blanked out (undefined when it does not parse at all). */
  value: unknown;
  /**
   * Key mode: the path of the map a key is being written in. Value mode: the path of the value being written (the
   * key's path, or the sequence item's path ending with its index).
   */
  path: PathSegment[];
  mode: 'key' | 'value';
  /** The word typed so far (before the cursor), without an opening quote. */
  prefix: string;
  /** What a completion replaces: the whole word around the cursor (inside quotes when quoted). */
  span: Span;
  /** Column of the key being written (key mode) or of the key whose value is written (value mode). */
  keyColumn: number;
  /** The word is the first thing after a `- ` (a sequence item). */
  inSequenceItem: boolean;
  quote?: '"' | "'";
  /** The cursor is inside `${…` (a Flux variable being written): the span of its name. */
  variable?: { prefix: string; span: Span; closed: boolean };
}

interface LineInfo {
  /** Column of the first non-blank character; -1 for blank or comment-only lines. */
  indent: number;
  dashes: number[];
  key?: string;
  keyCol?: number;
  /** Text after `key:` (comment removed), trimmed. */
  value?: string;
}

// Lines are split at \n only (a \r before it removed): YAML 1.2 breaks lines there, while U+2028, U+2029 and U+0085
// are characters of the line. Hence the `s` flag on every pattern that spans a line's rest (`.` stops at them).
const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]+|$)(.*)$/s;

function parseLine(line: string): LineInfo {
  const m = /^([ \t]*)(.*)$/s.exec(line)!;
  let col = m[1].length;
  let rest = m[2];
  if (rest === '' || rest.startsWith('#')) return { indent: -1, dashes: [] };
  const info: LineInfo = { indent: col, dashes: [] };
  for (;;) {
    const d = /^-(?:[ \t]+|$)/.exec(rest);
    if (!d) break;
    info.dashes.push(col);
    col += d[0].length;
    rest = rest.slice(d[0].length);
  }
  const k = KEY.exec(rest);
  if (k) {
    info.key = unquote(k[1].trim());
    info.keyCol = col;
    info.value = k[2].replace(/(^|\s)#.*$/s, '').trim();
  }
  return info;
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s[0] === '"' && s.endsWith('"')) || (s[0] === "'" && s.endsWith("'")))) return s.slice(1, -1);
  return s;
}

/** Content column of the last dash on a line (where an item's first key or scalar starts). */
function afterDash(line: string, dash: number): number {
  let c = dash + 1;
  while (line[c] === ' ' || line[c] === '\t') c++;
  return c;
}

class Scanner {
  constructor(
    private readonly lines: string[],
    private readonly first: number,
  ) {}

  private info = new Map<number, LineInfo>();
  line(i: number): LineInfo {
    let l = this.info.get(i);
    if (!l) this.info.set(i, (l = parseLine(this.lines[i])));
    return l;
  }

  /** Path of the container of a map key written at `col` on line `at` (the key itself excluded). */
  keyParent(at: number, col: number): PathSegment[] | undefined {
    const here = this.line(at);
    // A key right after a dash on its own line: it is in that item's map.
    if (here.dashes.length && here.keyCol === col) return this.itemPath(at, here.dashes.length - 1);
    for (let i = at - 1; i >= this.first; i--) {
      const l = this.line(i);
      if (l.indent < 0 || l.indent > col) continue;
      if (l.keyCol === col && l.key !== undefined) {
        // A sibling key; when it follows a dash, the map is that item's.
        if (l.dashes.length && afterDash(this.lines[i], l.dashes[l.dashes.length - 1]) === col) return this.itemPath(i, l.dashes.length - 1);
        continue;
      }
      if (l.key !== undefined && l.keyCol! < col) {
        if (l.value) return undefined; // a scalar cannot hold keys (or the cursor is inside a block scalar)
        return this.keyPath(i);
      }
      if (l.dashes.length && l.dashes[l.dashes.length - 1] < col && (l.keyCol === undefined || l.keyCol > col)) {
        // `-` alone on a line, the item's map below it.
        return this.itemPath(i, l.dashes.length - 1);
      }
      return undefined;
    }
    return col === 0 || this.first === at ? [] : [];
  }

  /** Path of the key written on line `at` (its container plus the key). */
  keyPath(at: number): PathSegment[] | undefined {
    const l = this.line(at);
    if (l.key === undefined) return undefined;
    const parent = l.dashes.length ? this.itemPath(at, l.dashes.length - 1) : this.keyParent(at, l.keyCol!);
    return parent && [...parent, l.key];
  }

  /** Path of the sequence item whose dash is the `n`-th of line `at` (container path plus its index). */
  itemPath(at: number, n: number): PathSegment[] | undefined {
    const l = this.line(at);
    const dash = l.dashes[n];
    if (n > 0) {
      // `- - x`: the inner item is the first of a sequence that is itself the outer item (no recursion per dash:
      // 10,000 dashes on a line are 20 KB of hostile input); deeper than the parse reads, nothing to complete.
      if (n > MAX_YAML_DEPTH) return undefined;
      const outer = this.itemPath(at, 0);
      return outer && [...outer, ...new Array<number>(n).fill(0)];
    }
    let index = 0;
    for (let i = at - 1; i >= this.first; i--) {
      const p = this.line(i);
      if (p.indent < 0 || p.indent > dash) continue;
      if (p.dashes[0] === dash && p.indent === dash) {
        index++;
        continue;
      }
      if (p.key !== undefined && p.keyCol! <= dash) {
        if (p.value) return undefined;
        const parent = this.keyPath(i);
        return parent && [...parent, index];
      }
      if (p.dashes.length && p.dashes[p.dashes.length - 1] < dash && p.key === undefined) {
        const parent = this.itemPath(i, p.dashes.length - 1);
        return parent && [...parent, index];
      }
      return undefined;
    }
    return undefined;
  }
}

const WORD_AFTER = /^[^\s#,\]}'"]*/;

/** The cursor's context in `text` at `offset`; undefined inside comments, block scalars and flow collections. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  // The document: between the `---` lines around the cursor.
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndAt = text.indexOf('\n', offset);
  const lineEnd = lineEndAt < 0 ? text.length : lineEndAt;
  const before = text.slice(lineStart, offset);
  const after = text.slice(offset, lineEnd);
  const sep = /(?<![^\n])---(?=[ \t\r\n]|$)[^\n]*/g; // at a line start: after \n only, not after U+2028
  const seps: Array<{ start: number; end: number }> = [];
  for (let m = sep.exec(text); m; m = sep.exec(text)) seps.push({ start: m.index, end: m.index + m[0].length });
  const above = seps.filter((x) => x.end < lineStart || (x.start < lineStart && x.end <= lineStart));
  const below = seps.find((x) => x.start >= lineEnd);
  const docStart = above.length ? Math.min(text.length, above[above.length - 1].end + 1) : 0;
  const docEnd = below ? below.start : text.length;
  const firstEmpty = seps.length > 0 && /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:#[^\n]*)?$/.test(text.slice(0, seps[0].start));
  const docIndex = Math.max(0, above.length - (firstEmpty ? 1 : 0));
  if (/^---/.test(before)) return undefined;

  // `${…` under the cursor: a variable name.
  const open = before.lastIndexOf('${');
  let variable: CursorContext['variable'];
  if (open >= 0 && !before.slice(open).includes('}') && before[open - 1] !== '$') {
    const name = before.slice(open + 2);
    if (/^[_a-zA-Z0-9]*$/.test(name)) {
      const tail = /^[_a-zA-Z0-9]*/.exec(after)![0];
      variable = { prefix: name, span: { start: offset - name.length, end: offset + tail.length }, closed: after[tail.length] === '}' };
    }
  }

  if (/(^|\s)#/.test(before.replace(/"[^"]*"|'[^']*'/g, '""'))) return undefined; // in a comment

  const lines = text.slice(docStart, lineEnd).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const cursorLine = lines.length - 1;
  const scanner = new Scanner(lines, 0);
  const cur = parseLine(before);
  let mode: 'key' | 'value';
  let path: PathSegment[] | undefined;
  let prefix: string;
  let wordStart: number;
  let keyColumn: number;
  let inSequenceItem = false;
  const lineIndent = /^[ \t]*/.exec(before)![0].length;

  if (cur.key !== undefined && cur.value !== undefined && before.length >= (cur.keyCol ?? 0) + 1 && /:(?:[ \t]|$)/.test(before.slice(cur.keyCol))) {
    // `key: val|`
    if (/^[|>[{&*!]/.test(cur.value)) return variable ? minimal() : undefined;
    mode = 'value';
    keyColumn = cur.keyCol!;
    const valueStart = before.length - before.slice(keyColumn).replace(/^.*?:[ \t]*/s, '').length;
    prefix = before.slice(valueStart);
    wordStart = lineStart + valueStart;
    const parent = cur.dashes.length ? scanner.itemPath(cursorLine, cur.dashes.length - 1) : scanner.keyParent(cursorLine, keyColumn);
    path = parent && [...parent, cur.key];
  } else {
    // A key being written, or a sequence item's scalar.
    const m = /^([ \t]*)((?:-[ \t]+)*)(.*)$/s.exec(before)!;
    prefix = m[3];
    if (/[:{}[\]]/.test(prefix) && !/^["']/.test(prefix)) return variable ? minimal() : undefined;
    wordStart = offset - prefix.length;
    keyColumn = wordStart - lineStart;
    if (cur.dashes.length) {
      inSequenceItem = true;
      const item = scanner.itemPath(cursorLine, cur.dashes.length - 1);
      path = item;
      mode = 'value'; // settled against the schema later (an item may be a map whose first key is being written)
    } else {
      mode = 'key';
      keyColumn = lineIndent;
      path = scanner.keyParent(cursorLine, keyColumn);
    }
  }
  if (!path) return variable ? minimal() : undefined;

  let quote: CursorContext['quote'];
  if (prefix.startsWith('"') || prefix.startsWith("'")) {
    quote = prefix[0] as '"' | "'";
    prefix = prefix.slice(1);
    wordStart++;
  }
  const tail = quote ? after.slice(0, Math.max(0, after.indexOf(quote))) : WORD_AFTER.exec(after)![0];
  const span = { start: wordStart, end: offset + (quote && after.indexOf(quote) < 0 ? 0 : tail.length) };

  // The document as data, with the word under the cursor blanked (half a word would not parse, or would mislead).
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const docText = text.slice(docStart, span.start) + blank(text.slice(span.start, span.end)) + text.slice(span.end, docEnd);
  const value = toValue(docText);

  return { text, offset, docStart, docEnd, docIndex, value, path, mode, prefix, span, keyColumn, inSequenceItem, quote, variable };

  function minimal(): CursorContext {
    return { text, offset, docStart, docEnd, docIndex, value: toValue(text.slice(docStart, docEnd)), path: [], mode: 'value', prefix: '', span: variable!.span, keyColumn: 0, inSequenceItem: false, variable };
  }
}

function toValue(docText: string): unknown {
  try {
    const doc: Document = parseYaml(docText, { uniqueKeys: false, strict: false, logLevel: 'error' });
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** The value at a path of plain data (undefined where the path leaves it). */
export function dataAt(root: unknown, path: PathSegment[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg as never];
  }
  return cur;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}
