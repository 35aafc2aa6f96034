// The kustomize build, in kustomize's own order, with provenance: resources (inner builds first) → generators →
// components → patchesStrategicMerge → patches → namespace → prefix/suffix → labels → annotations →
// patchesJson6902 → replicas → images → replacements; then hash suffixes and the name references they change.
// Files are read through `readFile` only; nothing here touches the disk or runs a program.
import { isMap, isSeq, isScalar, type Document, type Node, type Scalar } from 'yaml';
import { parseYaml } from '../yamlParse';
import { copyOwnKeys, setOwnKey, type BuildIssue, type Json, type JsonObject, type Provenance, type ResId, type Resource } from './types';
import { stepLayer, type KustomizeStep, type Layer } from '../layer';
import { loadManifests } from './load';
import { parseText, type ParsedText, type ParseText } from '../parsedText';
import { flatRoot, flatRootKind, FlatDocReader, readFlat, type CompactDoc, type FlatPlace } from '../compactDocs';
import { resourceShapeProblem } from './resourceShape';
import { deAnchor } from '../yamlAnchors';
import { describeId, resIdOf, ResIds, selector, type Selector } from './resid';
import { addAnnotations, addLabels, addNamePrefixSuffix, setImages, setNamespace, setReplicas, type ImageSpec } from './transformers';
import type { NameReferenceConfig, Rename } from './nameReference';
import { applyReplacements, ReplacementError, type Replacement } from './replacements';
import { strategicMerge, isDeletePatch } from './strategicMerge';
import { applyJsonPatch, KustomizeError } from './jsonPatch';
import { isSecretSource, MASK } from '../redact';
import { runGenerators } from './generatorStep';
import { BuildError, FileLimitError } from './buildError';
import { kustomizationRefusal } from './kustomizationShape';
import { applyNameSuffixHash, hasBuildAnnotations, needsNameSuffixHash, removeBuildAnnotations, type HashRename } from './hash';
import { updateNameReferences } from './nameReference';
import { scalarSpanMapper } from '../extract/patches';
import { copyProvenance, parsePointer, PointerTable } from './provenance';
import { looksRemote } from '../sourceUrl';
import { dirname, join, relative, resolvePath } from '../paths';
import type { Span } from '../text';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface BuildOptions {
  readFile(path: string): string | undefined;
  /** Exact bytes of a file, for generator sources that are not text. */
  readBytes?(path: string): Uint8Array | undefined;
  /** kubectl's default refuses files outside a kustomization's folder ('rootOnly'); Flux builds with 'none'. */
  loadRestrictions?: 'rootOnly' | 'none';
  /** A path through symbolic links → its target's path (kustomize evaluates links: a linked base is its target). */
  canonical?(path: string): string;
  /** A remote base (`https://…//path?ref=`) → a local folder, when the fleet maps it. */
  resolveRemote?(url: string): string | undefined;
  /** A file `readFile` did not read because it is over the reader's limit: its size and the limit (core/model.ts). */
  tooLarge?(path: string): { size: number; limit: number } | undefined;
  /** The fleet's one parse of a file's text (shared with the index); every read parses anew without it. */
  parse?: ParseText;
  /** Inner kustomizations' builds kept across builds (each includer gets a copy); every level is built anew without. */
  innerBuilds?: InnerBuilds;
}

/** What building an inner kustomization (a `resources:` entry that is a folder) leaves: its resources, and what it
 *  adds to the whole build's state (issues, renames and configurations for the root's name references, origins). */
export interface InnerBuild {
  resources: Resource[];
  issues: BuildIssue[];
  renames: Array<Rename & { resource: Resource }>;
  configurations: NameReferenceConfig[];
  wantsOrigin: Set<Resource>;
}

export interface InnerBuilds {
  /** The kept build of `dir` when what it read reads the same through `options`, else `make`'s (then kept). */
  reuse(dir: string, options: BuildOptions, make: (options: BuildOptions) => InnerBuild): InnerBuild;
  /** An includer's own copy of a kept resource (kept builds are never changed). */
  copy(r: Resource): Resource;
}

export interface BuildResult {
  resources: Resource[];
  issues: BuildIssue[];
}

export { BuildError };

/** What go-yaml refuses before parsing anything: NUL bytes, a UTF-16 file without its BOM (core/textDecode.ts). */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

/** A kustomization file parsed, with the spans of its values at hand. */
export class KustomizationDoc {
  readonly data: JsonObject;
  /** The flat form read in place (a file the fleet's parse keeps flat): no tree made for the data and spans. */
  private readonly flat?: FlatDocReader;
  private tree?: Document;
  constructor(
    readonly file: string,
    readonly text: string,
    private readonly parsed?: ParsedText,
  ) {
    if (CONTROL_CHARACTERS.test(text)) throw new BuildError('invalid Kustomization: yaml: control characters are not allowed', file);
    // One flat document has no errors and no anchors (core/parsedText.ts): its data read from the flat form, as
    // toJS reads its tree (a kustomization of every folder a check builds made its tree again, then its data).
    const flat = parsed?.flatDocs();
    const fromFlat = flat?.length === 1 ? kustomizationData(flat[0]) : undefined;
    let js: Json | undefined;
    if (fromFlat) {
      this.flat = new FlatDocReader(flat![0]);
      js = fromFlat.value;
    } else {
      // Read as parseDocument reads it: the fleet's shared parse when it has one (see ParsedText.single).
      const one = parsed?.single();
      const doc = (this.tree = one ? one.doc : parseYaml(text));
      if (doc.errors.length) throw new BuildError(`${file}: ${doc.errors[0].message.split('\n')[0]}`, file);
      const anchorError = one ? one.anchorError() : deAnchor(doc);
      if (anchorError) throw new BuildError(`${file}: ${anchorError.message}`, file, anchorError.span);
      js = doc.toJS() as Json | undefined;
    }
    const refusal = kustomizationRefusal(js);
    if (refusal) throw new BuildError(refusal, file, this.span([]));
    this.data = js as JsonObject;
  }
  /** The document's tree (the fleet's shared parse), made when a node is asked for. */
  private get doc(): Document {
    return (this.tree ??= this.parsed!.single().doc);
  }
  node(path: Array<string | number>): Node | undefined {
    return (this.doc.getIn(path, true) as Node | undefined) ?? undefined;
  }
  span(path: Array<string | number>): Span | undefined {
    if (this.flat) {
      const at = flatPlaceAt(this.flat, path);
      if (at !== IN_TREE) return at ? this.flat.span(at) : undefined;
    }
    const r = this.node(path)?.range;
    return r ? { start: r[0], end: r[1] } : undefined;
  }
  prov(step: KustomizeStep, path: Array<string | number>): Provenance {
    return { file: this.file, span: this.span(path), layer: stepLayer(step), kustomization: this.file };
  }
}

/** A path the flat reading does not follow as the tree's getIn does (a number key of a map, a string index of a list). */
const IN_TREE = Symbol('read in the tree');
/** A key toJS makes another key of (a null key is "") or sets no own property by (`__proto__`): the tree reads it. */
const KEY_FOR_TREE = Symbol('a key toJS reads otherwise');

