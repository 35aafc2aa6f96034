// kustomize's built-in transformers that write fixed fields: namespace, name prefix/suffix, labels, annotations,
// images, replicas. Each write records its provenance (the kustomization line that caused it).
import { isJsonObject, type Json, type JsonObject, type Provenance, type Resource } from './types';
import { COMMON_ANNOTATIONS, COMMON_LABELS, METADATA_LABELS, REPLICAS, specApplies, visitField, type FieldSpec } from './fieldSpecs';
import { describeId, isClusterScoped, previousValues, resIdOf, ResIds } from './resid';
import { BuildError } from './buildError';
import { keepsNameUnderPrefix } from '../kube/kinds';
import { NAMESPACE_SERVICE_FIELDS } from '../kube/namespaceFields';
import { appended, escapeSegment, internPointer, provenanceWrite, type ProvenanceWrite } from './provenance';

const isMap = isJsonObject;
const metadataOf = (obj: JsonObject) => obj.metadata as JsonObject;

/**
 * The write of one value by one step, made once for every object the step writes it into, with its stacks: kept
 * builds hold them (a tenant overlay's namespace on each object of its bases: a write and a stack of its own per
 * object were about 150 bytes of each). Sharing is safe as stacks are copy-on-write and writes never change.
 */
export interface SharedWrite {
  (): ProvenanceWrite;
  /** The stack of that write alone. */
  lone(): ProvenanceWrite[];
  /**
   * `stack` with that write on top: the same array for objects whose stacks were one array (an overlay setting the
   * namespace its base set already: each object's stack over the base's one shared stack).
   */
  over(stack: readonly ProvenanceWrite[]): ProvenanceWrite[];
}

export function sharedWrite(p: Provenance, value: Json): SharedWrite {
  let write: ProvenanceWrite | undefined;
  let lone: ProvenanceWrite[] | undefined;
  let under: readonly ProvenanceWrite[] | undefined;
  let over: ProvenanceWrite[] | undefined;
  const made = () => (write ??= provenanceWrite(p, value));
  return Object.assign(made, {
    lone: () => (lone ??= [made()]),
    over: (stack: readonly ProvenanceWrite[]) => {
      // (a one-write stack of a compact map is a new array at each read: the same write is the same stack)
      if (stack !== under && !(stack.length === 1 && under?.length === 1 && stack[0] === under[0])) {
        under = stack;
        over = appended(stack, made());
      }
      return over!;
    },
  });
}

/** Records the write of `value` at `pointer` by `p` (`shared`: that write made once for all the objects it goes to). */
export function writeProvenance(r: Resource, pointer: string, value: Json, p: Provenance, shared?: SharedWrite): void {
  writeAt(r, internPointer(pointer), value, p, shared);
}

/** writeProvenance at a pointer interned already (a literal, or internPointer's): the namespace transformer writes
 *  `/metadata/namespace` into every object of every level it runs at, and internPointer makes an object per call. */
function writeAt(r: Resource, pointer: string, value: Json, p: Provenance, shared?: SharedWrite): void {
  // A write replaces whatever was below this pointer. A leaf holding a scalar has nothing below it: no scan of every
  // pointer then (substituting 20,000 variables in one object would be quadratic).
  const stack = r.prov.get(pointer);
  const last = stack?.[stack.length - 1]?.value;
  // (forEach, not keys(): a copy of a kept map (ProvenanceCopy) gives its keys by a generator, an object per key; the
  // namespace of every object of a base is such a write. The keys below are few: deleted after the walk.)
  if (!stack || (last !== null && typeof last === 'object')) {
    const below = pointer + '/';
    let under: string[] | undefined;
    r.prov.forEach((_, k) => {
      if (k.startsWith(below)) (under ??= []).push(k);
    });
    if (under) for (const k of under) r.prov.delete(k);
  }
  // copy-on-write: stacks may be shared between copies (and a shared write's stacks between objects)
  if (shared) r.prov.set(pointer, stack ? shared.over(stack) : shared.lone());
  else {
    const entry = provenanceWrite(p, value);
    r.prov.set(pointer, stack ? appended(stack, entry) : [entry]);
  }
}


/** How a build that shares objects with kept ones makes one its own before the namespace transformer writes it. */
export interface NamespaceOwner {
  /** Before the object changes. */
  own(r: Resource): void;
  /** Before only its `metadata` map changes (and its provenance): the rest of the object may stay shared. */
  ownMetadata(r: Resource): void;
  /** Before only its provenance changes (the object holds the namespace already: the write is still recorded). */
  ownProvenance(r: Resource): void;
}

/**
 * kustomize's namespace transformer. Returns the ids that collide after it (kustomize then fails with "namespace
 * transformation produces ID conflict"), e.g. two Namespace objects renamed to the same namespace.
 */
