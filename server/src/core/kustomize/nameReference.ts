// kustomize's name reference transformer (api/filters/nameref + api/internal/accumulator/namereferencetransformer.go,
// kustomize v5.5.0): when objects are renamed (namePrefix/nameSuffix, hash suffix, namespace changes …), every
// field that refers to them by name is rewritten, with a provenance write (layer 'nameReference') per field.
//
// Semantics reproduced from kustomize:
//   - Referrers: every resource whose apiVersion/kind is selected by a fieldSpec of the default configuration
//     (DEFAULT_NAME_REFERENCE_YAML, copied verbatim from kustomize v5.5.0's builtin configuration) or of the
//     user's `configurations:` files (their `nameReference:` entries; other sections are ignored).
//   - Paths: `/`-separated, `\/` escapes a slash; a list met on the way applies the rest of the path to each item;
//     a missing field is skipped (never created). The field found may be a string (the name), a map with `name`
//     (and maybe `namespace`: RoleBinding subjects, webhook clientConfig.service) or a list of either.
//   - Candidates: only renamed objects (one per distinct final identity in `renames`). A candidate matches a
//     referring value when one of its previous names equals it, one of its previous ids is of the target
//     kind/group/version, (for roleRef/name) it is of roleRef's kind and apiGroup, and it is in the referrer's
//     namespace — unless the referrer or the candidate is cluster-scoped, or the candidate is a ServiceAccount.
//     A namespaced referrer only sees candidates in its namespace, cluster-scoped ones, and — for a RoleBinding —
//     those in the namespaces its ServiceAccount subjects name. A map carrying `namespace` narrows the candidates
//     to those originally in that namespace (else currently in it). "" and "default" are the same namespace.
//   - Several matches: those with the referrer's prefixes/suffixes are preferred (when `affixesOf` is given; an empty
//     list fits any, unless several still fit: then the lists must end alike);
//     still several and not all with the same new name (and namespace, for maps) → kustomize's error.
//   - A map reference gets the new name, and the candidate's namespace when it has one.
// Cluster scope is kustomize's: its built-in OpenAPI data (Kubernetes 1.21), so unknown kinds are namespaced
// (core/kube/kinds.ts); the default configuration is core/kube/builtinNameReferences.ts.
import { parse } from 'yaml';
import { isJsonObject, type BuildIssue, type Json, type JsonObject, type Provenance, type Resource } from './types';
import { appended, escapeSegment, internPointer } from './provenance';
import { defaultNameReferences, nameReferencesFromConfig, type NameBackReference, type NameRefFieldSpec } from '../kube/builtinNameReferences';
import { isClusterScopedForKustomize } from '../kube/kinds';
import { isClusterScoped } from './resid';
import { stepLayer } from '../layer';
import { apiGroupOf, apiVersionOf, inApiGroup } from '../kube/apiVersion';

export { defaultNameReferences, nameReferencesFromConfig, DEFAULT_NAME_REFERENCE_YAML } from '../kube/builtinNameReferences';
export type { NameBackReference, NameRefFieldSpec } from '../kube/builtinNameReferences';
export { isClusterScopedForKustomize } from '../kube/kinds';

/** A `configurations:` file as parsed YAML (only `nameReference` is used here). */
export interface NameReferenceConfig {
  nameReference?: NameBackReference[];
}

/** An object whose id changed. Several entries with the same final identity (kind, group, newName, namespace)
 *  are one object with several previous names. A chain (a→b, b→c) where no object is currently named b is
 *  followed to its end (c). Namespace-only changes are renames with oldName === newName. */
export interface Rename {
  kind: string;
  /** API group, '' (or missing) for the core group. */
  group?: string;
  /** API version, when known (a nameReference target like `version: v1` is matched leniently without it). */
  version?: string;
  oldName: string;
  newName: string;
  /** The object's current namespace ('' / undefined: none, i.e. "default" for a namespaced kind). */
  namespace?: string;
  /** Its namespace before the change ('' = none; default: `namespace`); decides map references that carry a
   *  namespace (RoleBinding subjects, webhook services). Pass it for namespace changes. */
  oldNamespace?: string;
  /** Recorded as the origin of the rewritten fields when the renamed object is not in `resources`. */
  provenance?: Provenance;
}

