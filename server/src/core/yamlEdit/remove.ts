// Removing a map entry or a list item. A block entry goes with its whole lines (its inline comment and the comment
// lines inside it included); the comment lines above and below it stay. A flow entry goes with one comma.
import { isMap, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../text';
import type { Edit } from './source';
import { contentEnd, lineStart, nextLineStart, lastLineEnd } from './lines';
import { colonAfterKey } from './entries';

const entryStart = (parent: YAMLMap | YAMLSeq, i: number): number => (isMap(parent) ? ((parent.items[i] as Pair).key as Node).range![0] : (parent.items[i] as Node).range![0]);

function entryEndNode(parent: YAMLMap | YAMLSeq, i: number): Node {
  if (!isMap(parent)) return parent.items[i] as Node;
  const p = parent.items[i] as Pair;
  return ((p.value as Node | null)?.range ? p.value : p.key) as Node;
}

/** The span that deleting entry `i` of `parent` removes. */
export function entryRemoval(t: string, parent: YAMLMap | YAMLSeq, i: number): Span {
  const start = entryStart(parent, i);
  const endNode = entryEndNode(parent, i);
  if (parent.flow) {
    // `{a: 1, b: 2}` / `[1, 2]`: the entry and one comma (the one after it; the one before the last entry).
    if (i + 1 < parent.items.length) return { start, end: entryStart(parent, i + 1) };
    if (i > 0) return { start: contentEnd(t, entryEndNode(parent, i - 1)), end: contentEnd(t, endNode) };
    return { start, end: contentEnd(t, endNode) };
  }
  const lead = t.slice(lineStart(t, start), start);
  const wholeLines = /^[ \t]*$/.test(lead) || (/^[ \t]*-[ \t]+$/.test(lead) && !isMap(parent));
  // The first key of a list item (`- op: x`) with more keys after it: the key goes, the next one moves up behind the dash.
  if (!wholeLines && isMap(parent) && i + 1 < parent.items.length) return { start, end: entryStart(parent, i + 1) };
  return { start: lineStart(t, start), end: nextLineStart(t, lastLineEnd(t, endNode)) };
}

/** Removes entry `i` of `parent`. */
export function removeEntry(t: string, parent: YAMLMap | YAMLSeq, i: number): Edit {
  return { span: entryRemoval(t, parent, i), newText: '' };
}

/** `key:` whose last entry goes: `key: {}` (or `[]`), for where removing the key too is not ours to do. */
export function emptyCollection(t: string, pair: Pair, collection: YAMLMap | YAMLSeq): Edit | undefined {
  if (!collection.range) return undefined;
  const colon = colonAfterKey(t, pair);
  if (colon < 0) return undefined;
  return { span: { start: colon + 1, end: contentEnd(t, collection as Node) }, newText: isSeq(collection) ? ' []' : ' {}' };
}