export function setNamespace(resources: Resource[], namespace: string, p: Provenance, owner?: NamespaceOwner): Array<[Resource, Resource]> {
  const write = sharedWrite(p, namespace);
  /**
   * Sets `key` of the map `at` finds in the resource's object to the namespace and records the write. A shared object
   * is owned first: only its provenance when it holds the namespace there already, else the object too (`at` reads
   * the object after owning, which replaces it). `pointer`: interned (internPointer), a literal or not.
   */
  const set = (r: Resource, at: (obj: JsonObject) => JsonObject, key: string, pointer: string): void => {
    if (owner) {
      if (at(r.obj)[key] === namespace) owner.ownProvenance(r);
      else if (at === metadataOf) owner.ownMetadata(r);
      else owner.own(r);
    }
    at(r.obj)[key] = namespace;
    writeAt(r, pointer, namespace, p, write);
  };
  for (const r of resources) {
    if (owner && !isMap(r.obj.metadata)) owner.own(r); // (its metadata is made below)
    r.obj.metadata ??= {};
    if (r.obj.kind === 'Namespace') {
      // kustomize's field specs (`metadata/name`, kind Namespace, create) name Namespace objects after the namespace:
      // a placeholder `Namespace _` becomes the kustomization's namespace.
      set(r, metadataOf, 'name', '/metadata/name');
    }
    if (isClusterScoped(r.obj)) continue;
    set(r, metadataOf, 'namespace', '/metadata/namespace');
  }
  // (each spec names its kind: compared first, as specApplies makes an id of every object of every level it asks about)
  for (const r of resources) for (const fs of NAMESPACE_SERVICE_FIELDS) if (fs.kind === r.obj.kind && specApplies(fs, r)) setServiceNamespace(r, fs, set, owner);
  // RoleBinding / ClusterRoleBinding subjects: the transformer itself sets only those named `default`, of any kind
  // (kustomize's roleBindingHack). A subject naming a ServiceAccount of the build follows it through the name
  // references (nameReference.ts); any other keeps its namespace, or its lack of one.
  for (const r of resources) {
    const kind = r.obj.kind;
    if (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') continue;
    const subjects = r.obj.subjects;
    if (!Array.isArray(subjects)) continue;
    subjects.forEach((s, i) => {
      if (!isMap(s) || s.name !== 'default') return;
      set(r, (obj) => (obj.subjects as Json[])[i] as JsonObject, 'namespace', internPointer(`/subjects/${i}/namespace`));
    });
  }
  const seen = new ResIds();
  const conflicts: Array<[Resource, Resource]> = [];
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    const first = seen.addOrFind(r);
    if (first) conflicts.push([first, r]);
  }
  return conflicts;
}

/**
 * One of NAMESPACE_SERVICE_FIELDS, walked as kustomize's field spec filter walks it (api/filters/fieldspec): a list on
 * the way applies the rest of the path to each item, a null there ends the walk (or, where the spec says `create`,
 * is made a map, as a missing field is); the field found is set even when null. A value other than a map or a list on
 * the way, or a map or list where the namespace goes, fails kustomize's build: thrown before the object changes.
 */
function setServiceNamespace(r: Resource, fs: FieldSpec, set: (r: Resource, at: (obj: JsonObject) => JsonObject, key: string, pointer: string) => void, owner?: NamespaceOwner): void {
  const path = fs.path.split('/');
  const targets: Array<Array<string | number>> = [];
  let makes = false;
  const fail = (what: string, problem: string) => new BuildError(`${what}: considering field '${fs.path}' of object ${describeId(resIdOf(r.obj))}: ${problem}`, r.origin.file, r.origin.span);
  // Read only: the way to each map whose last key is set (a missing or null map met where the spec creates counts
  // as an empty one, made below).
  const walk = (node: Json | undefined, at: number, way: Array<string | number>): void => {
    if (node === undefined || node === null) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, at, [...way, i]));
      return;
    }
    if (!isJsonObject(node)) throw fail('namespace transformation failed', 'expected sequence or mapping node');
    const key = path[at];
    const next = node[key];
    if (at === path.length - 1) {
      if (next === undefined && !fs.create) return;
      if (next !== undefined && next !== null && typeof next === 'object') throw fail('namespace field specs must target scalar nodes', `wrong node kind: expected ScalarNode but got ${Array.isArray(next) ? 'SequenceNode' : 'MappingNode'}`);
      targets.push(way);
      return;
    }
    if ((next === undefined || next === null) && fs.create) {
      makes = true;
      walk({}, at + 1, [...way, key]);
      return;
    }
    walk(next, at + 1, [...way, key]);
  };
  walk(r.obj, 0, []);
  if (!targets.length) return;
  if (makes) {
    owner?.own(r);
    for (const way of targets) {
      let node = r.obj as Json;
      for (const seg of way) {
        const parent = node as Record<string | number, Json>;
        if (parent[seg] === undefined || parent[seg] === null) parent[seg] = {};
        node = parent[seg];
      }
    }
  }
  const key = path[path.length - 1];
  for (const way of targets) {
    const at = (obj: JsonObject): JsonObject => way.reduce<Json>((node, seg) => (node as Record<string | number, Json>)[seg], obj) as JsonObject;
    set(r, at, key, internPointer(`/${[...way, key].map(escapeSegment).join('/')}`));
  }
}

