// A folder's kustomize build, kept per folder (and the artifact's ignore rules) while every file it read reads the
// same: the Flux builds of every context that deploys the folder take it (fluxBuild.ts), copying only what they change.
import { filesRead, noReads, readsAlong, readsSame, recording, sameBytes, type Reads } from './reads';
import type { Fleet } from '../model';
import type { Resource } from '../kustomize/types';
import { buildKustomization, stageRoot, type BuildOptions, type RootStage } from '../kustomize/build';
import { patchGeneratedData } from './dataPatch';
import { borrowBuild, ownReads } from './buildDonor';

/**
 * The kustomize build of a folder depends only on the files it reads, not on who deploys it: a base built for 60
 * clusters is built once and copied for each (the Flux layers and substitution then change the copy). A build is
 * kept across fleet changes while every file it read (or found missing) reads the same: an edit to one tenant's
 * values file rebuilds that tenant's folders, not the fleet's.
 */
export interface FolderBuild extends Reads {
  /** The whole build, made when a build without Flux additions asks for it. */
  whole?: { resources: Resource[]; issues: ReturnType<typeof buildKustomization>['issues'] };
  /** The build stopped before the top level's own transformers, made when a build with Flux additions asks for it. */
  stage?: RootStage;
  /** The fleet version it was last found valid at. */
  checked: number;
}

export function stillValid(fleet: Fleet, b: Reads, options: BuildOptions, checked: number): boolean {
  // No .sourceignore changed since (it moves linkEpoch): only the files it read matter. A file edited and then reverted
  // reads the same again: the texts are compared, only of changed files.
  // (its records: its own and those of the kept inner builds it holds, Reads.inner)
  const along = readsAlong(b);
  if (fleet.linkEpoch <= checked) {
    const has = (f: string) => along.some((r) => r.reads.has(f) || r.bytes.has(f));
    const differs = (f: string) => along.some((r) => differsAt(r, f, options));
    let size = 0;
    for (const r of along) size += r.reads.size + r.bytes.size;
    const changed = fleet.readChangedAfter(checked, size, function* () {
      for (const r of along) {
        yield* r.reads.keys();
        yield* r.bytes.keys();
      }
    }, has, differs);
    if (changed !== undefined) return !changed && remotesSame(along, options);
  }
  return validAfter(b, along, options, fleet.changedSince(checked));
}

/** Whether `f`, read by record `r`, reads differently through `options` now. */
function differsAt(r: Reads, f: string, options: BuildOptions): boolean {
  return (r.reads.has(f) && options.readFile(f) !== r.reads.get(f)) || (r.bytes.has(f) && !sameBytes(options.readBytes?.(f), r.bytes.get(f)));
}

function remotesSame(along: readonly Reads[], options: BuildOptions): boolean {
  for (const r of along) for (const [url, folder] of r.remotes) if (options.resolveRemote?.(url) !== folder) return false;
  return true;
}

function validAfter(b: Reads, along: readonly Reads[], options: BuildOptions, changed: Set<string> | undefined): boolean {
  // Only texts changed since it was checked: it is valid unless it read one of them. A .sourceignore changes what a
  // generated kustomization lists (read through links, not recorded): then check every read.
  if (changed && ![...changed].some((f) => f.endsWith('/.sourceignore'))) {
    // (a file edited and then reverted reads the same again: compare the texts, only of these files)
    for (const f of changed) if (along.some((r) => differsAt(r, f, options))) return false;
    return remotesSame(along, options);
  }
  return readsSame(b, options);
}

/**
 * Every file a folder build read, as one list shared by the Flux builds made from it: sixty contexts of one folder,
 * each holding a few partial builds, had each kept its own copy (a tenth of the soak's heap growth). Reads only grow
 * (a stage or whole build made later records more), so the list is made again when there are more.
 */
export function readOf(fleet: Fleet, built: FolderBuild): string[] {
  const table = readLists(fleet);
  // (the inner builds it holds are kept builds, whose reads never grow: counted by how many it holds)
  const n = built.reads.size + built.bytes.size + (built.inner?.length ?? 0);
  const hit = table.get(built);
  if (hit?.n === n) return hit.read;
  return table.set(built, { n, read: filesRead(built) }).read;
}

