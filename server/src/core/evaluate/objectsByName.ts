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

/** The objects of `resources` with this kind and `metadata.name` (a name that is not a string reads as ''), in order. */
export function objectsNamed(fleet: Fleet, resources: readonly Resource[], kind: string, name: string): readonly Resource[] {
  if (!INDEXED_KINDS.has(kind)) {
    // Another kind (a copyFrom or substituteFrom naming one): the list scanned.
    const found = resources.filter((r) => r.obj.kind === kind && metadataName(r.obj) === name);
    return found.length ? found : NONE;
  }
  const byName = fleet.db.weak<readonly Resource[], Map<string, Resource[]>>('objectsByName').getOrMake(resources, () => {
    const out = new Map<string, Resource[]>();
    for (const r of resources) {
      if (typeof r.obj.kind !== 'string' || !INDEXED_KINDS.has(r.obj.kind)) continue;
      const key = `${r.obj.kind}\0${metadataName(r.obj)}`;
      const list = out.get(key);
      if (list) list.push(r);
      else out.set(key, [r]);
    }
    return out;
  });
  return byName.get(`${kind}\0${name}`) ?? NONE;
}

const NONE: readonly Resource[] = Object.freeze([]);

/** resIdOf(obj).name without making the id. */
function metadataName(o: JsonObject): string {
  const meta = o.metadata;
  const name = meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as JsonObject).name : undefined;
  return typeof name === 'string' ? name : '';
}
