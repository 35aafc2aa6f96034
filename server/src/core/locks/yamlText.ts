// YAML text as the lock checks and fixes need it: a file, or the YAML inside one of its block scalars (an inline
// patch, a ConfigMap's `values.yaml: |`), parsed with offsets that map back to the file; and the chain of nodes from
// a document's root down to the node at an offset.
import { isMap, isSeq, isScalar, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseYamlAll } from '../yamlParse';
import { computeLineStarts, offsetToLineCol, type Span } from '../text';
import { parsePointer } from '../kustomize/provenance';

/** Text that is parsed as YAML: a whole file, or the content of a literal block scalar in it. */
export interface Region {
  file: string;
  fileText: string;
  text: string;
  /** An offset in `text` → the file. */
  toFile(offset: number): number;
  /** An offset in the file → `text` (undefined outside the region). */
  fromFile(offset: number): number | undefined;
  /** The file offset where line `i` of `text` starts (`i` may be one past the last line). */
  lineToFile(line: number): number;
  /** The block scalar this region is the content of, and where it sits in the file. */
  host?: { scalar: Scalar; chain: Chain };
}

export interface Link {
  node: Node;
  /** The collection holding `node` (undefined for a document root). */
  parent?: YAMLMap | YAMLSeq;
  /** The pair whose value `node` is (maps). */
  pair?: Pair;
  index: number;
}

export interface Chain {
  doc: Document.Parsed;
  docIndex: number;
  links: Link[];
}

export function fileRegion(file: string, text: string): Region {
  const lineStarts = computeLineStarts(text);
  return {
    file,
    fileText: text,
    text,
    toFile: (o) => o,
    fromFile: (o) => o,
    lineToFile: (i) => (i < lineStarts.length ? lineStarts[i] : text.length),
  };
}

/** The content of a literal block scalar as a region (folded and quoted scalars do not keep lines: undefined). */
export function blockRegion(file: string, fileText: string, scalar: Scalar, chain: Chain): Region | undefined {
  if (scalar.type !== 'BLOCK_LITERAL' || !scalar.range) return undefined;
  const fileLines = computeLineStarts(fileText);
  const headerLine = offsetToLineCol(fileLines, scalar.range[0]).line;
  const first = headerLine + 1;
  const text = String(scalar.value);
  const innerLines = computeLineStarts(text);
  const header = fileText.slice(scalar.range[0], fileLines[first] ?? fileText.length);
  const explicit = /^[|>](?:[+-]?([1-9])|([1-9])[+-]?)/.exec(header.trim());
  let indent = -1;
  if (explicit) {
    const parentIndent = (() => {
      const ls = fileLines[headerLine];
      const line = fileText.slice(ls, fileLines[headerLine + 1] ?? fileText.length);
      return line.length - line.trimStart().length;
    })();
    indent = parentIndent + Number(explicit[1] ?? explicit[2]);
  } else {
    for (let l = first; l < fileLines.length && fileLines[l] < scalar.range[1]; l++) {
      const line = fileText.slice(fileLines[l], fileLines[l + 1] ?? fileText.length).replace(/\r?\n$/, '');
      if (line.trim() !== '') {
        indent = line.length - line.trimStart().length;
        break;
      }
    }
  }
  if (indent < 0) indent = 0;
  const lineToFile = (i: number) => (first + i < fileLines.length ? fileLines[first + i] : fileText.length);
  return {
    file,
    fileText,
    text,
    lineToFile,
    toFile: (o) => {
      const { line, character } = offsetToLineCol(innerLines, Math.min(o, text.length));
      const start = lineToFile(line);
      return character === 0 && o >= text.length ? start : Math.min(start + indent + character, fileText.length);
    },
    fromFile: (o) => {
      const { line, character } = offsetToLineCol(fileLines, o);
      const i = line - first;
      if (i < 0 || i >= innerLines.length || o >= scalar.range![1] + 1) return undefined;
      return innerLines[i] + Math.max(0, character - indent);
    },
    host: { scalar, chain },
  };
}

