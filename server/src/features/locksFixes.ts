// Quick-fixes for locked fields: "Remove this override" and "Reset to the locked value". Each is a minimal text edit
// computed on the yaml CST's offsets, so comments and formatting of everything else stay as they are:
//  - a key in a patch, values file, values block or resource: its lines go, and so do parents it leaves empty;
//  - a JSON 6902 operation: the whole `- op:` item goes (also a `remove` that deletes a locked field);
//  - a strategic-merge `key: null` that deletes a locked field: the key goes; a `$patch: delete|replace`: the map
//    or list item it sits in goes;
//  - a patch with nothing left but its identity (apiVersion, kind, metadata.name/namespace), or an operation list
//    with no operation left: the patch entry goes from the kustomization (or the Flux Kustomization's
//    `spec.patches`), and a patch file is deleted;
//  - a variable definition (`postBuild.substitute`, a ConfigMap's data key): the key goes.
import { isMap, isScalar, isSeq, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Fleet } from '../core/model';
import type { Finding } from '../core/findings';
import type { Json } from '../core/kustomize/types';
import type { Span } from '../core/text';
import { computeLineStarts, offsetToLineCol } from '../core/text';
import { lockFindingAt, type LockFindingDetail, type LockOptions } from '../core/locks/check';
import { locate, chainAt, type Chain, type Region } from '../core/locks/yamlText';
import { parseYamlAll } from '../core/yamlParse';
import { isKustomizationFileName, basename } from '../core/paths';
import type { TextEdit } from './codeActions';

export interface LockCodeAction {
  title: string;
  edits: TextEdit[];
  /** Files to delete after the edits (a patch file with nothing left). */
  deleteFiles: string[];
  preferred?: boolean;
}

const PATCH_ROLES = new Set(['patches', 'patchesStrategicMerge', 'patchesJson6902']);
const IDENTITY = new Set(['apiVersion', 'kind', 'metadata']);

function currentText(fleet: Fleet, file: string): string | undefined {
  return fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? fleet.fs.readFile(file);
}

/** Quick-fixes for a locked-field or redundant-override finding (recomputed from the fleet, so any client works). */
export function lockCodeActions(fleet: Fleet, finding: Pick<Finding, 'file' | 'span' | 'code'>, options: LockOptions = {}): LockCodeAction[] {
  if (finding.code !== 'locked-field' && finding.code !== 'redundant-override') return [];
  const hit = lockFindingAt(fleet, finding, options);
  if (!hit) return [];
  const { detail } = hit;
  const out: LockCodeAction[] = [];
  const removal = removeOverride(fleet, finding.file, finding.span, detail);
  if (removal) out.push({ title: 'Remove this override', ...removal, preferred: true });
  // (A removal has no value to reset: removing the removal puts the locked value back.)
  const reset = finding.code === 'locked-field' && !detail.removal ? resetToLocked(fleet, finding.file, finding.span, detail) : undefined;
  if (reset) out.push(reset);
  return out;
}

// ---- reset -----------------------------------------------------------------------------------------------------

