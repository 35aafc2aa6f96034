// A file's documents validated as written: one parse per indexed text, each problem on the offending key or value of
// the document. schemaDiagnostics.ts decides which of these stand (documents no context deploys) and schemaDeployed.ts
// replaces them for the documents contexts deploy.
import { isMap, isSeq, isScalar, isPair, type Document, type Node, type Pair, type Scalar } from 'yaml';
import { parseUnshared, type ParsedText, type ParseText } from '../core/parsedText';
import { flatRootKind, readFlat, type CompactDoc, type FlatReader } from '../core/compactDocs';
import type { FileFacts } from '../core/facts';
import type { Span } from '../core/text';
import { catalogEntries, entryForDocument } from '../core/schemas/catalog';
import { displayPointer, hasPlaceholder, SchemaValidators, type SchemaIssue } from '../core/schemas/validate';
import type { SchemaFinding } from '../core/schemas/findings';
import { mapGet, scalarText, spanOf } from '../core/yamlAccess';
import { basename, isKustomizationFileName } from '../core/paths';
import type { JsonObject } from '../core/kustomize/types';
import { isSecretPlace } from '../core/redact';

/** A finding with what the callers decide on: `required` (a missing field, which patches may supply). */
export type DocFinding = SchemaFinding & { required?: boolean };

export interface DocResult {
  index: number;
  /** Offset of the document's root map: a built resource names the document it came from by it (origin.span). */
  start: number;
  /** The `kind:` value (else `apiVersion:`, else the document): where problems without a place of their own go. */
  kindSpan: Span;
  findings: DocFinding[];
  /** `${…}` strings the schema would reject as written (Flux substitutes them first). */
  placeholders: number;
}

export interface FileResult {
  docs: DocResult[];
  /** The parsed documents, kept when some document has findings or placeholders (deployed checks map back into them). */
  parsed?: Document[];
}

/**
 * Required fields a platform's mutating admission fills in before schema validation runs, so manifests in Git
 * leave them out: Giant Swarm's app-admission-controller defaults an App's `spec.kubeConfig`.
 */
const PLATFORM_DEFAULTS: Record<string, string> = {
  'App/spec/kubeConfig': 'defaulted by app-admission-controller',
};
export function platformDefaulted(kind: unknown, issue: SchemaIssue): boolean {
  return issue.keyword === 'required' && PLATFORM_DEFAULTS[`${String(kind)}${issue.pointer}/${issue.property}`] !== undefined;
}

const KINDS: ReadonlySet<string> = new Set(catalogEntries().map((e) => e.kind));
const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z]+)/gm;

/** Cheap test on the text: does any document name a kind the catalogue has (or is this a kustomization file)? */
function mayHaveSchema(facts: FileFacts): boolean {
  if (isKustomizationFileName(basename(facts.file))) return true;
  KIND_LINE.lastIndex = 0;
  for (let m = KIND_LINE.exec(facts.text); m; m = KIND_LINE.exec(facts.text)) if (KINDS.has(m[1])) return true;
  return false;
}

export interface Located {
  node?: Node;
  pair?: Pair;
  /** The whole pointer was found (else `node` is as far as the document goes). */
  complete: boolean;
}

/** The node a JSON pointer leads to in a parsed document, with the pair whose value it is (for key spans). */
export function locate(doc: Document, pointer: string): Located {
  let node = doc.contents as Node | null | undefined;
  let pair: Pair | undefined;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isMap(node)) {
      const p = node.items.find((it) => isPair(it) && (isScalar(it.key) ? String((it.key as Scalar).value) : it.key) === seg) as Pair | undefined;
      if (!p) return { node, pair, complete: false };
      pair = p;
      node = p.value as Node | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) return { node, pair, complete: false };
      node = item;
      pair = undefined;
    } else return { node: node ?? undefined, pair, complete: false };
  }
  return { node: node ?? undefined, pair, complete: true };
}

export function keySpan(pair: Pair | undefined): Span | undefined {
  return pair ? spanOf(pair.key as Node) : undefined;
}

