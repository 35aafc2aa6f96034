// Linking: from per-file facts to the resolved fleet (targets of every reference, who includes what, effective
// namespaces, Flux builds) and the findings that fall out. Pure function of the Fleet's data; never reads the disk.
// `linkFile` re-resolves one edited file against the previous links (see resolver.ts).
import type { Fleet } from '../model';
import type { FluxKustomizationFact, ObjectFact } from '../facts';
import { distinctFindings, type Finding } from '../findings';
import { ObjectIndex, type IndexedObject } from './objectIndex';
import { SourceRoots } from './sourceRoots';
import { keptString } from '../keptString';
import type { FluxResolution, Includer, ResolvedRef, SourceRoot } from './types';
import type { ArtifactRules } from './sourceIgnore';
import { checkBuilds } from './builds';
import { isClusterScoped } from '../kube/kinds';
import { fluxVariants } from './fluxVariants';
import { checkDependencyCycles, checkIncludeCycles } from './cycles';
import { Resolver, commonPrefix, docKey, type LinkSink } from './resolver';
import { buildProvidedIndex, type ProvidedIndex } from './providedObjects';
import { expandResourceSets, inputSetLabel, type ResourceSetLink } from './resourceSets';
import { unknownInputObjects } from './resourceSetUnknown';
import type { FilePlaces } from './relink';

export { commonPrefix, docKey };

export const RESOURCE_ROLES: ReadonlySet<string> = new Set(['resources', 'bases', 'components']);

export interface Links {
  findings: Finding[];
  findingsByFile: Map<string, Finding[]>;
  refsByFile: Map<string, ResolvedRef[]>;
  includers: Map<string, Includer[]>;
  /** Every Flux Kustomization with one resolution per variant (overlay patches can change its path or source). */
  flux: Map<FluxKustomizationFact, FluxResolution[]>;
  objects: ObjectIndex;
  /** Objects the cluster makes: producers in the fleet and `.flux-fleet.yaml` `provided:` declarations. */
  provided: ProvidedIndex;
  /** References that resolved to an object (key: `file#doc`). */
  referrers: Map<string, ResolvedRef[]>;
  /** Files only used as patches or generator inputs: their documents are not objects. */
  nonResourceFiles: Set<string>;
  /** Flux Operator ResourceSets expanded, with the objects they generate (link/resourceSets.ts). */
  resourceSets: ResourceSetLink[];
  sourceRoots: SourceRoots;
  hasCatalogs: boolean;
  /** Effective namespaces of a document. */
  namespacesOf(file: string, declared: string | undefined, kind?: string): ReadonlySet<string | undefined>;
  /** The kustomization file of a folder, if it has one. */
  kustomizationIn(dir: string): string | undefined;
  /** Objects a reference from `file` means: matches in the referrer's own repository win. */
  findNear(file: string, kinds: string[], name: string, namespace: string | undefined): IndexedObject[];
  /** The local root of a source (for specs rendered by a parent build, which the static facts do not hold). */
  rootOf(kind: string, name: string, namespace: string | undefined, ownerFile: string): { root?: SourceRoot; source?: ObjectFact };
  /** What Flux's generated kustomization lists for a folder without one. */
  generatedEntries(folder: string, sourceRoot: string, rules?: ArtifactRules): string[];
  /** Where each file's facts are held in these links: made by link/relink.ts when first needed, shared by the links carried over from these. */
  places: { byFile?: Map<string, FilePlaces> };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const l = map.get(key);
  if (l) l.push(value);
  else map.set(key, [value]);
}

function makeSink(findings: Finding[], refsByFile: Map<string, ResolvedRef[]>, includers: Map<string, Includer[]>, referrers: Map<string, ResolvedRef[]>): LinkSink {
  return {
    findings,
    addRef: (r) => {
      // (descriptions are concatenations kept with the links: keptString.ts)
      if (r.description !== undefined) r.description = keptString(r.description);
      pushTo(refsByFile, r.file, r);
    },
    addIncluder: (file, inc) => pushTo(includers, file, inc),
    addReferrer: (key, r) => pushTo(referrers, key, r),
  };
}

