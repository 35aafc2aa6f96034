// Inline marks: `# fleet:locked [reason]`, `# fleet:required [reason]`, `# fleet:extension [text]` on a key's line.
// Comments are found in the yaml package's CST (so a `#` inside a string or a block scalar is never a mark), then
// tied to the key that starts on the same line (the outermost one when a flow collection holds more).
import { isMap, isSeq, isScalar, type Node } from 'yaml';
import { parseText, type ParsedText } from '../parsedText';
import type { Json } from '../kustomize/types';
import { computeLineStarts, offsetToLineCol, type Span } from '../text';
import type { InlineMark, MarkKind } from './types';

const MARK = /^#\s*fleet:(locked|required|extension)\b[ \t]*(.*)$/;

/** Cheap test before any parsing. */
export function mayHaveMarks(text: string): boolean {
  return text.includes('fleet:');
}

interface CstComment {
  offset: number;
  source: string;
}

function cstComments(parsed: ParsedText): CstComment[] {
  const out: CstComment[] = [];
  const walk = (t: unknown): void => {
    if (!t || typeof t !== 'object') return;
    if (Array.isArray(t)) {
      for (const x of t) walk(x);
      return;
    }
    const tok = t as { type?: string; offset?: number; source?: unknown };
    if (tok.type === 'comment' && typeof tok.offset === 'number' && typeof tok.source === 'string') {
      out.push({ offset: tok.offset, source: tok.source });
      return;
    }
    for (const [k, v] of Object.entries(t)) if (k !== 'source' && typeof v === 'object') walk(v);
  };
  for (const token of parsed.tokens()) walk(token);
  return out;
}

interface KeyEntry {
  path: Array<string | number>;
  keySpan: Span;
  range: Span;
  line: number;
  depth: number;
  value: Json;
  doc: number;
  docStart: number;
}

/** Every marked key of a YAML text (`parsed`: the fleet's parse of it; its documents are read, never changed). */
export function inlineMarks(file: string, text: string, parsed?: ParsedText): InlineMark[] {
  if (!mayHaveMarks(text)) return [];
  parsed ??= parseText(text);
  const comments = cstComments(parsed)
    .map((c) => ({ ...c, m: MARK.exec(c.source.trimEnd()) }))
    .filter((c) => c.m);
  if (!comments.length) return [];
  const lineStarts = computeLineStarts(text);
  const lineOf = (o: number) => offsetToLineCol(lineStarts, o).line;
  const keysByLine = new Map<number, KeyEntry[]>();
  parsed.docs.forEach((doc, docIndex) => {
    const root = doc.contents as Node | null;
    if (!root) return;
    const docStart = root.range?.[0] ?? 0;
    const visit = (n: Node | null | undefined, path: Array<string | number>) => {
      if (isMap(n)) {
        for (const pair of n.items) {
          const k = pair.key as Node | null;
          if (!isScalar(k) || !k.range) continue;
          const key = String(k.value);
          const v = pair.value as Node | null;
          const end = v?.range ? Math.max(v.range[1], k.range[1]) : k.range[1];
          const entry: KeyEntry = {
            path: [...path, key],
            keySpan: { start: k.range[0], end: k.range[1] },
            range: { start: k.range[0], end },
            line: lineOf(k.range[0]),
            depth: path.length,
            value: (v ? (v.toJSON?.() as Json) ?? null : null) as Json,
            doc: docIndex,
            docStart,
          };
          const list = keysByLine.get(entry.line);
          if (list) list.push(entry);
          else keysByLine.set(entry.line, [entry]);
          visit(v, entry.path);
        }
      } else if (isSeq(n)) {
        n.items.forEach((item, i) => visit(item as Node, [...path, i]));
      }
    };
    visit(root, []);
  });
  const out: InlineMark[] = [];
  for (const c of comments) {
    const line = lineOf(c.offset);
    const candidates = (keysByLine.get(line) ?? []).filter((k) => k.keySpan.start < c.offset);
    if (!candidates.length) continue;
    const key = candidates.reduce((a, b) => (b.depth < a.depth || (b.depth === a.depth && b.keySpan.start < a.keySpan.start) ? b : a));
    const reason = c.m![2].trim() || undefined;
    out.push({
      kind: c.m![1] as MarkKind,
      file,
      doc: key.doc,
      docStart: key.docStart,
      path: key.path,
      keySpan: key.keySpan,
      range: key.range,
      commentSpan: { start: c.offset, end: c.offset + c.source.trimEnd().length },
      reason,
      value: key.value,
    });
  }
  return out;
}

/**
 * Key paths of a marked file's nodes by the offset they start at (scalars and collections; the deepest wins), so a
 * provenance write's span can be placed inside a mark: its depth below the mark is how many pointer segments to
 * drop from the leaf to reach the marked field.
 */
export function nodePaths(text: string, parsed: ParsedText = parseText(text)): Map<number, Array<string | number>> {
  const out = new Map<number, Array<string | number>>();
  for (const doc of parsed.docs) {
    const visit = (n: Node | null | undefined, path: Array<string | number>) => {
      if (!n) return;
      if (n.range) out.set(n.range[0], path);
      if (isMap(n)) for (const pair of n.items) visit(pair.value as Node, [...path, isScalar(pair.key) ? String(pair.key.value) : String(pair.key)]);
      else if (isSeq(n)) n.items.forEach((item, i) => visit(item as Node, [...path, i]));
    };
    visit(doc.contents as Node, []);
  }
  return out;
}
