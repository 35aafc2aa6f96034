// The reverse of resolution: which Flux Kustomizations deploy a file, and the chains from the roots down to it.
import type { Fleet } from './model';
import type { FluxKustomizationFact } from './facts';
import type { Links } from './link/linker';

export const MAX_CHAINS = 200;

/** The nearest Flux Kustomizations above a file (those whose build contains it), across repositories. */
export function deployersOf(fleet: Fleet, file: string): FluxKustomizationFact[] {
  const links = fleet.links;
  const { memo, lists, ids } = deployerLists(fleet, links);
  const walk = (f: string, visiting: Set<string>): FluxKustomizationFact[] => {
    const m = memo!.get(f);
    if (m) return m;
    if (visiting.has(f)) return [];
    visiting.add(f);
    const out = new Set<FluxKustomizationFact>();
    for (const inc of links.includers.get(f) ?? []) {
      if (inc.type === 'flux') out.add(inc.flux);
      else for (const d of walk(inc.file, visiting)) out.add(d);
    }
    visiting.delete(f);
    // One list per set of deployers (every file of a tenant's base has the same 60): deployChains keeps its chains by it.
    let key = '';
    for (const d of out) key += `${ids.get(d) ?? ids.set(d, ids.size).size - 1},`;
    let list = lists.get(key);
    if (!list) lists.set(key, (list = [...out]));
    memo!.set(f, list);
    return list;
  };
  return walk(file, new Set());
}

/**
 * Chains root → … → nearest deployer, one per path through the fleet. A chain passes each file once: a deployer in a
 * file the chain already went up from (a self-managing flux-system, Kustomizations deploying each other's file) ends
 * it, as going up there again would find the same deployers (2,000 Kustomizations in one file deploying their own
 * folder made every permutation a chain: fuzz seed 7 case 191).
 */
export function deployChains(fleet: Fleet, file: string): FluxKustomizationFact[][] {
  // The chains above a file depend on its deployers alone unless one of the Kustomizations on the way is in the file
  // itself (a chain ends where it would go up from a file again): those found for another file with the same list
  // of deployers, when none is in this one (and none were cut at MAX_CHAINS), are this file's too.
  const deployers = deployersOf(fleet, file);
  const byDeployers = deployerLists(fleet, fleet.links).chains;
  const known = byDeployers.get(deployers);
  if (known && !known.some((chain) => chain.some((d) => d.owner.file === file))) return known;
  const chains = chainsAbove(fleet, file);
  if (chains.length < MAX_CHAINS) byDeployers.set(deployers, chains);
  return chains;
}

/**
 * Per includers map: each file's deployers, the one list per set of them (by the facts' numbers in `ids`), and the
 * chains found above each list. Deployers and chains read the includers alone (and the facts they hold), so links
 * carried over after edits that left them as they were (relink.ts: a values file's edit) keep them: keyed by the links,
 * every hover after an edit walked every chain above its file again.
 */
function deployerLists(fleet: Fleet, links: Links) {
  return fleet.db
    .weak<Links['includers'], { memo: Map<string, FluxKustomizationFact[]>; lists: Map<string, FluxKustomizationFact[]>; ids: Map<FluxKustomizationFact, number>; chains: WeakMap<FluxKustomizationFact[], FluxKustomizationFact[][]> }>('deployChains')
    .getOrMake(links.includers, () => ({ memo: new Map(), lists: new Map(), ids: new Map(), chains: new WeakMap() }));
}

function chainsAbove(fleet: Fleet, file: string): FluxKustomizationFact[][] {
  const chains: FluxKustomizationFact[][] = [];
  const files = new Set<string>();
  const up = (f: string, below: FluxKustomizationFact[], seen: Set<FluxKustomizationFact>) => {
    if (chains.length >= MAX_CHAINS) return;
    const deployers = deployersOf(fleet, f).filter((d) => !seen.has(d));
    if (deployers.length === 0) {
      if (below.length) chains.push([...below].reverse());
      return;
    }
    files.add(f);
    for (const d of deployers) {
      if (chains.length >= MAX_CHAINS) break;
      if (files.has(d.owner.file)) {
        chains.push([...below, d].reverse());
        continue;
      }
      seen.add(d);
      up(d.owner.file, [...below, d], seen);
      seen.delete(d);
    }
    files.delete(f);
  };
  up(file, [], new Set());
  return chains;
}

/** Flux Kustomizations that no other Flux Kustomization deploys (a self-managing flux-system counts as a root). */
export function rootKustomizations(fleet: Fleet): FluxKustomizationFact[] {
  // Once per link: the change impact asks on every edit, for both of its fleets.
  return fleet.db.weak<Links, FluxKustomizationFact[]>('rootKustomizations').getOrMake(fleet.links, () => [...fleet.links.flux.keys()].filter((fk) => deployersOf(fleet, fk.owner.file).every((d) => d === fk))).slice();
}

/** Flux Kustomizations whose nearest deployer is `parent`. */
export function childKustomizations(fleet: Fleet, parent: FluxKustomizationFact): FluxKustomizationFact[] {
  return [...fleet.links.flux.keys()].filter((fk) => fk !== parent && deployersOf(fleet, fk.owner.file).includes(parent));
}