/** The namespaces of a cluster-scoped object: none (read-only, shared). */
const CLUSTER_SCOPED: ReadonlySet<string | undefined> = new Set([undefined]);

/** A set of namespaces as a key, in its order (null: none set above; undefined: not known). */
function setKey(set: ReadonlySet<string | null | undefined>): string {
  return JSON.stringify([...set]);
}

export function link(fleet: Fleet): Links {
  const findings: Finding[] = [];
  const refsByFile = new Map<string, ResolvedRef[]>();
  const includers = new Map<string, Includer[]>();
  const referrers = new Map<string, ResolvedRef[]>();
  const sourceRoots = new SourceRoots(fleet.layout.mappings, fleet.layout.repositories);
  const sink = makeSink(findings, refsByFile, includers, referrers);
  let objects = new ObjectIndex();
  const ctx = { objects, namespacesOf: (_f: string, d: string | undefined) => new Set([d]), hasCatalogs: false };
  const resolver = new Resolver(fleet, sourceRoots, sink, ctx);

  for (const p of fleet.layout.configProblems) findings.push({ file: p.file, span: p.span, severity: p.severity, code: p.code ?? 'config-invalid', message: p.message });
  findings.push(...fleet.walkFindings());

  // 1. Per-file findings and the kustomize include graph.
  fleet.facts.forEach((facts) => {
    for (const e of facts.syntaxErrors) findings.push({ file: facts.file, span: e.span, severity: 'error', code: e.code ?? 'yaml-syntax', message: e.message });
    if (facts.kustomize) resolver.resolveKustomizeFile(facts);
  });

  // 2. Files that are only patches or generator inputs do not declare objects.
  const nonResourceFiles = new Set<string>();
  // (forEach, not for-of: this runs once per link, mostly before V8 optimizes it, where each step of a Map's iterator made
  // an entry pair and a result: one per file of the fleet)
  includers.forEach((incs, file) => {
    if (incs.every((i) => i.type === 'kustomize' && !RESOURCE_ROLES.has(i.role))) nonResourceFiles.add(file);
  });

  // 3. Effective namespaces: the outermost including kustomization's `namespace:`, or a Flux targetNamespace.
  // The sets are shared (read-only): one per distinct content, not one per file and object. The index keeps one for
  // each object of the fleet, so a set per object was most of what the first link left for scavenges to copy.
  let nsMemo = new Map<string, ReadonlySet<string | null>>();
  const aboveSets = new Map<string, ReadonlySet<string | null>>();
  const NO_NAMESPACE_ABOVE: ReadonlySet<string | null> = new Set([null]);
  const namespaceAbove = (file: string, visiting?: Set<string>): ReadonlySet<string | null> => {
    const memo = nsMemo.get(file);
    if (memo) return memo;
    // (made on a miss only: asked for every object of the fleet, twice)
    visiting ??= new Set<string>();
    if (visiting.has(file)) return NO_NAMESPACE_ABOVE;
    visiting.add(file);
    const incs = includers.get(file);
    let out: ReadonlySet<string | null>;
    if (incs?.length === 1 && incs[0].type === 'kustomize' && RESOURCE_ROLES.has(incs[0].role)) {
      // One kustomization includes it (most files): its set under that one's, made once per set and namespace.
      const own = fleet.facts.get(incs[0].file)?.kustomize?.namespace ?? null;
      out = underAbove(namespaceAbove(incs[0].file, visiting), own);
    } else {
      const made = new Set<string | null>();
      for (const inc of incs ?? []) {
        if (inc.type === 'flux') made.add(inc.flux.targetNamespace ?? null);
        else if (RESOURCE_ROLES.has(inc.role)) {
          const own = fleet.facts.get(inc.file)?.kustomize?.namespace ?? null;
          for (const v of namespaceAbove(inc.file, visiting)) made.add(v ?? own);
        }
      }
      if (made.size === 0) made.add(null);
      out = sharedAbove(made);
    }
    visiting.delete(file);
    nsMemo.set(file, out);
    return out;
  };
  /** The one set of this content (aboveSets). */
  const sharedAbove = (made: Set<string | null>): ReadonlySet<string | null> => {
    const key = setKey(made);
    const same = aboveSets.get(key);
    if (same) return same;
    aboveSets.set(key, made);
    return made;
  };
  /** The set above a file that one kustomization includes: that one's set above, unset values its own namespace. */
  const underSets = new Map<ReadonlySet<string | null>, Map<string | null, ReadonlySet<string | null>>>();
  const underAbove = (above: ReadonlySet<string | null>, own: string | null): ReadonlySet<string | null> => {
    let byOwn = underSets.get(above);
    if (!byOwn) underSets.set(above, (byOwn = new Map()));
    let out = byOwn.get(own);
    if (!out) {
      const made = new Set<string | null>();
      for (const v of above) made.add(v ?? own);
      if (made.size === 0) made.add(null);
      byOwn.set(own, (out = sharedAbove(made)));
    }
    return out;
  };
  /** namespacesOf's sets: by the set above, by the declared namespace; made once per content. */
  const namespaceSets = new Map<ReadonlySet<string | null>, Map<string | undefined, ReadonlySet<string | undefined>>>();
  const objectSets = new Map<string, ReadonlySet<string | undefined>>([[setKey(CLUSTER_SCOPED), CLUSTER_SCOPED]]);
  const namespacesOf = (file: string, declared: string | undefined, kind?: string): ReadonlySet<string | undefined> => {
    if (kind && isClusterScoped(kind)) return CLUSTER_SCOPED;
    return namespacesUnder(namespaceAbove(file), declared);
  };
  /** namespacesOf of a file whose namespaces above are `above`. */
  const namespacesUnder = (above: ReadonlySet<string | null>, declared: string | undefined): ReadonlySet<string | undefined> => {
    let byDeclared = namespaceSets.get(above);
    if (!byDeclared) namespaceSets.set(above, (byDeclared = new Map()));
    let out = byDeclared.get(declared);
    if (!out) {
      const made = new Set<string | undefined>();
      for (const v of above) made.add(v ?? declared);
      const key = setKey(made);
      out = objectSets.get(key);
      if (!out) objectSets.set(key, (out = made));
      byDeclared.set(declared, out);
    }
    return out;
  };
  // ResourceSets expanded with the fleet's providers: what they generate is indexed like objects in Git.
  const resourceSets = expandResourceSets(fleet, (f) => !nonResourceFiles.has(f));
  for (const r of resourceSets) findings.push(...r.expansion.findings);
  const buildIndex = (): ObjectIndex => {
    const index = new ObjectIndex();
    for (const r of resourceSets) for (const o of r.objects) index.add({ fact: o, namespaces: new Set([o.namespace]) });
    fleet.facts.forEach((facts) => {
      const generated = facts.kustomize?.generated;
      const objects = nonResourceFiles.has(facts.file) ? undefined : facts.objects;
      if (!objects?.length && !generated?.length) return;
      // (the file's namespaces above, once for its objects: namespacesOf asked it again for each)
      const above = namespaceAbove(facts.file);
      if (objects) for (const o of objects) index.add({ fact: o, namespaces: isClusterScoped(o.kind) ? CLUSTER_SCOPED : namespacesUnder(above, o.namespace) });
      if (generated) for (const g of generated) index.add({ fact: g, namespaces: namespacesUnder(above, g.namespace) });
    });
    return index;
  };
  objects = buildIndex();
  resolver.ctx = { objects, namespacesOf, hasCatalogs: false };

  // 4. Flux Kustomizations, one resolution per variant: source → local root → spec.path folder → its build.
  const flux = new Map<FluxKustomizationFact, FluxResolution[]>();
  const allFlux: FluxKustomizationFact[] = [];
  fleet.facts.forEach((facts) => {
    if (!nonResourceFiles.has(facts.file)) allFlux.push(...facts.fluxKustomizations);
  });
  const variants = fluxVariants(fleet, includers, allFlux);
  for (const fk of allFlux) flux.set(fk, (variants.get(fk) ?? [{ tops: new Set([fk.owner.file]) }]).map((v) => resolver.resolveFlux(fk, v)));
  for (const r of resourceSets)
    for (const fk of r.flux) flux.set(fk, [resolveGenerated(fleet, sourceRoots, sink, resolver.ctx, generatedLabel(r, fk.generatedBy?.inputSet), (g) => g.resolveFlux(fk, { tops: new Set([fk.owner.file]) }))]);

  // 5. A Flux targetNamespace moves what it builds: namespaces again (only then), then object references.
  if (allFlux.some((fk) => fk.targetNamespace) || resourceSets.some((r) => r.flux.some((fk) => fk.targetNamespace))) {
    nsMemo = new Map();
    objects = buildIndex();
  }
  const hasCatalogs = objects.ofKind('Catalog').length > 0;
  const provided = buildProvidedIndex(fleet, (f) => !nonResourceFiles.has(f), namespacesOf, resourceSets.flatMap(unknownInputObjects));
  resolver.ctx = { objects, namespacesOf, hasCatalogs, provided };
  fleet.facts.forEach((facts) => {
    if (nonResourceFiles.has(facts.file)) return;
    for (const ref of facts.objectRefs) if (ref.role !== 'sourceRef') resolver.resolveObjectRef(ref);
  });
  for (const r of resourceSets)
    for (const { ref, inputSet } of r.refs) if (ref.role !== 'sourceRef') resolveGenerated(fleet, sourceRoots, sink, resolver.ctx, generatedLabel(r, inputSet), (g) => g.resolveObjectRef(ref));
  for (const r of resourceSets) for (const ref of r.dependsOn) resolver.resolveObjectRef(ref);

  const links: Links = {
    findings,
    findingsByFile: new Map(),
    refsByFile,
    includers,
    flux,
    objects,
    provided,
    referrers,
    nonResourceFiles,
    resourceSets,
    sourceRoots,
    hasCatalogs,
    namespacesOf,
    kustomizationIn: (dir) => resolver.kustomizationIn(dir),
    generatedEntries: (folder, root, rules) => resolver.generatedEntries(folder, root, rules),
    ...linkLookups(fleet, sourceRoots, resolver),
    places: {},
  };

  // 6. Whole-graph checks.
  checkIncludeCycles(fleet, links, findings);
  checkDependencyCycles(fleet, links, findings);
  checkBuilds(fleet, links, findings);

  links.findings = distinctFindings(findings);
  for (const f of links.findings) pushTo(links.findingsByFile, f.file, f);
  return links;
}

