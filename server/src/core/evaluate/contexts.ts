// Contexts: a chain from a root Flux Kustomization down to a build, evaluated as Flux would (each child built from
// the spec its parent rendered). Evaluations are lazy, cached until the fleet changes.
import type { Fleet } from '../model';
import type { FleetDb } from '../../db/fleetDb';
import type { Lru } from '../../db/lru';
import type { FileFacts, FluxKustomizationFact } from '../facts';
import type { Json, JsonObject, ProvenanceMap, Resource } from '../kustomize/types';
import { loadManifests } from '../kustomize/load';
import { buildFlux, buildOptions, type FluxBuild, type SelectResources, type VariableLookup, type VariableSource, type VariableValue } from './fluxBuild';
import { describeProvider, labelsMatch, type ProvidedMatch } from '../link/providedObjects';
import { resIdOf } from '../kustomize/resid';
import { dirname, relative } from '../paths';
import { escapeSegment, internPointer } from '../kustomize/provenance';
import { isSecretLeaf, isSecretSource } from '../redact';
import { stepLayer, substituteFromLayer } from '../layer';
import { generatedKustomizations, generatedSpec, isResourceSetKind } from './resourceSets';
import { childContextId, inChain, linkName, rootContextId, type ChainLink, type ContextId } from './contextId';
import { runSteps, type Steps } from '../steps';
import { objectNamed } from './objectsByName';
import { LookupFiles } from './lookupFiles';
import type { SourceRoot } from '../link/types';

export interface Context {
  /** The root's folder and the chain of Kustomizations, root first (contextId.ts: keys and labels). */
  id: ContextId;
  /** The documents of the chain: the evaluator's cache key (two fleets open side by side may share ids). */
  key: string;
  fact: FluxKustomizationFact;
  /** The build restricted to `only` (not cached): what a hover on one file needs; the whole build without it. */
  partial?: (only?: SelectResources) => FluxBuild;
  /** The whole build (kept while recently used; rebuilt on demand after the evaluator dropped it). */
  build: FluxBuild;
  /**
   * The build restricted to Flux Kustomizations, ConfigMaps and Secrets: enough to find the children a context
   * renders and the variables they read, at a fraction of the whole build's cost. Kept with the context.
   */
  skeleton: FluxBuild;
  parent?: Context;
  /**
   * Whether `build` (one of this context's, made or checked at `version`) is still what a rebuild would give: no
   * change since touched a file it or its variables read, the links' span-independent answers are the same
   * (Fleet.linkEpoch), and the parent's skeleton is the one it was rendered from. Then a hover reuses it as it is.
   * A changed file `spared` says leaves this build as it is (dataOnlyInputs.ts) does not count, unless the context's
   * variables were read from it.
   */
  unchangedSince(build: FluxBuild, version: number, spared?: (file: string) => boolean): boolean;
}

/** What a skeleton keeps: the rendered children and what their substituteFrom can name. */
function inSkeleton(r: Resource): boolean {
  const kind = r.obj.kind;
  return kind === 'ConfigMap' || kind === 'Secret' || (kind === 'Kustomization' && String(r.obj.apiVersion ?? '').startsWith(FLUX_KUSTOMIZATION + '/')) || isResourceSetKind(r);
}
/** Stable per folder build (the same array each time), so Flux builds of unchanged inputs are reused. */
function skeletonSelector(db: FleetDb): SelectResources {
  // The table is asked for on use: a whole-fleet pass (forWholeFleet) reads skeletons from whole builds and selects none.
  return Object.assign((resources: readonly Resource[]) => db.weak<readonly Resource[], Resource[]>('skeleton').getOrMake(resources, () => resources.filter(inSkeleton)), { key: 'skeleton' });
}

const FLUX_KUSTOMIZATION = 'kustomize.toolkit.fluxcd.io';

/** What forWholeFleet holds: every whole build of a fleet (EVERY_CONTEXT bounds the contexts themselves). */
const WHOLE_FLEET_BUILDS = 1_000_000;
/** The resources of folder and inner builds a whole check keeps (the editor keeps fewer: db/queries.ts). */
const WHOLE_FLEET_FOLDER_BUILDS = 100_000;
const WHOLE_FLEET_INNER_BUILDS = 40_000;

/**
 * A whole build seen as its skeleton: the same build restricted to the skeleton's resources (the same objects, so
 * children and variable lookups read what the whole build holds), one view per build. Content-equal to the skeleton
 * built apart: the Flux layers and substitution work object by object, and the selection keeps whole objects.
 */
