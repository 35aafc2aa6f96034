// YAML index: one file's text → FileFacts (objects, references, spans). Pure: no file system access.
import { isMap, type Node } from 'yaml';
import { isLimitError } from './yamlParse';
import { parseUnshared, type ParsedText, type ParseText } from './parsedText';
import type { DocRef, FileFacts, ObjectFact } from './facts';
import type { Span } from './text';
import { flatEntries, flatLookup, flatRange, flatRoot, flatRootKind, flatScalarText, type CompactDoc, type FlatPlace } from './compactDocs';
import { computeLineStarts } from './text';
import { basename, dirname, isKustomizationFileName } from './paths';
import { extractKustomizeFile, isKustomizeConfig } from './extract/kustomizeFile';
import { extractObjectFacts, readsObjectFacts } from './extract/fluxObjects';
import { jsonPatchOps } from './extract/patches';
import { mayProduce, producedObjects } from './extract/producers';
import { getIn, mapGet, scalarText, spanOf } from './yamlAccess';

/** Files above this size are not parsed (reported as skipped). */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

export function emptyFacts(file: string, text: string, skipped?: string): FileFacts {
  return { file, text, lineStarts: computeLineStarts(text), skipped, syntaxErrors: [], objects: [], objectRefs: [], fluxKustomizations: [], sources: [] };
}

/** Helm chart templates and other Go-templated YAML are not YAML until rendered: do not report them. */
function isTemplated(text: string): boolean {
  return /\{\{[-\s]/.test(text);
}

/** A `metadata.labels` map of scalars, or undefined when there is none. */
function labelsOf(node: Node | undefined): Record<string, string> | undefined {
  if (!isMap(node) || !node.items.length) return undefined;
  const out: Record<string, string> = {};
  for (const pair of node.items) {
    const k = scalarText(pair.key);
    const v = scalarText(pair.value);
    if (k !== undefined && v !== undefined) out[k] = v;
  }
  return out;
}

/** An object's fact from its top (apiVersion, kind, metadata), read from its tree or its flat form alike. */
function pushObject(facts: FileFacts, owner: DocRef, apiVersion: string, kind: string, name: string, nameSpan: Span, namespace: string | undefined, labels: Record<string, string> | undefined, docSpan: Span): ObjectFact {
  const fact: ObjectFact = { owner, apiVersion, kind, name, namespace, nameSpan, span: docSpan };
  if (labels) fact.labels = labels;
  facts.objects.push(fact);
  if ((kind === 'ResourceSet' || kind === 'ResourceSetInputProvider') && apiVersion.startsWith('fluxcd.controlplane.io/')) {
    (facts.resourceSets ??= []).push({ owner, kind, name, namespace, span: docSpan });
  }
  return fact;
}

/** A flat map key as scalarText reads a key node: undefined for null (no node), a collection key. */
function keyText(v: unknown): string | undefined {
  return v === null || v === undefined || typeof v === 'symbol' ? undefined : typeof v === 'string' ? v : String(v);
}

/** labelsOf a flat node. */
function flatLabels(doc: CompactDoc, place: FlatPlace | undefined): Record<string, string> | undefined {
  const entries = place && flatEntries(doc, place);
  if (!entries?.length) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const k = keyText(e.key);
    const v = flatScalarText(doc, e.value);
    if (k !== undefined && v !== undefined) out[k] = v;
  }
  return out;
}

/** The keys of a document's top and of its metadata the index reads (flatLookup's order). */
const TOP_KEYS = ['apiVersion', 'kind', 'metadata'];
const METADATA_KEYS = ['name', 'namespace', 'labels'];

/**
 * A flat document's facts when they are its top's alone (not a List, nothing extractObjectFacts or producedObjects
 * reads further): read as indexTreeDoc reads its tree. False (nothing added) when the document needs its tree.
 */
function indexFlatDoc(facts: FileFacts, doc: CompactDoc, owner: DocRef): boolean {
  const root = flatRoot();
  const top: Array<FlatPlace | undefined> = [];
  if (!flatLookup(doc, root, TOP_KEYS, top)) return flatRootKind(doc) === 'none';
  const apiVersion = flatScalarText(doc, top[0]);
  const kind = flatScalarText(doc, top[1]);
  if (!apiVersion || !kind) return true;
  if (kind.endsWith('List') || mayProduce(apiVersion, kind) || readsObjectFacts(apiVersion, kind)) return false;
  const metadata: Array<FlatPlace | undefined> = [];
  flatLookup(doc, top[2], METADATA_KEYS, metadata);
  const name = flatScalarText(doc, metadata[0]);
  if (name === undefined) return true;
  const range = flatRange(doc, root)!;
  const nameRange = flatRange(doc, metadata[0]!)!;
  const namespace = flatScalarText(doc, metadata[1]);
  pushObject(facts, owner, apiVersion, kind, name, { start: nameRange[0], end: nameRange[1] }, namespace, flatLabels(doc, metadata[2]), { start: range[0], end: range[1] });
  return true;
}

/** Document `i`'s facts read from its tree. */
function indexTreeDoc(facts: FileFacts, parsed: ParsedText, i: number, templated: boolean, isKustomizationFile: boolean): void {
  const file = facts.file;
  const text = facts.text;
  const doc = parsed.docs[i];
  // (a templated text reports only limits: its other errors are the template's, read from the shared parse as is)
  for (const err of templated ? doc.errors.filter(isLimitError) : parsed.lenientErrors(i)) {
    const limit = isLimitError(err);
    facts.syntaxErrors.push({ span: { start: err.pos[0], end: Math.max(err.pos[1], err.pos[0] + 1) }, message: err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), ...(limit && { code: 'limit-exceeded' as const }) });
  }
  // Read through aliases and merge keys as kustomize does (spans of aliased values: the anchor's text).
  const anchorError = parsed.anchorError(i);
  if (anchorError) {
    if (!templated) facts.syntaxErrors.push(anchorError);
    return;
  }
  const root = doc.contents as Node | null;
  if (!root) return;
  if (!isMap(root)) {
    const ops = jsonPatchOps(root);
    if (ops) facts.jsonPatchOps = [...(facts.jsonPatchOps ?? []), ...ops];
    return;
  }
  const owner = { file, doc: i };
  const docSpan = spanOf(root) ?? { start: 0, end: 0 };
  if (isKustomizationFile && isKustomizeConfig(root)) {
    if (!facts.kustomize) facts.kustomize = extractKustomizeFile(text, root, owner, dirname(file));
    return;
  }
  const apiVersion = scalarText(mapGet(root, 'apiVersion'));
  const kind = scalarText(mapGet(root, 'kind'));
  const nameNode = getIn(root, ['metadata', 'name']);
  const name = scalarText(nameNode);
  if (!apiVersion || !kind) return;
  if (kind.endsWith('List') && mapGet(root, 'items')) return; // v1 List: items are not indexed individually yet
  if (name !== undefined) {
    const fact = pushObject(facts, owner, apiVersion, kind, name, spanOf(nameNode)!, scalarText(getIn(root, ['metadata', 'namespace'])), labelsOf(getIn(root, ['metadata', 'labels'])), docSpan);
    if (mayProduce(apiVersion, kind)) {
      const made = producedObjects(root, { owner, apiVersion, kind, name, namespace: fact.namespace, nameSpan: fact.nameSpan });
      if (made.length) (facts.produced ??= []).push(...made);
    }
  }
  extractObjectFacts(root, owner, apiVersion, kind, docSpan, {
    refs: facts.objectRefs,
    fluxKustomizations: facts.fluxKustomizations,
    sources: facts.sources,
    artifactGenerators: (facts.artifactGenerators ??= []),
    objects: facts.objects,
  });
  if (facts.artifactGenerators?.length === 0) delete facts.artifactGenerators;
}