/**
 * Lookups asked again and again by evaluations (every context's source, every substituteFrom): answered once per link.
 * Links carried over after text edits (relink.ts: no link shape changed) keep the previous sources that hold no
 * object of an edited file: the same source roots (a hover after each keystroke asked again for the source of each
 * of 60 contexts). Only those: they are one per Flux Kustomization, while findNear's (per lookup of every context)
 * grew the heap by megabytes when carried from link to link.
 */
export function linkLookups(fleet: Fleet, sourceRoots: SourceRoots, resolver: Resolver, carried?: { from: Pick<Links, 'findNear' | 'rootOf'>; changed: ReadonlySet<string> }): Pick<Links, 'findNear' | 'rootOf'> {
  const ctx = resolver.ctx;
  // Made apart: no closure below may hold `carried` (the previous links, which would then hold theirs, and so on).
  const sources = carried && keptSources(carried.from, carried.changed);
  // One resolver for every source asked about (it reports nothing): a resolver made per question placed the copies of
  // a source (60 `flux-system` GitRepositories) with repositories looked up anew each time.
  let sourceResolver: Resolver | undefined;
  return {
    findNear: memo((file, kinds, name, ns) => resolver.preferNear(file, ctx.objects.find(kinds, name, ns))),
    rootOf: memo((kind, name, ns, ownerFile) => (sourceResolver ??= new Resolver(fleet, sourceRoots, makeSink([], new Map(), new Map(), new Map()), ctx)).rootOf(kind, name, ns, ownerFile), sources),
  };
}