export interface Rename {
  kind: string;
  group: string;
  namespace?: string;
  oldName: string;
  newName: string;
  /** The object renamed. */
  resource: Resource;
}

export function addNamePrefixSuffix(resources: Resource[], prefix: string, suffix: string, p: Provenance): Rename[] {
  const renames: Rename[] = [];
  for (const r of resources) {
    const id = resIdOf(r.obj);
    if (keepsNameUnderPrefix(id.group, id.kind)) continue;
    const meta = ((r.obj.metadata ??= {}) as JsonObject);
    const newName = prefix + id.name + suffix;
    meta.name = newName;
    writeProvenance(r, '/metadata/name', newName, p);
    renames.push({ kind: id.kind, group: id.group, namespace: id.namespace, oldName: id.name, newName, resource: r });
  }
  return renames;
}

function setMapEntries(r: Resource, specs: FieldSpec[], entries: Record<string, string>, p: (key: string) => Provenance): void {
  for (const fs of specs) {
    if (!specApplies(fs, r)) continue;
    visitField(r, fs, (parent, key, pointer) => {
      let map = parent[key];
      if (map === undefined || map === null) {
        if (!fs.create) return;
        map = parent[key] = {};
      }
      if (typeof map !== 'object' || Array.isArray(map)) return;
      for (const [k, v] of Object.entries(entries)) {
        (map as JsonObject)[k] = v;
        writeProvenance(r, `${pointer}/${escapeSegment(k)}`, v, p(k));
      }
    });
  }
}

export interface LabelsOptions {
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

export function addLabels(resources: Resource[], labels: Record<string, string>, opts: LabelsOptions, p: (key: string) => Provenance): void {
  const specs = opts.includeSelectors ? COMMON_LABELS : opts.includeTemplates ? METADATA_LABELS : [{ path: 'metadata/labels', create: true }];
  const all = [...specs, ...(opts.fields ?? [])];
  for (const r of resources) setMapEntries(r, dedupeSpecs(all), labels, p);
}

export function addAnnotations(resources: Resource[], annotations: Record<string, string>, p: (key: string) => Provenance): void {
  for (const r of resources) setMapEntries(r, COMMON_ANNOTATIONS, annotations, p);
}

/** The same path listed twice (e.g. metadata/labels for every kind and for one kind) is applied once. */
function dedupeSpecs(specs: FieldSpec[]): FieldSpec[] {
  const seen = new Set<string>();
  return specs.filter((s) => {
    const k = `${s.path}|${s.kind ?? ''}|${s.group ?? ''}|${s.version ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface ImageSpec {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Splits `registry/name:tag@digest` into name, tag and digest (a registry port is not a tag). */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/** Every `containers`/`initContainers` list, at any depth (kustomize's image transformer does the same). */
function visitContainers(node: Json, pointer: string, visit: (container: JsonObject, pointer: string) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => visitContainers(item, `${pointer}/${i}`, visit));
    return;
  }
  for (const [k, v] of Object.entries(node)) {
    const p = `${pointer}/${escapeSegment(k)}`;
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
      v.forEach((c, i) => {
        if (c && typeof c === 'object' && !Array.isArray(c)) visit(c as JsonObject, `${p}/${i}`);
      });
    } else visitContainers(v, p, visit);
  }
}

export function setImages(resources: Resource[], images: ImageSpec[], p: (index: number) => Provenance): void {
  for (const r of resources) {
    visitContainers(r.obj, '', (container, pointer) => {
      if (typeof container.image !== 'string') return;
      const current = parseImage(container.image);
      images.forEach((spec, i) => {
        if (current.name !== spec.name) return;
        // A new tag drops the old digest and a new digest the old tag; both given print as name:tag@digest.
        const tag = spec.newTag ?? (spec.digest ? undefined : current.tag);
        const digest = spec.digest ?? (spec.newTag ? undefined : current.digest);
        const image = (spec.newName ?? current.name) + (tag ? ':' + tag : '') + (digest ? '@' + digest : '');
        container.image = image;
        writeProvenance(r, `${pointer}/image`, image, p(i));
      });
    });
  }
}

/** Sets replica counts; returns the names no workload answers to (kustomize fails the build on those). */
export function setReplicas(resources: Resource[], replicas: Array<{ name: string; count: number }>, p: (index: number) => Provenance): string[] {
  const unmatched: string[] = [];
  replicas.forEach((rep, i) => {
    let matched = false;
    for (const r of resources) {
      if (!previousValues(r, '/metadata/name', resIdOf(r.obj).name).includes(rep.name)) continue;
      for (const fs of REPLICAS) {
        if (!specApplies(fs, r)) continue;
        visitField(r, fs, (parent, key, pointer) => {
          matched = true;
          parent[key] = rep.count;
          writeProvenance(r, pointer, rep.count, p(i));
        });
      }
    }
    if (!matched) unmatched.push(rep.name);
  });
  return unmatched;
}
