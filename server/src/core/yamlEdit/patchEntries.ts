// Converters of deprecated patch list entries to `patches:` entries, as in-place edits of the entry (lists.ts moves
// the converted entry when it has to): only the text that changes is touched, so comments inside entries stay.
import { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Edit } from './source';
import type { EntryConverter } from './lists';
import { colonAfterKey, pairOf } from './entries';
import { column, contentEnd, lastLineEnd, lineStart, nextLineStart, shiftLineEdits, spaces } from './lines';

const isBlockScalar = (s: Scalar) => s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED';

/** `- file.yaml` → `- <fileKey>: file.yaml`; an inline patch (block scalar, or text with `: `) → `- patch: |…`. */
function scalarEntry(t: string, item: Node, flow: boolean, fileKey: 'path' | 'patch'): Edit[] | undefined {
  if (!isScalar(item) || !item.range) return undefined;
  const s = item as Scalar;
  const [start, end] = [item.range[0], contentEnd(t, item)];
  const oneLine = !t.slice(start, end).includes('\n');
  const isFile = !isBlockScalar(s) && oneLine && !/:\s/.test(String(s.value));
  const key = isFile ? fileKey : 'patch';
  if (flow) return oneLine ? [{ span: { start, end }, newText: `{${key}: ${t.slice(start, end)}}` }] : undefined;
  // The entry's further lines move two columns right, under the new key.
  return [{ span: { start, end: start }, newText: `${key}: ` }, ...shiftLineEdits(t, nextLineStart(t, start), lastLineEnd(t, item), 2)];
}

/** kustomize `patchesStrategicMerge` entry: a file → `path: file`; an inline patch → `patch: …`. */
export const kustomizeStrategicMergeEntry: EntryConverter = (t, item, flow) => scalarEntry(t, item, flow, 'path');

/** Flux `patchesStrategicMerge` entry, an object → `patch: |` with the object as its text. */
export const fluxStrategicMergeEntry: EntryConverter = (t, item, flow) => {
  if (flow) return undefined;
  if (isScalar(item)) return scalarEntry(t, item, flow, 'patch');
  if (!isMap(item) || !item.range) return undefined;
  const start = item.range[0];
  const c = column(t, start);
  return [{ span: { start, end: start }, newText: `patch: |\n${spaces(c + 2)}` }, ...shiftLineEdits(t, nextLineStart(t, start), lastLineEnd(t, item), 2, c + 2)];
};

/** Flux `patchesJson6902` entry `{target, patch: [ops]}` → `{target, patch: |ops as text}`. */
export const fluxJson6902Entry: EntryConverter = (t, item, flow) => {
  if (!isMap(item) || flow) return undefined;
  const p = pairOf(item as YAMLMap, 'patch') as Pair | undefined;
  const v = p?.value as Node | null | undefined;
  if (!p || !v?.range || isScalar(v)) return [];
  const keyCol = column(t, (p.key as Node).range![0]);
  const colon = colonAfterKey(t, p);
  const vStart = v.range[0];
  const delta = keyCol + 2 - column(t, vStart);
  if (lineStart(t, vStart) === lineStart(t, colon)) {
    // `patch: [...]` on the key's line: the text moves to a line of its own.
    return [{ span: { start: colon + 1, end: vStart }, newText: ` |\n${spaces(keyCol + 2)}` }, ...shiftLineEdits(t, nextLineStart(t, vStart), lastLineEnd(t, v), delta, keyCol + 2)];
  }
  return [{ span: { start: colon + 1, end: colon + 1 }, newText: ' |' }, ...shiftLineEdits(t, nextLineStart(t, colon), lastLineEnd(t, v), delta, keyCol + 2)];
};