function skeletonOf(db: FleetDb, whole: FluxBuild): FluxBuild {
  return db.weak<FluxBuild, FluxBuild>('skeletonOfBuild').getOrMake(whole, () => {
    // Builds of one content share their resources and uses (sharedContent.ts): so do their skeletons' selections.
    const resources = db.weak<readonly Resource[], Resource[]>('skeleton').getOrMake(whole.resources, () => whole.resources.filter(inSkeleton));
    if (resources.length === whole.resources.length) return whole;
    let kept: Set<Resource> | undefined;
    const mine = (issues: FluxBuild['variableUses']) => db.weak<FluxBuild['variableUses'], FluxBuild['variableUses']>('skeletonUses').getOrMake(issues, () => issues.filter((u) => (kept ??= new Set(resources)).has(u.resource)));
    return { ...whole, resources, variableUses: mine(whole.variableUses), undefinedVariables: mine(whole.undefinedVariables), unknownVariables: mine(whole.unknownVariables), disabledUses: mine(whole.disabledUses) };
  });
}

function linkOf(r: Resource): ChainLink {
  const id = resIdOf(r.obj);
  return { namespace: id.namespace ?? 'default', name: id.name };
}

/** The variables a ConfigMap or Secret offers to postBuild.substituteFrom (one Map per object). */
function variablesOf(db: FleetDb, r: Resource): Map<string, VariableValue> {
  const variablesOfResource = db.weak<Resource, Map<string, VariableValue>>('variables');
  let out = variablesOfResource.get(r);
  if (out) return out;
  out = new Map<string, VariableValue>();
  const kind = String(r.obj.kind);
  const name = resIdOf(r.obj).name;
  const decode = kind === 'Secret';
  const layer = substituteFromLayer(kind, name);
  // A Secret's or SOPS document's key, or a ConfigMap's that holds a secret (substituted, copied, ciphertext).
  const secretAt = (pointer: string, v: Json) => isSecretSource(r.obj) || isSecretLeaf(r, pointer, v);
  for (const [k, v] of Object.entries((r.obj.data ?? {}) as JsonObject)) {
    const raw = v === null ? '' : String(v);
    const value = decode ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    const p = r.prov.get(`/data/${k}`)?.at(-1);
    out.set(k, { value, secret: secretAt(`/data/${escapeSegment(k)}`, v), from: { file: p?.file ?? r.origin.file, span: p?.span, layer } });
  }
  for (const [k, v] of Object.entries((r.obj.stringData ?? {}) as JsonObject)) {
    const p = r.prov.get(`/stringData/${k}`)?.at(-1);
    out.set(k, { value: v === null ? '' : String(v), secret: secretAt(`/stringData/${escapeSegment(k)}`, v), from: { file: p?.file ?? r.origin.file, span: p?.span, layer } });
  }
  variablesOfResource.set(r, out);
  return out;
}

/** Flux Operator: a ConfigMap or Secret annotated so is filled with the data of `namespace/name`. */
const COPY_FROM = 'fluxcd.controlplane.io/copyFrom';

/** An object whose content only the cluster knows: its variables are unknown here, not undefined. */
interface Opaque {
  opaque: true;
  variables: VariableSource;
}
function isOpaque(x: Resource | Opaque): x is Opaque {
  return (x as Opaque).opaque === true;
}
/** One (empty) variable source per producer, so Flux builds that read it can be reused (fluxBuild's memo). */
function opaqueFor(db: FleetDb, key: object, why: () => string): Opaque {
  return db.weak<object, Opaque>('opaqueSources').getOrMake(key, () => ({ opaque: true, variables: Object.assign(new Map<string, VariableValue>(), { opaque: why() }) }));
}
function opaqueOf(fleet: Fleet, made: ProvidedMatch): Opaque {
  return opaqueFor(fleet.db, made.entry.produced ?? made.entry.declared ?? made.entry, () => describeProvider(fleet, made));
}
function opaque(db: FleetDb, r: Resource, why: string): Opaque {
  return opaqueFor(db, r, () => why);
}

/** The same Kustomization document (facts are re-made when a file is re-read: compare by place). */
export function sameDocument(a: FluxKustomizationFact, b: FluxKustomizationFact): boolean {
  // Objects a ResourceSet generates share its document: they differ by their index in its expansion.
  return a === b || (a.owner.file === b.owner.file && a.owner.doc === b.owner.doc && a.generatedBy?.index === b.generatedBy?.index);
}

/**
 * The Kustomization the Flux Operator makes for a FluxInstance's `spec.sync` (named after `sync.name`, else the
 * instance's namespace), with the provenance of the fields it comes from. One object per loaded instance.
 */
