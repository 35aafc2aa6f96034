// kustomize's `commonLabels: {…}` → `labels: [{includeSelectors: true, pairs: {…}}]` (what `kustomize edit fix`
// writes), keeping the label lines, their comments and the key's own comment.
import { isMap, type Node, type YAMLMap } from 'yaml';
import type { Edit } from './source';
import { column, contentEnd, shiftLineEdits, shiftLines, spaces } from './lines';
import { colonAfterKey, pairOf, pairRegion, renameKey, valueBlock } from './entries';
import { appendToList } from './insert';

export function commonLabelsToLabels(t: string, map: YAMLMap): Edit[] | undefined {
  const src = pairOf(map, 'commonLabels');
  if (!src) return [];
  const m = src.value as Node | null;
  if (m && !isMap(m)) return undefined;
  const keyCol = column(t, (src.key as Node).range![0]);
  const block = valueBlock(t, src);
  const entryHead = 'includeSelectors: true';
  const target = pairOf(map, 'labels');
  if (target) {
    // Appended to the existing labels as one more entry.
    let entry: string;
    if (block) entry = `- ${entryHead}\n  pairs:\n${shiftLines(t.slice(block.start, block.end), 2 - keyCol)}`;
    else entry = `- ${entryHead}\n  pairs: ${m?.range ? t.slice(m.range[0], contentEnd(t, m)) : '{}'}`;
    const append = appendToList(t, target, { text: entry, col: 0 });
    return append ? [{ span: pairRegion(t, src), newText: '' }, append] : undefined;
  }
  const rename = renameKey(t, src, 'labels');
  if (!rename) return undefined;
  const colon = colonAfterKey(t, src);
  const head = `\n${spaces(keyCol)}- ${entryHead}\n${spaces(keyCol + 2)}pairs:`;
  if (block) {
    // The entry's first lines go after the key's line; the label lines (and comments) move two columns right.
    const keyLineEnd = t.indexOf('\n', colon);
    return [rename, { span: { start: keyLineEnd, end: keyLineEnd }, newText: head }, ...shiftLineEdits(t, block.start, block.end, 2)];
  }
  // A flow map or nothing on the key's line.
  const value = m?.range ? t.slice(m.range[0], contentEnd(t, m)) : '{}';
  const span = m?.range ? { start: colon + 1, end: contentEnd(t, m) } : { start: colon + 1, end: colon + 1 };
  return [rename, { span, newText: `${head} ${value}` }];
}