export interface NameReferenceOptions {
  /** kustomize prefers, among several objects renamed from the same name, the ones with the referrer's
   *  prefixes and suffixes (innermost first, as kustomize records them). Without it, that tie-break is skipped. */
  affixesOf?: (resource: Resource) => { prefixes: string[]; suffixes: string[] };
  /**
   * Referrers a build shares with a kept one (their objects must not change): `own` copies one, called at its first
   * rewrite (a field holding a previous name mostly names the object as it is now: a namespace-only rename).
   */
  shared?: { has(resource: Resource): boolean; own(resource: Resource): void };
}

export interface NameReferenceUpdate {
  resource: Resource;
  /** JSON pointer of the rewritten field (a name, or the namespace beside it). */
  pointer: string;
  from: Json;
  to: string;
}

export interface NameReferenceResult {
  updates: NameReferenceUpdate[];
  issues: BuildIssue[];
}

// ---------------------------------------------------------------------------------------------------------------

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const isMap = isJsonObject;

function gvkOf(obj: JsonObject): Gvk {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  return {
    group: apiGroupOf(apiVersion),
    version: apiVersionOf(apiVersion),
    kind: typeof obj.kind === 'string' ? obj.kind : '',
  };
}

/** resid.Gvk.IsSelected; `lenientVersion` when x's version is unknown. */
function isSelected(x: Gvk, sel: { group?: string; version?: string; kind?: string }, lenientVersion = false): boolean {
  if (sel.group && x.group !== sel.group) return false;
  if (sel.version && x.version !== sel.version && !(lenientVersion && x.version === '')) return false;
  if (sel.kind && x.kind !== sel.kind) return false;
  return true;
}

/** Whether one of `ids` (one, or a list) is selected by `sel` (`lenientVersion`: an id without a version is selected
 *  by any; no closure per candidate of every field a referrer visits). */
function someSelected(ids: Gvk | ReadonlyArray<Gvk>, sel: { group?: string; version?: string; kind?: string }, lenientVersion: boolean): boolean {
  if (!Array.isArray(ids)) return isSelected(ids as Gvk, sel, lenientVersion && (ids as Gvk).version === '');
  for (let i = 0; i < ids.length; i++) if (isSelected(ids[i], sel, lenientVersion && ids[i].version === '')) return true;
  return false;
}

const effectiveNs = (ns: string | undefined): string => (ns === undefined || ns === '' || ns === 'default' ? 'default' : ns);

/** kustomize's PathSplitter: `/` separates, `\/` is a literal slash. */
export function splitFieldPath(p: string): string[] {
  const parts = p.split('/');
  const out = [parts[0]];
  for (let i = 1; i < parts.length; i++) {
    const last = out.length - 1;
    if (out[last].endsWith('\\')) out[last] = out[last].slice(0, -1) + '/' + parts[i];
    else out.push(parts[i]);
  }
  return out;
}

const esc = escapeSegment;

/** kustomize's config merge: entries for the same referred gvk share one de-duplicated fieldSpecs list. */
function mergeConfigs(lists: ReadonlyArray<readonly NameBackReference[]>): NameBackReference[] {
  const byGvk = new Map<string, NameBackReference>();
  for (const list of lists) {
    for (const br of list) {
      const key = `${br.group ?? ''}|${br.version ?? ''}|${br.kind ?? ''}`;
      let into = byGvk.get(key);
      if (!into) byGvk.set(key, (into = { group: br.group, version: br.version, kind: br.kind, fieldSpecs: [] }));
      for (const fs of br.fieldSpecs) {
        const dup = into.fieldSpecs.some((x) => x.path === fs.path && (x.group ?? '') === (fs.group ?? '') && (x.version ?? '') === (fs.version ?? '') && (x.kind ?? '') === (fs.kind ?? ''));
        if (!dup) into.fieldSpecs.push(fs);
      }
    }
  }
  return [...byGvk.values()];
}