/** `Kustomization kustomize.toolkit.fluxcd.io/v1`: how messages name the schema. */
export function schemaName(kind: unknown, apiVersion: unknown): string {
  return `${typeof kind === 'string' ? kind : 'Kustomization'} ${typeof apiVersion === 'string' ? apiVersion : ''}`.trim();
}

/** Where an issue goes in a document as written: the offending key or value, else the kind line. */
export function issueSpan(doc: Document, issue: SchemaIssue, kindSpan: Span): Span {
  const at = locate(doc, issue.pointer);
  if (issue.keyword === 'additionalProperties' && issue.property !== undefined && isMap(at.node) && at.complete) {
    const p = at.node.items.find((it) => isPair(it) && scalarText(it.key) === issue.property) as Pair | undefined;
    return keySpan(p) ?? kindSpan;
  }
  // A missing field: on the key of the object missing it (the kind, for a top-level field).
  if (issue.keyword === 'required') return (at.complete && keySpan(at.pair)) || kindSpan;
  return (at.complete && (spanOf(at.node) ?? keySpan(at.pair))) || kindSpan;
}

/** `secret`: the value at the issue's place is a secret (core/redact.ts): the message says why, not what it is. */
export function issueMessage(issue: SchemaIssue, what: string, secret = false): string {
  const where = displayPointer(issue.pointer);
  const hidden = secret && issue.keyword !== 'required' && issue.keyword !== 'additionalProperties';
  return `${where ? where + ': ' : ''}${hidden ? `the value (a secret, not shown) fails the schema's ${issue.keyword} rule` : issue.message} (${what} schema)`;
}

/** Whether validateFile may find a document to validate in the file (else it answers nothing, without a parse). */
export function mayValidate(facts: FileFacts): boolean {
  return !facts.skipped && mayHaveSchema(facts);
}

/** `parse`: the fleet's one parse of the file's text. */
export function validateFile(facts: FileFacts, validators: SchemaValidators, parse: ParseText = parseUnshared): FileResult {
  const out: FileResult = { docs: [] };
  if (!mayValidate(facts)) return out;
  let parsed: ParsedText;
  try {
    parsed = parse(facts.file, facts.text);
  } catch {
    return out;
  }
  // A text the index keeps flat (no errors, no anchors: core/compactDocs.ts) is read from that form: its trees are
  // made again only for a document with something to place in it (most documents validate clean).
  const flat = parsed.flatDocs();
  const count = flat ? flat.length : parsed.docs.length;
  for (let index = 0; index < count; index++) {
    const fromFlat = flat ? readFlatDoc(flat[index]) : 'trees';
    const read = fromFlat === 'trees' ? readTreeDoc(parsed, index) : fromFlat;
    if (!read) continue;
    const entry = entryForDocument(facts.file, read.apiVersion, read.kind);
    if (!entry) continue;
    const value = read.value ?? treeValue(parsed.docs[index]);
    if (value === undefined) continue;
    const result = validators.validateValue(entry, value, read.nullFree);
    const what = schemaName(read.kind, read.apiVersion);
    const findings: DocFinding[] = [];
    for (const issue of result.issues) {
      if (platformDefaulted(read.kind, issue)) continue;
      findings.push(docFinding(facts.file, parsed.docs[index], issue, read.kindSpan, what, value));
    }
    const placeholders = result.placeholders.filter((p) => hasPlaceholder(p.raw)).length;
    out.docs.push({ index, start: read.docSpan.start, kindSpan: read.kindSpan, findings, placeholders });
  }
  if (out.docs.some((d) => d.findings.length || d.placeholders)) out.parsed = parsed.docs as Document[];
  return out;
}

/** A document's top as validation reads it; `value` when already read (flat), else made from the tree on demand. */
interface DocTop {
  apiVersion?: string;
  kind?: string;
  docSpan: Span;
  kindSpan: Span;
  value?: JsonObject;
  /** The value holds no null (read flat: every null is a leaf the reading saw). */
  nullFree?: boolean;
}

