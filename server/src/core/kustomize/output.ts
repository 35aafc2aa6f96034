// Printing a build the way `kubectl kustomize` does: kustomize's legacy kind order, keys sorted, one document per
// resource; optionally with a comment on each value naming the file and line that set it.
import type { Resource } from './types';
import { resIdOf } from './resid';
import { kustomizeOrderRank } from '../kube/kinds';
import { goYamlDocument } from './goYamlEmit';

const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** kustomize's Gvk.String(): absent parts as `~G`, `~V`, `~K` (so the core group sorts after every named one). */
const gvkString = (id: { group: string; version: string; kind: string }) => `${id.group || '~G'}_${id.version || '~V'}_${id.kind || '~K'}`;

/**
 * kustomize's legacy order: known kinds first and last, the rest by group_version_kind, then namespace (none sorts
 * last, as `~X`) and name, compared byte by byte.
 */
export function sortResources(resources: Resource[]): Resource[] {
  return [...resources].sort((a, b) => {
    const x = resIdOf(a.obj);
    const y = resIdOf(b.obj);
    return (
      kustomizeOrderRank(x.kind) - kustomizeOrderRank(y.kind) ||
      byBytes(gvkString(x), gvkString(y)) ||
      byBytes(x.namespace || '~X', y.namespace || '~X') ||
      byBytes(x.name, y.name)
    );
  });
}

/** The resources as `kubectl kustomize` prints them; `where` adds a comment to each scalar leaf (provenance). */
export function printResources(resources: Resource[], where?: (r: Resource, pointer: string) => string | undefined): string {
  return sortResources(resources)
    .map((r) => goYamlDocument(r.obj, where && ((pointer) => where(r, pointer))))
    .join('---\n');
}