/** An id a candidate had before its renames. */
type PrevId = Gvk & { name: string };

/**
 * A renamed object as a referrer's field may name it. Kept while the call visits every referrer of the build (a
 * namespace renames every object: a candidate per object, alive across scavenges): its kind alone, not its Gvk; its
 * previous id itself, a list only once a second one comes.
 */
interface Candidate {
  kind: string;
  name: string;
  namespace: string;
  clusterScoped: boolean;
  prevIds: PrevId | PrevId[];
  /** Effective namespace of the first previous id (kustomize's OrgId). */
  orgNs: string;
  resource?: Resource;
  provenance?: Provenance;
}

/** groupOf(obj) === group, without the group sliced out of the apiVersion (each object of a name, for each rename). */
function inGroup(obj: JsonObject, group: string): boolean {
  return typeof obj.apiVersion === 'string' ? inApiGroup(obj.apiVersion, group) : group === '';
}

/** gvkOf(obj).group, without the Gvk. */
function groupOf(obj: JsonObject): string {
  return typeof obj.apiVersion === 'string' ? apiGroupOf(obj.apiVersion) : '';
}

function metaOf(obj: JsonObject): JsonObject {
  return isMap(obj.metadata) ? obj.metadata : {};
}
const nameOf = (obj: JsonObject) => {
  const name = metaOf(obj).name;
  return typeof name === 'string' ? name : '';
};
const nsOf = (obj: JsonObject) => {
  const namespace = metaOf(obj).namespace;
  return typeof namespace === 'string' ? namespace : '';
};

/** How many resources of one name buildCandidates walks through; beyond, it looks them up by id. */
const SCAN_LIMIT = 8;

function buildCandidates(resources: Resource[], renames: Rename[]): Candidate[] {
  // The resources by name, each name's in order (its first, then `next` along): the first resource with a kind,
  // group, name and effective namespace is found among those of its name. A key string made and a Gvk allocated per
  // resource of every build with a rename (a namespace renames every object) was most of this function's time.
  const first = new Map<string, number>();
  const next = new Int32Array(resources.length).fill(-1);
  /** By a name's first index: its last so far, and how many resources have the name. */
  const tail = new Int32Array(resources.length);
  const count = new Int32Array(resources.length);
  for (let i = 0; i < resources.length; i++) {
    const name = nameOf(resources[i].obj);
    const f = first.get(name);
    if (f === undefined) {
      first.set(name, i);
      tail[i] = i;
      count[i] = 1;
    } else {
      next[tail[f]] = i;
      tail[f] = i;
      count[f]++;
    }
  }
  const idOf = (obj: JsonObject) => `${typeof obj.kind === 'string' ? obj.kind : ''}\0${groupOf(obj)}\0${effectiveNs(nsOf(obj))}`;
  /** A name many resources share (one per namespace of a platform's tenants): its first of each id, made when asked. */
  const shared = new Map<number, Map<string, Resource>>();
  const current = (kind: string, group: string, name: string, ns: string | undefined): Resource | undefined => {
    const want = effectiveNs(ns);
    const f = first.get(name) ?? -1;
    if (f >= 0 && count[f] > SCAN_LIMIT) {
      // (a walk along the name per rename was quadratic there: every object of a build with a prefix is renamed)
      let byId = shared.get(f);
      if (!byId) {
        shared.set(f, (byId = new Map()));
        for (let i = f; i >= 0; i = next[i]) {
          const id = idOf(resources[i].obj);
          if (!byId.has(id)) byId.set(id, resources[i]);
        }
      }
      return byId.get(`${kind}\0${group}\0${want}`);
    }
    for (let i = f; i >= 0; i = next[i]) {
      const obj = resources[i].obj;
      if ((typeof obj.kind === 'string' ? obj.kind : '') === kind && inGroup(obj, group) && effectiveNs(nsOf(obj)) === want) return resources[i];
    }
    return undefined;
  };
  // A candidate per final identity: the object found (the first of its id: the same object for the same id), else the
  // identity as a key (one that no object has, so no object's candidate shares it).
  const byKey = new Map<Resource | string, Candidate>();
  for (let i = 0; i < renames.length; i++) {
    const rn = renames[i];
    const group = rn.group ?? '';
    // Follow a chain to the object's current name.
    let finalName = rn.newName;
    let resource = current(rn.kind, group, finalName, rn.namespace);
    if (!resource) {
      const seen = new Set<Rename>([rn]);
      for (;;) {
        const next = renames.find((x) => !seen.has(x) && x.kind === rn.kind && (x.group ?? '') === group && x.oldName === finalName && effectiveNs(x.oldNamespace ?? x.namespace) === effectiveNs(rn.namespace));
        if (!next) break;
        seen.add(next);
        finalName = next.newName;
        resource = current(rn.kind, group, finalName, rn.namespace);
        if (resource) break;
      }
    }
    const gvk: Gvk = resource ? gvkOf(resource.obj) : { group, version: rn.version ?? '', kind: rn.kind };
    const namespace = resource ? nsOf(resource.obj) : rn.namespace ?? '';
    const key = resource ?? `${gvk.group}|${gvk.kind}|${finalName}|${effectiveNs(namespace)}`;
    const c = byKey.get(key);
    if (!c) {
      const clusterScoped = isClusterScopedForKustomize(gvk);
      const prevId: PrevId = { group, version: rn.version ?? gvk.version, kind: rn.kind, name: rn.oldName };
      byKey.set(key, { kind: gvk.kind, name: finalName, namespace, clusterScoped, prevIds: prevId, orgNs: clusterScoped ? '' : effectiveNs(rn.oldNamespace ?? rn.namespace), resource, provenance: rn.provenance });
    } else {
      const ids = c.prevIds;
      if (Array.isArray(ids) ? ids.some((p) => p.name === rn.oldName) : ids.name === rn.oldName) continue;
      const prevId: PrevId = { group, version: rn.version ?? gvk.version, kind: rn.kind, name: rn.oldName };
      c.prevIds = Array.isArray(ids) ? [...ids, prevId] : [ids, prevId];
    }
  }
  return [...byKey.values()];
}

