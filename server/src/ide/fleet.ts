// Opening a fleet: the repositories under the given roots, with extra source → folder mappings (editor settings).
import { Fleet } from '../core/model';
import { NodeFileSystem } from '../core/nodeFileSystem';
import { parseMappingKey, type SourceMapping } from '../core/fleetConfig';
import { resolvePath } from '../core/paths';
import type { MappingTrust } from '../core/workspace';
import { runStepsAsync } from '../core/steps';
import * as nodePath from 'node:path';

export type { MappingTrust };

export type { Fleet };

/**
 * Roots and mapped folders as the engine keys files: absolute, with `/`. A relative root was taken as it was, and every
 * path the engine resolves against a repository (absolute) then lay outside it: the bundled example fleet opened as
 * `examples` read 91 findings (outside-root, path-not-found), 0 opened by its absolute path.
 */
function absolute(path: string): string {
  return nodePath.isAbsolute(path) ? path : nodePath.resolve(path).split(nodePath.sep).join('/');
}

function fleetOptions(roots: readonly string[], extraMappings: readonly SourceMapping[], mappingTrust: MappingTrust | undefined) {
  return { roots: roots.map(absolute), extraMappings: extraMappings.map((m) => ({ ...m, folder: absolute(m.folder) })), ...(mappingTrust ? { mappingTrust } : {}) };
}

/** `mappingTrust`: which mappings may leave the roots (see core/workspace.ts MappingTrust). */
export function openFleet(roots: string[], extraMappings: SourceMapping[] = [], mappingTrust?: MappingTrust): Fleet {
  const fleet = new Fleet(new NodeFileSystem(), fleetOptions(roots, extraMappings, mappingTrust));
  fleet.load();
  return fleet;
}

/** Files to index before the rest (the editor's open files, with their texts), and what to do once they are. */
export interface FirstFiles {
  texts: ReadonlyMap<string, string>;
  /** Called with the fleet walked and only these files indexed (see earlyFileFindings), before the rest. */
  indexed(fleet: Fleet): void;
}

/**
 * openFleet for the editor: the open files indexed first (their texts as the editor holds them), `first.indexed`
 * told, then the rest, with a turn of the event loop between batches (what `indexed` sent reaches the client now).
 */
export async function openFleetFirst(roots: string[], extraMappings: SourceMapping[], mappingTrust: MappingTrust | undefined, first: FirstFiles): Promise<Fleet> {
  const fleet = new Fleet(new NodeFileSystem(), fleetOptions(roots, extraMappings, mappingTrust));
  // A file on disk is read as the editor holds it; a file only the editor has joins after the load (setOverlay).
  const onDisk = [...first.texts.keys()].filter((f) => fleet.fs.exists(f));
  for (const f of onDisk) fleet.overlays.set(f, first.texts.get(f)!);
  await runStepsAsync(fleet.loadSteps(undefined, { files: onDisk, indexed: () => first.indexed(fleet) }));
  for (const [f, text] of first.texts) fleet.setOverlay(f, text);
  return fleet;
}

/** `fluxFleet.repositories`: `key: folder` pairs, folders relative to `base`; keys that are not sources are skipped. */
export function settingsMappings(repositories: Record<string, string>, base: string): SourceMapping[] {
  return Object.entries(repositories).flatMap(([raw, folder]) => {
    const key = parseMappingKey(raw);
    return key ? [{ raw, key, folder: resolvePath(base, folder) }] : [];
  });
}

/** Whether a folder exists (the CLI checks its arguments). */
export function folderExists(path: string): boolean {
  return new NodeFileSystem().exists(path);
}

/** The repository holding `dir` (a folder with .git or .flux-fleet.yaml above it), so remote bases can be mapped. */
export function repositoryRootOf(dir: string): string {
  const fs = new NodeFileSystem();
  for (let d = dir; ; ) {
    if (fs.exists(d + '/.git') || fs.exists(d + '/.flux-fleet.yaml')) return d;
    const parent = d.slice(0, d.lastIndexOf('/')) || '/';
    if (parent === d) return dir;
    d = parent;
  }
}
