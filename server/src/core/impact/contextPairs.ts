// Which contexts an edit can reach, found without enumerating or building the others: the contexts at the ends of
// the static deploy chains of each changed file (on either side; also of the Kustomizations whose substituteFrom
// names an object in it), roots whose own file changed, and below every context found, the children whose rendered
// spec or postBuild variables differ or that exist on one side only (read from skeleton builds). A file with more
// chains than deployChains follows falls back to every context whose deployer builds it (skeletons only).
import type { Fleet } from '../model';
import { allContexts, allContextsSteps, evaluatorOf, sameDocument, type Context } from '../evaluate/contexts';
import type { FluxKustomizationFact } from '../facts';
import type { Steps } from '../steps';
import { contextKey, linkName, type ContextId } from '../evaluate/contextId';
import { MAX_CHAINS, deployChains, deployersOf, rootKustomizations } from '../deployChains';
import { docKey } from '../link/resolver';
import { deepEqual } from './objectDiff';
import { variantChains } from './variantChains';
import type { Json } from '../kustomize/types';
import type { ChangedFile } from './types';
import { basename } from '../paths';
import { IGNORE_FILE } from '../link/sourceIgnore';

export interface ContextPair {
  key: string;
  base?: Context;
  work?: Context;
}

/** Every context of a fleet by key (skeletons: no whole build). */
export function contextsByKey(fleet: Fleet): Map<string, Context> {
  const out = new Map<string, Context>();
  for (const c of allContexts(fleet, rootKustomizations(fleet))) if (!out.has(contextKey(c.id))) out.set(contextKey(c.id), c);
  return out;
}

/**
 * The files whose deployers an edit of `file` reaches: itself, and the files of Flux Kustomizations referring to its
 * objects (substituteFrom a ConfigMap found anywhere in the fleet: the children of their contexts are then compared).
 */
function reachFiles(fleet: Fleet, file: string): string[] {
  const out = [file];
  for (const o of fleet.facts.get(file)?.objects ?? []) {
    for (const r of fleet.links.referrers.get(docKey(o.owner)) ?? []) if (r.kind === 'object' && fleet.facts.get(r.file)?.fluxKustomizations.length) out.push(r.file);
  }
  // Input providers: the ResourceSets that read them render what the edit changes.
  if (fleet.facts.get(file)?.resourceSets?.some((r) => r.kind === 'ResourceSetInputProvider')) {
    for (const l of fleet.links.resourceSets) if (l.expansion.providers.some((p) => p.file === file)) out.push(l.fact.owner.file);
  }
  return out;
}

/**
 * Contexts of one side reached by `files`, by key. Kept per fleet version and files: the baseline never changes, so
 * after the first edit its side is walked no more while the same files differ.
 */
function* reached(fleet: Fleet, files: string[]): Steps<Map<string, Context>> {
  const memo = fleet.db.table<string, { version: number; contexts: Map<string, Context> }>('impactReached');
  const key = files.join('\0');
  const hit = memo.get(key);
  if (hit && hit.version === fleet.version) return hit.contexts;
  const contexts = yield* reachedNow(fleet, files);
  memo.set(key, { version: fleet.version, contexts });
  return contexts;
}

/** Bound on the contexts one file's chains may reach (as the editor's evaluations bound them). */
const MAX_REACHED = 5000;

function* reachedNow(fleet: Fleet, files: string[]): Steps<Map<string, Context>> {
  const ev = evaluatorOf(fleet);
  const out = new Map<string, Context>();
  const add = (c: Context) => out.has(contextKey(c.id)) || out.set(contextKey(c.id), c);
  let all: Context[] | undefined;
  const roots = rootKustomizations(fleet);
  const changed = new Set(files);
  for (const file of new Set(files.flatMap((f) => reachFiles(fleet, f)))) {
    // A changed file must be among what the context's build read (a variable spec.path reaches every folder it can
    // name, statically); a Kustomization's file that refers to a changed object is followed for its children.
    const keep = (c: Context) => !changed.has(file) || c.skeleton.read === undefined || c.skeleton.read.includes(file);
    const chains = deployChains(fleet, file);
    if (chains.length >= MAX_CHAINS) {
      // Too many chains to follow one by one (a shared base): every context whose deployer builds the file.
      const deployers = deployersOf(fleet, file);
      all ??= yield* allContextsSteps(fleet, roots, MAX_REACHED);
      for (const c of all) {
        if (deployers.some((d) => sameDocument(d, c.fact)) && keep(c)) add(c);
        yield;
      }
    } else {
      const found = yield* chainContexts(fleet, variantChains(fleet, file, chains));
      for (const c of found) {
        if (keep(c)) add(c);
        yield;
      }
    }
    for (const r of roots) if (r.owner.file === file) ev.root(r) && add(ev.root(r)!);
  }
  // What decides a source's artifact (a .sourceignore, a source's spec.ignore) changes every build of that source
  // without being read by one: the contexts whose builds it decided.
  const artifactFiles = files.filter((f) => isArtifactInput(fleet, f));
  if (artifactFiles.length) {
    all ??= yield* allContextsSteps(fleet, roots, MAX_REACHED);
    for (const c of all) {
      if (artifactFiles.some((f) => c.skeleton.artifactInputs?.includes(f))) add(c);
      yield;
    }
  }
  return out;
}

