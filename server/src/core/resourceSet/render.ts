// One template rendered with one input set, and its output read back as the operator reads it: a `resources` item
// is printed as YAML (sigs.k8s.io/yaml JSONToYAML), rendered, and its first document decoded (ssautil.ReadObject);
// `resourcesTemplate` is rendered and split into documents on `---` lines (apimachinery's YAMLReader), each decoded
// (ssautil.ReadObjects: Lists expanded, documents without apiVersion, kind or name dropped, kustomize
// Kustomizations dropped). Every object keeps the span of template text that wrote it.
import { executeTemplate, parseTemplate, type OutputSegment, type Template, type TemplateError, type GoValue } from '../gotemplate';
import { goYamlDocument } from '../kustomize/goYamlEmit';
import type { Json, JsonObject } from '../kustomize/types';
import { parseYaml } from '../yamlParse';
import { deAnchor } from '../yamlAnchors';
import type { Node } from 'yaml';
import type { Span } from '../text';
import { LEFT_DELIM, RIGHT_DELIM, TEMPLATE_NAME, operatorFuncs } from './functions';
import { nodeToJsonV2 } from './source';

/** A template of a ResourceSet: a `resources` item or a `resourcesTemplate`, in the top level or a step. */
export interface TemplateUnit {
  field: 'resources' | 'resourcesTemplate';
  /** The item's index in `resources`. */
  index?: number;
  step?: string;
  /** The text the operator templates. */
  text: string;
  file?: string;
  /** The item or the template scalar in the file. */
  span?: Span;
  /** A template text offset → a file offset (undefined without a source). */
  toFile?: (offset: number) => number;
  parsed: { template: Template } | { error: TemplateError };
}

export function makeUnit(field: TemplateUnit['field'], text: string, where: Omit<TemplateUnit, 'field' | 'text' | 'parsed'>): TemplateUnit {
  // Parse-time checks (function names) do not depend on the input set: any set's function map has the same names.
  const parsed = parseTemplate(text, { name: TEMPLATE_NAME, leftDelim: LEFT_DELIM, rightDelim: RIGHT_DELIM, funcs: operatorFuncs(null) });
  return { field, text, parsed, ...where };
}

/** The text the operator templates for a `resources` item: the item's JSON printed by go-yaml v2. */
export function resourceItemText(item: Json): string {
  return goYamlDocument(item);
}

/**
 * Offsets in a printed `resources` item → offsets in the item's own text: an offset inside a `<< >>` action maps to
 * the same action in the source (the n-th occurrence of its text to the n-th), anything else to the item's start.
 */
export function itemActionMapper(printed: string, source: string, itemStart: number): (offset: number) => number {
  return (offset) => {
    const open = printed.lastIndexOf(LEFT_DELIM, offset);
    const close = open < 0 ? -1 : printed.indexOf(RIGHT_DELIM, open);
    if (open < 0 || close < 0 || offset > close + RIGHT_DELIM.length) return itemStart;
    const action = printed.slice(open, close + RIGHT_DELIM.length);
    let n = 0;
    for (let i = printed.indexOf(action); i >= 0 && i < open; i = printed.indexOf(action, i + 1)) n++;
    let at = -1;
    for (let k = 0, i = source.indexOf(action); i >= 0; i = source.indexOf(action, i + 1), k++)
      if (k === n) {
        at = i;
        break;
      }
    return at < 0 ? itemStart : itemStart + at + (offset - open);
  };
}

export interface RenderedObject {
  obj: JsonObject;
  /** The template text that wrote the object's document. */
  templateSpan: Span;
}

export type RenderResult = { objects: RenderedObject[] } | { error: TemplateError };

