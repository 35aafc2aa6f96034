// Kubernetes objects as the Flux Operator reads them: YAML turned into JSON the way sigs.k8s.io/yaml does (go-yaml
// v2, so YAML 1.1: `yes`/`on` are booleans, `0755` octal; keys become strings, `on:` the string "true"), with the
// span of every key and value kept by JSON pointer, so inputs and templates can be traced back to their text.
import { isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { parseYamlAll } from '../yamlParse';
import { deAnchor } from '../yamlAnchors';
import { goYamlPlainScalar, goYamlTimestamp } from '../kustomize/goYamlResolve';
import type { Json, JsonObject } from '../kustomize/types';
import type { Span } from '../text';

/** A document of a file: its text, and its root node (already through deAnchor). */
export interface YamlSource {
  file: string;
  text: string;
  node: Node;
}

/** An object with where it was written: every key and value span by JSON pointer (`/spec/inputs/0/tenant`). */
export interface SourcedObject {
  obj: JsonObject;
  source?: YamlSource;
  spans?: Map<string, { key?: Span; value: Span; node: Node }>;
}

const V2_TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const V2_FALSE = ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];
const V2_NULL = ['', '~', 'null', 'Null', 'NULL'];

/** go-yaml v2's value of a plain scalar (what sigs.k8s.io/yaml turns into JSON). Timestamps stay strings. */
export function goYamlV2Plain(text: string): Json {
  if (V2_NULL.includes(text)) return null;
  if (V2_TRUE.includes(text)) return true;
  if (V2_FALSE.includes(text)) return false;
  if (/^\d{4}-/.test(text) && goYamlTimestamp(text) !== undefined) return text;
  const v = goYamlPlainScalar(text);
  return typeof v === 'number' && Number.isFinite(v) ? v : text;
}

const escapeSegment = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** A node as JSON, v2 semantics; spans recorded when a map is given. */
export function nodeToJsonV2(node: Node | null | undefined, pointer = '', spans?: SourcedObject['spans']): Json {
  if (!node) return null;
  const rec = (n: Node, key?: Node | null) => {
    if (spans && n.range) spans.set(pointer, { key: key?.range ? { start: key.range[0], end: key.range[1] } : undefined, value: { start: n.range[0], end: n.range[1] }, node: n });
  };
  rec(node);
  if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const k = isScalar(keyNode) ? scalarValue(keyNode) : null;
      const key = k === null ? 'null' : typeof k === 'object' ? JSON.stringify(k) : String(k);
      const child = `${pointer}/${escapeSegment(key)}`;
      out[key] = nodeToJsonV2(pair.value as Node | null, child, spans);
      if (spans && keyNode?.range) {
        const v = pair.value as Node | null;
        const end = v?.range ? v.range[1] : keyNode.range[1];
        spans.set(child, { key: { start: keyNode.range[0], end: keyNode.range[1] }, value: v?.range ? { start: v.range[0], end: v.range[1] } : { start: keyNode.range[1], end }, node: v ?? keyNode });
      }
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item, i) => nodeToJsonV2(item as Node, `${pointer}/${i}`, spans));
  if (isScalar(node)) return scalarValue(node);
  return null;
}

function scalarValue(node: Scalar): Json {
  if (node.type === 'PLAIN') {
    const src = (node as { source?: string }).source;
    return goYamlV2Plain(typeof src === 'string' ? src : String(node.value ?? ''));
  }
  const v = node.value;
  return v === null || v === undefined ? null : typeof v === 'object' ? String(v) : (v as Json);
}

/** Every mapping document of a file, read like the operator reads it, with spans. */
export function readDocuments(file: string, text: string): SourcedObject[] {
  const out: SourcedObject[] = [];
  for (const doc of parseYamlAll(text)) {
    if (doc.errors.length || deAnchor(doc)) continue;
    const node = doc.contents as Node | null;
    if (!node || !isMap(node)) continue;
    const spans: SourcedObject['spans'] = new Map();
    out.push({ obj: nodeToJsonV2(node, '', spans) as JsonObject, source: { file, text, node }, spans });
  }
  return out;
}

/** The spans of an object read from a node (when the caller has the node but not the spans). */
export function sourced(obj: JsonObject | undefined, source?: YamlSource): SourcedObject {
  if (!source) return { obj: obj ?? {} };
  const spans: SourcedObject['spans'] = new Map();
  const read = nodeToJsonV2(source.node, '', spans) as JsonObject;
  return { obj: obj ?? read, source, spans };
}

/**
 * Where each offset of a scalar's value is in the file: a `|` block scalar line by line (the value's line k is the
 * file's k-th content line less its indentation), a quoted or plain one from its first character. Offsets past the
 * end map to the scalar's end.
 */
export function scalarOffsets(text: string, node: Node): (offset: number) => number {
  const range = node.range ?? [0, 0, 0];
  const start = range[0];
  const value = isScalar(node) ? String(node.value ?? '') : '';
  const type = isScalar(node) ? node.type : undefined;
  if (type === 'BLOCK_LITERAL') {
    const headerEnd = text.indexOf('\n', start);
    if (headerEnd < 0) return () => start;
    const header = text.slice(start, headerEnd);
    const explicit = /[1-9]/.exec(header.replace(/#.*$/, ''));
    const lineStarts: number[] = [];
    const lineEnds: number[] = [];
    let p = headerEnd + 1;
    let indent = explicit ? Number(explicit[0]) : -1;
    const lines = value.split('\n');
    for (let k = 0; k < lines.length && p <= text.length; k++) {
      const eol = text.indexOf('\n', p);
      const line = text.slice(p, eol < 0 ? text.length : eol);
      const lead = line.length - line.trimStart().length;
      // The block ends at a less indented non-empty line (the next key, or a document marker).
      if (indent >= 0 && line.trim() !== '' && lead < indent) break;
      if (indent < 0 && line.trim() !== '') indent = lead;
      lineStarts.push(p + Math.min(Math.max(indent, 0), lead));
      lineEnds.push(p + line.length);
      if (eol < 0) break;
      p = eol + 1;
    }
    if (lineStarts.length === 0) return () => start;
    const valueLineStarts: number[] = [];
    let q = 0;
    for (const l of lines) {
      valueLineStarts.push(q);
      q += l.length + 1;
    }
    return (offset) => {
      let k = 0;
      while (k + 1 < valueLineStarts.length && valueLineStarts[k + 1] <= offset) k++;
      if (k >= lineStarts.length) return lineEnds[lineEnds.length - 1];
      const line = k;
      return Math.min(lineStarts[line] + (offset - valueLineStarts[k]), lineEnds[line], range[1]);
    };
  }
  const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? 1 : 0;
  return (offset) => Math.min(start + quoted + offset, range[1]);
}