/** The previous links' rootOf answers whose source object is not in an edited file. */
function keptSources(from: Pick<Links, 'rootOf'>, changed: ReadonlySet<string>): Map<string, ReturnType<Links['rootOf']>> | undefined {
  const answers = (from.rootOf as Partial<Memoized<ReturnType<Links['rootOf']>>>).answers;
  if (!answers) return undefined;
  const out = new Map<string, ReturnType<Links['rootOf']>>();
  for (const [k, r] of answers) if (!r.source || !changed.has(r.source.owner.file)) out.set(k, r);
  return out;
}

/** Resolves what a ResourceSet generated: the template span is shared by every input set, so findings name it. */
function resolveGenerated<T>(fleet: Fleet, sourceRoots: SourceRoots, sink: LinkSink, ctx: Resolver['ctx'], label: string, f: (r: Resolver) => T): T {
  const local: Finding[] = [];
  const out = f(new Resolver(fleet, sourceRoots, { ...sink, findings: local }, ctx));
  for (const x of local) sink.findings.push({ ...x, message: `${x.message} (${label})` });
  return out;
}

function generatedLabel(r: ResourceSetLink, inputSet: number | undefined): string {
  return `${inputSetLabel(r.expansion, inputSet)} of ResourceSet ${r.expansion.namespace}/${r.expansion.name}`;
}

