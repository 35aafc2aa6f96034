// What a Flux build's objects are made of, as a key: the folder build's selection (its identity) and what substitution
// made of each object with a `$` string (substitutionMemo.ts). Builds with one key hold the same objects, provenance
// maps and removals in the same order (the folder build's own Resource wrapper where nothing changed the object, but
// a HelmRelease's, App's or ResourceSet's: fluxBuild.ts shareUnchanged): the passes that read every context's build
// (lock findings, value findings) replay what they found in one for the others, instead of reading each again. Builds
// with Flux layers that copy every object (components, patches, targetNamespace…) have no key.
import type { FleetDb } from '../../db/fleetDb';
import type { Resource } from '../kustomize/types';
import type { VariableIssue } from './fluxBuild';
import { internPointer } from '../kustomize/provenance';

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

/** A build's resources and the variable uses that name them. */
export interface SharedResources {
  resources: Resource[];
  variableUses: VariableIssue[];
  undefinedVariables: VariableIssue[];
  unknownVariables: VariableIssue[];
  disabledUses: VariableIssue[];
}

/** Contents kept per selection (one per distinct substitution of it): the oldest go. */
const MAX_CONTENTS = 64;

/**
 * The resources of the first build with this content (and its variable uses), else `mine` kept as those. Builds with
 * one content then share one array of Resource objects: everything derived per Resource (effective values, variable
 * sources, files written) is the same for equal objects in equal builds. Neither is changed after its build.
 */
export function sharedResources(db: FleetDb, selection: readonly Resource[], content: string, mine: SharedResources): SharedResources {
  const kept = contents(db).getOrMake(selection, () => new Map());
  const hit = kept.get(content);
  if (hit && hit.resources.length === mine.resources.length) return hit;
  if (kept.size >= MAX_CONTENTS) kept.delete(kept.keys().next().value!);
  kept.set(content, mine);
  return mine;
}

/** The resources kept for this content of a selection (see sharedResources), if any. */
export function keptResources(db: FleetDb, selection: readonly Resource[], content: string): SharedResources | undefined {
  return contents(db).get(selection)?.get(content);
}

/** Whether any build of this selection kept its content (sharedResources): else no content of it can be found. */
export function keepsContents(db: FleetDb, selection: readonly Resource[]): boolean {
  return !!contents(db).get(selection)?.size;
}

function contents(db: FleetDb) {
  return db.weak<readonly Resource[], Map<string, SharedResources>>('sharedResources');
}

/**
 * The part of a kept build (`kept`, of the folder build's whole selection `whole`) that `picked` selects of `whole`:
 * its objects at the picked places, and the variable uses naming them, in order. One per kept build and selection, so
 * the contexts of one content get one array (what a partial build of `picked` with this content holds).
 */
export function keptSelection(db: FleetDb, whole: readonly Resource[], kept: SharedResources, picked: readonly Resource[]): SharedResources | undefined {
  if (kept.resources.length !== whole.length) return undefined;
  const bySelection = db.weak<SharedResources, Map<readonly Resource[], SharedResources>>('keptSelections').getOrMake(kept, () => new Map());
  let out = bySelection.get(picked);
  if (out) return out;
  const at = placesIn(db, whole, picked);
  if (!at) return undefined;
  const resources = at.map((i) => kept.resources[i]);
  const mine = new Set(resources);
  const uses = (list: VariableIssue[]) => list.filter((u) => mine.has(u.resource));
  out = { resources, variableUses: uses(kept.variableUses), undefinedVariables: uses(kept.undefinedVariables), unknownVariables: uses(kept.unknownVariables), disabledUses: uses(kept.disabledUses) };
  bySelection.set(picked, out);
  return out;
}

/** Where each of `picked` (a selection of `whole`, in its order) is in `whole`; null when one is not there. */
function placesIn(db: FleetDb, whole: readonly Resource[], picked: readonly Resource[]): number[] | null {
  return db.weak<readonly Resource[], number[] | null>('selectionPlaces').getOrMake(picked, () => {
    const out: number[] = [];
    let i = 0;
    for (const r of picked) {
      while (i < whole.length && whole[i] !== r) i++;
      if (i === whole.length) return null;
      out.push(i++);
    }
    return out;
  });
}

/**
 * Records the content of a whole build (the key sharedResources kept it under) by its inputs besides the folder build's
 * output `whole` (fluxBuild.ts's memo key without it: the spec object, the variable sources, owner and folder, by
 * identity). Equal inputs make an equal build (the memo's own rule), so a later build of them may take this content.
 * One entry per context, in the db's one LRU policy (queries.ts wholeContents); an entry holds the key, never the
 * objects: they stay with their selection (sharedResources), and go with it.
 */
export function recordWholeContent(db: FleetDb, wholeId: number, inputs: string, content: string): void {
  // Interned (internPointer: V8's one copy of a string): the contexts of one content keep one key, not one each.
  db.table<string, string>('wholeContents').set(internPointer(`${wholeId}\0${inputs}`), internPointer(content));
}

/** The content recorded for a whole build of these inputs (recordWholeContent), while its selection keeps it. */
export function wholeContentOf(db: FleetDb, whole: readonly Resource[], wholeId: number, inputs: string): SharedResources | undefined {
  const content = db.table<string, string>('wholeContents').get(`${wholeId}\0${inputs}`);
  return content === undefined ? undefined : keptResources(db, whole, content);
}