/** `parse`: the fleet's one parse of the text (shared with the kustomize engine and the other readers). */
export function indexFile(file: string, text: string, parse: ParseText = parseUnshared): FileFacts {
  if (text.length > MAX_YAML_BYTES) return emptyFacts(file, '', `larger than ${MAX_YAML_BYTES} bytes`);
  if (text.includes('\u0000')) return emptyFacts(file, '', 'binary');
  const facts = emptyFacts(file, text);
  let parsed: ParsedText;
  try {
    parsed = parse(file, text);
  } catch (e) {
    facts.syntaxErrors.push({ span: { start: 0, end: 0 }, message: String(e) });
    return facts;
  }
  const templated = isTemplated(text);
  const isKustomizationFile = isKustomizationFileName(basename(file));
  // Documents kept flat (most) are read from that form when their facts are their top's alone: no tree made of them.
  const flat = isKustomizationFile ? undefined : parsed.flatDocs();
  const count = flat ? flat.length : parsed.docs.length;
  for (let i = 0; i < count; i++) {
    if (flat && indexFlatDoc(facts, flat[i], { file, doc: i })) continue;
    indexTreeDoc(facts, parsed, i, templated, isKustomizationFile);
  }
  // Exact-length copies of the lists pushing grew (it leaves spare room): every file's facts are kept.
  facts.objects = facts.objects.slice();
  facts.objectRefs = facts.objectRefs.slice();
  return facts;
}
