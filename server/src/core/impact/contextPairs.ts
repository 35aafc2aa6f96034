// Which contexts an edit can reach, decided without building whole contexts that cannot be affected: the static
// deploy chains of each changed file (on either side), contexts whose rendered spec or postBuild variables differ
// (read from skeleton builds, which enumerating contexts makes anyway), and contexts that exist on one side only.
import type { Fleet } from '../model';
import { allContexts, evaluatorOf, type Context } from '../evaluate/contexts';
import { contextKey, linkName } from '../evaluate/contextId';
import { deployChains, rootKustomizations } from '../deployChains';
import { deepEqual } from './objectDiff';
import type { Json } from '../kustomize/types';
import type { ChangedFile } from './types';

export interface ContextPair {
  key: string;
  base?: Context;
  work?: Context;
}

export function contextsByKey(fleet: Fleet): Map<string, Context> {
  const out = new Map<string, Context>();
  for (const c of allContexts(fleet, rootKustomizations(fleet))) if (!out.has(contextKey(c.id))) out.set(contextKey(c.id), c);
  return out;
}

/** The keys of contexts whose static deploy chains reach one of `files` (no whole build). */
function chainReached(fleet: Fleet, files: string[]): Set<string> {
  const ev = evaluatorOf(fleet);
  const out = new Set<string>();
  for (const f of files) for (const c of ev.chainContexts(deployChains(fleet, f), 5000)) out.add(contextKey(c.id));
  return out;
}

function variablesOf(c: Context): Json {
  return [...c.skeleton.variables].map(([k, v]) => [k, v.value]);
}

/** The contexts to compare, in a stable order (root folder, chain). */
export function affectedPairs(work: Fleet, base: Fleet, changed: ChangedFile[]): ContextPair[] {
  const workCtx = contextsByKey(work);
  const baseCtx = contextsByKey(base);
  const reached = chainReached(work, changed.filter((c) => c.status !== 'removed').map((c) => c.file));
  for (const k of chainReached(base, changed.filter((c) => c.status !== 'added').map((c) => c.file))) reached.add(k);
  const out: ContextPair[] = [];
  for (const key of new Set([...workCtx.keys(), ...baseCtx.keys()])) {
    const w = workCtx.get(key);
    const b = baseCtx.get(key);
    const affected = !w || !b || reached.has(key) || !deepEqual(w.skeleton.spec, b.skeleton.spec) || !deepEqual(variablesOf(w), variablesOf(b));
    if (affected) out.push({ key, base: b, work: w });
  }
  return out.sort(byChain);
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