/** A flat document's data as the tree's toJS gives it (scalars as the composer made them); undefined: read the tree. */
function kustomizationData(doc: CompactDoc): { value: Json } | undefined {
  try {
    const read = readFlat<null>(doc, null, {
      child: (_, key) => {
        if (key === 'null' || key === '__proto__') throw KEY_FOR_TREE;
        return null;
      },
      scalar: (value) => value,
      leaf: () => undefined,
    });
    return read && { value: read.value as Json };
  } catch (e) {
    if (e === KEY_FOR_TREE) return undefined;
    throw e;
  }
}

/** The node at `path` of a flat document as Document.getIn finds it: null for none, IN_TREE where only the tree can tell. */
function flatPlaceAt(reader: FlatDocReader, path: ReadonlyArray<string | number>): FlatPlace | null | typeof IN_TREE {
  let at: FlatPlace | undefined = flatRoot();
  for (const seg of path) {
    const shape = reader.shape(at);
    if (shape === 'map' && typeof seg === 'string') at = reader.get(at, seg);
    else if (shape === 'seq' && typeof seg === 'number') at = reader.items(at)[seg];
    else if (shape === 'map' || shape === 'seq') return IN_TREE;
    else return null;
    if (!at) return null;
  }
  return at;
}

/** Whether a list field (`buildMetadata`) names `option` (as a string, as str reads it). */
function asksFor(v: Json | undefined, option: string): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (str(v[i]) === option) return true;
  return false;
}

