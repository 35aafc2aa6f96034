// What a Flux build's objects are made of, as a key: the folder build's selection (its identity) and what substitution
// made of each object with a `$` string (substitutionMemo.ts). Builds with one key hold the same objects, provenance
// maps and removals in the same order (each its own Resource wrapper): the passes that read every context's build
// (lock findings, value findings) replay what they found in one for the others, instead of reading each again. Builds
// with Flux layers that copy every object (components, patches, targetNamespace…) have no key.
import type { FleetDb } from '../../db/fleetDb';
import type { Resource } from '../kustomize/types';
import type { VariableIssue } from './fluxBuild';

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

function contents(db: FleetDb) {
  return db.weak<readonly Resource[], Map<string, SharedResources>>('sharedResources');
}