const NO_AFFIXES = { prefixes: [], suffixes: [] };

/**
 * kustomize's Resource.PrefixesSuffixesEquals: the prefixes end alike and the suffixes end alike; `allowEmpty`: an
 * empty list (on either side) fits any.
 */
function sameAffixes(a: { prefixes: string[]; suffixes: string[] }, b: { prefixes: string[]; suffixes: string[] }, allowEmpty: boolean): boolean {
  const fits = (x: string[], y: string[]) => (allowEmpty && (x.length === 0 || y.length === 0)) || sameEnding(x, y);
  return fits(a.prefixes, b.prefixes) && fits(a.suffixes, b.suffixes);
}

/** utils.SameEndingSubSlice */
function sameEnding(a: string[], b: string[]): boolean {
  const [shortest, longest] = a.length <= b.length ? [a, b] : [b, a];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let i = shortest.length - 1; i >= 0; i--) if (longest[i + diff] !== shortest[i]) return false;
  return true;
}

/**
 * Rewrites the fields of `resources` that refer by name to the renamed objects, in place, like kustomize's
 * nameReference transformer. `extraConfig`: the user's `configurations:` files, each as YAML text or parsed
 * document (only `nameReference:` is read), added to kustomize's default configuration. Each rewritten field gets
 * a provenance write with layer 'nameReference' whose file/span are those of the renamed object's current
 * `metadata.name` (or `metadata.namespace`) write, else the rename's `provenance`, else the renamed object's origin.
 * Call it after the renames (and after applyNameSuffixHash, whose renames it must include).
 */
