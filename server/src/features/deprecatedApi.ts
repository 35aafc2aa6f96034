// `deprecated-api` warnings and their quick-fixes: a Flux object on a deprecated apiVersion (upgraded to the current
// one with the field changes that version made), and kustomize's deprecated kustomization fields (rewritten the way
// `kustomize edit fix` does). Fixes are minimal text edits made by core/yamlEdit: the apiVersion value, the renamed
// keys, the converted entries; every other line, comment, quote, line end and the BOM stay as written.
import { isMap, isSeq, isScalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseUnshared, type ParsedText, type ParseText } from '../core/parsedText';
import type { Fleet } from '../core/model';
import type { FileFacts } from '../core/facts';
import type { Span } from '../core/text';
import type { SchemaFinding } from '../core/schemas/findings';
import { deprecatedApi, KUSTOMIZE_DEPRECATED_FIELDS, type FieldChange } from '../core/schemas/deprecations';
import { KUSTOMIZE_CONFIG_GROUP } from '../core/schemas/catalog';
import { mapGet, scalarText, spanOf } from '../core/yamlAccess';
import { basename, isKustomizationFileName } from '../core/paths';
import type { CodeAction } from './codeActions';
import { EditText, type Edit } from '../core/yamlEdit/source';
import { pairOf, renameKey } from '../core/yamlEdit/entries';
import { removeEntry } from '../core/yamlEdit/remove';
import { replaceScalarContent } from '../core/yamlEdit/scalar';
import { keepEntry, moveListEntries } from '../core/yamlEdit/lists';
import { fluxJson6902Entry, fluxStrategicMergeEntry, kustomizeStrategicMergeEntry } from '../core/yamlEdit/patchEntries';
import { commonLabelsToLabels } from '../core/yamlEdit/labels';

interface Deprecation {
  doc: number;
  span: Span;
  message: string;
  /** `api`: the document's apiVersion; otherwise the kustomization field. */
  field: 'api' | string;
}

// ---------------------------------------------------------------------------------------------------------------
// Finding them

function isKustomizeDoc(file: string, root: Node): boolean {
  if (!isKustomizationFileName(basename(file))) return false;
  const api = scalarText(mapGet(root, 'apiVersion'));
  return api === undefined || api.startsWith(KUSTOMIZE_CONFIG_GROUP + '/');
}

