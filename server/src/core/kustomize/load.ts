// YAML text → Resources with provenance: every leaf's JSON pointer is tied to the span of its scalar in the file.
import type { Layer } from '../layer';
import { isMap, isSeq, isScalar, type Node } from 'yaml';
import { isLimitError } from '../yamlParse';
import { parseText, type ParsedText } from '../parsedText';
import { flatRootKind, readFlat, type CompactDoc, type FlatReader } from '../compactDocs';
import type { Json, JsonObject, Provenance, ProvenanceMap, Resource } from './types';
import type { Span } from '../text';
import { escapeSegment, internPointer, type PointerTable, type ProvenanceWrite } from './provenance';
import { compactProvenance, documentProvenance } from './compactProvenance';
import { goYamlPlainScalar } from './goYamlResolve';


/** Exactly `{ file, layer, kustomization }` (loadManifests' base), the keys a leaf's write then has before `span`. */
function isManifestBase(base: object): base is Pick<Provenance, 'file' | 'layer' | 'kustomization'> {
  const keys = Object.keys(base);
  return keys.length === 3 && keys[0] === 'file' && keys[1] === 'layer' && keys[2] === 'kustomization';
}

/**
 * Converts a yaml node to JSON while recording, for every leaf, a provenance write at its pointer. The node's
 * document must have been through deAnchor: a value reached through an alias is its anchor's node, so its span is
 * the anchor's text.
 */
export function nodeToJson(node: Node | null | undefined, pointer: string, prov: ProvenanceMap, base: Omit<Provenance, 'span'>, manifestBase = isManifestBase(base)): Json {
  if (!node) {
    record(prov, pointer, base, manifestBase, null, node);
    return null;
  }
  if (isMap(node)) {
    const out: JsonObject = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      out[key] = nodeToJson(pair.value as Node | null, `${pointer}/${escapeSegment(key)}`, prov, base, manifestBase);
    }
    if (node.items.length === 0) record(prov, pointer, base, manifestBase, out, node);
    return out;
  }
  if (isSeq(node)) {
    const items = node.items;
    const out: Json[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) out[i] = nodeToJson(items[i] as Node, `${pointer}/${i}`, prov, base, manifestBase);
    if (out.length === 0) record(prov, pointer, base, manifestBase, out, node);
    return out;
  }
  let v: Json;
  if (isScalar(node)) {
    // A scalar's value as its toJSON gives it (a primitive as it is; a Date or bigint through toJSON).
    const raw = node.value;
    const value = (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || raw === null ? raw : node.toJSON()) as Json;
    v = value instanceof Date ? (value as Date).toISOString() : value;
    if (node.type === 'PLAIN') {
      // kustomize reads with go-yaml (YAML 1.1 octal, 0b101, 1_000, timestamps), not with the YAML 1.2 core schema.
      const source = (node as { source?: string }).source;
      if (typeof v === 'string') v = goYamlPlainScalar(v);
      else if (typeof v === 'number' && typeof source === 'string') {
        const go = goYamlPlainScalar(source);
        if (typeof go === 'number') v = go;
      }
    }
  } else v = null;
  record(prov, pointer, base, manifestBase, v, node);
  return v;
}

/** A leaf's write at its pointer (the node's span). */
function record(prov: ProvenanceMap, pointer: string, base: Omit<Provenance, 'span'>, manifestBase: boolean, value: Json, n: Node | null | undefined): void {
  const r = n?.range;
  const span = r ? { start: r[0], end: r[1] } : undefined;
  // A manifest's base spelled out, not spread: one of these per leaf of every loaded document (same keys, same order).
  // Else assigned, not spread then extended: see provenanceWrite.
  const entry = manifestBase ? { file: base.file, layer: base.layer, kustomization: base.kustomization, span, value } : Object.assign({}, base, { span, value });
  prov.set(internPointer(pointer), [entry]);
}

export interface LoadedDocs {
  resources: Resource[];
  errors: Array<{ message: string; span: { start: number; end: number } }>;
}

/**
 * Every non-empty document of a manifest file, as a Resource (kind List is expanded into its items). `parsed`: the
 * fleet's parse of `text` (a file's), shared with the index; parsed here when not given (inline patches). `pointers`:
 * the build's table of pointers (see PointerTable).
 */
export function loadManifests(text: string, file: string, layer: Layer, kustomization?: string, parsed: ParsedText = parseText(text), pointers?: PointerTable): LoadedDocs {
  // A file the index read and nothing asked for as a tree since: its data read from the flat form, no tree made.
  const flat = parsed.flatDocs();
  const read = flat && loadFlat(flat, file, layer, kustomization, pointers);
  if (read) return read;
  const out: LoadedDocs = { resources: [], errors: [] };
  for (const [i, doc] of parsed.docs.entries()) {
    // A collection nested too deep was read as null (yamlParse.ts): the rest of the document loads, and the index
    // reports the limit where it is (every YAML file is indexed), so it is not a build error here.
    const errors = doc.contents ? doc.errors.filter((e) => !isLimitError(e)) : doc.errors;
    for (const e of errors) out.errors.push({ message: e.message.split('\n')[0], span: { start: e.pos[0], end: e.pos[1] } });
    if (errors.length) continue;
    const anchorError = parsed.anchorError(i);
    if (anchorError) {
      out.errors.push(anchorError);
      continue;
    }
    const root = doc.contents as Node | null;
    if (!root || !isMap(root)) continue;
    const prov: ProvenanceMap = new Map();
    const base = { file, layer, kustomization };
    const obj = nodeToJson(root, '', prov, base) as JsonObject;
    const span = root.range ? docSpan(root.range[0], root.range[1], pointers) : undefined;
    addDocument(out, obj, compactProvenance(prov, pointers), { file, layer, kustomization, span });
  }
  return out;
}