export function updateNameReferences(
  resources: Resource[],
  renames: Rename[],
  extraConfig: Array<string | NameReferenceConfig> = [],
  options: NameReferenceOptions = {},
): NameReferenceResult {
  const result: NameReferenceResult = { updates: [], issues: [] };
  if (renames.length === 0) return result;
  const lists: Array<readonly NameBackReference[]> = [defaultNameReferences()];
  for (const c of extraConfig) {
    if (typeof c === 'string') {
      try {
        lists.push(nameReferencesFromConfig(parse(c)));
      } catch {
        /* a configurations file that is not YAML is reported by whoever loads it */
      }
    } else lists.push(nameReferencesFromConfig(c));
  }
  const allFilters = lists.length === 1 ? DEFAULT_FILTERS : nameFilters(mergeConfigs(lists));
  // Renames that keep every name (a namespace set on a base's objects: most builds' only renames) rewrite no scalar
  // field: a candidate chosen by a name it had is named so still, and so is every other that fits (no ambiguity). Only
  // map references (they get the namespace) and their checks remain.
  let namesKept = true;
  for (let i = 0; i < renames.length && namesKept; i++) namesKept = renames[i].oldName === renames[i].newName;
  // The candidates, made at the first field that may name one (before it, nothing was written: they read the
  // resources as they are at the call): a build whose renames keep every name often has no map reference at all.
  let candidates: Candidate[] = [];
  // Candidates by each of their previous names, in candidate order: a field's value selects among those only
  // (filtering every candidate per field made a build with a namespace, where every object is renamed, quadratic).
  // A name most often has one candidate: itself, a list only for a second.
  const byPrevName = new Map<string, Candidate | Candidate[]>();
  let candidatesMade = false;
  const makeCandidates = (): void => {
    candidatesMade = true;
    candidates = buildCandidates(resources, renames);
    const addByPrevName = (name: string, c: Candidate) => {
      const had = byPrevName.get(name);
      if (had === undefined) byPrevName.set(name, c);
      else if (Array.isArray(had)) had.push(c);
      else byPrevName.set(name, [had, c]);
    };
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i];
      const ids = c.prevIds;
      if (!Array.isArray(ids)) addByPrevName(ids.name, c);
      else for (let j = 0; j < ids.length; j++) addByPrevName(ids[j].name, c);
    }
  };
  // The field specs that select a kind, found once per kind of referrer in this call.
  // By kind, then apiVersion as written (a Gvk is a function of the two): no key string made per referrer.
  const filtersByKind = new Map<string, Map<string, NameFilter[]>>();
  const filtersOf = (obj: JsonObject): NameFilter[] => {
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    let byApiVersion = filtersByKind.get(kind);
    if (!byApiVersion) filtersByKind.set(kind, (byApiVersion = new Map()));
    let out = byApiVersion.get(apiVersion);
    if (out) return out;
    const g = gvkOf(obj);
    out = [];
    for (let i = 0; i < allFilters.length; i++) if (isSelected(g, allFilters[i].fs)) out.push(allFilters[i]);
    byApiVersion.set(apiVersion, out);
    return out;
  };
  const affixes = options.affixesOf;
  // The referrer being visited and the field spec being followed (the functions below are made once per call, not
  // once per referrer: a fleet's check visits tens of thousands of referrers).
  let referrer: Resource = resources[0];
  let rClusterScoped = false;
  let rNs = '';
  let inSubset: (c: Candidate) => boolean = () => true;
  /** The referrer's scope, namespace and candidate subset, made at its first field that names a candidate (most of its
   *  fields name none: a closure and its reads per referrer of every build with a rename, most never used). */
  let subsetMade = false;
  const subsetOf = (): ((c: Candidate) => boolean) => {
    if (!subsetMade) {
      subsetMade = true;
      rClusterScoped = isClusterScoped(referrer.obj);
      rNs = nsOf(referrer.obj);
      inSubset = couldBeReferencedBy(referrer, referrer.obj.kind, rClusterScoped);
    }
    return inSubset;
  };
  let referrerAffixes: { prefixes: string[]; suffixes: string[] } | undefined;
  let fs: NameRefFieldSpec;
  let target: Gvk;
  let roleRef: { group: string; kind: string } | undefined;
  /** The referrer is shared with a kept build and not owned yet: a rewrite owns it first (see `shared`). */
  let mustOwn = false;

  // The way from the referrer's root to the field being visited: its pointer is made only for a field that has a
  // candidate (most fields a spec names are absent, or hold a name no object was renamed from).
  const way: Array<string | number> = [];
  const wayPointer = (): string => {
    let out = '';
    for (const seg of way) out += '/' + (typeof seg === 'number' ? seg : esc(seg));
    return out;
  };
  /** Whether candidate `x` fits the field being visited, among those `among` allows (made once per call, not per field). */
  const fits = (x: Candidate, among: (c: Candidate) => boolean): boolean =>
    among(x) && someSelected(x.prevIds, target, true) && (!roleRef || someSelected(x.prevIds, roleRef, false)) && (rClusterScoped || x.clusterScoped || x.kind === 'ServiceAccount' || effectiveNs(x.namespace) === effectiveNs(rNs));
  /** `leaf`: the field's pointer below the way visited (a map reference's `/name`). */
  const select = (oldName: string, among: (c: Candidate) => boolean, identical: (c: Candidate[]) => boolean, leaf: string): Candidate | undefined => {
    if (!candidatesMade) makeCandidates();
    const named = byPrevName.get(oldName);
    if (!named) return undefined;
    if (!Array.isArray(named)) return fits(named, among) ? named : undefined;
    // Every test in one pass, and an array only when several pass (a referrer's every name field is looked up here,
    // and mostly one candidate or none has its name).
    let one: Candidate | undefined;
    let n = 0;
    for (let i = 0; i < named.length; i++) {
      const x = named[i];
      if (!fits(x, among)) continue;
      if (n++ === 0) one = x;
    }
    if (n === 1) return one;
    if (n === 0) return undefined;
    let c = named.filter((x) => fits(x, among));
    if (affixes) {
      // kustomize's two passes: an empty list on either side fits any first; only if several fit, the lists must end
      // alike (both empty included).
      const mine = (referrerAffixes ??= affixes(referrer));
      const of = (x: Candidate) => (x.resource ? affixes(x.resource) : NO_AFFIXES);
      c = c.filter((x) => sameAffixes(of(x), mine, true));
      if (c.length > 1) c = c.filter((x) => sameAffixes(of(x), mine, false));
      if (c.length === 1) return c[0];
    }
    if (c.length === 0) return undefined;
    if (identical(c)) return c[0];
    result.issues.push({
      file: referrer.origin.file,
      span: referrer.prov.get(wayPointer() + leaf)?.at(-1)?.span ?? referrer.origin.span,
      severity: 'error',
      code: 'kustomize-build-error',
      message: `found multiple possible referrals for ${target.kind} ${oldName}: ${c.map((x) => `${x.kind} ${x.namespace ? x.namespace + '/' : ''}${x.name}`).join(', ')}`,
    });
    return undefined;
  };

  const write = (parent: JsonObject | Json[], key: string | number, leaf: string, to: string, c: Candidate, field: 'name' | 'namespace') => {
    if (mustOwn) throw OWN_FIRST;
    const ptr = wayPointer() + leaf;
    const from = (parent as Record<string | number, Json>)[key];
    (parent as Record<string | number, Json>)[key] = to;
    const src = c.resource?.prov.get(field === 'name' ? '/metadata/name' : '/metadata/namespace')?.at(-1) ?? c.provenance ?? c.resource?.origin ?? referrer.origin;
    const p: Provenance & { value: Json } = { file: src.file, span: src.span, kustomization: src.kustomization, layer: stepLayer('nameReference'), value: to };
    const stack = referrer.prov.get(ptr);
    referrer.prov.set(internPointer(ptr), stack ? appended(stack, p) : [p]); // copy-on-write: stacks may be shared between copies
    result.updates.push({ resource: referrer, pointer: ptr, from, to });
  };

  const sameName = (cs: Candidate[]) => cs.every((x) => x.name === cs[0].name);
  const setScalar = (parent: JsonObject | Json[], key: string | number) => {
    if (namesKept) return;
    const v = (parent as Record<string | number, Json>)[key];
    const value = typeof v === 'string' ? v : String(v);
    if (!candidatesMade) makeCandidates();
    if (!byPrevName.has(value)) return; // (select finds none)
    const c = select(value, subsetOf(), sameName, '');
    if (!c || c.name === value) return;
    write(parent, key, '', c.name, c, 'name');
  };

  /** The namespaced candidates by their original namespace (made at the first map reference with a namespace). */
  let byOrgNs: Map<string, Candidate[]> | undefined;
  const orgNsOf = (): Map<string, Candidate[]> => {
    if (byOrgNs) return byOrgNs;
    byOrgNs = new Map();
    for (let i = 0; i < candidates.length; i++) {
      const x = candidates[i];
      if (x.clusterScoped) continue;
      const list = byOrgNs.get(x.orgNs);
      if (list) list.push(x);
      else byOrgNs.set(x.orgNs, [x]);
    }
    return byOrgNs;
  };
  const samePlace = (cs: Candidate[]) => cs.every((x) => x.name === cs[0].name && x.namespace === cs[0].namespace);
  const setMapping = (m: JsonObject) => {
    if (!('name' in m)) {
      result.issues.push({ file: referrer.origin.file, span: referrer.prov.get(wayPointer())?.at(-1)?.span ?? referrer.origin.span, severity: 'error', code: 'kustomize-build-error', message: `path config error; no 'name' field in node (${fs.path})` });
      return;
    }
    const oldName = m.name === null ? '' : String(m.name);
    // (no candidate was ever named so: select finds none, whichever it may choose among)
    if (!candidatesMade) makeCandidates();
    if (!byPrevName.has(oldName)) return;
    let among = subsetOf();
    if ('namespace' in m) {
      const ns = m.namespace === null ? '' : String(m.namespace);
      const subset = inSubset;
      const byOrg = (x: Candidate) => subset(x) && !x.clusterScoped && x.orgNs === ns;
      // (candidates.some(byOrg), among those of that original namespace only: not a scan of every candidate per map)
      among = orgNsOf().get(ns)?.some(subset) ? byOrg : (x: Candidate) => subset(x) && !x.clusterScoped && effectiveNs(x.namespace) === ns;
    }
    const c = select(oldName, among, samePlace, '/name');
    if (!c) return;
    if (c.name === oldName && c.namespace === '') return;
    if (m.name !== c.name) write(m, 'name', '/name', c.name, c, 'name');
    if (c.namespace !== '' && m.namespace !== c.namespace) write(m, 'namespace', '/namespace', c.namespace, c, 'namespace');
  };

  const setValue = (parent: JsonObject | Json[], key: string | number) => {
    const node = (parent as Record<string | number, Json>)[key];
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item = node[i];
        if (item === null) continue;
        way.push(i);
        if (isMap(item)) setMapping(item);
        else if (!Array.isArray(item)) setScalar(node, i);
        way.pop();
      }
    } else if (isMap(node)) setMapping(node);
    else setScalar(parent, key);
  };

  const walk = (node: Json, segs: readonly string[], at: number, parent: JsonObject | Json[] | undefined, key: string | number | undefined): void => {
    if (at === segs.length) {
      if (parent !== undefined && key !== undefined) setValue(parent, key);
      return;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        way.push(i);
        walk(node[i], segs, at, node, i);
        way.pop();
      }
      return;
    }
    if (!isMap(node)) return;
    const field = segs[at];
    if (!(field in node)) return;
    way.push(field);
    walk(node[field], segs, at + 1, node, field);
    way.pop();
  };

  const visitReferrer = (r: Resource, filters: readonly NameFilter[]): void => {
    referrer = r;
    // (its scope, namespace and subset made when a field first names a candidate: subsetOf; no Gvk made per referrer)
    subsetMade = false;
    // (read when several candidates fit a field, most referrers never: its provenance stack read for each was a tenth
    // of the name references' time; the writes here add no affix, so it reads the same at any point of the visit)
    referrerAffixes = undefined;
    for (let i = 0; i < filters.length; i++) {
      const f = filters[i];
      fs = f.fs;
      target = f.target;
      roleRef = f.roleRef ? roleRefGvk(r.obj) : undefined;
      // (a rewrite of a referrer not owned yet leaves the walk half way: see OWN_FIRST; only then emptied, as a length
      // set to 0 drops the array's store, which the next walk's first push made again: per field spec of every referrer)
      if (way.length !== 0) way.length = 0;
      walk(r.obj, f.segs, 0, undefined, undefined);
    }
  };
  // (loops by index: a whole check runs these first in the interpreter, where for…of makes a result object per step)
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i];
    const filters = filtersOf(r.obj);
    if (filters.length === 0) continue;
    mustOwn = options.shared?.has(r) ?? false;
    if (!mustOwn) {
      visitReferrer(r, filters);
      continue;
    }
    // A shared referrer is walked as it is; at its first rewrite (nothing written yet) it is owned and walked again.
    const issues = result.issues.length;
    try {
      visitReferrer(r, filters);
    } catch (e) {
      if (e !== OWN_FIRST) throw e;
      result.issues.length = issues;
      options.shared!.own(r);
      mustOwn = false;
      visitReferrer(r, filters);
    }
  }
  return result;
}