function list(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function buildKustomization(dir: string, options: BuildOptions): BuildResult {
  return completeRoot(stageRoot(dir, options), options);
}

/**
 * What Flux adds to the top-level kustomization before building (kustomize-controller writes them into the file):
 * components after the file's own, patches after its own, images after its own; targetNamespace replaces its
 * `namespace`, namePrefix/nameSuffix replace its own. So they run in kustomize's order, before the file's
 * namespace, prefix, labels, hash suffixes and name references, as in the cluster.
 */
export interface FluxAdditions {
  components: string[];
  patches: Array<{ text: string; target?: Selector; prov: Provenance; map?: (s: Span) => Span }>;
  images: ImageSpec[];
  imageProv: (i: number) => Provenance;
  namespace?: { value: string; prov: Provenance };
  namePrefix?: { value: string; prov: Provenance };
  nameSuffix?: { value: string; prov: Provenance };
}

/**
 * A build stopped after the top level's resources, generators and components (every inner kustomization complete):
 * the part that does not depend on Flux's additions, so it can be kept and completed once per deploying context.
 */
export interface RootStage {
  dir: string;
  doc?: KustomizationDoc;
  resources: Resource[];
  issues: BuildIssue[];
  renames: Array<Rename & { resource: Resource }>;
  configurations: NameReferenceConfig[];
  wantsOrigin: Set<Resource>;
  /** Resources whose object (and provenance, unless a namespace write made it their own) are still a kept inner
   *  build's (see Builder.borrowed). */
  borrowed: Map<Resource, Borrowed>;
  failed: boolean;
}

/** A resource of a kept inner build taken into a build as it is: how to copy it, and whether its provenance map is
 *  already the build's own (a namespace write of the namespace it has: only its object is still the kept one's). */
interface Borrowed {
  /** The kept resource the wrapper was made of: while no step owned any part of it, the two are alike (settle). */
  from: Resource;
  copy: (r: Resource) => Resource;
  provenanceOwned: boolean;
  /** Its top-level object and `metadata` map are the build's own already (ownMetadata), the rest still the kept one's.
   *  (set from the start: a property added later put every Borrowed's properties out of the object) */
  metadataOwned: boolean;
}

/** The keys of a level whose steps may change an object's name or namespace (patches, the namespace, prefixes and
 *  suffixes, replacements, and `labels`, whose `fields` may name any path): the renames the root's name references
 *  follow come from levels with one of them. */
const RENAMING_KEYS: readonly string[] = ['patchesStrategicMerge', 'patches', 'namespace', 'namePrefix', 'nameSuffix', 'labels', 'patchesJson6902', 'replacements'];

/** Patches change only the resources they match: those are owned one by one (applySmp, applyOps). */
const PATCH_KEYS = ['patches', 'patchesStrategicMerge', 'patchesJson6902'];

/**
 * Keys that change only some of what a level accumulated, each owning those itself: generators add objects or put a
 * merged new one in an old one's place (never changing the old object), the namespace transformer owns what it
 * changes and only the provenance map of an object already in that namespace (it still records the write: this
 * level is the last that set it).
 */
const OWNS_WHAT_IT_CHANGES: ReadonlySet<string> = new Set(['namespace', 'configMapGenerator', 'secretGenerator', 'generatorOptions']);

/**
 * The keys of a kustomization that change none of the resources it accumulates (what its resources and components
 * bring is changed, if at all, by their own levels): a level with only these shares its inner builds' objects.
 */
const KEEPS_RESOURCES: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata', 'resources', 'bases', 'components', 'configurations', 'buildMetadata', 'sortOptions', ...PATCH_KEYS]);

export function stageRoot(dir: string, options: BuildOptions): RootStage {
  const issues: BuildIssue[] = [];
  const builder = new Builder(options, issues);
  try {
    const { k, resources } = builder.collect(dir, [], []);
    return { dir, doc: k, resources, issues, ...builder.state(), failed: false };
  } catch (e) {
    fail(issues, e, dir);
    return { dir, resources: [], issues, ...builder.state(), failed: true };
  }
}

/** A copy of a stage whose resources can be changed (`copy` copies one resource; the rest is re-pointed). */
export function copyStage(stage: RootStage, copy: (r: Resource) => Resource): RootStage {
  const map = new Map(stage.resources.map((r) => [r, copy(r)]));
  const to = (r: Resource) => map.get(r) ?? r;
  return {
    ...stage,
    resources: stage.resources.map(to),
    issues: stage.issues.slice(),
    renames: stage.renames.map((x) => ({ ...x, resource: to(x.resource) })),
    configurations: stage.configurations.slice(),
    wantsOrigin: new Set([...stage.wantsOrigin].map(to)),
    borrowed: new Map(),
  };
}

/** The rest of the top level (Flux's additions included), then hash suffixes and name references. Consumes `stage`. */
export function completeRoot(stage: RootStage, options: BuildOptions, additions?: FluxAdditions): BuildResult {
  const issues = stage.issues;
  if (stage.failed || !stage.doc) return { resources: [], issues };
  const builder = new Builder(options, issues, stage);
  try {
    builder.transform(stage.doc, stage.resources, [stage.dir], additions);
    builder.finish(stage.resources, stage.dir);
    builder.settle(stage.resources);
    return { resources: stage.resources, issues };
  } catch (e) {
    fail(issues, e, stage.dir);
    return { resources: [], issues };
  }
}

function fail(issues: BuildIssue[], e: unknown, dir: string): void {
  const err = e as BuildError;
  // A file over the size limit stops the build (an error of this build: nothing to print), reported as this tool's limit.
  const limit = err instanceof FileLimitError;
  issues.push({ file: err.file ?? dir, span: err.span, severity: 'error', code: limit ? 'limit-exceeded' : 'kustomize-build-error', message: err.message, ...(err.related ? { related: err.related } : {}) });
}

class Builder {
  /** Every rename of every level (prefixes, suffixes, namespaces), for the name reference fix at the end. */
  private readonly renames: Array<Rename & { resource: Resource }>;
  /** `configurations:` files of every level. */
  private readonly configurations: NameReferenceConfig[];
  /** Resources a level's `buildMetadata: [originAnnotations]` asked to annotate. */
  private readonly wantsOrigin: Set<Resource>;
  /**
   * Resources of kept inner builds taken into this build as they are (their own wrapper, the kept object and
   * provenance map): copied (the function given) only when a step is about to change them. A base listed by a level
   * that changes nothing, or whose objects the root's name references leave alone, is not copied at all.
   */
  private readonly borrowed: Map<Resource, Borrowed>;
  /**
   * The kept inner builds' renames this build's copies were made of (reuseInner): where in `renames` the copies of
   * each list start, then the list. A copy that settle finds naming the kept resource again is that rename as it was,
   * and the rename itself is kept instead (no copy per includer of each of a base's renames). (Pairs in one list, not
   * a map per copy: young garbage a scavenge copies too.)
   */
  private renameSources: Array<number | ReadonlyArray<Rename & { resource: Resource }>> | undefined = undefined;

  constructor(
    private readonly options: BuildOptions,
    private readonly issues: BuildIssue[],
    from?: Pick<RootStage, 'renames' | 'configurations' | 'wantsOrigin' | 'borrowed'>,
    /** The pointers of everything this build loads and merges (its inner builds made here share it). */
    private readonly pointers: PointerTable = new PointerTable(),
  ) {
    this.renames = from?.renames ?? [];
    this.configurations = from?.configurations ?? [];
    this.wantsOrigin = from?.wantsOrigin ?? new Set();
    this.borrowed = from?.borrowed ?? new Map();
  }

  state(): Pick<RootStage, 'renames' | 'configurations' | 'wantsOrigin' | 'borrowed'> {
    return { renames: this.renames, configurations: this.configurations, wantsOrigin: this.wantsOrigin, borrowed: this.borrowed };
  }

  /** Makes a borrowed resource this build's own (its object and provenance copied into its wrapper) before a change. */
  private own = (r: Resource): void => {
    const b = this.borrowed.get(r);
    if (!b) return;
    this.borrowed.delete(r);
    if (b.provenanceOwned) {
      r.obj = b.copy({ obj: r.obj, prov: new Map(), origin: r.origin }).obj; // (its own provenance map stays)
      return;
    }
    const c = b.copy(r);
    r.obj = c.obj;
    r.prov = c.prov;
    if (c.removed) r.removed = c.removed;
  };

  /**
   * Makes a borrowed resource this build's own before a strategic merge, which makes every value below the object
   * anew and refills its provenance map: a top-level object of its own and a copy of the map (no copy of every value
   * of a Deployment a patch sets the replicas of). Returns what it was borrowed as, if it was.
   */
  private ownForMerge(r: Resource): Borrowed | undefined {
    const b = this.borrowed.get(r);
    if (!b) return undefined;
    this.borrowed.delete(r);
    r.obj = copyOwnKeys(r.obj); // (a merge may add keys to it: see copyOwnKeys)
    if (!b.provenanceOwned) r.prov = copyProvenance(r.prov);
    return b;
  }

  /**
   * Makes a borrowed resource's `metadata` map and provenance map this build's own, the rest of its object still the
   * kept one's: it stays borrowed (a later change of anything else copies the whole object first, this map with it).
   * The namespace transformer of a base over its apps' kept builds wrote one field of each object, and copied each.
   */
  private ownMetadata = (r: Resource): void => {
    const b = this.borrowed.get(r);
    if (!b) return;
    this.ownProvenance(r);
    if (b.metadataOwned) return;
    // (copies by key, not spreads: the namespace a copy then gains gave each its own hidden class: see copyOwnKeys)
    const obj = copyOwnKeys(r.obj);
    setOwnKey(obj, 'metadata', copyOwnKeys(r.obj.metadata as JsonObject));
    r.obj = obj;
    b.metadataOwned = true;
  };

  /** Makes a borrowed resource's provenance map this build's own (a write that leaves its object as it is). */
  private ownProvenance = (r: Resource): void => {
    const b = this.borrowed.get(r);
    if (!b || b.provenanceOwned) return;
    r.prov = copyProvenance(r.prov);
    b.provenanceOwned = true;
  };

  /**
   * The build done: each kept resource no step changed (its wrapper still holds the kept object, provenance map and
   * origin) is the kept resource again, in `resources` and in the renames and origin requests a kept build hands its
   * includers. A build over kept bases held a wrapper per kept resource it took, and each wrapper a Borrowed entry:
   * a check of the synthetic fleet kept 9,800 wrappers alike to what they wrapped, and every inner build its
   * `borrowed` map. Whoever changes a resource of a build copies it first (build output is read-only), so a kept
   * resource in two builds is as safe as a kept object in two wrappers. Ends the borrowing: no step may run after it.
   */
  settle(resources: Resource[]): void {
    if (!this.borrowed.size) return;
    let back: Map<Resource, Resource> | undefined;
    let placed: Set<Resource> | undefined;
    for (let i = 0; i < resources.length; i++) {
      const w = resources[i];
      const b = this.borrowed.get(w);
      if (!b || b.provenanceOwned || b.metadataOwned) continue;
      const from = b.from;
      if (w.obj !== from.obj || w.prov !== from.prov || w.origin !== from.origin || w.removed !== from.removed) continue;
      // (one resource once in a build: a base taken twice keeps its second wrapper)
      if (placed?.has(from)) continue;
      (placed ??= new Set()).add(from);
      (back ??= new Map()).set(w, from);
      resources[i] = from;
    }
    this.borrowed.clear();
    if (!back) return;
    const renames = this.renames;
    const sources = this.renameSources;
    if (sources) {
      for (let k = 0; k < sources.length; k += 2) {
        const start = sources[k] as number;
        const list = sources[k + 1] as ReadonlyArray<Rename & { resource: Resource }>;
        for (let j = 0; j < list.length; j++) if (back.get(renames[start + j].resource) === list[j].resource) renames[start + j] = list[j];
      }
      this.renameSources = undefined;
    }
    for (let i = 0; i < renames.length; i++) {
      const to = back.get(renames[i].resource);
      if (to) renames[i].resource = to;
    }
    if (this.wantsOrigin.size) {
      const wanted = [...this.wantsOrigin];
      this.wantsOrigin.clear();
      for (const r of wanted) this.wantsOrigin.add(back.get(r) ?? r);
    }
  }

  private ownAll(resources: readonly Resource[]): void {
    if (this.borrowed.size) for (const r of resources) this.own(r);
  }

  /** Once, for the root: hash suffixes of generated objects, then every rename rewritten into the references. */
  finish(resources: Resource[], rootDir: string): void {
    // (loops by index: a whole check runs this first in the interpreter, where for…of makes a result object per step)
    if (this.wantsOrigin.size) for (let i = 0; i < resources.length; i++) {
      const r = resources[i];
      if (!this.wantsOrigin.has(r)) continue;
      this.own(r);
      this.originAnnotation(r, rootDir);
    }
    // Every rename names the object by the namespace it ends up in, so chains (a→b at one level, b→c at the
    // next, a namespace set above) join into one object's history.
    // (loops, not spreads and maps: arrays of several shapes met here made its optimized code start over)
    const byResource = new Map<Resource, Array<Rename & { resource: Resource }>>();
    for (let i = 0; i < this.renames.length; i++) {
      const r = this.renames[i];
      const steps = byResource.get(r.resource);
      if (steps) steps.push(r);
      else byResource.set(r.resource, [r]);
    }
    // Hash suffixes first: an object's every earlier name then names its hashed one (not a chain through its name
    // before the hash, which another object may have had too).
    const hashed = new Map<Resource, HashRename>();
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i];
      // (applyNameSuffixHash asks needsNameSuffixHash first: only then)
      if (!needsNameSuffixHash(r.obj)) continue;
      this.own(r);
      const h = applyNameSuffixHash(r);
      if (h) hashed.set(r, h);
    }
    const renames: Rename[] = [];
    // (forEach: no [key, value] pair per entry, as for…of over a Map makes before its code is optimized)
    byResource.forEach((steps, resource) => {
      const final = resIdOf(resource.obj);
      // (a level's rename records the namespace before its steps, undefined when the object had none: "default",
      // not "the namespace it ends up in", which a reference still naming the old namespace would never match)
      const oldNamespace = steps[0].oldNamespace ?? '';
      // each previous name once, in the order of the steps, then its name before the hash suffix (whose rename is
      // taken here: the object's earlier names name its final one); no Set per renamed resource, a base's namespace
      // renames all of them
      const h = hashed.get(resource);
      if (h) hashed.delete(resource);
      const n = steps.length;
      for (let i = 0; i <= n; i++) {
        const old = i < n ? steps[i].oldName : h?.oldName;
        if (old === undefined) continue;
        let seen = false;
        for (let j = 0; j < i && !seen; j++) seen = steps[j].oldName === old;
        if (!seen) renames.push({ kind: final.kind, group: final.group, oldName: old, newName: final.name, namespace: final.namespace, oldNamespace });
      }
    });
    for (const h of hashed.values()) renames.push({ kind: h.kind, group: h.group, namespace: h.namespace, oldName: h.oldName, newName: h.newName });
    if (renames.length) {
      const result = updateNameReferences(resources, renames, this.configurations, this.borrowed.size ? { affixesOf, shared: { has: (r) => this.borrowed.has(r), own: this.own } } : { affixesOf });
      for (const issue of result.issues) this.issues.push(issue);
    }
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i];
      // (removeBuildAnnotations changes nothing where there is none: each annotated object's keys listed once, not twice)
      if (!hasBuildAnnotations(r)) continue;
      this.own(r);
      removeBuildAnnotations(r);
    }
  }

  /** The kustomization file of `dir`; one over the size limit stops the build, at `named` (the entry naming the folder). */
  private kustomizationIn(dir: string, named?: { k: KustomizationDoc; path: Array<string | number>; value: string }): KustomizationDoc | undefined {
    for (const n of KUSTOMIZATION_FILES) {
      // (joined once: join normalises the whole path at each call, and this is each level of every build)
      const file = join(dir, n);
      const text = this.read(file, () => `'${named ? join(named.value, n) : n}'`, named?.k.file ?? file, () => (named ? named.k.span(named.path) : { start: 0, end: 0 }));
      if (text !== undefined) return new KustomizationDoc(file, text, this.options.parse?.(file, text));
    }
    return undefined;
  }

  /**
   * readFile; a file over the reader's limit is not read and stops the build (FileLimitError at `file`/`span`). What
   * the error says and where are made only then: a span looked up for every entry of every level cost a walk of the
   * kustomization's tree each.
   */
  private read(path: string, what: () => string, file?: string, span?: () => Span | undefined): string | undefined {
    const text = this.options.readFile(path);
    if (text !== undefined) return text;
    const over = this.options.tooLarge?.(path);
    if (over) throw new FileLimitError(what(), over.size, over.limit, file, span?.());
    return undefined;
  }

  /** Builds `dir`; a Component applies onto `accumulated`, a Kustomization starts from nothing. */
  build(dir: string, accumulated: Resource[], stack: string[], doc?: KustomizationDoc): Resource[] {
    const { k, resources } = this.collect(dir, accumulated, stack, doc);
    this.transform(k, resources, [...stack, dir]);
    return resources;
  }

  /** A level's resources (each fully built first) and its components; `doc`: its kustomization, when already read. */
  collect(dir: string, accumulated: Resource[], stack: string[], doc?: KustomizationDoc): { k: KustomizationDoc; resources: Resource[] } {
    if (stack.includes(dir)) throw new BuildError(`cycle detected: ${[...stack, dir].join(' → ')}`);
    const k = doc ?? this.kustomizationIn(dir);
    if (!k) throw new BuildError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`);
    const d = k.data;
    const isComponent = d.kind === 'Component';
    const resources: Resource[] = isComponent ? accumulated : [];
    const nextStack = [...stack, dir];

    // Resources (and deprecated bases), each fully built first.
    const entries: Array<{ value: string; path: Array<string | number> }> = [];
    list(d.resources).forEach((v, i) => str(v) !== undefined && entries.push({ value: str(v)!, path: ['resources', i] }));
    list(d.bases).forEach((v, i) => str(v) !== undefined && entries.push({ value: str(v)!, path: ['bases', i] }));
    // The ids accumulated so far, kept along (a map made again per entry was quadratic in a base of many apps).
    const ids = new ResIds();
    for (let i = 0; i < resources.length; i++) ids.put(resources[i]);
    for (const e of entries) this.addAll(resources, ids, this.loadEntry(k, e.value, e.path, nextStack));

    // Generators, then components over everything so far, in order (kustomize v5.1+, kubernetes-sigs/kustomize#5170:
    // a component can merge into or patch what this level generates, and its transformers reach those objects).
    runGenerators(k, resources, (p) => this.options.readBytes?.(p) ?? this.options.readFile(p), this.issues);
    list(d.components).forEach((v, i) => {
      const value = str(v);
      if (value === undefined) return;
      const compDir = this.localDir(k, value, ['components', i]);
      this.build(compDir, resources, nextStack);
    });
    return { k, resources };
  }

  /** A level's generators and transformers, in kustomize's order (with Flux's additions at the top level). */
  transform(k: KustomizationDoc, resources: Resource[], nextStack: string[], flux?: FluxAdditions): void {
    const d = k.data;
    // A level that may change what it accumulated owns it first (its steps change objects in place).
    if (flux || Object.keys(d).some((key) => !KEEPS_RESOURCES.has(key) && !OWNS_WHAT_IT_CHANGES.has(key))) this.ownAll(resources);
    // (Flux's components come after the file's own: kustomize-controller appends them to its list.)
    for (const compDir of flux?.components ?? []) this.build(compDir, resources, nextStack);

    this.configurations.push(...this.nameReferenceConfig(k));
    if (asksFor(d.buildMetadata, 'originAnnotations')) {
      for (const r of resources) this.wantsOrigin.add(r);
    }
    // Each object's name and namespace before the steps that may rename it (a level with none of them renames nothing).
    const before = flux || RENAMING_KEYS.some((key) => d[key] !== undefined) ? namesBefore(resources) : undefined;

    // Transformers in kustomize's fixed order.
    list(d.patchesStrategicMerge).forEach((v, i) => {
      const value = str(v);
      if (value === undefined) return;
      const inline = value.includes('\n') || /:\s/.test(value);
      const patches = inline ? this.inlinePatch(k, ['patchesStrategicMerge', i], 'patchesStrategicMerge') : this.filePatch(k, value, ['patchesStrategicMerge', i], 'patchesStrategicMerge');
      for (const p of patches) this.applySmp(resources, legacyNulls(p), undefined, true);
    });
    list(d.patches).forEach((entry, i) => {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
      const e = entry as JsonObject;
      const target = e.target && typeof e.target === 'object' ? (e.target as Selector) : undefined;
      const patches = typeof e.patch === 'string' ? this.inlinePatch(k, ['patches', i, 'patch'], 'patches') : typeof e.path === 'string' ? this.filePatch(k, e.path, ['patches', i, 'path'], 'patches') : [];
      for (const p of patches) {
        if (p.ops) this.applyOps(resources, p, target, k, ['patches', i]);
        else this.applySmp(resources, p, target, false);
      }
    });
    for (const p of flux?.patches ?? []) this.applyPatchText(resources, p.text, p.target, p.prov, p.map);
    const namespace = flux?.namespace ?? (str(d.namespace) ? { value: str(d.namespace)!, prov: k.prov('namespace', ['namespace']) } : undefined);
    if (namespace) {
      const conflict = setNamespace(resources, namespace.value, namespace.prov, this.borrowed.size ? { own: this.own, ownMetadata: this.ownMetadata, ownProvenance: this.ownProvenance } : undefined)[0];
      if (conflict) {
        const [a, b] = conflict.map((r) => relative(dirname(k.file), r.origin.file) || '.');
        throw new BuildError(`namespace transformation produces ID conflict: two resources (from ${a} and ${b}) both become ${describeId(resIdOf(conflict[1].obj))}`, namespace.prov.file, namespace.prov.span);
      }
    }
    const prefix = flux?.namePrefix ?? (str(d.namePrefix) ? { value: str(d.namePrefix)!, prov: k.prov('namePrefix', ['namePrefix']) } : undefined);
    const suffix = flux?.nameSuffix ?? (str(d.nameSuffix) ? { value: str(d.nameSuffix)!, prov: k.prov('nameSuffix', ['nameSuffix']) } : undefined);
    /** Names an object had between two of this level's renaming steps (kustomize keeps each step's previous name). */
    let between: Array<{ resource: Resource; name: string }> | undefined;
    if (prefix || suffix) {
      const affix = { prefix: prefix?.value ?? '', suffix: suffix?.value ?? '' };
      const renamed = addNamePrefixSuffix(resources, affix.prefix, affix.suffix, { ...(prefix ?? suffix)!.prov, affix });
      // kustomize's PrefixTransformer and SuffixTransformer are two steps: the name with only the prefix is a previous
      // name too (a reference to it follows the object).
      if (affix.prefix && affix.suffix) between = renamed.map((x) => ({ resource: x.resource, name: affix.prefix + x.oldName }));
    }
    if (d.commonLabels && typeof d.commonLabels === 'object' && !Array.isArray(d.commonLabels)) {
      addLabels(resources, stringMap(d.commonLabels as JsonObject), { includeSelectors: true }, (key) => k.prov('commonLabels', ['commonLabels', key]));
    }
    list(d.labels).forEach((l, i) => {
      if (!l || typeof l !== 'object' || Array.isArray(l)) return;
      const spec = l as JsonObject;
      const pairs = spec.pairs && typeof spec.pairs === 'object' && !Array.isArray(spec.pairs) ? stringMap(spec.pairs as JsonObject) : {};
      addLabels(resources, pairs, { includeSelectors: spec.includeSelectors === true, includeTemplates: spec.includeTemplates === true, fields: list(spec.fields) as never }, (key) => k.prov('labels', ['labels', i, 'pairs', key]));
    });
    if (d.commonAnnotations && typeof d.commonAnnotations === 'object' && !Array.isArray(d.commonAnnotations)) {
      addAnnotations(resources, stringMap(d.commonAnnotations as JsonObject), (key) => k.prov('commonAnnotations', ['commonAnnotations', key]));
    }
    list(d.patchesJson6902).forEach((entry, i) => {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
      const e = entry as JsonObject;
      const target = e.target && typeof e.target === 'object' ? (e.target as Selector) : undefined;
      const patches = typeof e.patch === 'string' ? this.inlinePatch(k, ['patchesJson6902', i, 'patch'], 'patchesJson6902') : typeof e.path === 'string' ? this.filePatch(k, e.path, ['patchesJson6902', i, 'path'], 'patchesJson6902') : [];
      for (const p of patches) if (p.ops) this.applyOps(resources, p, target, k, ['patchesJson6902', i]);
    });
    const replicas = list(d.replicas).flatMap((r) => (r && typeof r === 'object' && !Array.isArray(r) && typeof (r as JsonObject).name === 'string' ? [{ name: (r as JsonObject).name as string, count: Number((r as JsonObject).count) }] : []));
    if (replicas.length) {
      const unmatched = setReplicas(resources, replicas, (i) => k.prov('replicas', ['replicas', i, 'count']));
      if (unmatched.length) throw new BuildError(`replicas: resource with name ${unmatched[0]} does not match a config with the following GVK [Deployment ReplicationController ReplicaSet StatefulSet]`, k.file, k.span(['replicas']));
    }
    const images = list(d.images).filter((x) => x && typeof x === 'object' && !Array.isArray(x) && typeof (x as JsonObject).name === 'string') as unknown as ImageSpec[];
    // Flux's entries replace one of the same name wholesale (kustomize-controller's generator), else come last.
    // (pushed into a literal, not mapped: an empty map() result and a filled one are arrays of two hidden classes, and
    // this level's optimized code, compiled having seen one, was thrown away at the other)
    const merged: Array<{ spec: ImageSpec; prov: Provenance }> = [];
    for (let i = 0; i < images.length; i++) merged.push({ spec: images[i], prov: k.prov('images', ['images', i]) });
    (flux?.images ?? []).forEach((spec, i) => {
      const at = merged.findIndex((m) => m.spec.name === spec.name);
      const entry = { spec, prov: flux!.imageProv(i) };
      if (at >= 0) merged[at] = entry;
      else merged.push(entry);
    });
    if (merged.length) {
      const specs: ImageSpec[] = [];
      for (const m of merged) specs.push(m.spec);
      setImages(resources, specs, (i) => merged[i].prov);
    }
    const replacements = list(d.replacements).flatMap((r, i) => this.replacement(k, r, i));
    if (replacements.length) {
      try {
        applyReplacements(resources, replacements.map((r) => r.rep), (i) => k.prov('replacements', replacements[i].path));
      } catch (e) {
        if (e instanceof ReplacementError) throw new BuildError(e.message, k.file, k.span(['replacements']));
        throw e;
      }
    }
    for (const field of ['helmCharts', 'helmChartInflationGenerator', 'openapi', 'vars', 'transformers', 'generators', 'validators']) {
      if (d[field] !== undefined) {
        this.issues.push({ file: k.file, span: k.span([field]), severity: 'information', code: 'unsupported-kustomize-feature', message: `${field} is not evaluated by Flux Fleet's kustomize build (it needs ${field === 'helmCharts' ? 'helm' : 'a plugin'}); values it would produce are not shown.` });
      }
    }

    if (before) {
      for (let i = 0; i < before.resources.length; i++) {
        const r = before.resources[i];
        const meta = r.obj.metadata;
        if (nameOf(meta) === before.names[i] && namespaceOf(meta) === before.namespaces[i]) continue;
        const id = idBefore(before, i);
        const now = resIdOf(r.obj);
        this.renames.push({ kind: id.kind, group: id.group, namespace: now.namespace, oldNamespace: id.namespace, oldName: id.name, newName: now.name, resource: r });
      }
    }
    // (after the level's own rename of each object: an object's first rename holds the namespace it started in)
    if (before && between) {
      const at = new Map<Resource, number>();
      for (let i = 0; i < before.resources.length; i++) at.set(before.resources[i], i);
      for (const { resource: r, name } of between) {
        const i = at.get(r);
        const now = resIdOf(r.obj);
        if (i === undefined || name === now.name) continue;
        const id = idBefore(before, i);
        this.renames.push({ kind: id.kind, group: id.group, namespace: now.namespace, oldNamespace: id.namespace, oldName: name, newName: now.name, resource: r });
      }
    }
  }

  /**
   * `buildMetadata: [originAnnotations]`: where each resource came from. kustomize writes the path relative to the
   * root of the whole build, whichever level asked for it.
   */
  private originAnnotation(r: Resource, rootDir: string): void {
    const meta = ((r.obj.metadata ??= {}) as JsonObject);
    const annotations = ((meta.annotations ??= {}) as JsonObject);
    const rel = (p: string) => relative(rootDir, p) || '.';
    const generated = r.origin.layer.step === 'configMapGenerator' || r.origin.layer.step === 'secretGenerator';
    annotations['config.kubernetes.io/origin'] = generated
      ? `configuredIn: ${rel(r.origin.kustomization ?? r.origin.file)}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${r.obj.kind === 'Secret' ? 'SecretGenerator' : 'ConfigMapGenerator'}\n`
      : `path: ${rel(r.origin.file)}\n`;
  }

  /** `configurations:` files, parsed (one that is not YAML is left out: whoever loads it reports it). */
  private nameReferenceConfig(k: KustomizationDoc): NameReferenceConfig[] {
    return list(k.data.configurations).flatMap((v, i) => {
      const value = str(v);
      if (value === undefined) return [];
      const file = resolvePath(dirname(k.file), value);
      const text = this.read(file, () => `'${value}'`, k.file, () => k.span(['configurations', i]));
      if (text === undefined) return [];
      const { doc } = this.parsed(file, text).single();
      if (doc.errors.length) return [];
      try {
        return [doc.toJS() as NameReferenceConfig];
      } catch {
        return []; // excessive aliasing
      }
    });
  }

  private replacement(k: KustomizationDoc, r: Json, i: number): Array<{ rep: Replacement; path: Array<string | number> }> {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return [];
    const e = r as JsonObject;
    if (typeof e.path === 'string') {
      const file = resolvePath(dirname(k.file), e.path);
      const text = this.read(file, () => `'${e.path}'`, k.file, () => k.span(['replacements', i, 'path']));
      if (text === undefined) throw new BuildError(`replacements: ${e.path} not found`, k.file, k.span(['replacements', i, 'path']));
      const one = this.parsed(file, text).single();
      const parsed = one.doc;
      const anchorError = parsed.errors.length ? undefined : one.anchorError();
      if (anchorError) throw new BuildError(`${e.path}: ${anchorError.message}`, file, anchorError.span);
      const doc = parsed.toJS();
      const items = Array.isArray(doc) ? doc : [doc];
      return items.map((rep) => ({ rep: rep as Replacement, path: ['replacements', i, 'path'] }));
    }
    return [{ rep: e as unknown as Replacement, path: ['replacements', i] }];
  }

  /** kustomize's resource accumulation: a resource whose id (after its own sub-build's transformers) is already there
   *  (`ids`: those of `into`, kept along) fails the build, reported at the second one's name, the first one related. */
  private addAll(into: Resource[], ids: ResIds, add: Resource[]): void {
    for (let i = 0; i < add.length; i++) {
      const r = add[i];
      const first = ids.addOrFind(r);
      if (first) {
        const id = resIdOf(r.obj);
        const at = nameWrite(r);
        const other = nameWrite(first);
        throw new BuildError(`may not add resource with an already registered id: ${describeId(id)}`, at.file, at.span, [{ ...other, message: `the other ${describeId(id)}` }]);
      }
      into.push(r);
    }
  }

  private localDir(k: KustomizationDoc, value: string, path: Array<string | number>): string {
    if (looksRemote(value)) {
      const local = this.options.resolveRemote?.(value);
      if (!local) throw new BuildError(`remote base ${value} is not mapped to a local folder`, k.file, k.span(path));
      return local;
    }
    const p = resolvePath(dirname(k.file), value);
    return this.options.canonical?.(p) ?? p;
  }

  private loadEntry(k: KustomizationDoc, value: string, path: Array<string | number>, stack: string[]): Resource[] {
    const target = this.localDir(k, value, path);
    const text = this.read(target, () => `'${value}'`, k.file, () => k.span(path));
    if (text !== undefined) {
      const root = dirname(k.file);
      if (this.options.loadRestrictions !== 'none' && !(target === root || target.startsWith(root + '/'))) {
        throw new BuildError(`security; file '${target}' is not in or below '${root}'`, k.file, k.span(path));
      }
      if (CONTROL_CHARACTERS.test(text)) throw new BuildError(`accumulating resources from '${value}': MalformedYAMLError: yaml: control characters are not allowed in File: ${value}`, k.file, k.span(path));
      const loaded = loadManifests(text, target, stepLayer('resource'), undefined, this.parsed(target, text), this.pointers);
      if (loaded.errors.length) throw new BuildError(`${target}: ${loaded.errors[0].message}`, target, loaded.errors[0].span);
      for (const r of loaded.resources) {
        const problem = resourceShapeProblem(r.obj);
        if (problem) throw new BuildError(`accumulating resources from '${value}': ${problem}: a resource must be a Kubernetes object (metadata.name and kind)`, target, r.origin.span);
      }
      return loaded.resources;
    }
    const named = { k, path, value };
    return this.options.innerBuilds ? this.reuseInner(this.options.innerBuilds, target, stack, named) : this.build(target, [], stack, this.innerKustomization(target, named));
  }

  /** The kustomization of a folder an entry lists as a resource: there, and not a Component. */
  private innerKustomization(dir: string, named: { k: KustomizationDoc; path: Array<string | number>; value: string }): KustomizationDoc {
    const { k, path, value } = named;
    const inner = this.kustomizationIn(dir, named);
    if (!inner) throw new BuildError(`accumulating resources: '${value}' is neither a readable file nor a folder with a kustomization`, k.file, k.span(path));
    if (inner.data.kind === 'Component') throw new BuildError(`accumulating resources: '${value}' is a Component; list it under components:`, k.file, k.span(path));
    return inner;
  }

  /**
   * An inner kustomization's build from the kept ones (built by a builder of its own, so what it adds to the state is
   * known), copied into this build with its issues, renames, configurations and origin requests, in the order
   * building it here would have added them. A build that fails is not kept: its issues so far are this build's.
   * A kept build needs no look at the kustomization: it was made from the same text (every read reads the same), one
   * that is there and no Component (innerKustomization fails the make, and a failed build is not kept).
   */
  private reuseInner(inner: InnerBuilds, dir: string, stack: string[], named: { k: KustomizationDoc; path: Array<string | number>; value: string }): Resource[] {
    const built = inner.reuse(dir, this.options, (options) => {
      const issues: BuildIssue[] = [];
      const builder = new Builder(options, issues, undefined, this.pointers);
      try {
        const resources = builder.build(dir, [], stack, builder.innerKustomization(dir, named));
        // (kept: what its includers take, not the build-time `borrowed` map, which nothing reads once it is built)
        builder.settle(resources);
        const { renames, configurations, wantsOrigin } = builder.state();
        return { resources, issues, renames, configurations, wantsOrigin };
      } catch (e) {
        this.issues.push(...issues);
        throw e;
      }
    });
    // Each kept resource in a wrapper of this build's, sharing the kept object until a step changes it (own); kept ones
    // by their wrappers only where renames or origin requests name them (no [kept, wrapper] pair per resource).
    const kept = built.resources;
    const mine: Resource[] = [];
    const copies = built.renames.length || built.wantsOrigin.size ? new Map<Resource, Resource>() : undefined;
    for (let i = 0; i < kept.length; i++) {
      const r = kept[i];
      const w: Resource = r.removed ? { obj: r.obj, prov: r.prov, origin: r.origin, removed: r.removed } : { obj: r.obj, prov: r.prov, origin: r.origin };
      this.borrowed.set(w, { from: r, copy: inner.copy, provenanceOwned: false, metadataOwned: false });
      copies?.set(r, w);
      mine.push(w);
    }
    for (const i of built.issues) this.issues.push({ ...i });
    if (built.renames.length) (this.renameSources ??= []).push(this.renames.length, built.renames);
    for (let i = 0; i < built.renames.length; i++) {
      const x = built.renames[i];
      // (the keys transform gives each rename, in its order: a spread per rename of every base per includer was a
      // fifth of this function's time)
      this.renames.push({ kind: x.kind, group: x.group, namespace: x.namespace, oldNamespace: x.oldNamespace, oldName: x.oldName, newName: x.newName, resource: copies!.get(x.resource) ?? x.resource });
    }
    for (const c of built.configurations) this.configurations.push(c);
    for (const r of built.wantsOrigin) this.wantsOrigin.add(copies!.get(r) ?? r);
    return mine;
  }

  private filePatch(k: KustomizationDoc, value: string, path: Array<string | number>, step: KustomizeStep): Patch[] {
    const file = resolvePath(dirname(k.file), value);
    const text = this.read(file, () => `'${value}'`, k.file, () => k.span(path));
    if (text === undefined) throw new BuildError(`${step}: ${value} not found`, k.file, k.span(path));
    if (CONTROL_CHARACTERS.test(text)) throw new BuildError(`${step}: ${value}: yaml: control characters are not allowed`, k.file, k.span(path));
    return parsePatches(text, file, stepLayer(step), k.file, (s) => s, this.parsed(file, text), this.pointers);
  }

  /** A file's text parsed: the fleet's shared parse when the options give one. */
  private parsed(file: string, text: string): ParsedText {
    return this.options.parse?.(file, text) ?? parseText(text);
  }

  private inlinePatch(k: KustomizationDoc, path: Array<string | number>, step: KustomizeStep): Patch[] {
    const node = k.node(path);
    if (!isScalar(node)) return [];
    const mapper = scalarSpanMapper(k.text, node as Scalar);
    return parsePatches(String((node as Scalar).value), k.file, stepLayer(step), k.file, mapper, undefined, this.pointers);
  }

  /** A patch given as text with one provenance; with `map` (offsets in `text` → in its file) each leaf keeps its line. */
  applyPatchText(resources: Resource[], text: string, target: Selector | undefined, prov: Provenance, map?: (s: Span) => Span): void {
    for (const p of parsePatches(text, prov.file, prov.layer, prov.kustomization ?? prov.file, map ?? (() => prov.span ?? { start: 0, end: 0 }), undefined, this.pointers)) {
      const fixed: Patch = map ? { ...p, provOf: (ptr) => ({ ...p.provOf(ptr), layer: prov.layer, span: p.provOf(ptr).span ?? prov.span }) } : { ...p, provOf: () => prov };
      if (fixed.ops) {
        if (!target) throw new BuildError('a JSON 6902 patch needs a target', prov.file, prov.span);
        for (const r of resources.filter(selector(target))) {
          this.own(r);
          applyJsonPatch(r, fixed.ops!, (i, ptr) => fixed.provOf(`/${i}/value${ptr}`), (i) => fixed.provOf(`/${i}`));
        }
      } else this.applySmp(resources, fixed, target, false);
    }
  }

  private applySmp(resources: Resource[], p: Patch, target: Selector | undefined, mustMatch: boolean): void {
    const patch = p.obj!;
    const pid = resIdOf(patch);
    const selected = target && selector(target);
    const matches = resources.filter((r) => {
      if (selected) return selected(r);
      // Kind and name first, read as resIdOf reads them (no id made for each of a base's objects, for each patch).
      if ((typeof r.obj.kind === 'string' ? r.obj.kind : '') !== pid.kind) return false;
      const meta = r.obj.metadata as JsonObject | null | undefined;
      if ((meta && typeof meta.name === 'string' ? meta.name : '') !== pid.name) return false;
      const id = resIdOf(r.obj);
      return id.kind === pid.kind && id.name === pid.name && (pid.namespace === undefined || id.namespace === pid.namespace) && (pid.group === '' || id.group === pid.group);
    });
    if (!matches.length && (mustMatch || !target)) {
      throw new BuildError(`no resource matches the patch for ${describeId(pid)}`, p.file, p.span);
    }
    // A targeted patch merges without its own identity: made once for every object it matches (merges only read it).
    const applied = target && matches.length ? withoutIdentity(patch) : patch;
    const provOf = (pointer: string) => p.provOf(pointer);
    for (const r of matches) {
      if (isDeletePatch(patch)) {
        resources.splice(resources.indexOf(r), 1);
        continue;
      }
      const borrowed = this.ownForMerge(r);
      try {
        const merged = strategicMerge(r, applied, provOf, { pointers: this.pointers });
        // (a merge that left the target as it was left it sharing the kept object's values: copied as own() does)
        if (borrowed && !merged) r.obj = borrowed.copy({ obj: r.obj, prov: new Map(), origin: r.origin }).obj;
        // A merge in place shares what the patch did not reach with the kept object: still borrowed (a later change
        // copies it first), its provenance map its own now.
        if (borrowed && merged === 'inPlace') this.borrowed.set(r, { from: borrowed.from, copy: borrowed.copy, provenanceOwned: true, metadataOwned: false });
      } catch (e) {
        if (!(e instanceof KustomizeError)) throw e;
        // kustomize quotes the node it could not merge: masked when it is a Secret's or a SOPS document's (redact.ts).
        const secret = e.quoted !== undefined && e.quoted !== '' && (isSecretSource(r.obj) || isSecretSource(patch));
        throw new BuildError(secret ? e.message.split(e.quoted!).join(MASK) : e.message, p.file, p.span);
      }
    }
  }

  private applyOps(resources: Resource[], p: Patch, target: Selector | undefined, k: KustomizationDoc, path: Array<string | number>): void {
    if (!target) throw new BuildError('a JSON 6902 patch needs a target', k.file, k.span(path));
    for (const r of resources.filter(selector(target))) {
      this.own(r);
      try {
        applyJsonPatch(r, p.ops!, (i, pointer) => p.provOf(`/${i}/value${pointer}`), (i) => p.provOf(`/${i}`));
      } catch (e) {
        throw new BuildError((e as Error).message, p.file, p.span);
      }
    }
  }
}

