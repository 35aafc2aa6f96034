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
// Edits are computed on the file's LF view (core/yamlEdit) and written back with the file's line ends and BOM.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Fleet } from '../core/model';
import type { Finding } from '../core/findings';
import type { Span } from '../core/text';
import { computeLineStarts, offsetToLineCol } from '../core/text';
import { lockFindingAt, type LockFindingDetail, type LockOptions } from '../core/locks/check';
import { locate, chainAt, fileRegion, type Chain, type Region } from '../core/locks/yamlText';
import { isKustomizationFileName, basename } from '../core/paths';
import { EditText, type Edit } from '../core/yamlEdit/source';
import { emptyCollection, entryRemoval } from '../core/yamlEdit/remove';
import { replaceScalarAt } from '../core/yamlEdit/scalar';
import type { TextEdit } from './codeActions';

export interface LockCodeAction {
  title: string;
  edits: TextEdit[];
  /** Files to delete after the edits (a patch file with nothing left). */
  deleteFiles: string[];
  preferred?: boolean;
}

const PATCH_ROLES: ReadonlySet<string> = new Set(['patches', 'patchesStrategicMerge', 'patchesJson6902']);
const IDENTITY: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);

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

function resetToLocked(fleet: Fleet, file: string, span: Span, detail: LockFindingDetail): LockCodeAction | undefined {
  const locked = detail.lockedValue;
  if (!locked || (typeof locked.value === 'string' && locked.value.includes('${'))) return undefined;
  // A secret locked value is never shown nor copied into another file: "Remove this override" puts it back.
  if (locked.secret) return undefined;
  const text = currentText(fleet, file);
  if (text === undefined || span.end <= span.start) return undefined;
  const src = new EditText(text);
  const at = src.fromFileSpan(span);
  const located = locate(file, src.text, at);
  const node = located?.chain.links[located.chain.links.length - 1].node;
  if (!node || !isScalar(node)) return undefined;
  const edit = replaceScalarAt(src.text, at, locked.value);
  if (!edit) return undefined;
  return { title: `Reset to the locked value ${edit.newText}`, edits: inFile(file, src, [edit]), deleteFiles: [] };
}

/** View edits → the file's edits. */
function inFile(file: string, src: EditText, edits: Edit[]): TextEdit[] {
  return src.fileEdits(edits).map((e) => ({ file, ...e }));
}

/** A span of a region's text → the file's view: offsets at a line start go to the file line's start. */
function regionSpan(region: Region, span: Span): Span {
  const at = (o: number) => {
    if (o !== 0 && region.text[o - 1] !== '\n') return region.toFile(o);
    return region.lineToFile(o === 0 ? 0 : region.text.slice(0, o).split('\n').length - 1);
  };
  return { start: at(span.start), end: at(span.end) };
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
  const src = new EditText(text);
  const located = locate(file, src.text, src.fromFileSpan(span));
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
      return removeDocument(fleet, src, region, docs, chain.docIndex);
    }
    if (alone && level - 1 >= minLevel) {
      level--;
      continue;
    }
    const edit = alone ? emptied(region, links[level - 1], parent) : entryEdit(region, parent, links[level]);
    return edit ? { edits: inFile(file, src, [edit]), deleteFiles: [] } : undefined;
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
function removeDocument(fleet: Fleet, src: EditText, region: Region, docs: Document.Parsed[], docIndex: number): Removal | undefined {
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
    return { edits: inFile(region.file, src, [{ span: { start: region.lineToFile(from), end: region.lineToFile(to) }, newText: '' }]), deleteFiles: [] };
  }
  // Nothing left in this patch.
  if (region.host) {
    // The patch held by a block scalar: its entry in `patches:` / `spec.patches` goes.
    const edits = removeListEntry(fileRegion(region.file, src.text), region.host.chain, isKustomizationFileName(basename(region.file)) ? 1 : 2);
    return edits ? { edits: inFile(region.file, src, edits), deleteFiles: [] } : undefined;
  }
  const file = region.file;
  const edits: TextEdit[] = [];
  for (const inc of fleet.links.includers.get(file) ?? []) {
    if (inc.type !== 'kustomize' || !PATCH_ROLES.has(inc.role)) continue;
    const text = currentText(fleet, inc.file);
    if (text === undefined) continue;
    const k = new EditText(text);
    const chain = chainAt(k.docs(), k.fromFile(inc.span.start), k.fromFile(inc.span.end));
    const r = chain && removeListEntry(fileRegion(inc.file, k.text), chain, 1);
    if (r) edits.push(...inFile(inc.file, k, r));
  }
  return { edits, deleteFiles: [file] };
}

/** Removes the list item that holds the chain's last node (and the list's key when it empties). */
function removeListEntry(region: Region, chain: Chain, minLevel: number): Edit[] | undefined {
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
    const e = parent.items.length === 1 ? emptied(region, links[level - 1], parent) : entryEdit(region, parent, links[level]);
    return e ? [e] : undefined;
  }
}

/** Deleting one entry of a region's collection, as an edit of the file's view. */
function entryEdit(region: Region, parent: YAMLMap | YAMLSeq, link: Chain['links'][number]): Edit {
  return { span: regionSpan(region, entryRemoval(region.text, parent, link.index)), newText: '' };
}

/** The collection's last entry goes: `key: {}` / `key: []`, as an edit of the file's view. */
function emptied(region: Region, holder: Chain['links'][number], collection: YAMLMap | YAMLSeq): Edit | undefined {
  const e = holder.pair ? emptyCollection(region.text, holder.pair, collection) : undefined;
  return e && { span: regionSpan(region, e.span), newText: e.newText };
}
