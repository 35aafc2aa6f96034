// A build's objects by kind and name: what valuesFrom and substituteFrom look up, asked per entry of every HelmRelease
// and every Flux Kustomization in every context. Build output is read-only, so the index is made once per resource
// list (db objectsByName) instead of a scan of the list (and an id made per object) at each lookup.
import type { Fleet } from '../model';
import type { JsonObject, Resource } from '../kustomize/types';

/**
 * The kinds the lookups ask for (valuesFrom and substituteFrom objects, a child's source in the tenant model): only
 * their objects are indexed. The index is kept as long as the build; a key and an entry for each object of every
 * kind were most of what a whole check promoted of it.
 */
const INDEXED_KINDS: ReadonlySet<string> = new Set(['ConfigMap', 'Secret', 'GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact']);

/**
 * The first object of `resources` (in order) with this kind and `metadata.name` (a name that is not a string reads as
 * '') that `test` accepts. Every lookup takes the first match of a test (its namespace), so the index keeps no list per
 * key: one Map per resource list from name (the object's own string: no key made) to its one object, or to its
 * objects of several (a ConfigMap and a Secret of one name) in order. A `kind\0name` key and a list per object were
 * 150 bytes of each indexed object of every build a whole check looked into, kept as long as the build.
 */
export function objectNamed(fleet: Fleet, resources: readonly Resource[], kind: string, name: string, test: (r: Resource) => boolean): Resource | undefined {
  if (!INDEXED_KINDS.has(kind)) {
    // Another kind (a copyFrom or substituteFrom naming one): the list scanned.
    return resources.find((r) => r.obj.kind === kind && metadataName(r.obj) === name && test(r));
  }
  const byName = fleet.db.weak<readonly Resource[], Map<string, Resource | Resource[]>>('objectsByName').getOrMake(resources, () => {
    const out = new Map<string, Resource | Resource[]>();
    for (const r of resources) {
      if (typeof r.obj.kind !== 'string' || !INDEXED_KINDS.has(r.obj.kind)) continue;
      const n = metadataName(r.obj);
      const cur = out.get(n);
      if (cur === undefined) out.set(n, r);
      else if (Array.isArray(cur)) cur.push(r);
      else out.set(n, [cur, r]);
    }
    return out;
  });
  const found = byName.get(name);
  if (found === undefined) return undefined;
  if (!Array.isArray(found)) return found.obj.kind === kind && test(found) ? found : undefined;
  for (const r of found) if (r.obj.kind === kind && test(r)) return r;
  return undefined;
}

/** resIdOf(obj).name without making the id. */
function metadataName(o: JsonObject): string {
  const meta = o.metadata;
  const name = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as JsonObject).name : undefined;
  return typeof name === 'string' ? name : '';
}