function instanceSync(db: FleetDb, instance: Resource): Resource {
  const syncs = db.weak<Resource, Resource>('instanceSync');
  let out = syncs.get(instance);
  if (out) return out;
  const meta = (instance.obj.metadata ?? {}) as JsonObject;
  const spec = (instance.obj.spec ?? {}) as JsonObject;
  // A HelmRelease of the flux-instance chart installs the FluxInstance from its inline `instance` value.
  const chart = instance.obj.kind === 'HelmRelease';
  const at = chart ? '/spec/values/instance/sync' : '/spec/sync';
  const sync = ((chart ? ((spec.values as JsonObject | undefined)?.instance as JsonObject | undefined)?.sync : spec.sync) ?? {}) as JsonObject;
  const namespace = chart && typeof spec.targetNamespace === 'string' ? spec.targetNamespace : typeof meta.namespace === 'string' ? meta.namespace : 'flux-system';
  const name = typeof sync.name === 'string' ? sync.name : namespace;
  const kind = typeof sync.kind === 'string' ? sync.kind : 'GitRepository';
  const path = typeof sync.path === 'string' ? sync.path : './';
  const prov: Resource['prov'] = new Map();
  const from = (pointer: string, to: string, value: Json) => {
    const w = instance.prov.get(pointer)?.at(-1);
    if (w) prov.set(to, [{ ...w, value }]);
  };
  from(`${at}/path`, '/spec/path', path);
  from(`${at}/kind`, '/spec/sourceRef/kind', kind);
  from(`${at}/name`, '/metadata/name', name);
  out = {
    obj: { apiVersion: `${FLUX_KUSTOMIZATION}/v1`, kind: 'Kustomization', metadata: { name, namespace }, spec: { path, prune: true, sourceRef: { kind, name } } },
    prov,
    origin: instance.origin,
  };
  syncs.set(instance, out);
  return out;
}

/** A file's manifests as loaded (with provenance) for its facts: re-read only when the file changed. */
function manifestsOf(fleet: Fleet, file: string, text: string): Resource[] {
  const load = () => loadManifests(text, file, stepLayer('resource'), undefined, fleet.parse(file, text)).resources;
  const facts = fleet.facts.get(file);
  if (!facts || facts.text !== text) return load();
  return fleet.db.weak<FileFacts, Resource[]>('manifests').getOrMake(facts, load);
}

export class Evaluator {
  private version = -1;
  /** Root contexts by document, with the spec object they were made from and the fleet version they were found valid at. */
  private cache = new Map<string, { ctx: Context; spec: Resource; at: number }>();
  /** Children by parent key, with the parent and the skeleton build they were read from. */
  private children = new Map<string, { parent: Context; from: FluxBuild; list: Context[]; expanded?: object }>();
  /** Whole builds hold every value with its provenance: keep a bounded number (least recently used dropped). */
  static MAX_CACHED_BUILDS = 600;

  /**
   * Runs `f` with up to `n` whole builds held: `check` visits every context once per kind of finding (values,
   * locks, schemas); with the editor's bound, each pass would rebuild what the previous one evicted.
   */
  withBuildsHeld<T>(n: number, f: () => T): T {
    const before = this.built.max;
    this.built.max = Math.max(n, before);
    try {
      return f();
    } finally {
      this.built.max = before;
    }
  }

  /**
   * Runs `f`, which needs the whole build of every context it enumerates (`check`, the tenants report): every whole
   * build is held, and a context's skeleton is read from its whole build instead of being built apart (one Flux
   * build per context instead of two: a staged top level completed once, substitution run once).
   */
  forWholeFleet<T>(f: () => T): T {
    const before = this.built.max;
    const mode = this.skeletonsFromBuilds;
    const folders = this.fleet.db.lru('folderBuild').lru;
    const inner = this.fleet.db.lru('innerBuild').lru;
    const kept = [folders.max, inner.max];
    this.built.max = Math.max(WHOLE_FLEET_BUILDS, before);
    folders.max = Math.max(WHOLE_FLEET_FOLDER_BUILDS, kept[0]);
    inner.max = Math.max(WHOLE_FLEET_INNER_BUILDS, kept[1]);
    this.skeletonsFromBuilds = true;
    try {
      return f();
    } finally {
      this.built.max = before;
      [folders.max, inner.max] = kept;
      this.skeletonsFromBuilds = mode;
    }
  }
  /** Set by forWholeFleet: skeletons are the skeleton view of the whole builds (skeletonOf). (Read by LazyContext.) */
  skeletonsFromBuilds = false;
  /** Contexts holding a whole build, by when it was made (the db's LRU policy: beyond the bound, the oldest is dropped). */
  private readonly built: Lru<Context, true>;

  /** (Read by LazyContext.) */
  readonly selectSkeleton: SelectResources;

  constructor(readonly fleet: Fleet) {
    this.selectSkeleton = skeletonSelector(fleet.db);
    // Contexts' whole builds, dropped when the bound drops them (see madeBuild).
    this.built = fleet.db.lru<Context, true>('wholeBuilds', { max: Evaluator.MAX_CACHED_BUILDS, dispose: (ctx) => (ctx as LazyContext).dropBuild?.() }).lru;
  }

