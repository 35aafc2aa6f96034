// How the fleet lays things out, read from an existing example: add tenant and add app copy the nearest tenant or
// neighbouring app with its names changed, never a fixed template. This module holds what both need: names changed
// in paths and YAML text, the clusters (root contexts) an operation can name, and the kustomization entries that
// list a file or folder.
import type { Fleet } from '../model';
import type { Context } from '../evaluate/contexts';
import { distinctParts, linkName } from '../evaluate/contextId';
import { EVERY_CONTEXT, contextsToEvaluate } from '../evaluate/valueFindings';
import type { PathRef } from '../facts';
import { dirname, isInside, join, relative, resolvePath } from '../paths';

/** Names to change, `[from, to]`: whole tokens (bounded by anything but a letter or digit). */
export type Renames = ReadonlyArray<readonly [string, string]>;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `s` with every whole-token occurrence of a `from` replaced (longest first, one pass: a replacement is not replaced again). */
export function renameTokens(s: string, renames: Renames): string {
  const live = renames.filter(([from, to]) => from && from !== to);
  if (!live.length) return s;
  const sorted = [...live].sort((a, b) => b[0].length - a[0].length);
  const re = new RegExp(`(?<![A-Za-z0-9])(?:${sorted.map(([f]) => escape(f)).join('|')})(?![A-Za-z0-9])`, 'g');
  const to = new Map(sorted);
  return s.replace(re, (m) => to.get(m) ?? m);
}

/** A repository-relative path with names changed in each segment. */
export function renamePath(rel: string, renames: Renames): string {
  return rel
    .split('/')
    .map((seg) => renameTokens(seg, renames))
    .join('/');
}