/**
 * loadManifests of flattened documents (they have no errors and no anchors: core/parsedText.ts), the same resources
 * and provenance as nodeToJson makes from their trees; undefined when one needs its tree (compactDocs.ts readFlat).
 */
function loadFlat(docs: readonly CompactDoc[], file: string, layer: Layer, kustomization: string | undefined, pointers: PointerTable | undefined): LoadedDocs | undefined {
  const out: LoadedDocs = { resources: [], errors: [] };
  // One reader per file, its documents' maps set in turn (no reader and closures per document of every build).
  const reader = new ManifestReader(file, layer, kustomization, pointers);
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i];
    if (flatRootKind(doc) !== 'map') continue;
    const writes = (reader.writes = new Map());
    const read = readFlat<string>(doc, '', reader);
    if (!read) return undefined;
    const span = read.range ? docSpan(read.range[0], read.range[1], pointers) : undefined;
    addDocument(out, read.value as JsonObject, documentProvenance(writes, pointers), { file, layer, kustomization, span });
  }
  return out;
}

/** A document's span (its origin's): the build's shared one for its range, when loaded for a build (PointerTable.span). */
function docSpan(start: number, end: number, pointers: PointerTable | undefined): Span {
  return pointers ? pointers.span(start, end) : { start, end };
}

/** A flat reading as kustomize reads (go-yaml scalars), pointers from `pointers` when given (interned as made). A
 *  class, not closures: a whole check reads ~11,000 documents. */
abstract class GoYamlReader implements FlatReader<string> {
  constructor(protected readonly pointers: PointerTable | undefined) {}
  child(pointer: string, key: string | number): string {
    return this.pointers ? this.pointers.child(pointer, key) : typeof key === 'number' ? `${pointer}/${key}` : `${pointer}/${escapeSegment(key)}`;
  }
  scalar(raw: string | number | boolean | null, type: unknown, source: unknown): Json {
    return goYamlScalar(raw, type, source);
  }
  abstract leaf(pointer: string, value: unknown, start: number, end: number): void;
}

/**
 * Reads a flattened manifest as kustomize reads it (go-yaml scalars), each leaf's write (a manifest's base spelled out,
 * as record() writes it: same keys, same order) into `prov` at its interned pointer; with `pointers`, the pointers are
 * the build's table's.
 */
class ManifestReader extends GoYamlReader {
  /** The document's writes by pointer (its provenance map is made of them at its end: documentProvenance). */
  writes = new Map<string, ProvenanceWrite>();
  constructor(
    private readonly file: string,
    private readonly layer: Layer,
    private readonly kustomization: string | undefined,
    pointers: PointerTable | undefined,
  ) {
    super(pointers);
  }
  leaf(pointer: string, value: unknown, start: number, end: number): void {
    this.writes.set(this.pointers ? pointer : internPointer(pointer), { file: this.file, layer: this.layer, kustomization: this.kustomization, span: start < 0 ? undefined : this.pointers ? this.pointers.span(start, end) : { start, end }, value: value as Json });
  }
}

/**
 * A flattened document's data as kustomize reads it (go-yaml scalars), each leaf handed to `leaf` with its interned
 * JSON pointer and its range (start -1: no node), as nodeToJson records it; undefined when a node needs its tree (compactDocs.ts readFlat). The one flat
 * reading of manifests and values files. With `pointers` each pointer is found there (interned as it is made).
 */
export function readFlatJson(doc: CompactDoc, leaf: (pointer: string, value: Json, start: number, end: number) => void, pointers?: PointerTable): ReturnType<typeof readFlat> {
  return readFlat<string>(doc, '', new LeafReader(leaf, pointers));
}

/** readFlatJson's reader: `leaf` told each leaf at its interned pointer. */
class LeafReader extends GoYamlReader {
  constructor(
    private readonly onLeaf: (pointer: string, value: Json, start: number, end: number) => void,
    pointers: PointerTable | undefined,
  ) {
    super(pointers);
  }
  leaf(pointer: string, value: unknown, start: number, end: number): void {
    this.onLeaf(this.pointers ? pointer : internPointer(pointer), value as Json, start, end);
  }
}

/** A scalar's value as kustomize reads it (go-yaml: YAML 1.1 octal, 0b101, 1_000, timestamps; see nodeToJson). */
function goYamlScalar(raw: string | number | boolean | null, type: unknown, source: unknown): Json {
  if (type !== 'PLAIN') return raw;
  if (typeof raw === 'string') return goYamlPlainScalar(raw);
  if (typeof raw === 'number' && typeof source === 'string') {
    const go = goYamlPlainScalar(source);
    if (typeof go === 'number') return go;
  }
  return raw;
}

/** A loaded document as a Resource; a List's items each one. */
function addDocument(out: LoadedDocs, obj: JsonObject, prov: ProvenanceMap, origin: Resource['origin']): void {
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
    // Each item's stacks, in one pass over the list's (not one pass per item: quadratic in a long List).
    const itemProvs = new Map<number, ProvenanceMap>();
    for (const [k, v] of prov) {
      const m = /^\/items\/(\d+)(\/.*)$/.exec(k);
      if (!m) continue;
      const i = Number(m[1]);
      if (!itemProvs.has(i)) itemProvs.set(i, new Map());
      itemProvs.get(i)!.set(m[2], v);
    }
    obj.items.forEach((item, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) return;
      out.resources.push({ obj: item as JsonObject, prov: compactProvenance(itemProvs.get(i) ?? new Map()), origin: { ...origin } });
    });
    return;
  }
  out.resources.push({ obj, prov, origin });
}
