// "Deployed by N Flux Kustomizations" at the top of each manifest, listing the chains.
import type { Fleet } from '../core/model';
import type { Location } from '../core/link/types';
import { deployChains, deployersOf } from './deployChains';
import { fluxName, objectOf } from './describe';

export interface DeployLens {
  title: string;
  /** The deploying Kustomizations (their metadata.name). */
  locations: Location[];
  /** One line per chain: root → … → nearest. */
  chains: string[];
}

export function deployLens(fleet: Fleet, file: string): DeployLens | undefined {
  const facts = fleet.facts.get(file);
  if (!facts || facts.skipped) return undefined;
  const deployers = deployersOf(fleet, file);
  const chains = deployChains(fleet, file).map((c) => c.map((fk) => fluxName(fleet, fk)).join(' → '));
  const n = deployers.length;
  const title = n === 0 ? 'Not deployed by any Flux Kustomization' : `Deployed by ${n} Flux Kustomization${n === 1 ? '' : 's'}${chains.length > n ? ` (${chains.length} chains)` : ''}`;
  const locations = deployers.map((d) => {
    const o = objectOf(fleet, d.owner);
    return { file: d.owner.file, span: o?.nameSpan ?? d.anchor };
  });
  return { title, locations, chains };
}