/** `parse`: the fleet's one parse of the file's text. */
export function findDeprecations(file: string, text: string, parse: ParseText = parseUnshared): Deprecation[] {
  // Parse only what can hold a deprecation: an old Flux version, or a kustomization with a deprecated field.
  const kustomization = isKustomizationFileName(basename(file)) && /^(bases|patchesStrategicMerge|patchesJson6902|commonLabels)\s*:/m.test(text);
  if (!kustomization && !/toolkit\.fluxcd\.io\/v(1beta[12]|2beta[12])\b/.test(text)) return [];
  const out: Deprecation[] = [];
  let parsed: ParsedText;
  try {
    parsed = parse(file, text);
  } catch {
    return [];
  }
  parsed.docs.forEach((doc, i) => {
    const root = doc.contents as Node | null;
    if (!isMap(root) || parsed.hasLenientErrors(i)) return;
    if (isKustomizeDoc(file, root)) {
      for (const pair of root.items as Pair[]) {
        const key = scalarText(pair.key);
        // (own fields only: a key such as `constructor` names what every object inherits)
        const rule = key !== undefined && Object.hasOwn(KUSTOMIZE_DEPRECATED_FIELDS, key) ? KUSTOMIZE_DEPRECATED_FIELDS[key] : undefined;
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


const NO_DEPRECATIONS: SchemaFinding[] = Object.freeze([]) as unknown as SchemaFinding[];

/** `deprecated-api` warnings of one file (cached per indexed text). */
export function deprecatedApiFindings(fleet: Fleet, file: string): SchemaFinding[] {
  const facts = fleet.facts.get(file);
  if (!facts || facts.skipped) return [];
  const findingsCache = fleet.db.weak<FileFacts, SchemaFinding[]>('deprecatedApi');
  let out = findingsCache.get(facts);
  if (!out) {
    const found = findDeprecations(file, facts.text, fleet.parse);
    // (Most files have none: one shared empty list is kept for them, not one per file.)
    out = found.length ? found.map((d) => ({ file, span: d.span, severity: 'warning' as const, code: 'deprecated-api' as const, message: d.message })) : NO_DEPRECATIONS;
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

/** The same, on a text (pure: what the tests call). Edits are computed on the LF view and written back in the file's style. */
export function deprecationFixes(file: string, text: string, span: Span): CodeAction[] {
  const src = new EditText(text);
  const at = src.fromFileSpan(span);
  const all = findDeprecations(file, src.text);
  const hit = all.find((d) => d.span.start <= at.start && at.start <= d.span.end) ?? all.find((d) => d.span.start < at.end && at.start < d.span.end);
  if (!hit) return [];
  const root = src.docs()[hit.doc]?.contents as Node | null;
  if (!isMap(root)) return [];
  const action = (title: string, edits: Edit[], preferred?: boolean): CodeAction => ({ title, createFiles: [], edits: src.fileEdits(edits).map((e) => ({ ...e, file })), ...(preferred ? { preferred } : {}) });
  if (hit.field === 'api') {
    const edits = upgradeEdits(src.text, root);
    const d = deprecatedApi(scalarText(mapGet(root, 'apiVersion')), scalarText(mapGet(root, 'kind')));
    return edits && d ? [action(`Upgrade to ${d.to}`, edits, true)] : [];
  }
  const actions: CodeAction[] = [];
  const one = kustomizeFieldEdits(src.text, root, [hit.field]);
  if (one) actions.push(action(`Replace '${hit.field}' with '${KUSTOMIZE_DEPRECATED_FIELDS[hit.field].to}'`, one, true));
  const fields = all.filter((d) => d.doc === hit.doc && d.field !== 'api').map((d) => d.field);
  if (fields.length > 1) {
    const every = kustomizeFieldEdits(src.text, root, fields);
    if (every) actions.push(action('Fix every deprecated field (kustomize edit fix)', every));
  }
  return actions;
}

/** Edits (on the LF view) that rewrite the given deprecated kustomization fields of one document; undefined when one cannot be. */
export function kustomizeFieldEdits(t: string, root: Node, fields: string[]): Edit[] | undefined {
  const map = root as YAMLMap;
  const edits: Edit[] = [];
  const patchSources = [
    { from: 'patchesStrategicMerge', convert: kustomizeStrategicMergeEntry },
    { from: 'patchesJson6902', convert: keepEntry },
  ].filter((s) => fields.includes(s.from));
  const steps: Array<() => Edit[] | undefined> = [
    () => (patchSources.length ? moveListEntries(t, map, patchSources, 'patches') : []),
    () => (fields.includes('bases') ? moveListEntries(t, map, [{ from: 'bases', convert: keepEntry }], 'resources') : []),
    () => (fields.includes('commonLabels') ? commonLabelsToLabels(t, map) : []),
  ];
  for (const step of steps) {
    const e = step();
    if (!e) return undefined;
    edits.push(...e);
  }
  return edits;
}

/** Edits (on the LF view) that move one Flux document to its current apiVersion with the field changes of that version. */
export function upgradeEdits(t: string, root: Node): Edit[] | undefined {
  const apiNode = mapGet(root, 'apiVersion');
  const d = deprecatedApi(scalarText(apiNode), scalarText(mapGet(root, 'kind')));
  const api = d && apiNode ? replaceScalarContent(apiNode, d.to) : undefined;
  if (!d || !api) return undefined;
  const edits: Edit[] = [api];
  for (const change of d.changes) applyChange(t, root, change, edits, d.changes);
  return edits;
}

function applyChange(t: string, root: Node, change: FieldChange, edits: Edit[], all: FieldChange[]): void {
  const parentPath = change.path.slice(0, -1);
  const field = change.path[change.path.length - 1];
  const parents = parentPath.length ? matchParents(root, parentPath) : [root];
  for (const parent of parents) {
    const p = pairOf(parent, field);
    if (!p || !isMap(parent)) continue;
    switch (change.action) {
      case 'remove':
        edits.push(removeEntry(t, parent as YAMLMap, (parent as YAMLMap).items.indexOf(p)));
        break;
      case 'to-list': {
        const e = renameKey(t, p, change.to);
        const v = p.value as Node | null;
        if (e) edits.push(e);
        if (isScalar(v) && v.range) edits.push({ span: { start: v.range[0], end: v.range[0] }, newText: '[' }, { span: { start: v.range[1], end: v.range[1] }, newText: ']' });
        break;
      }
      case 'smp-to-patches':
      case 'json6902-to-patches': {
        // Both patch lists of one object go into one `patches`: handled together, by the first of them.
        const siblings = all.filter((c) => (c.action === 'smp-to-patches' || c.action === 'json6902-to-patches') && c.path.slice(0, -1).join('/') === parentPath.join('/'));
        if (siblings[0] !== change) break;
        const sources = siblings.map((c) => ({ from: c.path[c.path.length - 1], convert: c.action === 'smp-to-patches' ? fluxStrategicMergeEntry : fluxJson6902Entry }));
        const moved = moveListEntries(t, parent as YAMLMap, sources, 'patches');
        if (moved) edits.push(...moved);
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

/** Pairs at a path below a map (`*` walks every item of a sequence). */
function matchPairs(node: Node | null | undefined, path: string[]): Pair[] {
  if (!path.length || !node) return [];
  const [head, ...rest] = path;
  if (head === '*') return isSeq(node) ? (node as YAMLSeq).items.flatMap((it) => matchPairs(it as Node, rest)) : [];
  const p = pairOf(node, head);
  if (!p) return [];
  return rest.length ? matchPairs(p.value as Node, rest) : [p];
}
