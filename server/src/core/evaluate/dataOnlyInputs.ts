// Files a folder build read only as generator inputs (configMapGenerator/secretGenerator `files`, `envs`): an edit to
// one changes the data of the objects it generated and nothing else, as long as no generated object it wrote carries a
// hash suffix (a new hash renames it, and every reference to it) and no kustomization of the build has `replacements`
// (they copy fields from object to object). A build restricted to objects none of which such a file wrote (a hover's
// partial build on another file) is then still what a rebuild would give: reach.ts keeps it instead of rebuilding the
// folder for 60 contexts (an edited values file of a base every cluster overlay lists).
import type { FleetDb } from '../../db/fleetDb';
import type { Resource } from '../kustomize/types';
import { readsAlong, type Reads } from './reads';
import { filesOf } from './contexts';
import { basename, isKustomizationFileName } from '../paths';
import type { FluxBuild } from './fluxBuild';

const NONE: ReadonlySet<string> = new Set();

/** The generator-only inputs of a folder build (its reads, its whole output): computed once per output. */
export function dataOnlyInputs(db: FleetDb, reads: Reads, resources: readonly Resource[]): ReadonlySet<string> {
  const table = db.weak<readonly Resource[], ReadonlySet<string>>('dataOnlyInputs');
  const known = table.get(resources);
  if (known) return known;
  // (forEach and loops by index: a whole check runs this once per folder build, mostly before it is optimized, where
  // for…of over a Map makes a [key, value] pair per entry)
  // (its records: its own and those of the kept inner builds it holds)
  const along = readsAlong(reads);
  let replacements = false;
  for (const r of along) {
    r.reads.forEach((text, p) => {
      if (!replacements && text !== undefined && isKustomizationFileName(basename(p)) && /^\s*replacements\s*:/m.test(text)) replacements = true;
    });
  }
  if (replacements) return table.set(resources, NONE);
  const out = new Set<string>();
  for (const r of along) {
    r.bytes.forEach((_, p) => {
      if (!along.some((x) => x.reads.has(p))) out.add(p);
    });
  }
  if (!out.size) return table.set(resources, NONE);
  // A hash suffix is computed from the data: the name (and every reference to it) follows the file's content.
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    const writes = r.prov.get('/metadata/name');
    if (!writes) continue;
    let hashed = false;
    for (let j = 0; j < writes.length && !hashed; j++) hashed = writes[j].layer.step === 'hash';
    if (hashed) for (const f of filesOf(db, r)) out.delete(f);
  }
  return table.set(resources, out);
}

/**
 * Whether an edit of `file` leaves `build` as a rebuild would make it: the file is a generator-only input of the
 * folder build (not the Kustomization's own file), and none of the build's objects holds anything it wrote.
 */
export function untouchedBy(db: FleetDb, build: FluxBuild, file: string): boolean {
  if (!build.dataOnlyInputs?.has(file) || file === build.specResource.origin.file) return false;
  return !build.resources.some((r) => filesOf(db, r).has(file));
}
