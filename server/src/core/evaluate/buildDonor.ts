// Kept kustomize builds lent from one fleet to another fleet of the same workspace: the change impact's baseline
// (the fleet at a commit, at the working tree's own paths) builds the contexts an edit reaches, and nearly every
// folder they read is the same text as in the working fleet, which has built it already. A folder build depends only
// on what it read (recorded with it: texts, bytes, remote bases, and a generated kustomization's own text), so a
// kept build whose every read reads the same in the borrowing fleet is that fleet's build too, given both resolve
// paths alike (the same repositories, mappings and symbolic links). Outputs are read-only (whoever changes them
// copies), so the two fleets can share them; the borrower keeps its own entry (its own reads and checks).
import type { Fleet } from '../model';
import type { BuildOptions } from '../kustomize/build';
import { flatReads, readsSame, type Reads } from './reads';

/** `fleet` may take kept builds from `donor` from now on (the change impact: the baseline from the working fleet). */
export function lendBuilds(fleet: Fleet, donor: Fleet): void {
  fleet.db.table<'donor', Fleet>('buildDonor').set('donor', donor);
}

/** What decides how a fleet resolves a path, besides the texts a build records. */
function pathsKey(fleet: Fleet): string {
  return JSON.stringify([fleet.layout.repositories, fleet.layout.mappings]) + fleet.tree.linksKey();
}

/**
 * The donor's kept entry of `table` for `key`, when every path it read reads the same through `options` (the
 * borrower's) and both fleets resolve paths alike; undefined otherwise. `fits` checks the rest of the entry.
 */
export function borrowBuild<T extends Reads>(fleet: Fleet, table: 'folderBuild' | 'innerBuild', key: string, options: BuildOptions, fits: (entry: T) => boolean = () => true): T | undefined {
  const donor = fleet.db.table<'donor', Fleet>('buildDonor').get('donor');
  if (!donor || donor === fleet) return undefined;
  const entry = donor.db.table<string, T>(table).get(key);
  if (!entry || !fits(entry) || pathsKey(donor) !== pathsKey(fleet) || !readsSame(entry, options)) return undefined;
  fleet.db.count(`${table}.borrowed`);
  return entry;
}

/**
 * A borrowed entry's reads as the borrower's own (its checks and later builds record into its own maps): those it
 * holds through the donor's inner builds too, which the borrower does not hold.
 */
export function ownReads(entry: Reads): Reads {
  return flatReads(entry);
}
