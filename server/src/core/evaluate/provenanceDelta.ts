// A provenance map that postBuild substitution copied from a cached build's (fluxBuild.ts): which map it was copied
// from and which pointers it wrote since. The contexts of one folder share the cached build's map and differ only
// there, so a pass over every context's provenance (valueFindings.ts overrides) reads the shared map once and each
// copy's changed pointers, instead of every stack of every copy.
import type { FleetDb } from '../../db/fleetDb';
import type { ProvenanceMap } from '../kustomize/types';

export interface ProvenanceDelta {
  /** The map this one was copied from (never changed after the build that made it). */
  base: ProvenanceMap;
  /**
   * The pointers written into the copy, in the order written (a pointer the base lacks was added at the end); one
   * pointer as itself (read through writtenPointers): most copies write one (a substituted name or value), and a list
   * of one was some 56 bytes of each of the synthetic fleet's 5,000 such copies, kept for the whole check.
   */
  changed: string | readonly string[];
}

/** The pointers written into a delta's copy, in the order written. */
export function writtenPointers(delta: ProvenanceDelta): readonly string[] {
  return typeof delta.changed === 'string' ? [delta.changed] : delta.changed;
}

function deltas(db: FleetDb) {
  return db.weak<ProvenanceMap, ProvenanceDelta>('provenanceDelta');
}

/**
 * Records that `copy` was copied from `base` and `changed` written into it since (the list is read now: the delta
 * keeps one pointer as itself, more in a copy exactly as long).
 */
export function recordCopy(db: FleetDb, copy: ProvenanceMap, base: ProvenanceMap, changed: readonly string[]): void {
  deltas(db).set(copy, { base, changed: changed.length === 1 ? changed[0] : changed.slice() });
}

/** How `prov` differs from the map it was copied from, when substitution made it. */
export function provenanceDelta(db: FleetDb, prov: ProvenanceMap): ProvenanceDelta | undefined {
  return deltas(db).get(prov);
}