/** Renders a unit with an input set (or nil) and reads the objects back. */
export function renderUnit(unit: TemplateUnit, inputSet: JsonObject | null): RenderResult {
  if ('error' in unit.parsed) return { error: unit.parsed.error };
  const r = executeTemplate(unit.parsed.template, { funcs: operatorFuncs((inputSet ?? {}) as GoValue), missingKey: 'error', data: null });
  if ('error' in r) return r;
  const docs = splitDocuments(r.output);
  if ('error' in docs) return { error: readError(docs.error, docs.at, r.segments, unit) };
  const objects: RenderedObject[] = [];
  for (const d of unit.field === 'resources' ? docs.docs.slice(0, 1) : docs.docs) {
    const read = readDocument(d.text);
    const templateSpan = sourceSpan(r.segments, d.span);
    if ('error' in read) return { error: readError(read.error, d.span.start, r.segments, unit) };
    if (read.value === null) {
      if (unit.field === 'resources') return { error: readError('rendered to no object', d.span.start, r.segments, unit) };
      continue;
    }
    if (unit.field === 'resources') {
      objects.push({ obj: read.value, templateSpan });
      continue;
    }
    if (Array.isArray(read.value.items)) {
      for (const item of read.value.items) {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) return { error: readError(`items member is not an object: ${typeof item}`, d.span.start, r.segments, unit) };
        objects.push({ obj: item, templateSpan });
      }
      continue;
    }
    if (isKubernetesObject(read.value) && !isKustomizeConfig(read.value)) objects.push({ obj: read.value, templateSpan });
  }
  if (unit.field === 'resources' && objects.length === 0) return { error: readError('failed to read object: EOF', 0, r.segments, unit) };
  return { objects };
}

const str = (v: Json | undefined) => (typeof v === 'string' ? v : '');
function meta(o: JsonObject): JsonObject {
  return o.metadata !== null && typeof o.metadata === 'object' && !Array.isArray(o.metadata) ? o.metadata : {};
}
function isKubernetesObject(o: JsonObject): boolean {
  return str(meta(o).name) !== '' && str(o.kind) !== '' && str(o.apiVersion) !== '';
}
function isKustomizeConfig(o: JsonObject): boolean {
  return str(o.kind).toLowerCase() === 'kustomization' && str(o.apiVersion).startsWith('kustomize.config.k8s.io/');
}

function readError(reason: string, outOffset: number, segments: OutputSegment[], unit: TemplateUnit): TemplateError {
  const src = sourceSpan(segments, { start: outOffset, end: outOffset + 1 });
  const prefix = unit.field === 'resources' ? 'failed to read object' : 'failed to read objects from multi-doc YAML';
  return { kind: 'exec', message: `${prefix}: ${reason}`, reason, span: src };
}

/** The template text that wrote a span of output: from the first to the last segment it overlaps. */
export function sourceSpan(segments: OutputSegment[], out: Span): Span {
  let start = Infinity;
  let end = -Infinity;
  for (const s of segments) {
    if (s.out.end <= out.start || s.out.start >= out.end) continue;
    start = Math.min(start, s.action ? s.src.start : s.src.start + Math.max(0, out.start - s.out.start));
    end = Math.max(end, s.action ? s.src.end : s.src.start + Math.min(s.out.end, out.end) - s.out.start);
  }
  return start === Infinity ? { start: 0, end: 0 } : { start, end };
}

/** apimachinery's YAMLReader: documents separated by lines starting with `---` (then only spaces or a comment). */
export function splitDocuments(text: string): { docs: Array<{ text: string; span: Span }> } | { error: string; at: number } {
  const docs: Array<{ text: string; span: Span }> = [];
  let start = 0;
  let buf = '';
  let pos = 0;
  while (pos < text.length) {
    const eol = text.indexOf('\n', pos);
    const end = eol < 0 ? text.length : eol + 1;
    const line = text.slice(pos, end);
    if (line.startsWith('---')) {
      const rest = line.slice(3).trim();
      if (rest.length > 0 && rest[0] !== '#') return { error: `invalid Yaml document separator: ${rest}`, at: pos };
      if (buf.length) docs.push({ text: buf, span: { start, end: pos } });
      buf = '';
      start = end;
    } else {
      if (!buf.length) start = pos;
      buf += line;
    }
    pos = end;
  }
  if (buf.length) docs.push({ text: buf, span: { start, end: text.length } });
  return { docs };
}

/** One document as sigs.k8s.io/yaml decodes it into an Unstructured: null, or a map with a kind. */
export function readDocument(text: string): { value: JsonObject | null } | { error: string } {
  const doc = parseYaml(text, { uniqueKeys: false });
  if (doc.errors.length) return { error: `error converting YAML to JSON: ${doc.errors[0].message.split('\n')[0]}` };
  const anchorError = deAnchor(doc);
  if (anchorError) return { error: anchorError.message };
  const v = nodeToJsonV2(doc.contents as Node | null);
  if (v === null) return { value: null };
  if (typeof v !== 'object' || Array.isArray(v)) return { error: `json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v} into Go value of type map[string]interface {}` };
  if (str(v.kind) === '') return { error: `Object 'Kind' is missing in '${JSON.stringify(v)}'` };
  return { value: v };
}
