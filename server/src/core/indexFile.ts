// YAML index: one file's text → FileFacts (objects, references, spans). Pure: no file system access.
import type { Node } from 'yaml';
import { isLimitError } from './yamlParse';
import { parseUnshared, type ParsedText, type ParseText } from './parsedText';
import type { DocRef, FileFacts, KustomizeFact, ObjectFact } from './facts';
import type { Span } from './text';
import { FlatDocReader, flatRoot, flatRootKind } from './compactDocs';
import { treeReader, type DocReader } from './docReader';
import { computeLineStarts } from './text';
import { KINDS } from './kube/kinds';
import { keptList } from './keptList';
import { basename, dirname, isKustomizationFileName } from './paths';
import { extractKustomizeFile, isKustomizeConfig } from './extract/kustomizeFile';
import { extractObjectFacts } from './extract/fluxObjects';
import { jsonPatchOps } from './extract/patches';
import { mayProduce, producedObjects } from './extract/producers';

/** Files above this size are not parsed (reported as skipped). */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

/**
 * A file's facts with its line starts made when first asked for: a fleet keeps facts for every file, and asks for the
 * lines of the few a finding, a hover or an edit is in (the synthetic fleet: 172,000 line starts made and kept by
 * its load, 1.9 MB, for 996 findings). Not an own enumerable property (the private field neither): the facts' own
 * keys, their JSON (linkShape) and copies are as they were without it.
 */
class Facts implements FileFacts {
  // (own keys in the order the facts had as a literal: their JSON is written out, `flux-fleet snapshot`)
  file: string;
  text: string;
  skipped: string | undefined;
  syntaxErrors: FileFacts['syntaxErrors'] = [];
  objects: FileFacts['objects'] = [];
  objectRefs: FileFacts['objectRefs'] = [];
  fluxKustomizations: FileFacts['fluxKustomizations'] = [];
  sources: FileFacts['sources'] = [];
  #lineStarts: number[] | undefined;

  constructor(file: string, text: string, skipped: string | undefined) {
    this.file = file;
    this.text = text;
    this.skipped = skipped;
  }

