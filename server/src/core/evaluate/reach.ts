// What a question about one file needs of a context's build: the resources the file wrote, the HelmReleases and Apps
// among them or fed by the ConfigMaps/Secrets among them, and the value sources those read. Hovers and completion
// build each deploying context only that far (a tenant's file is deployed by 60 clusters).
import type { Fleet } from '../model';
import type { FleetDb } from '../../db/fleetDb';
import type { Resource } from '../kustomize/types';
import { resIdOf } from '../kustomize/resid';
import { filesOf, type Context } from './contexts';
import type { FluxBuild, SelectResources } from './fluxBuild';
import { untouchedBy } from './dataOnlyInputs';

/** ConfigMaps, Secrets and Catalogs: what the values layers of a HelmRelease or App read by name. */
const VALUE_SOURCES: ReadonlySet<string> = new Set(['ConfigMap', 'Secret', 'Catalog']);

/**
 * What a hover on `file` needs of a folder's kustomize build: the resources the file wrote, the HelmReleases and
 * Apps among them or fed by the ConfigMaps/Secrets among them, and the value sources those read. Chosen on the
 * cached build (names before Flux's layers: a `${VAR}` name keeps every candidate), memoized per build and file.
 */
export function selectReachedBy(db: FleetDb, file: string): SelectResources {
  const selections = reachSelections(db);
  const select = (resources: readonly Resource[]): Resource[] => {
    const index = selections.getOrMake(resources, () => ({ byFile: new Map() }));
    const hit = index.byFile.get(file);
    if (hit) return hit;
    // A second file asking of the same build (hovers move between files): index it by file once.
    if (index.byFile.size && !index.writtenIn) indexByFile(db, resources, index);
    const touched = new Set(index.writtenIn ? index.writtenIn.get(file) : resources.filter((r) => filesOf(db, r).has(file)));
    const owners = new Set((index.owners ?? resources.filter(isValuesOwner)).filter((r) => touched.has(r) || feedsFrom(r, resources, touched)));
    const names = new Set([...owners].flatMap((o) => valuesSourceNames(o, resources)));
    const any = [...names].some((n) => n.includes('${'));
    const picked = resources.filter((r) => touched.has(r) || owners.has(r) || (VALUE_SOURCES.has(String(r.obj.kind)) && (any || names.has(nameOf(r)) || nameOf(r).includes('${'))));
    index.byFile.set(file, picked);
    return picked;
  };
  return Object.assign(select, { key: `reached-by:${file}`, fromWhole: true });
}

/** The table of the selections made of each build's resources (the one place that names it: dataPatch.ts carries it over). */
export function reachSelections(db: FleetDb) {
  return db.weak<readonly Resource[], ReachIndex>('reachSelection');
}

/** The selections made of one build's resources, by file; from the second file on, the resources by the files that wrote them. */
interface ReachIndex {
  byFile: Map<string, Resource[]>;
  writtenIn?: Map<string, Resource[]>;
  owners?: Resource[];
}
function indexByFile(db: FleetDb, resources: readonly Resource[], index: ReachIndex): void {
  const writtenIn = new Map<string, Resource[]>();
  for (const r of resources) {
    for (const f of filesOf(db, r)) {
      const list = writtenIn.get(f);
      if (list) list.push(r);
      else writtenIn.set(f, [r]);
    }
  }
  index.writtenIn = writtenIn;
  index.owners = resources.filter(isValuesOwner);
}

export function isValuesOwner(r: Resource): boolean {
  // The kind first: asked of every object of a build (an id made for each was most of a hover's garbage).
  const kind = r.obj.kind;
  return kind === 'HelmRelease' || (kind === 'App' && resIdOf(r.obj).group === 'application.giantswarm.io');
}

/** resIdOf(obj).name without making the id. */
function nameOf(r: Resource): string {
  const name = (r.obj.metadata as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}
/** Files whose partial builds a context keeps (hovering moves between a few files at a time). */
const PARTIALS_PER_CONTEXT = 4;

/** A context's build restricted to what a file can reach, cached with the context (the last few files). */
function partialBuild(fleet: Fleet, context: Context, file: string, only: SelectResources): FluxBuild {
  const byFile = fleet.db.weak<Context, Map<string, { version: number; build: FluxBuild }>>('reachPartial').getOrMake(context, () => new Map());
  let b = byFile.get(file);
  if (b) byFile.delete(file);
  // Contexts outlive edits: after one that touched nothing this build read, it is kept as it is; else ask again
  // (the same build comes back when its inputs did not change).
  // An edit of a generator input none of its objects hold leaves it as it is, whatever the folder build now needs.
  if (!b || !context.unchangedSince(b.build, b.version, (f) => untouchedBy(fleet.db, b!.build, f))) {
    b = { version: fleet.version, build: context.partial!(only) };
    if (byFile.size >= PARTIALS_PER_CONTEXT) byFile.delete(byFile.keys().next().value!);
  } else b.version = fleet.version;
  byFile.set(file, b);
  return b.build;
}

/**
 * Names of the ConfigMaps, Secrets and Catalog a HelmRelease's or App's values layers read; with `resources`, also
 * what an App's Catalog found among them reads (its `spec.config`, the lowest layer).
 */
export function valuesSourceNames(owner: Resource, resources?: readonly Resource[]): string[] {
  const spec = (owner.obj.spec ?? {}) as Record<string, unknown>;
  const names: string[] = [];
  const add = (x: unknown) => {
    if (x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string') names.push((x as { name: string }).name);
  };
  for (const e of Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []) add(e);
  for (const e of Array.isArray(spec.extraConfigs) ? spec.extraConfigs : []) add(e);
  for (const layer of ['config', 'userConfig']) {
    const l = spec[layer] as Record<string, unknown> | undefined;
    add(l?.configMap);
    add(l?.secret);
  }
  if (typeof spec.catalog === 'string') {
    names.push(spec.catalog);
    const catalog = resources?.find((r) => r.obj.kind === 'Catalog' && resIdOf(r.obj).name === spec.catalog);
    if (catalog) names.push(...valuesSourceNames(catalog));
  }
  return names;
}

/** A HelmRelease or App whose values come from one of the `touched` ConfigMaps/Secrets. */
export function feedsFrom(owner: Resource, resources: readonly Resource[], touched: Set<Resource>): boolean {
  // Asked of every release of a build: its names are read only when the file touched a ConfigMap or Secret.
  let names: string[] | undefined;
  for (const r of touched) {
    if (r.obj.kind !== 'ConfigMap' && r.obj.kind !== 'Secret') continue;
    names ??= valuesSourceNames(owner, resources);
    if (names.includes(nameOf(r))) return true;
  }
  return false;
}

/**
 * A context's build as far as `file` reaches (the whole build when the file is the Flux Kustomization's own: its
 * patches and substitutions reach everything), cached with the context for the last few files.
 */
export function buildReaching(fleet: Fleet, context: Context, file: string): FluxBuild {
  if (context.fact.owner.file === file || !context.partial) return context.build;
  return partialBuild(fleet, context, file, selectReachedBy(fleet.db, file));
}

/**
 * Whether `build`, what buildReaching gave for `file` at `version`, is what it would give now: the same test
 * buildReaching makes before reusing a build (an edit of a generator input none of a partial build's objects hold
 * leaves it as it is).
 */
export function reachingUnchangedSince(fleet: Fleet, context: Context, file: string, build: FluxBuild, version: number): boolean {
  if (context.fact.owner.file === file || !context.partial) return context.unchangedSince(build, version);
  return context.unchangedSince(build, version, (f) => untouchedBy(fleet.db, build, f));
}
