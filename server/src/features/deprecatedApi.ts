// `deprecated-api` warnings and their quick-fixes: a Flux object on a deprecated apiVersion (upgraded to the current
// one with the field changes that version made), and kustomize's deprecated kustomization fields (rewritten the way
// `kustomize edit fix` does). Fixes are minimal text edits: the apiVersion value, the renamed keys, the converted
// entries; every other line, comment and quote stays as written.
import { isMap, isSeq, isScalar, isPair, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq, type Scalar } from 'yaml';
import { parseYamlAll } from '../core/yamlParse';
import type { Fleet } from '../core/model';
import type { FileFacts } from '../core/facts';
import type { Span } from '../core/text';
import type { SchemaFinding } from '../core/schemas/findings';
import { deprecatedApi, KUSTOMIZE_DEPRECATED_FIELDS, type FieldChange } from '../core/schemas/deprecations';
import { KUSTOMIZE_CONFIG_GROUP } from '../core/schemas/catalog';
import { mapGet, scalarText, spanOf } from '../core/yamlAccess';
import { basename, isKustomizationFileName } from '../core/paths';
import type { CodeAction, TextEdit } from './codeActions';

interface Deprecation {
  doc: number;
  span: Span;
  message: string;
  /** `api`: the document's apiVersion; otherwise the kustomization field. */
  field: 'api' | string;
}

// ---------------------------------------------------------------------------------------------------------------
// Finding them

function parse(text: string): Document[] {
  try {
    const docs = parseYamlAll(text, { uniqueKeys: false, strict: false, logLevel: 'error' });
    return Array.isArray(docs) ? (docs as Document[]) : [];
  } catch {
    return [];
  }
}

function isKustomizeDoc(file: string, root: Node): boolean {
  if (!isKustomizationFileName(basename(file))) return false;
  const api = scalarText(mapGet(root, 'apiVersion'));
  return api === undefined || api.startsWith(KUSTOMIZE_CONFIG_GROUP + '/');
}

export function findDeprecations(file: string, text: string): Deprecation[] {
  // Parse only what can hold a deprecation: an old Flux version, or a kustomization with a deprecated field.
  const kustomization = isKustomizationFileName(basename(file)) && /^(bases|patchesStrategicMerge|patchesJson6902|commonLabels)\s*:/m.test(text);
  if (!kustomization && !/toolkit\.fluxcd\.io\/v(1beta[12]|2beta[12])\b/.test(text)) return [];
  const out: Deprecation[] = [];
  parse(text).forEach((doc, i) => {
    const root = doc.contents as Node | null;
    if (!isMap(root) || doc.errors.length) return;
    if (isKustomizeDoc(file, root)) {
      for (const pair of root.items as Pair[]) {
        const key = scalarText(pair.key);
        const rule = key !== undefined ? KUSTOMIZE_DEPRECATED_FIELDS[key] : undefined;
        const span = spanOf(pair.key as Node);
        if (rule && span) out.push({ doc: i, span, message: `${rule.note} (kustomize edit fix).`, field: key! });
      }
      return;
    }
    const apiNode = mapGet(root, 'apiVersion');
    const kind = scalarText(mapGet(root, 'kind'));
    const d = deprecatedApi(scalarText(apiNode), kind);
    const span = spanOf(apiNode);
    if (!d || !span) return;
    const present = d.changes.filter((c) => matchPairs(root, c.path).length > 0);
    const extra = present.length ? ` Upgrading also changes: ${present.map((c) => c.note).join('; ')}.` : '';
    out.push({ doc: i, span, message: `${kind} ${d.from} is deprecated: use ${d.to}.${extra}`, field: 'api' });
  });
  return out;
}

const findingsCache = new WeakMap<FileFacts, SchemaFinding[]>();

/** `deprecated-api` warnings of one file (cached per indexed text). */
export function deprecatedApiFindings(fleet: Fleet, file: string): SchemaFinding[] {
  const facts = fleet.facts.get(file);
  if (!facts || facts.skipped) return [];
  let out = findingsCache.get(facts);
  if (!out) {
    out = findDeprecations(file, facts.text).map((d) => ({ file, span: d.span, severity: 'warning' as const, code: 'deprecated-api' as const, message: d.message }));
    findingsCache.set(facts, out);
  }
  return out;
}