/** Thrown by a rewrite of a referrer not owned yet (updateNameReferences' `shared`), before anything is written. */
const OWN_FIRST = new Error('the referrer must be owned before it is rewritten');

/** A field spec selecting a referrer's kind, with the kind it refers to and its path split. */
interface NameFilter {
  fs: NameRefFieldSpec;
  target: Gvk;
  /** Its path's fields (a `[]` suffix dropped: the walk goes into a list wherever it meets one). */
  segs: readonly string[];
  /** A roleRef's name: candidates must be of roleRef's kind and apiGroup too. */
  roleRef: boolean;
}

/** Every field spec of a configuration with its target and its path split, in the configuration's order. */
function nameFilters(config: readonly NameBackReference[]): readonly NameFilter[] {
  return config.flatMap((br) => br.fieldSpecs.map((fs) => ({ fs, target: { group: br.group ?? '', version: br.version ?? '', kind: br.kind ?? '' }, segs: splitFieldPath(fs.path).map((seg) => (seg.endsWith('[]') ? seg.slice(0, -2) : seg)), roleRef: fs.path.endsWith('roleRef/name') })));
}

/** kustomize's default configuration merged, as filters (an immutable constant: most builds have no `configurations:`). */
const DEFAULT_FILTERS: readonly NameFilter[] = Object.freeze(nameFilters(mergeConfigs([defaultNameReferences()])));