  get lineStarts(): number[] {
    return (this.#lineStarts ??= computeLineStarts(this.text));
  }
}

export function emptyFacts(file: string, text: string, skipped?: string): FileFacts {
  return new Facts(file, text, skipped);
}

/** Helm chart templates and other Go-templated YAML are not YAML until rendered: do not report them. */
function isTemplated(text: string): boolean {
  return /\{\{[-\s]/.test(text);
}

/**
 * Every kind and apiVersion of the kinds table, as one string each. An object's facts keep its kind and apiVersion,
 * read from its file's text as strings of their own (a few words each, 17,000 of them on the synthetic fleet, that the
 * load's scavenges copied and promoted); one the table knows is kept as the table's string instead.
 */
const KNOWN_NAMES: ReadonlyMap<string, string> = new Map(
  KINDS.flatMap((k) => [k.kind, ...k.versions.map((v) => (k.group ? `${k.group}/${v}` : v))]).map((name) => [name, name]),
);

function known(name: string | undefined): string | undefined {
  return name === undefined ? undefined : KNOWN_NAMES.get(name) ?? name;
}

/** A `metadata.labels` map of scalars, or undefined when there is none. */
function labelsOf<N>(r: DocReader<N>, node: N | undefined): Record<string, string> | undefined {
  const entries = r.entries(node);
  if (!entries?.length) return undefined;
  const out: Record<string, string> = {};
  for (const e of entries) {
    const k = keyText(e.key);
    const v = r.text(e.value);
    if (k !== undefined && v !== undefined) out[k] = v;
  }
  return out;
}

/** A map key's text as scalarText reads a key node: undefined for null (no node), a key that is not a scalar. */
function keyText(v: unknown): string | undefined {
  return v === null || v === undefined || typeof v === 'symbol' ? undefined : typeof v === 'string' ? v : String(v);
}

/** An object's fact from its top (apiVersion, kind, metadata). */
function pushObject(facts: FileFacts, owner: DocRef, apiVersion: string, kind: string, name: string, nameSpan: Span, namespace: string | undefined, labels: Record<string, string> | undefined, docSpan: Span): ObjectFact {
  const fact: ObjectFact = { owner, apiVersion, kind, name, namespace, nameSpan, span: docSpan };
  if (labels) fact.labels = labels;
  facts.objects.push(fact);
  if ((kind === 'ResourceSet' || kind === 'ResourceSetInputProvider') && apiVersion.startsWith('fluxcd.controlplane.io/')) {
    (facts.resourceSets ??= []).push({ owner, kind, name, namespace, span: docSpan });
  }
  return fact;
}

/** A document's facts from its root node (not null), read through its tree or its flat form alike. */
function indexDoc<N>(facts: FileFacts, r: DocReader<N>, root: N, owner: DocRef, isKustomizationFile: boolean): void {
  if (r.shape(root) !== 'map') {
    const ops = jsonPatchOps(r, root);
    if (ops) facts.jsonPatchOps = [...(facts.jsonPatchOps ?? []), ...ops];
    return;
  }
  const docSpan = r.span(root) ?? { start: 0, end: 0 };
  if (isKustomizationFile && isKustomizeConfig(r, root)) {
    if (!facts.kustomize) facts.kustomize = keptKustomize(extractKustomizeFile(r, facts.text, root, owner, dirname(facts.file)));
    return;
  }
  const apiVersion = known(r.text(r.get(root, 'apiVersion')));
  const kind = known(r.text(r.get(root, 'kind')));
  if (!apiVersion || !kind) return;
  if (kind.endsWith('List') && r.get(root, 'items')) return; // v1 List: items are not indexed individually yet
  const metadata = r.get(root, 'metadata');
  const nameNode = r.get(metadata, 'name');
  const name = r.text(nameNode);
  if (name !== undefined) {
    const fact = pushObject(facts, owner, apiVersion, kind, name, r.span(nameNode)!, r.text(r.get(metadata, 'namespace')), labelsOf(r, r.get(metadata, 'labels')), docSpan);
    if (mayProduce(apiVersion, kind)) {
      const made = producedObjects(r.rootJSON(root), { owner, apiVersion, kind, name, namespace: fact.namespace, nameSpan: fact.nameSpan });
      if (made.length) (facts.produced ??= []).push(...made);
    }
  }
  extractObjectFacts(r, root, owner, apiVersion, kind, docSpan, {
    refs: facts.objectRefs,
    fluxKustomizations: facts.fluxKustomizations,
    sources: facts.sources,
    artifactGenerators: (facts.artifactGenerators ??= []),
    objects: facts.objects,
  });
  if (facts.artifactGenerators?.length === 0) delete facts.artifactGenerators;
}

/** Document `i`'s facts read from its tree: its errors, then its nodes. */
function indexTreeDoc(facts: FileFacts, parsed: ParsedText, i: number, templated: boolean, isKustomizationFile: boolean): void {
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
  if (root) indexDoc(facts, treeReader, root, { file: facts.file, doc: i }, isKustomizationFile);
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
  // Documents kept flat (most) are read from that form (they have no errors and no anchors): no tree made of them.
  const flat = parsed.flatDocs();
  if (flat) {
    for (let i = 0; i < flat.length; i++) {
      if (flatRootKind(flat[i]) !== 'none') indexDoc(facts, new FlatDocReader(flat[i]), flatRoot(), { file, doc: i }, isKustomizationFile);
    }
  } else for (let i = 0; i < parsed.docs.length; i++) indexTreeDoc(facts, parsed, i, templated, isKustomizationFile);
  // Exact-length copies of the lists pushing grew (it leaves spare room), the empty ones shared: every file's facts
  // are kept.
  facts.syntaxErrors = keptList(facts.syntaxErrors);
  facts.objects = keptList(facts.objects);
  facts.objectRefs = keptList(facts.objectRefs);
  facts.fluxKustomizations = keptList(facts.fluxKustomizations);
  facts.sources = keptList(facts.sources);
  return facts;
}

/** A kustomization's facts with their lists as kept (most have no remote base, many no generator or patch). */
function keptKustomize(k: KustomizeFact): KustomizeFact {
  k.paths = keptList(k.paths);
  k.remotes = keptList(k.remotes);
  k.generated = keptList(k.generated);
  k.patches = keptList(k.patches);
  return k;
}
