// Moving the entries of deprecated list fields into their successor (`bases` → `resources`, `patchesStrategicMerge`
// and `patchesJson6902` → `patches`): each entry converted by its field's converter, the entries moved as whole lines
// with the comments between and after them, re-indented to the successor's dashes. Comment lines above a deleted
// key stay where they are.
import { isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { applyEdits, type Edit } from './source';
import { contentEnd } from './lines';
import { pairOf, pairRegion, renameKey, valueBlock } from './entries';
import { appendToList, type MovedEntries } from './insert';
import { shiftLines } from './lines';

/** Edits (on the whole text) that convert one list entry in place; undefined when it cannot be converted. */
export type EntryConverter = (t: string, item: Node, flow: boolean) => Edit[] | undefined;

export const keepEntry: EntryConverter = () => [];

export interface ListSource {
  from: string;
  convert: EntryConverter;
}

interface Present {
  pair: Pair;
  seq: YAMLSeq | null;
  edits: Edit[];
}

function convertAll(t: string, pair: Pair, convert: EntryConverter): Present | undefined {
  const v = pair.value as Node | null;
  if (v === null || v === undefined) return { pair, seq: null, edits: [] };
  if (!isSeq(v)) return undefined;
  const edits: Edit[] = [];
  for (const item of (v as YAMLSeq).items as Node[]) {
    const e = convert(t, item, !!(v as YAMLSeq).flow);
    if (!e) return undefined;
    edits.push(...e);
  }
  return { pair, seq: v as YAMLSeq, edits };
}

/** A converted list as `- …` lines to move elsewhere (a flow list's entries one per line). */
function movedEntries(t: string, p: Present): MovedEntries | undefined {
  if (!p.seq || !p.seq.items.length) return { text: '', col: 0 };
  if (p.seq.flow) {
    const lines: string[] = [];
    for (const item of p.seq.items as Node[]) {
      const [s, e] = [item.range![0], contentEnd(t, item)];
      const inside = p.edits.filter((x) => x.span.start >= s && x.span.end <= e).map((x) => ({ span: { start: x.span.start - s, end: x.span.end - s }, newText: x.newText }));
      const text = applyEdits(t.slice(s, e), inside);
      lines.push(`- ${/^\{.*\}$/.test(text) ? text.slice(1, -1) : text}`);
    }
    return { text: lines.join('\n'), col: 0 };
  }
  const block = valueBlock(t, p.pair);
  if (!block) return undefined;
  const inside = p.edits.map((x) => ({ span: { start: x.span.start - block.start, end: x.span.end - block.start }, newText: x.newText }));
  return { text: applyEdits(t.slice(block.start, block.end), inside), col: block.col };
}

/**
 * Moves the entries of the `sources` lists of `map` into list `to`: appended when `to` exists (the sources deleted),
 * else the first source is renamed in place and the others appended to it. Undefined when an entry or a shape does
 * not allow a faithful edit.
 */
export function moveListEntries(t: string, map: YAMLMap, sources: ListSource[], to: string): Edit[] | undefined {
  const present: Present[] = [];
  for (const s of sources) {
    const pair = pairOf(map, s.from);
    if (!pair) continue;
    const p = convertAll(t, pair, s.convert);
    if (!p) return undefined;
    present.push(p);
  }
  if (!present.length) return [];
  const edits: Edit[] = [];
  let target = pairOf(map, to);
  let others = present;
  if (!target) {
    const [first, ...rest] = present;
    const rename = renameKey(t, first.pair, to);
    if (!rename) return undefined;
    edits.push(rename, ...first.edits);
    target = first.pair;
    others = rest;
  }
  // All moved entries go in one insertion (two at one offset would have no defined order).
  const moved: string[] = [];
  for (const p of others) {
    const m = movedEntries(t, p);
    if (!m) return undefined;
    if (m.text.trim()) moved.push(shiftLines(m.text, -m.col));
    edits.push({ span: pairRegion(t, p.pair), newText: '' });
  }
  if (moved.length) {
    const append = appendToList(t, target, { text: moved.join('\n'), col: 0 });
    if (!append) return undefined;
    edits.push(append);
  }
  return edits;
}