  /**
   * After an edit that changed only texts, contexts are kept: a root while its spec object is the same (its file did
   * not change), children while their parent's skeleton build is the same object (fluxBuild reuses builds whose
   * inputs did not change), and every context re-checks its builds on next use. Structural changes start over.
   */
  private reset(): void {
    if (this.version === this.fleet.version) return;
    const textsOnly = this.fleet.changeCountSince(this.version) !== undefined;
    this.version = this.fleet.version;
    // Lists found at another version are never read again (contextsFor compares it), and they held their contexts,
    // replaced since, with their builds: while the chains list lived (deployChains keeps it across edits), every
    // version's contexts stayed (the soak's heap grew ~1.3 MB per 1,000 edits after its bounds were full).
    this.chainsFound = new WeakMap();
    if (textsOnly) return;
    this.cache.clear();
    this.children.clear();
    this.built.reset();
  }

  /**
   * The order to visit `contexts` in when each needs its whole build (value findings, locks): those whose build is
   * held first, least recently made first, then the others. A pass over more contexts than the bound then rebuilds
   * only the ones it must, instead of evicting each build just before it is needed again.
   */
  scanOrder(contexts: readonly Context[]): Context[] {
    const wanted = new Set(contexts);
    const held = this.built.keys().reverse().filter((c) => wanted.has(c));
    const first = new Set(held);
    return [...held, ...contexts.filter((c) => !first.has(c))];
  }

  /** Called when a context's whole build is made: drops the least recently made ones beyond the bound. */
  madeBuild(ctx: Context): void {
    this.built.set(ctx, true);
  }

  /** The Kustomization object of a fact, loaded from its file with provenance. */
  private specOf(fact: FluxKustomizationFact): Resource | undefined {
    const facts = this.fleet.facts.get(fact.owner.file);
    const o = facts?.objects.find((x) => x.owner.doc === fact.owner.doc);
    if (!facts || !o) return undefined;
    return manifestsOf(this.fleet, fact.owner.file, facts.text).find((r) => r.origin.span?.start === o.span.start);
  }

  /** substituteFrom lookups of a context (see VariablesLookup). */
  private variablesLookup(parent: Context | undefined, ownerFile: string): VariablesLookup {
    return VariablesLookup.of(this, parent, ownerFile);
  }

  /**
   * The object a context sees for a substituteFrom entry: its ancestors' skeletons (from `parent` up), the fleet
   * nearest to `ownerFile`, or what the cluster makes of a source; every file it was found in joins `files`. (A method,
   * not a closure per context: the server finds thousands of contexts. Read by VariablesLookup.)
   */
  resolveSource(parent: Context | undefined, ownerFile: string, files: LookupFiles, kind: string, name: string, namespace: string | undefined, depth: number): Resource | Opaque | undefined {
    const fromBuild = (resources: Resource[]) =>
      objectNamed(this.fleet, resources, kind, name, (r) => {
        const ns = namespace === undefined ? undefined : resIdOf(r.obj).namespace;
        return ns === undefined || ns === namespace;
      });
    let r: Resource | undefined;
    for (let c = parent; c && !r; c = c.parent) r = fromBuild(c.skeleton.resources);
    if (!r) {
      const hit = this.fleet.links.findNear(ownerFile, [kind], name, namespace)[0];
      const text = hit && buildOptions(this.fleet).readFile(hit.fact.owner.file);
      if (hit && text !== undefined && !hit.fact.generated && !hit.fact.madeBy) r = manifestsOf(this.fleet, hit.fact.owner.file, text).find((x) => x.origin.span?.start === hit.fact.span.start);
      // Indexed there but not loaded as an object: an edit of that file may make it load (with no link change).
      if (hit && !r) files.add(hit.fact.owner.file);
    }
    if (r) for (const f of filesOf(this.fleet.db, r)) files.add(f);
    if (depth > 4) return r;
    if (r) {
      // The Flux Operator fills an object annotated copyFrom with the data of its source.
      const copyFrom = String(((r.obj.metadata as JsonObject | undefined)?.annotations as JsonObject | undefined)?.[COPY_FROM] ?? '');
      const [ns, source] = copyFrom.split('/');
      if (!source) return r;
      return this.resolveSource(parent, ownerFile, files, kind, source, ns, depth + 1) ?? opaque(this.fleet.db, r, `${kind} ${ns}/${source}, which ${COPY_FROM} names, is not in the fleet`);
    }
    const made = this.fleet.links.provided.find(kind, name, namespace, this.fleet.links.objects);
    if (!made) return undefined;
    // Its description names the producer's place (file:line): an edit there that moves lines keeps the link shape.
    if (made.entry.produced) files.add(made.entry.produced.owner.file);
    const content = made.entry.produced?.content;
    if (content?.type === 'copy') return this.resolveSource(parent, ownerFile, files, content.kind, content.name, content.namespace ?? namespace, depth + 1) ?? opaqueOf(this.fleet, made);
    if (content?.type === 'cloneList') {
      // A copy of the source as this context sees it, when its labels there still match the selector.
      const src = this.resolveSource(parent, ownerFile, files, kind, name, content.namespace, depth + 1);
      if (src && !isOpaque(src) && !labelsMatch(((src.obj.metadata as JsonObject | undefined)?.labels ?? {}) as Record<string, string>, content.matchLabels)) return undefined;
      return src ?? opaqueOf(this.fleet, made);
    }
    return opaqueOf(this.fleet, made);
  }

