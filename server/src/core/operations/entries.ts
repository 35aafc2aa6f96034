// A new kustomization entry written like an existing one: the entry that lists the example (a tenant's folder, a
// neighbouring app) copied with its names changed and appended to the same list, so the list keeps its style
// (`- alpha`, `- ./alpha/`, `- path: alpha-patch.yaml`, a flow list).
import { isMap, isSeq, isScalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Fleet } from '../model';
import { EditText } from '../yamlEdit/source';
import { appendToList } from '../yamlEdit/insert';
import { contentEnd, column, lineEnd, lineStart } from '../yamlEdit/lines';
import type { PlanEdit } from './plan';
import { entriesNaming, renameInYaml, type Renames } from './layout';

/** The list (a top-level pair's sequence) and item that hold the offset. */
function listItemAt(src: EditText, offset: number): { pair: Pair; seq: YAMLSeq; item: Node } | undefined {
  for (const doc of src.docs()) {
    const root = doc.contents as Node | null;
    if (!isMap(root)) continue;
    for (const pair of (root as YAMLMap).items as Pair[]) {
      const seq = pair.value as Node | null;
      if (!isSeq(seq)) continue;
      for (const item of (seq as YAMLSeq).items as Node[]) if (item?.range && item.range[0] <= offset && offset <= item.range[1]) return { pair, seq: seq as YAMLSeq, item };
    }
  }
  return undefined;
}

/** An item's own text as list syntax (`- …` lines, the first at the dash's column). */
export function itemText(t: string, seq: YAMLSeq, item: Node): { text: string; col: number } {
  if (seq.flow) return { text: `- ${t.slice(item.range![0], contentEnd(t, item))}`, col: 0 };
  const dash = t.lastIndexOf('-', item.range![0]);
  return { text: t.slice(lineStart(t, dash), lineEnd(t, contentEnd(t, item))), col: column(t, dash) };
}

/**
 * For every entry naming `target` in a kustomization file `listFile` accepts: the same entry with names changed,
 * appended to its list. Refused when the list cannot take an entry written like it.
 */
export function appendEntryLike(fleet: Fleet, target: string, listFile: (file: string) => boolean, renames: Renames): PlanEdit[] | { refused: string } {
  const out: PlanEdit[] = [];
  for (const { ref } of entriesNaming(fleet, target)) {
    const file = ref.owner.file;
    if (!listFile(file)) continue;
    const text = fleet.facts.get(file)?.text;
    if (text === undefined) continue;
    const src = new EditText(text);
    const found = listItemAt(src, src.fromFile(ref.span.start));
    if (!found) return { refused: `${file}: the entry ${ref.value} is not an item of a list` };
    const entry = itemText(src.text, found.seq, found.item);
    const renamed = renameInYaml(entry.text, renames);
    if (renamed === entry.text) return { refused: `${file}: the entry ${ref.value} carries no name to change` };
    // Already there (a second entry naming the target in the same list): one new entry.
    if ((found.seq.items as Node[]).some((i) => isScalar(i) && String((i as { value: unknown }).value) === renameInYaml(String((found.item as { value?: unknown }).value ?? ''), renames))) continue;
    const edit = appendToList(src.text, found.pair, { text: renamed, col: entry.col });
    if (!edit) return { refused: `${file}: cannot append to the list holding ${ref.value}` };
    for (const e of src.fileEdits([edit])) out.push({ file, span: e.span, newText: e.newText });
  }
  return out;
}
