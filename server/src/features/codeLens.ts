// "Deployed by N Flux Kustomizations" at the top of each manifest, listing the chains.
import type { Fleet } from '../core/model';
import type { Location } from '../core/link/types';
import { deployChains, deployersOf } from './deployChains';
import { fluxName, objectOf } from './describe';

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
  const locate = (fk: (typeof deployers)[number]) => ({ file: fk.owner.file, span: objectOf(fleet, fk.owner)?.nameSpan ?? fk.anchor });
  const chains = deployChains(fleet, file).map((c) => ({ label: c.map((fk) => fluxName(fleet, fk)).join(' → '), location: locate(c[c.length - 1]) }));
  const n = deployers.length;
  const title = n === 0 ? 'Not deployed by any Flux Kustomization' : `Deployed by ${n} Flux Kustomization${n === 1 ? '' : 's'}${chains.length > n ? ` (${chains.length} chains)` : ''}`;
  const locations = deployers.map(locate);
  return { title, locations, chains };
}