export function fleetDeprecatedApiFindings(fleet: Fleet): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const file of fleet.facts.keys()) out.push(...deprecatedApiFindings(fleet, file));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Quick-fixes

/** Quick-fixes for the `deprecated-api` finding at `span` of `file`. */
export function deprecatedApiFixes(fleet: Fleet, file: string, span: Span): CodeAction[] {
  const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text;
  if (text === undefined) return [];
  return deprecationFixes(file, text, span);
}

/** The same, on a text (pure: what the tests call). */
export function deprecationFixes(file: string, text: string, span: Span): CodeAction[] {
  const all = findDeprecations(file, text);
  const hit = all.find((d) => d.span.start <= span.start && span.start <= d.span.end) ?? all.find((d) => d.span.start < span.end && span.start < d.span.end);
  if (!hit) return [];
  const docs = parse(text);
  const root = docs[hit.doc]?.contents as Node | null;
  if (!isMap(root)) return [];
  if (hit.field === 'api') {
    const edits = upgradeEdits(text, root);
    const d = deprecatedApi(scalarText(mapGet(root, 'apiVersion')), scalarText(mapGet(root, 'kind')));
    return edits && d ? [{ title: `Upgrade to ${d.to}`, createFiles: [], edits: edits.map((e) => ({ ...e, file })), preferred: true }] : [];
  }
  const actions: CodeAction[] = [];
  const one = kustomizeFieldEdits(text, root, [hit.field]);
  if (one) actions.push({ title: `Replace '${hit.field}' with '${KUSTOMIZE_DEPRECATED_FIELDS[hit.field].to}'`, createFiles: [], edits: one.map((e) => ({ ...e, file })), preferred: true });
  const fields = all.filter((d) => d.doc === hit.doc && d.field !== 'api').map((d) => d.field);
  if (fields.length > 1) {
    const every = kustomizeFieldEdits(text, root, fields);
    if (every) actions.push({ title: 'Fix every deprecated field (kustomize edit fix)', createFiles: [], edits: every.map((e) => ({ ...e, file })) });
  }
  return actions;
}

type Edit = Omit<TextEdit, 'file'>;

// Text geometry.
const lineStart = (t: string, o: number) => t.lastIndexOf('\n', o - 1) + 1;
const lineEnd = (t: string, o: number) => {
  const i = t.indexOf('\n', o);
  return i < 0 ? t.length : i;
};
const colOf = (t: string, o: number) => o - lineStart(t, o);
const pad = (n: number) => ' '.repeat(n);

