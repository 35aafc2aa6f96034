// What a Flux build's objects are made of, as a key: the folder build's selection (its identity) and what substitution
// made of each object with a `$` string (substitutionMemo.ts). Builds with one key hold the same objects, provenance
// maps and removals in the same order (each its own Resource wrapper): the passes that read every context's build
// (lock findings, value findings) replay what they found in one for the others, instead of reading each again. Builds
// with Flux layers that copy every object (components, patches, targetNamespace…) have no key.
import type { FleetDb } from '../../db/fleetDb';
import type { Resource } from '../kustomize/types';

function table(db: FleetDb) {
  return db.weak<readonly Resource[], string>('sharedContent');
}

/** Records the key of a build's resources (the array the build holds). */
export function setSharedContent(db: FleetDb, resources: readonly Resource[], key: string): void {
  table(db).set(resources, key);
}

/** The key of a build's resources, when they are a shared selection (see above). */
export function sharedContentOf(db: FleetDb, resources: readonly Resource[]): string | undefined {
  return table(db).get(resources);
}