const KEY_LINE = /^(\s*(?:-\s+)*)((?:"[^"]*"|'[^']*'|[^\s#'"-][^:#]*?|-[^\s:#][^:#]*?)):(?=\s|$)/;
const KEPT_KEYS: ReadonlySet<string> = new Set(['apiVersion', 'kind']);

/**
 * A YAML text with names changed where they are values: keys stay (a values key is not a name), and so do
 * `apiVersion` and `kind` (`apps/v1` is not the tenant `apps`). `exact` replaces whole strings first (a URL).
 */
export function renameInYaml(text: string, renames: Renames, exact: Renames = []): string {
  let out = text;
  for (const [from, to] of exact) if (from) out = out.split(from).join(to);
  return out
    .split('\n')
    .map((line) => {
      const m = KEY_LINE.exec(line);
      if (!m) return renameTokens(line, renames);
      const key = m[2].replace(/^["']|["']$/g, '');
      if (KEPT_KEYS.has(key)) return line;
      return line.slice(0, m[0].length) + renameTokens(line.slice(m[0].length), renames);
    })
    .join('\n');
}

/**
 * A cluster: the root contexts (root Kustomizations, FluxInstances) written in one folder — a bootstrapped cluster's
 * `flux-system/flux-system`, or the several roots a fleet without bootstrap files has there —, named by the part of
 * its folder that differs from the other clusters'.
 */
export interface Cluster {
  /** `prod`, `staging` (the folders' distinct part; the whole folder when that is ambiguous). */
  label: string;
  /** The roots' folder as contexts name it (`platform/clusters/prod/flux-system`). */
  rootFolder: string;
  roots: Context[];
}

/** Every context of the fleet (the operations read the whole fleet, like check). */
export function everyContext(fleet: Fleet): Context[] {
  return contextsToEvaluate(fleet, { strictSubstitution: true, maxContexts: EVERY_CONTEXT }).contexts;
}

export function clustersOf(contexts: Context[]): Cluster[] {
  // Keyed by the folder on disk: two repositories of one name (two clones side by side) name their roots' folders alike.
  const byFolder = new Map<string, Context[]>();
  for (const c of contexts) if (!c.parent) byFolder.set(dirname(c.fact.owner.file), [...(byFolder.get(dirname(c.fact.owner.file)) ?? []), c]);
  // Bootstrap puts every cluster's root in `<cluster>/flux-system`: the cluster is the folder above.
  const cluster = (f: string) => f.replace(/\/flux-system$/, '');
  const entries = [...byFolder].map(([disk, roots]) => ({ disk, roots, named: roots[0].id.root }));
  const folders = entries.map((e) => cluster(e.named));
  const parts = folders.length === 1 ? folders.map((f) => f.split('/').pop() ?? f) : distinctParts(folders);
  return entries.map((e, i) => {
    const unique = (xs: string[]) => !!xs[i] && xs.filter((x) => x === xs[i]).length === 1;
    // The shortest name that tells it apart: its distinct part, its folder as contexts name it, else its folder on disk.
    const label = unique(parts) ? parts[i] : unique(folders) ? folders[i] : cluster(e.disk);
    return { label, rootFolder: e.named, roots: e.roots };
  });
}

/**
 * The cluster `text` names: its folder on disk (absolute), its label (`prod`), its folder (`clusters/prod`, with or
 * without the repository and `/flux-system`), or a root's `NAMESPACE/NAME` when only one cluster has it.
 */
export function findCluster(clusters: Cluster[], text: string): Cluster | { refused: string } {
  const t = text.replace(/\/+$/, '');
  const folderMatches = (c: Cluster) => {
    const f = c.rootFolder;
    const noSystem = f.replace(/\/flux-system$/, '');
    return [f, noSystem].some((x) => x === t || x.endsWith('/' + t));
  };
  // An absolute folder (the Fleet view's node, a path on the command line): the folder holding a root's file, or above it.
  const onDisk = (c: Cluster) => t.startsWith('/') && c.roots.some((r) => [dirname(r.fact.owner.file), dirname(dirname(r.fact.owner.file))].includes(t));
  for (const test of [onDisk, (c: Cluster) => c.label === t, folderMatches, (c: Cluster) => c.roots.some((r) => linkName(r.id.chain[0]) === t)]) {
    const found = clusters.filter(test);
    if (found.length === 1) return found[0];
    if (found.length > 1) return { refused: `${text} names ${found.length} clusters (${found.map((c) => c.label).join(', ')}): name one by its folder` };
  }
  return { refused: `${text}: no such cluster (the clusters are ${clusters.map((c) => c.label).join(', ') || 'none'})` };
}

/** The cluster a context runs in: its root's. */
export function clusterOf(clusters: Cluster[], ctx: Context): Cluster | undefined {
  let c = ctx;
  while (c.parent) c = c.parent;
  return clusters.find((x) => x.roots.includes(c));
}

/** Roles of kustomization entries that put a file or folder into a build. */
const LISTING_ROLES: ReadonlySet<string> = new Set(['resources', 'bases', 'components', 'patches', 'patchesStrategicMerge']);

export interface ListingEntry {
  ref: PathRef;
  /** The file or folder the entry names. */
  target: string;
}

/** The kustomization entries (resources, components, patches…) that name `target` (a file or a folder). */
export function entriesNaming(fleet: Fleet, target: string): ListingEntry[] {
  const out: ListingEntry[] = [];
  for (const facts of fleet.facts.values()) {
    for (const ref of facts.kustomize?.paths ?? []) {
      if (!LISTING_ROLES.has(ref.role)) continue;
      const named = resolvePath(ref.baseDir, ref.value);
      if (named === target) out.push({ ref, target: named });
    }
  }
  return out;
}

/** A path written the way `like` writes paths (`./x` or `x`, a trailing `/` or not), relative to `from`. */
export function writtenLike(like: string, from: string, to: string): string {
  let rel = relative(from, to) || '.';
  if (like.startsWith('./') && !rel.startsWith('.')) rel = './' + rel;
  if (like.endsWith('/') && !rel.endsWith('/')) rel += '/';
  return rel;
}

/** The folder of a file or the folder itself, inside `root`, as a repository-relative path. */
export function repoRelative(root: string, p: string): string {
  return relative(root, p);
}

export { dirname, isInside, join, relative, resolvePath };