/** A document's top read from its tree: undefined when it has nothing to validate (errors, not a map). */
function readTreeDoc(parsed: ParsedText, index: number): DocTop | undefined {
  if (parsed.hasLenientErrors(index)) return undefined; // yaml-syntax says it already
  // Aliases and merge keys resolved as kustomize reads them (the index reports a broken anchor).
  if (parsed.anchorError(index)) return undefined;
  const root = parsed.docs[index].contents as Node | null;
  if (!isMap(root)) return undefined;
  const docSpan = spanOf(root) ?? { start: 0, end: 0 };
  return {
    apiVersion: scalarText(mapGet(root, 'apiVersion')),
    kind: scalarText(mapGet(root, 'kind')),
    docSpan,
    kindSpan: spanOf(mapGet(root, 'kind')) ?? spanOf(mapGet(root, 'apiVersion')) ?? docSpan,
  };
}

/** The tree's value (made only for a document a schema applies to); undefined when aliases expand too far. */
function treeValue(doc: Document): JsonObject | undefined {
  try {
    return doc.toJS({ maxAliasCount: 1000 }) as JsonObject;
  } catch {
    return undefined;
  }
}

function docFinding(file: string, doc: Document, issue: SchemaIssue, kindSpan: Span, what: string, value: unknown): DocFinding {
  return {
    file,
    span: issueSpan(doc, issue, kindSpan),
    severity: issue.severity,
    code: 'schema',
    message: issueMessage(issue, what, isSecretPlace(value as JsonObject, issue.pointer)),
    ...(issue.keyword === 'required' ? { required: true } : {}),
  };
}

/** Where a flat reading is: the root map, a top-level field (apiVersion, kind), or deeper. */
type FlatPlace = 'root' | 'apiVersion' | 'kind' | 'other';

/**
 * What a flat reading of a document saw at its top (a class, not closures made per document): `apiVersion` and `kind`
 * as scalarText reads them and their spans as spanOf gives them; `unsure` when a key is one the flat reading names
 * differently from toJS (a null key is '' there; `__proto__` an own property).
 */
class FlatTop implements FlatReader<FlatPlace> {
  unsure = false;
  /** Whether a leaf is null (else the value has no null to drop before validation: withoutNulls would copy nothing). */
  nulls = false;
  readonly top: Partial<Record<'apiVersion' | 'kind', { text: string | undefined; span: Span | undefined }>> = {};

  child(parent: FlatPlace, key: string | number): FlatPlace {
    if (key === 'null' || key === '__proto__') this.unsure = true;
    return parent === 'root' && (key === 'apiVersion' || key === 'kind') ? key : 'other';
  }

  scalar(value: string | number | boolean | null): unknown {
    return value;
  }

  leaf(at: FlatPlace, value: unknown, start: number, end: number): void {
    if (value === null) this.nulls = true;
    if (at !== 'apiVersion' && at !== 'kind') return;
    // scalarText: a string as it is, another scalar as String(), null (or a collection) as nothing.
    const text = typeof value === 'string' ? value : value === null || typeof value === 'object' ? undefined : String(value);
    this.top[at] = { text, span: start < 0 ? undefined : { start, end } };
  }
}

/**
 * A flat document's value as `doc.toJS()` gives it, with the root's `apiVersion` and `kind`: undefined when the root
 * is not a map, 'trees' when the tree must answer (FlatTop.unsure; a top-level field that is a collection: its span
 * is the tree's).
 */
function readFlatDoc(doc: CompactDoc): (DocTop & { value: JsonObject }) | undefined | 'trees' {
  if (flatRootKind(doc) !== 'map') return undefined;
  const seen = new FlatTop();
  const read = readFlat<FlatPlace>(doc, 'root', seen);
  if (!read || seen.unsure) return 'trees';
  const value = read.value as JsonObject;
  const { top } = seen;
  for (const k of ['apiVersion', 'kind'] as const) if (Object.hasOwn(value, k) && !top[k]) return 'trees';
  const docSpan = read.range ? { start: read.range[0], end: read.range[1] } : { start: 0, end: 0 };
  return { value, nullFree: !seen.nulls, apiVersion: top.apiVersion?.text, kind: top.kind?.text, docSpan, kindSpan: top.kind?.span ?? top.apiVersion?.span ?? docSpan };
}