/** YAML text for a scalar, in the style of the text it replaces (quotes kept). */
export function scalarText(value: Json, replacing: string): string | undefined {
  if (value !== null && typeof value === 'object') return undefined;
  if (typeof value === 'string') {
    if (replacing.startsWith('"')) return JSON.stringify(value);
    if (replacing.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
    const plain = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
    return plain.includes('\n') ? JSON.stringify(value) : plain;
  }
  return value === null ? 'null' : String(value);
}

function resetToLocked(fleet: Fleet, file: string, span: Span, detail: LockFindingDetail): LockCodeAction | undefined {
  const locked = detail.lockedValue;
  if (!locked || (typeof locked.value === 'string' && locked.value.includes('${'))) return undefined;
  const text = currentText(fleet, file);
  if (text === undefined || span.end <= span.start) return undefined;
  const old = text.slice(span.start, span.end);
  if (old.includes('\n') || /^[|>]/.test(old)) return undefined;
  const located = locate(file, text, span);
  const node = located?.chain.links[located.chain.links.length - 1].node;
  if (!node || !isScalar(node)) return undefined;
  const newText = scalarText(locked.value, old);
  if (newText === undefined) return undefined;
  return { title: `Reset to the locked value ${newText}`, edits: [{ file, span, newText }], deleteFiles: [] };
}

// ---- remove ----------------------------------------------------------------------------------------------------

interface Removal {
  edits: TextEdit[];
  deleteFiles: string[];
}

function removeOverride(fleet: Fleet, file: string, span: Span, detail: LockFindingDetail): Removal | undefined {
  const kind = detail.writeKind;
  if (kind !== 'patch' && kind !== 'values' && kind !== 'resource' && kind !== 'variable') return undefined;
  const text = currentText(fleet, file);
  if (text === undefined) return undefined;
  const located = locate(file, text, span);
  if (!located) return undefined;
  const { region, docs, chain } = located;
  const links = chain.links;
  if (links.length < 2) return undefined;
  let level = links.length - 1;
  const root = links[0].node;
  const isPatch = kind === 'patch';
  // A JSON 6902 operation goes as a whole.
  if (isPatch && isSeq(root) && level >= 1) level = 1;
  // A `$patch` directive goes with the map (or list item) it applies to.
  const pair = links[level].pair;
  if (isPatch && level >= 2 && pair && isScalar(pair.key) && pair.key.value === '$patch') level--;
  const minLevel = isPatch || kind === 'values' || isKustomizationFileName(basename(file)) ? 1 : 2;
  for (;;) {
    const parent = links[level].parent!;
    const alone = parent.items.length === 1;
    if (level === 1 && isPatch && (alone || (isMap(parent) && onlyIdentityLeft(parent, links[1].pair!)))) {
      return removeDocument(fleet, region, docs, chain.docIndex);
    }
    if (alone && level - 1 >= minLevel) {
      level--;
      continue;
    }
    if (alone) return { edits: [emptyCollection(region, links[level - 1], parent)].filter(Boolean) as TextEdit[], deleteFiles: [] };
    return { edits: [entryDeletion(region, parent, links[level])], deleteFiles: [] };
  }
}

/** A patch document's root with `pair` gone holds nothing but what selects the target. */
function onlyIdentityLeft(root: YAMLMap, pair: Pair): boolean {
  return root.items.every((p) => {
    if (p === pair) return true;
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (!IDENTITY.has(k)) return false;
    if (k !== 'metadata') return true;
    return isMap(p.value) && p.value.items.every((m) => ['name', 'namespace'].includes(isScalar(m.key) ? String(m.key.value) : ''));
  });
}

/** Removes document `docIndex` of a region; when it is the only one, the patch itself goes. */
function removeDocument(fleet: Fleet, region: Region, docs: Document.Parsed[], docIndex: number): Removal | undefined {
  const nonEmpty = docs.filter((d) => d.contents !== null);
  if (nonEmpty.length > 1) {
    const lines = region.text.split('\n');
    const starts = computeLineStarts(region.text);
    // Document boundaries are the `---` lines; delete the document and the marker that opens it (or closes it).
    const markers = lines.map((l, i) => (/^---(\s|$)/.test(l) ? i : -1)).filter((i) => i >= 0);
    const docLine = offsetToLineCol(starts, (docs[docIndex].contents as Node).range![0]).line;
    const before = [...markers].reverse().find((m) => m < docLine);
    const after = markers.find((m) => m >= docLine);
    const from = before ?? 0;
    const to = before === undefined ? (after !== undefined ? after + 1 : lines.length) : after ?? lines.length;
    return { edits: [lineDeletion(region, from, to)], deleteFiles: [] };
  }
  // Nothing left in this patch.
  if (region.host) return removeHostEntry(fleet, region);
  const file = region.file;
  const edits: TextEdit[] = [];
  for (const inc of fleet.links.includers.get(file) ?? []) {
    if (inc.type !== 'kustomize' || !PATCH_ROLES.has(inc.role)) continue;
    const text = currentText(fleet, inc.file);
    if (text === undefined) continue;
    const docsK = parseYamlAll(text) as Document.Parsed[];
    const chain = chainAt(docsK, inc.span.start, inc.span.end);
    if (!chain) continue;
    const r = removeListEntry({ file: inc.file, fileText: text, text, toFile: (o) => o, fromFile: (o) => o, lineToFile: (i) => lineStartOf(text, i) }, chain, 1);
    if (r) edits.push(...r);
  }
  return { edits, deleteFiles: [file] };
}

function lineStartOf(text: string, line: number): number {
  const starts = computeLineStarts(text);
  return line < starts.length ? starts[line] : text.length;
}

/** The patch held by a block scalar is empty: its entry in `patches:` / `spec.patches` goes. */
function removeHostEntry(fleet: Fleet, region: Region): Removal | undefined {
  const host = region.host!;
  const outer: Region = { file: region.file, fileText: region.fileText, text: region.fileText, toFile: (o) => o, fromFile: (o) => o, lineToFile: (i) => lineStartOf(region.fileText, i) };
  const minLevel = isKustomizationFileName(basename(region.file)) ? 1 : 2;
  const edits = removeListEntry(outer, host.chain, minLevel);
  return edits ? { edits, deleteFiles: [] } : undefined;
}

/** Removes the list item that holds the chain's last node (and the list's key when it empties). */
function removeListEntry(region: Region, chain: Chain, minLevel: number): TextEdit[] | undefined {
  const links = chain.links;
  let level = -1;
  for (let i = links.length - 1; i >= 1; i--) {
    if (isSeq(links[i].parent)) {
      level = i;
      break;
    }
  }
  if (level < 0) return undefined;
  for (;;) {
    const parent = links[level].parent!;
    if (parent.items.length === 1 && level - 1 >= minLevel) {
      level--;
      continue;
    }
    if (parent.items.length === 1) {
      const e = emptyCollection(region, links[level - 1], parent);
      return e ? [e] : undefined;
    }
    return [entryDeletion(region, parent, links[level])];
  }
}

/** Deletes lines [from, to) of a region (as whole lines of the file). */
function lineDeletion(region: Region, from: number, to: number): TextEdit {
  return { file: region.file, span: { start: region.lineToFile(from), end: region.lineToFile(to) }, newText: '' };
}

function lastContentOffset(text: string, start: number, end: number): number {
  let e = Math.min(end, text.length);
  while (e > start && /\s/.test(text[e - 1])) e--;
  return Math.max(start, e - 1);
}

/** The edit that deletes one entry (a map pair or a list item) from its collection. */
function entryDeletion(region: Region, parent: YAMLMap | YAMLSeq, link: Chain['links'][number]): TextEdit {
  const text = region.text;
  const starts = computeLineStarts(text);
  const isPairEntry = isMap(parent);
  const startNode = (isPairEntry ? (link.pair!.key as Node) : link.node) as Node;
  const start = startNode.range![0];
  const endNode = (isPairEntry ? ((link.pair!.value as Node | null) ?? (link.pair!.key as Node)) : link.node) as Node;
  const end = endNode.range![1];
  if (parent.flow) {
    // `{a: 1, b: 2}` / `[1, 2]`: the item and one comma.
    const i = link.index;
    const itemStart = (n: unknown) => (isMap(parent) ? ((n as Pair).key as Node).range![0] : (n as Node).range![0]);
    const from = i + 1 < parent.items.length ? start : (() => {
      const prev = parent.items[i - 1];
      const prevEnd = isMap(parent) ? (((prev as Pair).value as Node | null) ?? ((prev as Pair).key as Node)).range![1] : (prev as Node).range![1];
      return prevEnd;
    })();
    const to = i + 1 < parent.items.length ? itemStart(parent.items[i + 1]) : end;
    return { file: region.file, span: { start: region.toFile(from), end: region.toFile(to) }, newText: '' };
  }
  const startLine = offsetToLineCol(starts, start).line;
  const lead = text.slice(starts[startLine], start);
  const endLine = offsetToLineCol(starts, lastContentOffset(text, start, end)).line;
  const onlyIndent = /^[ \t]*$/.test(lead);
  const dashOnly = /^[ \t]*-[ \t]+$/.test(lead) && !isPairEntry;
  if (onlyIndent || dashOnly) return lineDeletion(region, startLine, endLine + 1);
  // The first key of a list item (`- op: x`): the key goes, the next one moves up behind the dash.
  if (isPairEntry && link.index + 1 < parent.items.length) {
    const next = ((parent.items[link.index + 1] as Pair).key as Node).range![0];
    return { file: region.file, span: { start: region.toFile(start), end: region.toFile(next) }, newText: '' };
  }
  return lineDeletion(region, startLine, endLine + 1);
}

/** `key:` whose last entry goes: `key: {}` (or `[]`), keeping the key where removing it is not ours to do. */
function emptyCollection(region: Region, holder: Chain['links'][number], collection: YAMLMap | YAMLSeq): TextEdit | undefined {
  const pair = holder.pair;
  if (!pair || !isScalar(pair.key) || !collection.range) return undefined;
  const text = region.text;
  const colon = text.indexOf(':', (pair.key as Node).range![1]);
  if (colon < 0) return undefined;
  const end = lastContentOffset(text, collection.range[0], collection.range[1]) + 1;
  return { file: region.file, span: { start: region.toFile(colon + 1), end: region.toFile(end) }, newText: isSeq(collection) ? ' []' : ' {}' };
}
