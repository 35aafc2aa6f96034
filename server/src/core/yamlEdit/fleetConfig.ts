// One more `url: folder` mapping in `.flux-fleet.yaml`: after the last entry of `repositories:` at its entries'
// indentation, `repositories: {}` opened into a block, or `repositories:` added at the end when absent.
import { isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Edit } from './source';
import { EditText } from './source';
import { plainOrQuoted } from './scalar';
import { pairOf } from './entries';
import { indentUnit, insertMapEntry } from './insert';
import { lineEnd, lineStart, spaces } from './lines';

/** The text of a new configuration file holding only the mapping (LF; the caller writes it with the line ends it wants). */
export function newFleetConfig(key: string, value: string): string {
  return `repositories:\n  ${plainOrQuoted(key)}: ${plainOrQuoted(value)}\n`;
}

/** Edits (on the file's own text and offsets) adding the mapping to an existing configuration file. */
export function addRepositoryMapping(fileText: string, key: string, value: string): Edit[] {
  const src = new EditText(fileText);
  const t = src.text;
  const entryKey = plainOrQuoted(key);
  const entryValue = plainOrQuoted(value);
  const doc = src.docs()[0];
  const root = doc?.contents as Node | null | undefined;
  const unit = indentUnit(t, root);
  const pair = isMap(root) ? pairOf(root, 'repositories') : undefined;
  const repos = pair?.value as Node | null | undefined;
  if (pair && isMap(repos)) {
    const e = insertMapEntry(t, repos as YAMLMap, entryKey, entryValue, pair as Pair, unit);
    if (e) return src.fileEdits([e]);
  }
  if (pair && (repos === null || repos === undefined || (isScalar(repos) && repos.value === null && !t.slice(repos.range![0], repos.range![1]).trim()))) {
    // `repositories:` with nothing under it.
    const at = lineEnd(t, (pair.key as Node).range![1]);
    const col = (pair.key as Node).range![0] - lineStart(t, (pair.key as Node).range![0]) + unit;
    return src.fileEdits([{ span: { start: at, end: at }, newText: `\n${spaces(col)}${entryKey}: ${entryValue}` }]);
  }
  const sep = t.length && !t.endsWith('\n') ? '\n' : '';
  return src.fileEdits([{ span: { start: t.length, end: t.length }, newText: `${sep}repositories:\n${spaces(unit)}${entryKey}: ${entryValue}\n` }]);
}
