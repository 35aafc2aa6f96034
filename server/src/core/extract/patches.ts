// Patch content that can change where a Flux Kustomization points: strategic-merge documents and JSON 6902
// operations, from patch files or inline in a kustomization (spans mapped back into the kustomization file).
import type { Node } from 'yaml';
import { parseYamlAll } from '../yamlParse';
import { deAnchor } from '../yamlAnchors';
import type { DocRef, FluxKustomizationFact, JsonPatchOp, PatchContent, PatchFact, PatchTarget, PathRef } from '../facts';
import { extractObjectFacts } from './fluxObjects';
import { treeReader, type DocReader, type ScalarData } from '../docReader';
import { resolvePath } from '../paths';
import type { Span } from '../text';

/** JSON 6902 operations of a YAML list of `{op, path, value}` maps. */
export function jsonPatchOps<N>(r: DocReader<N>, root: N, mapSpan: (s: Span) => Span = (s) => s): JsonPatchOp[] | undefined {
  const items = r.items(root);
  if (items.length === 0) return undefined;
  const ops: JsonPatchOp[] = [];
  for (const item of items) {
    const op = r.text(r.get(item, 'op'));
    const path = r.text(r.get(item, 'path'));
    if (!op || path === undefined) return undefined;
    const valueNode = r.get(item, 'value');
    const s = r.span(valueNode);
    ops.push({ op, path, value: r.text(valueNode), valueSpan: s && mapSpan(s) });
  }
  return ops;
}

function target<N>(r: DocReader<N>, node: N | undefined): PatchTarget | undefined {
  if (r.shape(node) !== 'map') return undefined;
  const t: PatchTarget = {};
  for (const k of ['group', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const v = r.stringAt(node, [k])?.value;
    if (v !== undefined) t[k] = v;
  }
  return t;
}

/**
 * Maps offsets inside a block or quoted scalar's value back to the source text. Block scalars (`|`) keep lines
 * one to one, minus the indentation, which is all inline patches use in practice; other styles map to the start.
 */
export function scalarSpanMapper(source: string, node: ScalarData): (s: Span) => Span {
  const range = node.range!;
  if (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') {
    return () => ({ start: range[0], end: range[0] });
  }
  const headerEnd = source.indexOf('\n', range[0]) + 1;
  const value = String(node.value);
  const valueLineStarts = [0];
  for (let i = 0; i < value.length; i++) if (value[i] === '\n') valueLineStarts.push(i + 1);
  const sourceLineStarts: number[] = [];
  let indent = -1;
  for (let at = headerEnd; at < range[1] && sourceLineStarts.length < valueLineStarts.length; ) {
    const eol = source.indexOf('\n', at);
    const line = source.slice(at, eol < 0 ? source.length : eol);
    if (line.trim() !== '' && indent < 0) indent = line.length - line.trimStart().length;
    sourceLineStarts.push(at);
    if (eol < 0) break;
    at = eol + 1;
  }
  // Where the block's last line ends: what the value's end maps to (a node's range ends after its newline; the
  // value's last "line" starts there, after the block, where no source line was collected).
  const lastLine = sourceLineStarts[sourceLineStarts.length - 1];
  const lastEol = lastLine === undefined ? -1 : source.indexOf('\n', lastLine);
  const tail = lastLine === undefined ? range[0] : lastEol < 0 ? source.length : lastEol + 1;
  const map = (offset: number): number => {
    let line = 0;
    while (line + 1 < valueLineStarts.length && valueLineStarts[line + 1] <= offset) line++;
    const base = sourceLineStarts[line];
    if (base === undefined) return tail;
    // Within the source line (a blank line of the block may be shorter than the indentation).
    const eol = source.indexOf('\n', base);
    return Math.min(base + Math.max(indent, 0) + (offset - valueLineStarts[line]), eol < 0 ? source.length : eol + 1);
  };
  return (s) => ({ start: map(s.start), end: map(s.end) });
}

function inlineContent<N>(r: DocReader<N>, source: string, node: N, owner: DocRef): PatchContent | undefined {
  const scalar = r.scalar(node);
  if (!scalar || typeof scalar.value !== 'string' || !scalar.range) return undefined;
  const mapSpan = scalarSpanMapper(source, scalar);
  const content: PatchContent = { file: owner.file, fluxDocs: [], ops: [] };
  // (the patch is a text of its own, parsed here: read from its tree)
  const tr = treeReader;
  for (const doc of parseYamlAll(scalar.value)) {
    if (deAnchor(doc)) continue; // kustomize refuses the patch; the build reports it
    const root = doc.contents as Node | null;
    if (!root) continue;
    const ops = jsonPatchOps(tr, root, mapSpan);
    if (ops) {
      content.ops.push(...ops);
      continue;
    }
    if (tr.shape(root) !== 'map') continue;
    const apiVersion = tr.text(tr.get(root, 'apiVersion')) ?? '';
    const kind = tr.text(tr.get(root, 'kind')) ?? '';
    const sink = { refs: [], fluxKustomizations: [] as FluxKustomizationFact[], sources: [] };
    extractObjectFacts(tr, root, owner, apiVersion, kind, { start: 0, end: 0 }, sink);
    for (const fk of sink.fluxKustomizations) {
      if (fk.path) fk.path = { value: fk.path.value, span: mapSpan(fk.path.span) };
      if (fk.sourceRef) fk.sourceRef = { ...fk.sourceRef, span: mapSpan(fk.sourceRef.span) };
      fk.anchor = mapSpan(fk.anchor);
      fk.components = fk.components.map((c) => ({ value: c.value, span: mapSpan(c.span) }));
      content.fluxDocs.push(fk);
    }
  }
  return content.fluxDocs.length || content.ops.length ? content : undefined;
}

/** Every patch of a kustomization, by file or inline, with its target selector. */
export function extractPatches<N>(r: DocReader<N>, source: string, root: N, owner: DocRef, baseDir: string, paths: PathRef[]): PatchFact[] {
  const out: PatchFact[] = [];
  for (const p of r.items(r.get(root, 'patches'))) {
    const inline = r.get(p, 'patch');
    out.push({ role: 'patches', file: patchFile(r.text(r.get(p, 'path')), baseDir, paths), inline: inline ? inlineContent(r, source, inline, owner) : undefined, target: target(r, r.get(p, 'target')) });
  }
  for (const p of r.items(r.get(root, 'patchesStrategicMerge'))) {
    const file = patchFile(r.text(p), baseDir, paths);
    out.push({ role: 'patchesStrategicMerge', file, inline: file ? undefined : inlineContent(r, source, p, owner) });
  }
  for (const p of r.items(r.get(root, 'patchesJson6902'))) {
    const inline = r.get(p, 'patch');
    out.push({ role: 'patchesJson6902', file: patchFile(r.text(r.get(p, 'path')), baseDir, paths), inline: inline ? inlineContent(r, source, inline, owner) : undefined, target: target(r, r.get(p, 'target')) });
  }
  return out;
}

/** A patch's file, when the kustomization's paths hold the one it names (a function, not a closure per kustomization). */
function patchFile(value: string | undefined, baseDir: string, paths: readonly PathRef[]): string | undefined {
  if (value === undefined) return undefined;
  for (const p of paths) if (p.value === value) return resolvePath(baseDir, value);
  return undefined;
}