/** resmap.SubsetThatCouldBeReferencedByResource, as a test of one candidate. */
function couldBeReferencedBy(referrer: Resource, kind: Json | undefined, rClusterScoped: boolean): (c: Candidate) => boolean {
  if (rClusterScoped) return () => true;
  const rNs = effectiveNs(nsOf(referrer.obj));
  // (a Set only for a RoleBinding: this is made for every referrer of every build with a rename)
  if (kind !== 'RoleBinding' || !Array.isArray(referrer.obj.subjects)) return (c) => c.clusterScoped || effectiveNs(c.namespace) === rNs;
  const saNamespaces = new Set<string>();
  for (const s of referrer.obj.subjects) {
    if (isMap(s) && 'namespace' in s && s.kind === 'ServiceAccount') saNamespaces.add(String(s.namespace));
  }
  return (c) => c.clusterScoped || effectiveNs(c.namespace) === rNs || saNamespaces.has(c.namespace);
}

/** roleRef's apiGroup and kind, or undefined (kustomize then accepts any candidate). */
function roleRefGvk(obj: JsonObject): { group: string; kind: string } | undefined {
  const r = obj.roleRef;
  if (!isMap(r) || r.apiGroup === undefined || r.apiGroup === null || r.kind === undefined || r.kind === null) return undefined;
  return { group: String(r.apiGroup), kind: String(r.kind) };
}
