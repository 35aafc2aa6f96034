// Printing a build the way `kubectl kustomize` does: kustomize's legacy kind order, keys sorted, one document per
// resource; optionally with a comment on each value naming the file and line that set it.
import { Document, isMap, isSeq, isScalar, type Node } from 'yaml';
import type { Json, Resource } from './types';
import { resIdOf } from './resid';
import { escapeSegment } from './provenance';
import { kustomizeOrderRank } from '../kube/kinds';

/** Gvk.String(): the core group, a missing version or kind sort as ~G, ~V, ~K (after every lowercase name). */
const gvkString = (id: { group: string; version: string; kind: string }) => `${id.group || '~G'}_${id.version || '~V'}_${id.kind || '~K'}`;
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** kustomize's legacy order: known kinds first and last, the rest by group/version/kind, then namespace and name. */
export function sortResources(resources: Resource[]): Resource[] {
  return [...resources].sort((a, b) => {
    const x = resIdOf(a.obj);
    const y = resIdOf(b.obj);
    return kustomizeOrderRank(x.kind) - kustomizeOrderRank(y.kind) || byteOrder(gvkString(x), gvkString(y)) || (x.namespace ?? '').localeCompare(y.namespace ?? '') || x.name.localeCompare(y.name);
  });
}

export function printResources(resources: Resource[], where?: (r: Resource, pointer: string) => string | undefined): string {
  return sortResources(resources)
    .map((r) => {
      const doc = new Document(r.obj as Json, { sortMapEntries: true });
      if (where) annotate(doc.contents as Node, '', (pointer) => where(r, pointer));
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

function annotate(node: Node | null, pointer: string, where: (pointer: string) => string | undefined): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const p = `${pointer}/${escapeSegment(key)}`;
      const value = pair.value as Node | null;
      if (isScalar(value)) {
        const w = where(p);
        if (w) value.comment = ` ${w}`;
      } else annotate(value, p, where);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const p = `${pointer}/${i}`;
      if (isScalar(item)) {
        const w = where(p);
        if (w) item.comment = ` ${w}`;
      } else annotate(item as Node, p, where);
    });
  }
}