/** The chain from a document root to the deepest node containing `offset` (preferring one that starts there). */
export function chainAt(docs: Document.Parsed[], offset: number, end?: number): Chain | undefined {
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d];
    const root = doc.contents as Node | null;
    if (!root?.range || offset < root.range[0] || offset > root.range[2]) continue;
    const links: Link[] = [{ node: root, index: 0 }];
    for (;;) {
      const cur = links[links.length - 1].node;
      let next: Link | undefined;
      if (isMap(cur)) {
        cur.items.forEach((pair, i) => {
          const v = pair.value as Node | null;
          if (next) return;
          if (v?.range && offset >= v.range[0] && offset < Math.max(v.range[1], v.range[0] + 1)) next = { node: v, parent: cur, pair, index: i };
        });
      } else if (isSeq(cur)) {
        cur.items.forEach((item, i) => {
          const n = item as Node;
          if (!next && n?.range && offset >= n.range[0] && offset < Math.max(n.range[1], n.range[0] + 1)) next = { node: n, parent: cur, index: i };
        });
      }
      if (!next) break;
      links.push(next);
      const r = next.node.range!;
      if (r[0] === offset && (end === undefined || r[1] === end) && !isMap(next.node) && !isSeq(next.node)) break;
    }
    return { doc, docIndex: d, links };
  }
  return undefined;
}

/** Region and chain of the node a file span points at, looking into literal block scalars that hold YAML. */
export function locate(file: string, fileText: string, span: Span): { region: Region; docs: Document.Parsed[]; chain: Chain } | undefined {
  const docs = parseYamlAll(fileText) as Document.Parsed[];
  const outer = chainAt(docs, span.start, span.end);
  if (!outer) return undefined;
  const last = outer.links[outer.links.length - 1].node;
  if (isScalar(last) && last.type === 'BLOCK_LITERAL' && last.range && span.start > last.range[0]) {
    const region = blockRegion(file, fileText, last, outer);
    const inner = region && region.fromFile(span.start);
    if (region && inner !== undefined) {
      const innerDocs = parseYamlAll(region.text) as Document.Parsed[];
      if (innerDocs.every((d) => d.errors.length === 0)) {
        const innerEnd = region.fromFile(span.end);
        const chain = chainAt(innerDocs, inner, innerEnd);
        if (chain) return { region, docs: innerDocs, chain };
      }
    }
  }
  return { region: fileRegion(file, fileText), docs, chain: outer };
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/**
 * Inside a patch held by a block scalar (a Flux `spec.patches[].patch`, whose provenance is the whole scalar), the
 * node that writes `pointer` of the patched resource: the strategic-merge document's node at that path, or the
 * JSON 6902 operation's value (or the part of it below the operation's path). Undefined when not found.
 */
export function patchNodeSpan(file: string, fileText: string, scalarSpan: Span, pointer: string): Span | undefined {
  const docs = parseYamlAll(fileText) as Document.Parsed[];
  const outer = chainAt(docs, scalarSpan.start, scalarSpan.end);
  const scalar = outer?.links[outer.links.length - 1].node;
  if (!outer || !isScalar(scalar) || scalar.range?.[0] !== scalarSpan.start) return undefined;
  const region = blockRegion(file, fileText, scalar, outer);
  if (!region) return undefined;
  const segs = parsePointer(pointer);
  const span = (n: Node | null | undefined): Span | undefined => (n?.range ? { start: region.toFile(n.range[0]), end: region.toFile(n.range[1]) } : undefined);
  for (const doc of parseYamlAll(region.text)) {
    const root = doc.contents as Node | null;
    if (isSeq(root)) {
      for (const op of root.items as Node[]) {
        if (!isMap(op)) continue;
        const path = op.get('path');
        if (typeof path !== 'string') continue;
        const opSegs = path === '' ? [] : parsePointer(path.startsWith('/') ? path : '/' + path);
        if (opSegs.length > segs.length || opSegs.some((s, i) => s !== segs[i])) continue;
        const value = op.get('value', true) as Node | undefined;
        return span(descend(value, segs.slice(opSegs.length)).node ?? value ?? (op as Node));
      }
      continue;
    }
    if (!isMap(root)) continue;
    const found = descend(root, segs);
    if (found.full && found.node) return span(found.node);
  }
  return undefined;

  /** The node at `rest` below `node`, or the deepest one found on the way (`full` false). */
  function descend(node: Node | null | undefined, rest: string[]): { node?: Node; full: boolean } {
    let cur: Node | null | undefined = node;
    let best: Node | undefined = node ?? undefined;
    for (const s of rest) {
      if (isMap(cur)) {
        const pair = cur.items.find((p) => keyOf(p) === s);
        cur = pair ? (pair.value as Node | null) : undefined;
      } else if (isSeq(cur) && /^\d+$/.test(s)) {
        cur = cur.items[Number(s)] as Node | undefined;
      } else cur = undefined;
      if (!cur) return { node: best, full: false };
      best = cur;
    }
    return { node: cur ?? undefined, full: true };
  }
}