/** A lookup's answers by arguments (what linkLookups carries over). */
type Memoized<R> = { answers: Map<string, R> };

/** A function of strings (and string lists) memoized for the life of one link (or carried over: `answers`). */
function memo<A extends Array<string | string[] | undefined>, R>(f: (...args: A) => R, answers = new Map<string, R>()): ((...args: A) => R) & Memoized<R> {
  const lookup = (...args: A) => {
    const key = JSON.stringify(args);
    let r = answers.get(key);
    if (r === undefined && !answers.has(key)) answers.set(key, (r = f(...args)));
    return r as R;
  };
  return Object.assign(lookup, { answers });
}

/**
 * The findings of one file, re-resolved against the previous links (which stay valid for every other file). Used
 * right after an edit; whole-graph findings (cycles, duplicates, empty builds) wait for the next full link.
 */
export function linkFile(fleet: Fleet, previous: Links, file: string): Finding[] {
  const facts = fleet.facts.get(file);
  if (!facts) return [];
  const findings: Finding[] = [];
  const sink = makeSink(findings, new Map(), new Map(), new Map());
  const resolver = new Resolver(fleet, previous.sourceRoots, sink, { objects: previous.objects, namespacesOf: previous.namespacesOf, hasCatalogs: previous.hasCatalogs, provided: previous.provided });
  for (const p of fleet.layout.configProblems) if (p.file === file) findings.push({ file, span: p.span, severity: p.severity, code: p.code ?? 'config-invalid', message: p.message });
  for (const e of facts.syntaxErrors) findings.push({ file, span: e.span, severity: 'error', code: e.code ?? 'yaml-syntax', message: e.message });
  if (facts.kustomize) resolver.resolveKustomizeFile(facts);
  if (facts.resourceSets) for (const r of expandResourceSets(fleet, (f) => !previous.nonResourceFiles.has(f), file)) findings.push(...r.expansion.findings);
  if (!previous.nonResourceFiles.has(file)) {
    for (const fk of facts.fluxKustomizations) {
      // Keep the variants the overlays made of this document last time (their patches live in other files).
      const before = [...previous.flux.entries()].find(([old]) => old.owner.file === file && old.owner.doc === fk.owner.doc)?.[1];
      const variants = before?.length ? before.map((r) => ({ override: r.override, tops: r.tops })) : [{ tops: new Set([file]) }];
      for (const v of variants) resolver.resolveFlux(fk, v);
    }
    for (const ref of facts.objectRefs) if (ref.role !== 'sourceRef') resolver.resolveObjectRef(ref);
  } else if (facts.fluxKustomizations.length || facts.jsonPatchOps) {
    // A patch file: re-derive the variants its patches make, against the previous include graph.
    const targets = [...previous.flux.keys()];
    const variants = fluxVariants(fleet, previous.includers, targets);
    for (const [fk, vs] of variants) for (const v of vs) if (v.override && [v.override.path?.file, v.override.sourceRef?.file].includes(file)) resolver.resolveFlux(fk, v);
  }
  return distinctFindings(findings.filter((f) => f.file === file));
}
