// Resource identity and selection (patch `target:`, replacement `select:`), as kustomize matches them.
import type { JsonObject, ResId, Resource } from './types';
import { clusterScopedForKustomize, isClusterScopedForKustomize, maybeClusterScopedKind } from '../kube/kinds';
import { apiGroupOf, apiVersionOf } from '../kube/apiVersion';

export function resIdOf(obj: JsonObject): ResId {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const meta = (obj.metadata ?? {}) as JsonObject;
  return {
    group: apiGroupOf(apiVersion),
    version: apiVersionOf(apiVersion),
    kind: typeof obj.kind === 'string' ? obj.kind : '',
    namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined,
    name: typeof meta.name === 'string' ? meta.name : '',
  };
}

/** Cluster-scoped as kustomize sees it (its built-in OpenAPI data, by exact apiVersion; core/kube/kinds.ts): the
 *  namespace transformer leaves these alone and their ids have no namespace. (No id made: the namespace transformer
 *  asks this of every object of every level it runs at, and only a few kinds can be cluster-scoped.) */
export function isClusterScoped(obj: JsonObject): boolean {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  if (!maybeClusterScopedKind(kind)) return false;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  return clusterScopedForKustomize(apiGroupOf(apiVersion), apiVersionOf(apiVersion), kind);
}

/** The key kustomize refuses to see twice in one build: ResId.Equals compares group, version, kind, name and the
 *  effective namespace (none for a cluster-scoped kind; "" and "default" are the same). */
export function idKey(id: ResId): string {
  const namespace = isClusterScopedForKustomize(id) ? '' : id.namespace === undefined || id.namespace === '' ? 'default' : id.namespace;
  return `${id.group}|${id.version}|${id.kind}|${namespace}|${id.name}`;
}

/**
 * idKey(resIdOf(obj)), the same string, without the id made: every resource of every level of a build is keyed when
 * it is accumulated (its id object, and its group and version sliced out, were most of what accumulating allocated).
 */
export function idKeyOf(obj: JsonObject): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const meta = (obj.metadata ?? {}) as JsonObject;
  const name = typeof meta.name === 'string' ? meta.name : '';
  let namespace: string;
  if (maybeClusterScopedKind(kind) && clusterScopedForKustomize(apiGroupOf(apiVersion), apiVersionOf(apiVersion), kind)) namespace = '';
  else namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default';
  // `${group}|${version}`: the apiVersion with its first slash a bar (a core group's version after an empty group)
  const barred = apiVersion.replace('/', '|');
  return `${barred === apiVersion ? '|' + apiVersion : barred}|${kind}|${namespace}|${name}`;
}

/**
 * The resources of a build by id as kustomize compares them (ResId.Equals: group, version, kind, name and effective
 * namespace, as idKey spells them), without a key string per resource: by kind and name (the object's own strings,
 * hashed once by V8), the rest compared only among those of that kind and name (mostly none). Every resource of every
 * level of a build is added where it is accumulated and again after a namespace is set: idKeyOf's string per resource
 * was a tenth of a build's time.
 */
export class ResIds {
  private readonly byKind = new Map<string, Map<string, Resource | Resource[]>>();
  /** The resource added before with `r`'s id, if one was; else `r` is added. */
  addOrFind(r: Resource): Resource | undefined {
    const obj = r.obj;
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    const name = nameIn(obj);
    let byName = this.byKind.get(kind);
    if (byName === undefined) this.byKind.set(kind, (byName = new Map()));
    const had = byName.get(name);
    if (had === undefined) {
      byName.set(name, r);
      return undefined;
    }
    if (!Array.isArray(had)) {
      if (sameId(had.obj, obj)) return had;
      byName.set(name, [had, r]);
      return undefined;
    }
    for (let i = 0; i < had.length; i++) if (sameId(had[i].obj, obj)) return had[i];
    had.push(r);
    return undefined;
  }
  /** Adds `r`, in place of the one with its id if there is one. */
  put(r: Resource): void {
    const had = this.addOrFind(r);
    if (had === undefined) return;
    const byName = this.byKind.get(typeof r.obj.kind === 'string' ? r.obj.kind : '')!;
    const name = nameIn(r.obj);
    const at = byName.get(name)!;
    if (!Array.isArray(at)) byName.set(name, r);
    else at[at.indexOf(had)] = r;
  }
}

/** The name resIdOf reads. */
function nameIn(obj: JsonObject): string {
  const meta = (obj.metadata ?? {}) as JsonObject;
  return typeof meta.name === 'string' ? meta.name : '';
}