function readLists(fleet: Fleet) {
  return fleet.db.weak<FolderBuild, { n: number; read: string[] }>('buildReads');
}

/** A patched folder build read what the build it patches read: it takes that one's list. */
export function carryReadList(fleet: Fleet, from: FolderBuild, to: FolderBuild): void {
  const list = readLists(fleet).get(from);
  if (list) readLists(fleet).set(to, list);
}

/** Times a build for the benchmark's counters. */
function counted<T>(fleet: Fleet, make: () => T): T {
  const t0 = performance.now();
  const out = make();
  fleet.db.count('folderBuild.built');
  fleet.db.count('folderBuild.ms', performance.now() - t0);
  return out;
}

/** A folder's whole kustomize build, made once per cached entry; what it reads joins the entry's reads. */
export function wholeBuild(fleet: Fleet, key: string, built: FolderBuild, folder: string, options: BuildOptions): NonNullable<FolderBuild['whole']> {
  if (built.whole) return built.whole;
  built.whole = counted(fleet, () => buildKustomization(folder, recording(options, built)));
  reweigh(fleet, key, built);
  return built.whole;
}

/** A folder's first stage (see build.ts stageRoot), made once per cached entry; its reads join the entry's. */
export function folderStage(fleet: Fleet, key: string, built: FolderBuild, folder: string, options: BuildOptions): RootStage {
  if (built.stage) return built.stage;
  built.stage = counted(fleet, () => stageRoot(folder, recording(options, built)));
  reweigh(fleet, key, built);
  return built.stage;
}

/**
 * The folder builds' table weighs an entry by the resources it holds (db/queries.ts), which grow when its whole build
 * or first stage is made after it was stored: stored again, it is weighed again (and the bound drops what it must).
 */
function reweigh(fleet: Fleet, key: string, built: FolderBuild): void {
  const { lru } = fleet.db.lru<string, FolderBuild>('folderBuild');
  if (lru.peek(key) === built) lru.set(key, built);
}

/**
 * A folder's cached builds (whole, first stage; each made when first asked for), kept while everything they read
 * reads the same. Callers copy what they change (cloneResource).
 */
export function folderBuild(fleet: Fleet, key: string, folder: string, options: BuildOptions): FolderBuild {
  const cache = fleet.db.table<string, FolderBuild>('folderBuild');
  let built = cache.get(key);
  if (built && built.checked !== fleet.version) {
    if (stillValid(fleet, built, options, built.checked)) built.checked = fleet.version;
    else {
      const changed = fleet.changedSince(built.checked);
      cache.reject(key);
      // An edited values file a generator reads: the same build with the new text in its ConfigMaps (dataPatch.ts).
      const patched = changed && patchGeneratedData(fleet.db, built, options, changed);
      if (patched) fleet.db.count('folderBuild.patched');
      const old = built;
      built = patched ? cache.set(key, folderBuildEntry(patched, patched.whole, undefined, fleet.version)) : undefined;
      // The same files read: the same list (readOf).
      if (built) carryReadList(fleet, old, built);
    }
  }
  if (built) return built;
  // Another fleet of the workspace may have built it already (the change impact's baseline: evaluate/buildDonor.ts).
  const lent = borrowBuild<FolderBuild>(fleet, 'folderBuild', key, options, (e) => !!(e.whole ?? e.stage));
  return cache.set(key, lent ? folderBuildEntry(ownReads(lent), lent.whole, lent.stage, fleet.version) : folderBuildEntry(noReads(), undefined, undefined, fleet.version));
}

/**
 * An entry of the folder builds' table, every field set in one order from the start (`whole`, `stage` and `inner` are
 * filled in later). Not `{ ...reads, checked }`: a spread extended gives each entry a hidden class of its own (see
 * copyOwnKeys), and every reader of an entry then missed its inline caches.
 */
function folderBuildEntry(reads: Reads, whole: FolderBuild['whole'], stage: FolderBuild['stage'], checked: number): FolderBuild {
  return { reads: reads.reads, bytes: reads.bytes, remotes: reads.remotes, inner: reads.inner, innerAt: reads.innerAt, whole, stage, checked };
}