  /** A root context (a Flux Kustomization nothing else deploys). */
  root(fact: FluxKustomizationFact): Context | undefined {
    this.reset();
    const key = `${fact.owner.file}#${fact.owner.doc}${fact.generatedBy ? `#${fact.generatedBy.index}` : ''}`;
    const cached = this.cache.get(key);
    // Checked at this version already (a hover asks for each of 60 roots): its spec object is the one specOf gives.
    if (cached && cached.at === this.fleet.version && sameDocument(cached.ctx.fact, fact)) return cached.ctx;
    const loaded = this.specOf(fact);
    // A Kustomization a ResourceSet generates (one nothing deploys): the engine's object, not the ResourceSet's.
    const spec = loaded && fact.via === 'FluxInstance' ? instanceSync(this.fleet.db, loaded) : loaded && fact.generatedBy ? generatedSpec(this.fleet, loaded, fact) : loaded;
    if (cached && cached.spec === spec && sameDocument(cached.ctx.fact, fact)) {
      cached.at = this.fleet.version;
      return cached.ctx;
    }
    if (!spec) return undefined;
    // Every cluster's root is `flux-system/flux-system`: the folder it lives in tells clusters apart.
    const repo = this.fleet.repositoryOf(fact.owner.file);
    const where = repo ? `${repo.name}/${relative(repo.root, dirname(fact.owner.file))}`.replace(/\/$/, '') : dirname(fact.owner.file);
    const id = rootContextId(where, linkOf(spec));
    const lookup = this.variablesLookup(undefined, fact.owner.file);
    // A FluxInstance's source is made by the operator from `spec.sync.url`, not an object in Git.
    const inline = fact.inlineSource;
    const source = inline && (() => this.fleet.links.sourceRoots.resolve({ kind: inline.kind, url: inline.url, branch: inline.ref?.replace(/^refs\/heads\//, '') }));
    const ctx = this.lazyContext({ id, key, fact }, { spec, ownerFile: fact.owner.file, lookup, source });
    this.cache.set(key, { ctx, spec, at: this.fleet.version });
    return ctx;
  }

  /** Contexts of the Flux Kustomizations a context's build contains (rendered by it). */
  childrenOf(ctx: Context): Context[] {
    this.reset();
    const skeleton = ctx.skeleton;
    const cached = this.children.get(ctx.key);
    // A ResourceSet's children also depend on providers outside the build: kept while the linker's expansions are
    // (the same skeleton holds the same ResourceSets: `expanded` is set when it has any).
    if (cached && cached.parent === ctx && cached.from === skeleton && (cached.expanded === undefined || cached.expanded === this.fleet.links.resourceSets)) return cached.list;
    const out: Context[] = [];
    // The Flux Kustomizations the build holds, and those its ResourceSets generate (expanded as this context applies them).
    // Only those are listed (a tenant's build holds hundreds of other objects, and every context is listed once).
    // (one pass over the skeleton's objects finds its ResourceSets too: not a second pass per context)
    const rendered: Array<{ resource: Resource; fact?: FluxKustomizationFact }> = [];
    let hasResourceSets = false;
    for (const r of skeleton.resources) {
      if (r.obj.kind === 'ResourceSet' && isResourceSetKind(r)) {
        hasResourceSets = true;
        rendered.push(...generatedKustomizations(this.fleet, r, skeleton.resources));
      } else if (r.obj.kind === 'Kustomization') rendered.push({ resource: r });
    }
    const expanded = hasResourceSets ? this.fleet.links.resourceSets : undefined;
    for (const { resource: r, fact: generated } of rendered) {
      if (r.obj.kind !== 'Kustomization' || !String(r.obj.apiVersion ?? '').startsWith(FLUX_KUSTOMIZATION + '/')) continue;
      const fact = generated ?? this.factOf(r);
      if (!fact) continue;
      const link = linkOf(r);
      if (inChain(ctx.id, linkName(link))) continue; // a Kustomization that deploys itself (flux-system)
      // Built only when asked for: a hover on one tenant's file needs that tenant's build, not its 40 siblings'.
      const lookup = this.variablesLookup(ctx, r.origin.file);
      // (Kept by the context and as a table's key, a root's chain and file joined: interned, one flat copy in the old
      // generation instead of a chain of joined strings copied by scavenges, 2,580 contexts in the synthetic fleet.)
      const key = internPointer(`${ctx.key} > ${r.origin.file}@${r.origin.span?.start}${generated ? `#${generated.generatedBy?.index}` : ''}`);
      out.push(this.lazyContext({ id: childContextId(ctx.id, link), key, fact, parent: ctx }, { spec: r, ownerFile: r.origin.file, lookup }, skeleton));
    }
    // Context objects are small until built: the lists stay while their parent's skeleton does; whole builds are bounded.
    this.children.set(ctx.key, { parent: ctx, from: skeleton, list: out, expanded });
    return out;
  }

  /**
   * A context whose builds run on first use: the skeleton is kept, the whole build until the evaluator drops it.
   * Both are re-checked after the fleet changed (fluxBuild gives the same build back when its inputs are unchanged).
   */
  private lazyContext(
    fields: Pick<Context, 'id' | 'key' | 'fact' | 'parent'>,
    /** What its builds are made of (buildFlux's arguments). */
    inputs: ContextInputs,
    /** A child: the parent's skeleton it was rendered from (it stays while the parent's skeleton is that one). */
    renderedFrom?: FluxBuild,
  ): Context {
    return LazyContext.of(this, fields, inputs, renderedFrom);
  }

  /** Whether a build depends on `file`: it read it (as text or bytes), or it is its owner's (see dependencies). */
  dependsOn(build: FluxBuild, file: string): boolean {
    if (file === build.specResource.origin.file || build.ownerFile === file) return true;
    return !!build.read && this.readSetOf(build.read).has(file);
  }
  /** `read` as a set, one per list (the builds of one folder build share their list: fluxBuild.ts readOf). */
  private readonly readSets = new WeakMap<readonly string[], ReadonlySet<string>>();
  private readSetOf(read: readonly string[]): ReadonlySet<string> {
    let out = this.readSets.get(read);
    if (!out) this.readSets.set(read, (out = new Set(read)));
    return out;
  }

  /** The static fact a rendered Kustomization comes from (matched by the document it was first defined in). */
  private factOf(r: Resource): FluxKustomizationFact | undefined {
    const facts = this.fleet.facts.get(r.origin.file);
    if (!facts) return undefined;
    const o = facts.objects.find((x) => x.span.start === r.origin.span?.start);
    return facts.fluxKustomizations.find((f) => f.owner.doc === o?.owner.doc);
  }

  /** Every context whose build holds something written in `file`, found along the static deploy chains. */
  contextsFor(file: string, chains: FluxKustomizationFact[][], limit = 200, checkTouch = true): Context[] {
    if (checkTouch) return runSteps(this.contextsForSteps(file, chains, limit, checkTouch));
    // Unfiltered, the contexts are the chains' alone: the same at one fleet version for every file with these chains
    // (deployChains gives files with the same deployers one list: a hover on each file of a tenant asks for its 60).
    this.reset();
    const hit = this.chainsFound.get(chains);
    if (hit && hit.version === this.version && hit.limit === limit) return hit.out;
    const out = runSteps(this.contextsForSteps(file, chains, limit, false));
    this.chainsFound.set(chains, { version: this.version, limit, out });
    return out;
  }
  /** contextsFor's unfiltered answers by chains list, at the version they were found. */
  private chainsFound = new WeakMap<FluxKustomizationFact[][], { version: number; limit: number; out: Context[] }>();

  /** contextsFor in steps (see chainContextsSteps). */
  contextsForSteps(file: string, chains: FluxKustomizationFact[][], limit = 200, checkTouch = true): Steps<Context[]> {
    return this.chainContextsSteps(chains, limit, checkTouch ? (c) => touches(this.fleet.db, c.build.resources, file) : undefined);
  }

  /** The contexts at the ends of static deploy chains (root → … → deployer), optionally filtered, deduplicated. */
  chainContexts(chains: FluxKustomizationFact[][], limit = 200, keep?: (c: Context) => boolean, readChildrenOf?: (parent: Context) => void): Context[] {
    return runSteps(this.chainContextsSteps(chains, limit, keep, readChildrenOf));
  }

  /**
   * chainContexts in steps: yields after each parent's children read and each context kept or not. `readChildrenOf`
   * is told each parent whose children were read (a result kept across versions re-checks their skeletons).
   */
  *chainContextsSteps(chains: FluxKustomizationFact[][], limit = 200, keep?: (c: Context) => boolean, readChildrenOf?: (parent: Context) => void): Steps<Context[]> {
    const out: Context[] = [];
    const seen = new Set<string>();
    for (const chain of chains) {
      const root = this.root(chain[0]);
      let level = root ? [root] : [];
      for (let i = 1; i < chain.length && level.length; i++) {
        // By document, not identity: a file re-read with the same text has new facts, and the same contexts.
        const next: Context[] = [];
        for (const c of level) {
          readChildrenOf?.(c);
          next.push(...this.childrenOf(c).filter((x) => sameDocument(x.fact, chain[i])));
          yield;
        }
        level = next;
      }
      for (const c of level) {
        if (seen.has(c.key)) continue;
        const kept = !keep || keep(c);
        yield;
        if (!kept) continue;
        seen.add(c.key);
        out.push(c);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}

/**
 * substituteFrom lookups of a context: its ancestors' builds first (a ConfigMap the parent applies), else the nearest
 * object in the fleet (Evaluator.resolveSource). The answer is the same Map for the same source object (variablesOf),
 * so a Flux build can be reused when its variables come from the same objects (see fluxBuild's memo). An object of one
 * class per context: a closure with its scope and the `files` set assigned onto it as a property (which gave the
 * function a property store of its own) were some 400 bytes of each context, kept to the end of a check.
 * (Answers are not memoized: a context's frame asks each once per fleet version, and a list of kind, namespace, name
 * and answer kept by each of the 2,439 contexts of the synthetic fleet that substitute was never asked again.)
 */
class VariablesLookup implements VariableLookup {
  private readonly ev!: Evaluator;
  private readonly parent!: Context | undefined;
  private readonly ownerFile!: string;
  /** Every file an object the lookups found was written in (never cleared: a reused build still depends on them). */
  readonly files!: LookupFiles;

  private constructor() {
    throw new Error('VariablesLookup.of makes lookups');
  }

  /** Made as a literal of this class's prototype, as LazyContext.of is (kept per context). */
  static of(ev: Evaluator, parent: Context | undefined, ownerFile: string): VariablesLookup {
    return { __proto__: VariablesLookup.prototype, ev, parent, ownerFile, files: LookupFiles.empty() } as unknown as VariablesLookup;
  }

  find(kind: string, name: string, namespace: string | undefined): VariableSource | undefined {
    const r = this.ev.resolveSource(this.parent, this.ownerFile, this.files, kind, name, namespace, 0);
    return r && (isOpaque(r) ? r.variables : variablesOf(this.ev.fleet.db, r));
  }
}

/** A context's Flux Kustomization as its builds read it: buildFlux's arguments besides the fleet and the selection. */
interface ContextInputs {
  /** The Kustomization object (from its file, or as its parent rendered it). */
  spec: Resource;
  /** Where it was written (source lookups start there). */
  ownerFile: string;
  /** Its postBuild variable lookups (Evaluator.variablesLookup), with the files they found their objects in. */
  lookup: VariablesLookup;
  /** Its source, when that is not an object in Git (a FluxInstance's `spec.sync`). */
  source?: () => SourceRoot | undefined;
}

/**
 * A context of the evaluator (see Evaluator.lazyContext): its builds made on first use and kept while unchanged. One
 * object of one shape per context, its methods on the prototype: each of a fleet's thousands of contexts (the server
 * finds all of them after loading) held four closures and a dictionary of accessors (some 1.5 KB). `partial` too is a
 * method over the inputs (a closure and its scope per context were some 120 bytes of each, kept to a check's end).
 */
class LazyContext implements Context {
  private readonly ev!: Evaluator;
  private readonly inputs!: ContextInputs;
  /** A child: the parent's skeleton it was rendered from. */
  private readonly renderedFrom!: FluxBuild | undefined;
  readonly id!: ContextId;
  readonly key!: string;
  readonly fact!: FluxKustomizationFact;
  readonly parent?: Context;
  private built!: FluxBuild | undefined;
  private builtAt!: number;
  private kept!: FluxBuild | undefined;
  private keptAt!: number;

  private constructor() {
    throw new Error('LazyContext.of makes contexts');
  }

  /**
   * Made as an object literal of this class's prototype, not by `new`: V8 pretenures a literal's allocation site once
   * its objects survive, never a class's (a context, its lookup and the lookup's files are kept per context, thousands
   * in a fleet, each young when made, copied by a scavenge and then promoted by the next).
   */
  static of(ev: Evaluator, fields: Pick<Context, 'id' | 'key' | 'fact' | 'parent'>, inputs: ContextInputs, renderedFrom: FluxBuild | undefined): LazyContext {
    return {
      __proto__: LazyContext.prototype,
      ev,
      inputs,
      renderedFrom,
      id: fields.id,
      key: fields.key,
      fact: fields.fact,
      parent: fields.parent,
      built: undefined,
      builtAt: -1,
      kept: undefined,
      keptAt: -1,
    } as unknown as LazyContext;
  }

  /** The build restricted to `only` (not cached); the whole build without it. */
  partial(only?: SelectResources): FluxBuild {
    const { spec, ownerFile, lookup, source } = this.inputs;
    return buildFlux(this.ev.fleet, spec, ownerFile, lookup, only, source);
  }

  unchangedSince(build: FluxBuild, version: number, spared?: (file: string) => boolean): boolean {
    const { fleet } = this.ev;
    if (version === fleet.version) return true;
    if (fleet.linkEpoch > version) return false;
    // A lookup's file always matters; a dependency unless the caller spares it.
    const lookupFiles = this.inputs.lookup.files;
    const changed = fleet.readChangedAfter(
      version,
      lookupFiles.size + dependencyCount(build),
      function* () {
        yield* lookupFiles;
        yield* dependencies(build);
      },
      (f) => lookupFiles.has(f) || this.ev.dependsOn(build, f),
      (f) => lookupFiles.has(f) || !spared?.(f),
    );
    if (changed !== false) return false;
    // A child: its parent's skeleton is still the one it was rendered from.
    return this.renderedFrom === undefined || this.parent?.skeleton === this.renderedFrom;
  }

  /** The whole build (kept while recently used; rebuilt on demand after the evaluator dropped it). */
  get build(): FluxBuild {
    if (!this.built || !this.unchangedSince(this.built, this.builtAt)) {
      this.built = this.partial();
      this.ev.madeBuild(this);
    }
    this.builtAt = this.ev.fleet.version;
    return this.built;
  }

  // Always the skeleton selection (not a whole build that happens to exist): children are read from it, and the
  // same objects from one version to the next is what lets their builds be reused.
  get skeleton(): FluxBuild {
    if (this.ev.skeletonsFromBuilds) this.kept = skeletonOf(this.ev.fleet.db, this.build);
    else if (!this.kept || !this.unchangedSince(this.kept, this.keptAt)) this.kept = this.partial(this.ev.selectSkeleton);
    this.keptAt = this.ev.fleet.version;
    return this.kept;
  }

  /** The evaluator's bound dropped this context's whole build. */
  dropBuild(): void {
    this.built = undefined;
  }
}

/** The files a build depends on (Evaluator.dependsOn): its owner's, and what it read. */
function* dependencies(build: FluxBuild): Iterable<string> {
  yield build.specResource.origin.file;
  if (build.ownerFile !== undefined) yield build.ownerFile;
  if (build.read) yield* build.read;
}
function dependencyCount(build: FluxBuild): number {
  return 1 + (build.ownerFile !== undefined ? 1 : 0) + (build.read?.length ?? 0);
}

/** Files that wrote into a resource (its origin, every write and every removal), computed once per built resource. */
export function filesOf(db: FleetDb, r: Resource): Set<string> {
  return db.weak<Resource, Set<string>>('filesOfResource').getOrMake(r, () => {
    // The folder builds of a fleet's overlays hold their own objects with the base's provenance maps: each map's
    // files are found once, and are the resource's own when its origin wrote first and nothing was removed.
    const written = filesWritten(db, r.prov);
    if (!r.removed?.size && written.values().next().value === r.origin.file) return written;
    const files = new Set([r.origin.file, ...written]);
    for (const removal of r.removed?.values() ?? []) files.add(removal.file); // a patch that only deletes writes too
    return files;
  });
}

/** The files of a provenance map's writes, in the order they first write (computed once per map; never changed). */
function filesWritten(db: FleetDb, prov: ProvenanceMap): Set<string> {
  return db.weak<ProvenanceMap, Set<string>>('filesOfProvenance').getOrMake(prov, () => {
    const files = new Set<string>();
    for (const stack of prov.values()) for (const w of stack) files.add(w.file);
    return files;
  });
}

export function touches(db: FleetDb, resources: Resource[], file: string): boolean {
  return resources.some((r) => filesOf(db, r).has(file));
}

/** The fleet's evaluator (one per fleet, in its database). */
export function evaluatorOf(fleet: Fleet): Evaluator {
  return fleet.db.table<'evaluator', Evaluator>('contexts').getOrMake('evaluator', () => new Evaluator(fleet));
}

/** Every context of the fleet, depth first from the roots (bounded: a fleet of 400 clusters has thousands). */
export function allContexts(fleet: Fleet, roots: FluxKustomizationFact[], limit = 5000): Context[] {
  return runSteps(allContextsSteps(fleet, roots, limit));
}

/** allContexts in steps: yields after each context found (its children read from its skeleton build next). */
export function* allContextsSteps(fleet: Fleet, roots: FluxKustomizationFact[], limit = 5000): Steps<Context[]> {
  const ev = evaluatorOf(fleet);
  const out: Context[] = [];
  function* visit(c: Context): Steps<void> {
    if (out.length >= limit) return;
    out.push(c);
    yield;
    for (const child of ev.childrenOf(c)) yield* visit(child);
  }
  for (const r of roots) {
    if (out.length >= limit) break;
    const c = ev.root(r);
    if (c) yield* visit(c);
  }
  return out;
}