/** A resource's name and namespace as resIdOf reads them from its `metadata` (a namespace '' is none). */
function nameOf(meta: Json | undefined): string {
  const name = meta && typeof meta === 'object' && !Array.isArray(meta) ? meta.name : undefined;
  return typeof name === 'string' ? name : '';
}
function namespaceOf(meta: Json | undefined): string | undefined {
  const namespace = meta && typeof meta === 'object' && !Array.isArray(meta) ? meta.namespace : undefined;
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

/** The resources of a level before its steps, with what resIdOf reads of each (a rename changes its name or namespace). */
interface Before {
  resources: Resource[];
  apiVersions: Array<Json | undefined>;
  kinds: Array<Json | undefined>;
  names: string[];
  namespaces: Array<string | undefined>;
}

/** A level's resources as they are before its steps: no id made for each (only a renamed one's is, by idBefore). */
function namesBefore(resources: readonly Resource[]): Before {
  const n = resources.length;
  const out: Before = { resources: resources.slice(), apiVersions: new Array(n), kinds: new Array(n), names: new Array(n), namespaces: new Array(n) };
  for (let i = 0; i < n; i++) {
    const obj = resources[i].obj;
    out.apiVersions[i] = obj.apiVersion;
    out.kinds[i] = obj.kind;
    out.names[i] = nameOf(obj.metadata);
    out.namespaces[i] = namespaceOf(obj.metadata);
  }
  return out;
}

/** The id resource `i` had before the level's steps (resIdOf of what it was). */
function idBefore(b: Before, i: number): ResId {
  const metadata: JsonObject = { name: b.names[i] };
  if (b.namespaces[i] !== undefined) metadata.namespace = b.namespaces[i]!;
  const obj: JsonObject = { metadata };
  if (b.apiVersions[i] !== undefined) obj.apiVersion = b.apiVersions[i]!;
  if (b.kinds[i] !== undefined) obj.kind = b.kinds[i]!;
  return resIdOf(obj);
}

/** The old patchesStrategicMerge field reads labels and annotations as strings: a `null` there is the text "null". */
function legacyNulls(p: Patch): Patch {
  const meta = p.obj?.metadata;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return p;
  for (const field of ['labels', 'annotations']) {
    const m = (meta as JsonObject)[field];
    if (!m || typeof m !== 'object' || Array.isArray(m)) continue;
    for (const [k, v] of Object.entries(m)) if (v === null) (m as JsonObject)[k] = 'null';
  }
  return p;
}

function stringMap(o: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = v === null ? '' : String(v);
  return out;
}

/** A patch with an explicit target merges only its body; its own identity fields do not rename the target. */
function withoutIdentity(patch: JsonObject): JsonObject {
  const copy: JsonObject = { ...patch };
  delete copy.apiVersion;
  delete copy.kind;
  if (copy.metadata && typeof copy.metadata === 'object' && !Array.isArray(copy.metadata)) {
    const meta = { ...(copy.metadata as JsonObject) };
    delete meta.name;
    delete meta.namespace;
    if (Object.keys(meta).length) copy.metadata = meta;
    else delete copy.metadata;
  }
  return copy;
}

interface Patch {
  file: string;
  span?: Span;
  obj?: JsonObject;
  ops?: Array<{ op: string; path: string; value?: Json; from?: string }>;
  provOf(pointer: string): Provenance;
}

/** Patch documents of a text: strategic-merge objects or JSON 6902 operation lists, spans mapped by `map`. */
function parsePatches(text: string, file: string, layer: Layer, kustomization: string, map: (s: Span) => Span, parsed: ParsedText = parseText(text), pointers?: PointerTable): Patch[] {
  const out: Patch[] = [];
  const loaded = loadManifests(text, file, layer, kustomization, parsed, pointers);
  for (const r of loaded.resources) {
    out.push({
      file,
      span: r.origin.span && map(r.origin.span),
      obj: r.obj,
      provOf: (pointer) => {
        const e = r.prov.get(pointer)?.[0];
        return { file, layer, kustomization, span: e?.span && map(e.span) };
      },
    });
  }
  // JSON 6902: a top-level list (loadManifests skips non-maps). One flat document that is not one needs no tree.
  const flat = parsed.flatDocs();
  if (flat?.length === 1 && flatRootKind(flat[0]) !== 'seq') return out;
  const one = parsed.single();
  const doc = one.doc;
  if (isSeq(doc.contents) && !doc.errors.length && !one.anchorError()) {
    const ops = doc.toJS() as Patch['ops'];
    const seq = doc.contents;
    out.push({
      file,
      ops,
      // `/i/value…`: the operation's value; `/i`: the whole operation (a `remove` has no value).
      provOf: (pointer) => {
        const m = /^\/(\d+)(\/value)?(\/.*)?$/.exec(pointer);
        const item = m ? seq.items[Number(m[1])] : undefined;
        let value = !m?.[2] ? (item as Node | undefined) : isMap(item) ? (item.get('value', true) as Node | undefined) : undefined;
        // A leaf inside the operation's value: its own node (the value's, when the path does not lead to one).
        if (m?.[2] && m[3]) value = nodeAt(value, parsePointer(m[3])) ?? value;
        const r = value?.range;
        return { file, layer, kustomization, span: r ? map({ start: r[0], end: r[1] }) : undefined };
      },
    });
  }
  return out;
}

/** A Component applied onto already-built resources (Flux's `spec.components`). */
export function applyComponent(dir: string, resources: Resource[], options: BuildOptions, issues: BuildIssue[]): void {
  new Builder(options, issues).build(dir, resources, []);
}

/** A patch given as text (Flux's `spec.patches[].patch`), strategic merge or JSON 6902, with one provenance. */
export function applyPatchText(resources: Resource[], text: string, target: Selector | undefined, prov: Provenance, map?: (s: Span) => Span): void {
  new Builder({ readFile: () => undefined }, []).applyPatchText(resources, text, target, prov, map);
}

/** The node at `segs` below `node` (map keys, sequence indices), if there is one. */
function nodeAt(node: Node | undefined, segs: string[]): Node | undefined {
  let cur: Node | undefined = node;
  for (const seg of segs) {
    if (isMap(cur)) cur = cur.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg)?.value as Node | undefined;
    else if (isSeq(cur) && /^\d+$/.test(seg)) cur = cur.items[Number(seg)] as Node | undefined;
    else return undefined;
    if (!cur) return undefined;
  }
  return cur;
}

/** Where a resource's name was written in its own file (else the resource's document). */
function nameWrite(r: Resource): { file: string; span?: Span } {
  const w = r.prov.get('/metadata/name')?.find((x) => x.file === r.origin.file && x.span);
  return w ? { file: w.file, span: w.span } : { file: r.origin.file, span: r.origin.span };
}

/**
 * The prefixes and suffixes kustomize's PrefixSuffixTransformer recorded on an object, innermost first, from its
 * name's writes (an empty one is not recorded): the name reference's tie-break between objects renamed from one name.
 */
function affixesOf(r: Resource): { prefixes: string[]; suffixes: string[] } {
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  for (const w of r.prov.get('/metadata/name') ?? []) {
    if (!w.affix) continue;
    if (w.affix.prefix) prefixes.push(w.affix.prefix);
    if (w.affix.suffix) suffixes.push(w.affix.suffix);
  }
  return { prefixes, suffixes };
}
