// "Deployed by N Flux Kustomizations" at the top of each manifest, listing the chains. Chains that read the same
// (every cluster's `flux-system/flux-system → flux-system/tenants`) are told apart by the folder that differs: the
// cluster's (root's) folder, else the folder of the Kustomization where they part; the same chain is listed once.
import type { Fleet } from '../core/model';
import type { FluxKustomizationFact } from '../core/facts';
import type { Location } from '../core/link/types';
import { dirname } from '../core/paths';
import { distinctParts } from '../core/evaluate/contextId';
import { deployChains, deployersOf } from './deployChains';
import { displayPath, fluxName, objectOf } from './describe';

export interface DeployLens {
  title: string;
  /** The deploying Kustomizations (their metadata.name). */
  locations: Location[];
  /** One entry per chain: root → … → nearest, and where the nearest is defined. */
  chains: Array<{ label: string; location: Location }>;
}

export function deployLens(fleet: Fleet, file: string): DeployLens | undefined {
  const facts = fleet.facts.get(file);
  if (!facts || facts.skipped) return undefined;
  const deployers = deployersOf(fleet, file);
  const locate = (fk: FluxKustomizationFact) => ({ file: fk.owner.file, span: objectOf(fleet, fk.owner)?.nameSpan ?? fk.anchor });
  const chains = chainLabels(fleet, deployChains(fleet, file)).map(({ chain, label }) => ({ label, location: locate(chain[chain.length - 1]) }));
  const n = deployers.length;
  const title = n === 0 ? 'Not deployed by any Flux Kustomization' : `Deployed by ${n} Flux Kustomization${n === 1 ? '' : 's'}${chains.length > n ? ` (${chains.length} chains)` : ''}`;
  const locations = deployers.map(locate);
  return { title, locations, chains };
}

/** Each distinct chain once, labelled `root → … → nearest`, prefixed where needed with the folder that tells it apart. */
export function chainLabels(fleet: Fleet, all: FluxKustomizationFact[][]): Array<{ chain: FluxKustomizationFact[]; label: string }> {
  const unique = new Map<string, FluxKustomizationFact[]>();
  const ids = new Map<FluxKustomizationFact, number>();
  const idOf = (fk: FluxKustomizationFact) => ids.get(fk) ?? (ids.set(fk, ids.size), ids.size - 1);
  for (const c of all) unique.set(c.map(idOf).join('>'), c);
  const chains = [...unique.values()].map((chain) => ({ chain, label: chain.map((fk) => fluxName(fleet, fk)).join(' → ') }));
  const byLabel = new Map<string, typeof chains>();
  for (const c of chains) byLabel.set(c.label, [...(byLabel.get(c.label) ?? []), c]);
  for (const group of byLabel.values()) {
    if (group.length < 2) continue;
    // The first place (root first) where the chains' Kustomizations live in different folders names them.
    const depth = Math.max(...group.map((g) => g.chain.length));
    let told = false;
    for (let i = 0; i < depth && !told; i++) {
      const folders = group.map((g) => displayPath(fleet, dirname((g.chain[i] ?? g.chain[g.chain.length - 1]).owner.file)));
      if (new Set(folders).size < 2) continue;
      const parts = distinctParts(folders);
      group.forEach((g, j) => (g.label = `${parts[j]}: ${g.label}`));
      told = true;
    }
    // Variants of one object (overlay patches on the same file): numbered.
    if (!told) group.forEach((g, j) => (g.label = `${g.label} (${j + 1})`));
  }
  return chains;
}