function rangeOf(n: Node | null | undefined): [number, number] | undefined {
  const r = n?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** End of the node's last character (trailing blanks and line breaks excluded). */
function contentEnd(t: string, n: Node): number {
  const [s, e0] = rangeOf(n)!;
  let e = e0;
  while (e > s && /\s/.test(t[e - 1])) e--;
  return e;
}

/**
 * The node's text as lines, the first starting at the node, the others with the node's column removed. In a block
 * collection a node runs to the end of its last line (its trailing comment goes with it); in a flow one it is exact.
 */
function nodeLines(t: string, n: Node, flow = false): string[] {
  const s = rangeOf(n)![0];
  if (flow) return [t.slice(s, contentEnd(t, n))];
  const c = colOf(t, s);
  return t
    .slice(s, lineEnd(t, contentEnd(t, n)))
    .split('\n')
    .map((l, i) => (i === 0 ? l : l.slice(0, c).trim() === '' ? l.slice(c) : l.trimStart()));
}

/** Lines (relative to a column) placed at `col`: the first line stays where it is, the rest are indented. */
function place(lines: string[], col: number): string {
  return lines.map((l, i) => (i === 0 || l.trim() === '' ? l : pad(col) + l)).join('\n');
}

/** A YAML block literal holding `lines`, for a key at column `keyCol`. */
function blockLiteral(lines: string[], keyCol: number): string {
  return '|\n' + lines.map((l) => (l.trim() === '' ? '' : pad(keyCol + 2) + l)).join('\n');
}

function keyName(p: Pair): string | undefined {
  return scalarText(p.key);
}

function pairOf(map: Node | null | undefined, key: string): Pair | undefined {
  return isMap(map) ? ((map as YAMLMap).items as Pair[]).find((p) => isPair(p) && keyName(p) === key) : undefined;
}

/** Pairs at a path below a map (`*` walks every item of a sequence). */
function matchPairs(node: Node | null | undefined, path: string[]): Pair[] {
  if (!path.length || !node) return [];
  const [head, ...rest] = path;
  if (head === '*') return isSeq(node) ? (node as YAMLSeq).items.flatMap((it) => matchPairs(it as Node, rest)) : [];
  const p = pairOf(node, head);
  if (!p) return [];
  return rest.length ? matchPairs(p.value as Node, rest) : [p];
}

/** The whole pair, as a region to delete: its lines when it starts a line, else from its key. */
function pairRegion(t: string, p: Pair): Span {
  const ks = rangeOf(p.key as Node)![0];
  const v = p.value as Node | null;
  const end = lineEnd(t, v && rangeOf(v) ? contentEnd(t, v) : rangeOf(p.key as Node)![1]);
  const ls = lineStart(t, ks);
  if (t.slice(ls, ks).trim() === '') return { start: ls, end: end < t.length ? end + 1 : end };
  return { start: ks, end };
}

function renameKey(p: Pair, to: string): Edit | undefined {
  const r = rangeOf(p.key as Node);
  if (!r || !isScalar(p.key) || (p.key as Scalar).type !== 'PLAIN') return r ? { span: { start: r[0], end: r[1] }, newText: JSON.stringify(to) } : undefined;
  return { span: { start: r[0], end: r[1] }, newText: to };
}

type ItemTransform = (t: string, item: Node, flow: boolean) => string[] | undefined;

const identity: ItemTransform = (t, item, flow) => nodeLines(t, item, flow);

/** kustomize patchesStrategicMerge entry: a file → `path: file`; an inline patch → `patch: …`. */
const kustomizePsmItem: ItemTransform = (t, item, flow) => {
  if (!isScalar(item)) return undefined;
  const lines = nodeLines(t, item, flow);
  const s = item as Scalar;
  const block = s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED';
  if (!block && lines.length === 1 && !/:\s/.test(String(s.value))) return [`path: ${lines[0]}`];
  return [`patch: ${lines[0]}`, ...lines.slice(1).map((l) => (l.trim() ? '  ' + l : l))];
};

/** Flux patchesStrategicMerge entry (an object) → `patch: |` with the object as text. */
const fluxSmpItem: ItemTransform = (t, item, flow) => {
  if (flow) return undefined;
  if (isScalar(item)) return kustomizePsmItem(t, item, flow)?.map((l) => l.replace(/^path: /, 'patch: '));
  if (!isMap(item)) return undefined;
  return ['patch: |', ...nodeLines(t, item).map((l) => (l.trim() ? '  ' + l : ''))];
};

/** Flux/HelmRelease patchesJson6902 entry `{target, patch: [ops]}` → `{target, patch: |ops as text}`. */
const fluxJson6902Item: ItemTransform = (t, item, flow) => {
  if (!isMap(item) || flow) return undefined;
  const p = pairOf(item, 'patch');
  const v = p?.value as Node | null | undefined;
  if (!p || !v || isScalar(v)) return nodeLines(t, item);
  const start = rangeOf(item)![0];
  const keyEnd = rangeOf(p.key as Node)![1];
  const keyCol = colOf(t, rangeOf(p.key as Node)![0]);
  const valueEnd = lineEnd(t, contentEnd(t, v));
  const colon = t.indexOf(':', keyEnd);
  const rebuilt = t.slice(start, colon) + ': ' + blockLiteral(nodeLines(t, v), keyCol) + t.slice(valueEnd, lineEnd(t, contentEnd(t, item)));
  const c = colOf(t, start);
  return rebuilt.split('\n').map((l, i) => (i === 0 ? l : l.slice(0, c).trim() === '' ? l.slice(c) : l.trimStart()));
};

/** Appends entries (lines relative to their content column) to an existing sequence. */
function appendToSeq(t: string, seq: Node, entries: string[][]): Edit | undefined {
  if (!isSeq(seq)) return undefined;
  const s = seq as YAMLSeq;
  const r = rangeOf(seq)!;
  if (s.flow) {
    if (entries.some((e) => e.length > 1)) return undefined;
    const close = t.lastIndexOf(']', r[1]);
    if (close < r[0]) return undefined;
    const flowItems = entries.map((e) => (/^[\w.-]+: /.test(e[0]) ? `{${e[0]}}` : e[0]));
    return { span: { start: close, end: close }, newText: (s.items.length ? ', ' : '') + flowItems.join(', ') };
  }
  if (!s.items.length) return undefined;
  const dash = colOf(t, r[0]);
  const at = lineEnd(t, contentEnd(t, seq));
  return { span: { start: at, end: at }, newText: entries.map((e) => `\n${pad(dash)}- ${place(e, dash + 2)}`).join('') };
}

/** The entries of a list field after `transform`, or undefined when one cannot be converted. */
function entriesOf(t: string, seq: Node | null, transform: ItemTransform): string[][] | undefined {
  if (!seq) return [];
  if (!isSeq(seq)) return undefined;
  const out: string[][] = [];
  for (const item of (seq as YAMLSeq).items as Node[]) {
    const lines = transform(t, item, !!(seq as YAMLSeq).flow);
    if (!lines) return undefined;
    out.push(lines);
  }
  return out;
}

/**
 * Moves list fields into their successor `to`: when `to` exists, their entries are appended to it and the old
 * fields deleted; otherwise the first one is renamed (its entries converted in place) and the others appended to it.
 * Each entry goes through its source's transform. False when the shapes do not allow a faithful edit.
 */
function convertLists(t: string, map: Node, sources: Array<{ from: string; transform: ItemTransform }>, to: string, edits: Edit[]): boolean {
  const present = sources.map((s) => ({ ...s, pair: pairOf(map, s.from) })).filter((s): s is typeof s & { pair: Pair } => !!s.pair);
  if (!present.length) return true;
  const converted = present.map((s) => ({ ...s, entries: entriesOf(t, s.pair.value as Node | null, s.transform) }));
  if (converted.some((c) => !c.entries)) return false;
  const target = pairOf(map, to);
  if (target) {
    const all = converted.flatMap((c) => c.entries!);
    if (all.length) {
      const append = appendToSeq(t, target.value as Node, all);
      if (!append) return false;
      edits.push(append);
    }
    for (const c of converted) edits.push({ span: pairRegion(t, c.pair), newText: '' });
    return true;
  }
  const [first, ...others] = converted;
  const rename = renameKey(first.pair, to);
  if (!rename) return false;
  edits.push(rename);
  const seq = first.pair.value as Node | null;
  if (isSeq(seq)) {
    const flow = (seq as YAMLSeq).flow;
    ((seq as YAMLSeq).items as Node[]).forEach((item, i) => {
      const after = first.entries![i];
      if (nodeLines(t, item, flow).join('\n') === after.join('\n')) return;
      const r = rangeOf(item)!;
      const text = flow ? (after.length === 1 ? (/^[\w.-]+: /.test(after[0]) ? `{${after[0]}}` : after[0]) : undefined) : place(after, colOf(t, r[0]));
      if (text !== undefined) edits.push({ span: { start: r[0], end: flow ? contentEnd(t, item) : lineEnd(t, contentEnd(t, item)) }, newText: text });
    });
    if (flow && first.entries!.some((e) => e.length > 1)) return false;
  }
  const rest = others.flatMap((c) => c.entries!);
  if (rest.length) {
    if (!isSeq(seq) || !(seq as YAMLSeq).items.length) return false;
    const append = appendToSeq(t, seq, rest);
    if (!append) return false;
    edits.push(append);
  }
  for (const c of others) edits.push({ span: pairRegion(t, c.pair), newText: '' });
  return true;
}

/** commonLabels: {…} → labels: [{includeSelectors: true, pairs: {…}}]. */
function convertCommonLabels(t: string, map: Node, edits: Edit[]): boolean {
  const src = pairOf(map, 'commonLabels');
  if (!src) return true;
  const m = src.value as Node | null;
  const keyCol = colOf(t, rangeOf(src.key as Node)![0]);
  const pairsLines = !m ? ['pairs: {}'] : isMap(m) && !(m as YAMLMap).flow ? ['pairs:', ...nodeLines(t, m).map((l) => (l.trim() ? '  ' + l : ''))] : [`pairs: ${nodeLines(t, m).join(' ')}`];
  const entry = ['includeSelectors: true', ...pairsLines];
  const target = pairOf(map, 'labels');
  if (!target) {
    const r = pairRegion(t, src);
    const end = m && rangeOf(m) ? lineEnd(t, contentEnd(t, m)) : lineEnd(t, rangeOf(src.key as Node)![1]);
    edits.push({ span: { start: rangeOf(src.key as Node)![0], end }, newText: `labels:\n${pad(keyCol)}- ${place(entry, keyCol + 2)}` });
    return r !== undefined;
  }
  const append = appendToSeq(t, target.value as Node, [entry]);
  if (!append) return false;
  edits.push({ span: pairRegion(t, src), newText: '' }, append);
  return true;
}

/** Edits that rewrite the given deprecated kustomization fields of one document; undefined when one cannot be. */
export function kustomizeFieldEdits(t: string, root: Node, fields: string[]): Edit[] | undefined {
  const edits: Edit[] = [];
  const patchSources = [
    { from: 'patchesStrategicMerge', transform: kustomizePsmItem },
    { from: 'patchesJson6902', transform: identity },
  ].filter((s) => fields.includes(s.from));
  if (patchSources.length && !convertLists(t, root, patchSources, 'patches', edits)) return undefined;
  if (fields.includes('bases') && !convertLists(t, root, [{ from: 'bases', transform: identity }], 'resources', edits)) return undefined;
  if (fields.includes('commonLabels') && !convertCommonLabels(t, root, edits)) return undefined;
  return edits;
}

/** Edits that move one Flux document to its current apiVersion with the field changes of that version. */
export function upgradeEdits(t: string, root: Node): Edit[] | undefined {
  const apiNode = mapGet(root, 'apiVersion') as Scalar | undefined;
  const d = deprecatedApi(scalarText(apiNode), scalarText(mapGet(root, 'kind')));
  const r = rangeOf(apiNode);
  if (!d || !r || !apiNode) return undefined;
  const quoted = apiNode.type === 'QUOTE_DOUBLE' || apiNode.type === 'QUOTE_SINGLE';
  const edits: Edit[] = [{ span: quoted ? { start: r[0] + 1, end: r[1] - 1 } : { start: r[0], end: r[1] }, newText: d.to }];
  for (const change of d.changes) applyChange(t, root, change, edits, d.changes);
  return edits;
}

function applyChange(t: string, root: Node, change: FieldChange, edits: Edit[], all: FieldChange[]): void {
  const parentPath = change.path.slice(0, -1);
  const field = change.path[change.path.length - 1];
  const parents = parentPath.length ? matchParents(root, parentPath) : [root];
  for (const parent of parents) {
    const p = pairOf(parent, field);
    if (!p) continue;
    switch (change.action) {
      case 'remove':
        edits.push({ span: pairRegion(t, p), newText: '' });
        break;
      case 'to-list': {
        const e = renameKey(p, change.to);
        const v = p.value as Node | null;
        if (e) edits.push(e);
        if (isScalar(v) && rangeOf(v)) edits.push({ span: { start: rangeOf(v)![0], end: rangeOf(v)![1] }, newText: `[${t.slice(rangeOf(v)![0], rangeOf(v)![1])}]` });
        break;
      }
      case 'smp-to-patches':
      case 'json6902-to-patches': {
        // Both patch lists of one object go into one `patches`: handled together, by the first of them.
        const siblings = all.filter((c) => (c.action === 'smp-to-patches' || c.action === 'json6902-to-patches') && c.path.slice(0, -1).join('/') === parentPath.join('/'));
        if (siblings[0] !== change) break;
        const sources = siblings.map((c) => ({ from: c.path[c.path.length - 1], transform: c.action === 'smp-to-patches' ? fluxSmpItem : fluxJson6902Item }));
        convertLists(t, parent, sources, 'patches', edits);
        break;
      }
    }
  }
}

function matchParents(root: Node, path: string[]): Node[] {
  let cur: Node[] = [root];
  for (const seg of path) {
    cur = cur.flatMap((n) => (seg === '*' ? (isSeq(n) ? ((n as YAMLSeq).items as Node[]) : []) : (() => {
      const p = pairOf(n, seg);
      return p && p.value ? [p.value as Node] : [];
    })()));
  }
  return cur;
}