/** idKeyOf(a) === idKeyOf(b) for two objects of one name (ResIds: and kind), without the keys. */
function sameId(a: JsonObject, b: JsonObject): boolean {
  const kind = typeof a.kind === 'string' ? a.kind : '';
  if (kind !== (typeof b.kind === 'string' ? b.kind : '')) return false;
  const av = typeof a.apiVersion === 'string' ? a.apiVersion : '';
  const bv = typeof b.apiVersion === 'string' ? b.apiVersion : '';
  // (one group and version spelled two ways: `v1` and `/v1`)
  if (av !== bv && (apiGroupOf(av) !== apiGroupOf(bv) || apiVersionOf(av) !== apiVersionOf(bv))) return false;
  if (maybeClusterScopedKind(kind) && clusterScopedForKustomize(apiGroupOf(av), apiVersionOf(av), kind)) return true;
  return effectiveNamespace(a) === effectiveNamespace(b);
}

/** The namespace idKeyOf keys a namespaced object by ("default" for none). */
function effectiveNamespace(obj: JsonObject): string {
  const meta = (obj.metadata ?? {}) as JsonObject;
  return typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default';
}

export function describeId(id: ResId): string {
  return `${id.kind}${id.group ? '.' + id.group : ''} ${id.namespace ? id.namespace + '/' : ''}${id.name}`;
}

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** A selector field's pattern as kustomize matches it: the whole value, a regular expression (else the text itself). */
function anchoredMatcher(pattern: string): (value: string) => boolean {
  try {
    const re = new RegExp(`^(?:${pattern})$`);
    return (value) => re.test(value);
  } catch {
    return (value) => pattern === value;
  }
}

/** Kubernetes label selector syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
export function matchesLabelSelector(selector: string, labels: Record<string, unknown>): boolean {
  const parts = selector.match(/([^,(]+(\([^)]*\))?)/g) ?? [];
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(p))) {
      const has = Object.prototype.hasOwnProperty.call(labels, m[1]);
      const eq = has && String(labels[m[1]]) === m[3].trim();
      if (m[2] === '!=' ? eq : !eq) return false;
    } else if ((m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p))) {
      const values = m[3].split(',').map((v) => v.trim());
      const has = Object.prototype.hasOwnProperty.call(labels, m[1]);
      const inSet = has && values.includes(String(labels[m[1]]));
      if (m[2] === 'in' ? !inSet : inSet) return false;
    } else if (p.startsWith('!')) {
      if (Object.prototype.hasOwnProperty.call(labels, p.slice(1).trim())) return false;
    } else if (!Object.prototype.hasOwnProperty.call(labels, p)) return false;
  }
  return true;
}

/** Every value a field has had in the build (a prefix or namespace change keeps the old id selectable). */
export function previousValues(r: Resource, pointer: string, current: string | undefined): string[] {
  const out = new Set<string>();
  if (current !== undefined) out.add(current);
  for (const w of r.prov.get(pointer) ?? []) if (typeof w.value === 'string') out.add(w.value);
  return [...out];
}

export function selects(sel: Selector, r: Resource): boolean {
  return selector(sel)(r);
}

/**
 * `selects` for one selector over many resources: its patterns compiled once (a patch's target is tested against every
 * resource of the build; a regular expression made per resource and field was most of the test).
 */
export function selector(sel: Selector): (r: Resource) => boolean {
  const group = sel.group !== undefined ? anchoredMatcher(sel.group) : undefined;
  const version = sel.version !== undefined ? anchoredMatcher(sel.version) : undefined;
  const kind = sel.kind !== undefined ? anchoredMatcher(sel.kind) : undefined;
  const name = sel.name !== undefined ? anchoredMatcher(sel.name) : undefined;
  const namespace = sel.namespace !== undefined ? anchoredMatcher(sel.namespace) : undefined;
  return (r) => {
    const id = resIdOf(r.obj);
    if (group && !group(id.group)) return false;
    if (version && !version(id.version)) return false;
    if (kind && !kind(id.kind)) return false;
    // kustomize selects on the current id or any id the resource had before (names before a prefix, say).
    if (name && !previousValues(r, '/metadata/name', id.name).some(name)) return false;
    if (namespace && !previousValues(r, '/metadata/namespace', id.namespace ?? '').some(namespace)) return false;
    const meta = (r.obj.metadata ?? {}) as JsonObject;
    if (sel.labelSelector !== undefined && !matchesLabelSelector(sel.labelSelector, (meta.labels ?? {}) as Record<string, unknown>)) return false;
    if (sel.annotationSelector !== undefined && !matchesLabelSelector(sel.annotationSelector, (meta.annotations ?? {}) as Record<string, unknown>)) return false;
    return true;
  };
}