/** A `.sourceignore`, or a file of a source object that sets spec.ignore. */
function isArtifactInput(fleet: Fleet, file: string): boolean {
  return basename(file) === IGNORE_FILE || !!fleet.facts.get(file)?.sources.some((s) => s.ignore !== undefined);
}

/**
 * The contexts at the ends of `chains` (root → … → deployer), deduplicated, as Evaluator.chainContexts finds them,
 * with a step after each context whose children were read (its skeleton build: one unit of work).
 */
function* chainContexts(fleet: Fleet, chains: FluxKustomizationFact[][]): Steps<Context[]> {
  const ev = evaluatorOf(fleet);
  const out: Context[] = [];
  const seen = new Set<string>();
  for (const chain of chains) {
    const root = ev.root(chain[0]);
    let level = root ? [root] : [];
    for (let i = 1; i < chain.length && level.length; i++) {
      const next: Context[] = [];
      for (const c of level) {
        // By document, not identity: a file re-read with the same text has new facts, and the same contexts.
        next.push(...ev.childrenOf(c).filter((x) => sameDocument(x.fact, chain[i])));
        yield;
      }
      level = next;
    }
    for (const c of level) {
      if (seen.has(c.key)) continue;
      seen.add(c.key);
      out.push(c);
      if (out.length >= MAX_REACHED) return out;
    }
  }
  return out;
}

function variablesOf(c: Context): Json {
  return [...c.skeleton.variables].map(([k, v]) => [k, v.value]);
}

/** The context of `id` in a fleet (the same root and chain), walked down from its root: no other context is built. */
export function contextById(fleet: Fleet, id: ContextId): Context | undefined {
  const ev = evaluatorOf(fleet);
  const rootKey = contextKey({ root: id.root, chain: id.chain.slice(0, 1) });
  let at = rootKustomizations(fleet)
    .map((r) => ev.root(r))
    .find((r) => r && contextKey(r.id) === rootKey);
  for (let i = 1; at && i < id.chain.length; i++) at = ev.childrenOf(at).find((x) => linkName(x.id.chain[i]) === linkName(id.chain[i]));
  return at;
}

/** The contexts to compare, in a stable order (root folder, then the chain); a step after each unit of work. */
export function* affectedPairs(work: Fleet, base: Fleet, changed: ChangedFile[]): Steps<ContextPair[]> {
  const pairs = new Map<string, ContextPair>();
  const workReached = yield* reached(work, changed.filter((c) => c.status !== 'removed').map((c) => c.file));
  const baseReached = yield* reached(base, changed.filter((c) => c.status !== 'added').map((c) => c.file));
  const queue: ContextPair[] = [];
  const enqueue = (p: ContextPair) => {
    if (pairs.has(p.key)) return;
    pairs.set(p.key, p);
    queue.push(p);
  };
  for (const [key, c] of workReached) enqueue({ key, work: c, base: baseReached.get(key) ?? contextById(base, c.id) });
  for (const [key, c] of baseReached) if (!pairs.has(key)) enqueue({ key, base: c, work: contextById(work, c.id) });
  // Roots on one side only (their file added or removed is reached above; a root that became one by an edit elsewhere).
  const rootsOf = (f: Fleet) => rootKustomizations(f).map((r) => evaluatorOf(f).root(r)).filter((c): c is Context => !!c);
  const workRoots = new Map(rootsOf(work).map((c) => [contextKey(c.id), c]));
  const baseRoots = new Map(rootsOf(base).map((c) => [contextKey(c.id), c]));
  for (const [key, c] of workRoots) if (!baseRoots.has(key)) enqueue({ key, work: c });
  for (const [key, c] of baseRoots) if (!workRoots.has(key)) enqueue({ key, base: c });
  // Below every context found: children rendered differently, or on one side only.
  while (queue.length) {
    const p = queue.shift()!;
    const wk = new Map((p.work ? evaluatorOf(work).childrenOf(p.work) : []).map((c) => [contextKey(c.id), c]));
    const bk = new Map((p.base ? evaluatorOf(base).childrenOf(p.base) : []).map((c) => [contextKey(c.id), c]));
    for (const key of new Set([...wk.keys(), ...bk.keys()])) {
      const w = wk.get(key);
      const b = bk.get(key);
      if (!w || !b || !deepEqual(w.skeleton.spec, b.skeleton.spec) || !deepEqual(variablesOf(w), variablesOf(b))) enqueue({ key, work: w, base: b });
    }
    yield;
  }
  return [...pairs.values()].sort(byChain);
}

/** Root folder, then the chain Kustomization by Kustomization (a parent before its children). */
function byChain(a: ContextPair, b: ContextPair): number {
  const ia = (a.work ?? a.base)!.id;
  const ib = (b.work ?? b.base)!.id;
  const pa = [ia.root, ...ia.chain.map(linkName)];
  const pb = [ib.root, ...ib.chain.map(linkName)];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  return pa.length - pb.length;
}
