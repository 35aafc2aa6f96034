// Who the tenants are and which contexts build their code. Declared in `.flux-fleet.yaml` (`tenants:`), else inferred
// from the conventions of multi-tenant fleets (flux2-multi-tenancy, the Flux Operator's d1/d2 fleets), read from the
// objects the platform's builds create, per context:
// - a Flux Kustomization labelled `toolkit.fluxcd.io/tenant`, or in a namespace labelled so;
// - a Flux Kustomization that runs as its own service account (not a Flux controller's), bound by a RoleBinding in
//   its namespace, outside the platform's namespaces (those of the root Kustomizations).
// A tenant's code is the build of such a Kustomization, and of every Kustomization that build renders.
import type { Fleet } from '../model';
import type { Context } from '../evaluate/contexts';
import type { Resource } from '../kustomize/types';
import { appliedResources } from '../evaluate/resourceSets';
import { objectNamed } from '../evaluate/objectsByName';
import { gitRepoKey, ociRepoKey } from '../sourceUrl';
import { isInside, relative } from '../paths';
import type { TenantDeclaration } from '../fleetConfig';
import { runSteps, type Steps } from '../steps';
import { lockdownDeclarationsSteps, lockdownOf } from './lockdown';
import { CONTROLLER_ACCOUNTS, TENANT_LABEL, describe, isFluxKustomization, labelOf, namespaceOf, nameOf, obj, placeOf, specOf, str } from './objects';
import type { ComponentsDeclaration, Place, Tenant, TenantContext, TenantModel } from './types';

export interface Grants {
  /** `ns/serviceAccount` of the accounts a RoleBinding in their own namespace binds. */
  roleBindings: Set<string>;
  /** `ns/serviceAccount` → a ClusterRoleBinding that binds it (the last one read). */
  clusterBindings: Map<string, Resource>;
  /** Namespace → the tenant its Namespace object is labelled with (the first one read). */
  labelledNamespaces: Map<string, { tenant: string; at: Place }>;
  clusterRoleVerbs: TenantModel['clusterRoleVerbs'];
}

/** What one build's objects grant, in their order (every occurrence: the fleet's Grants decide which one wins). */
export interface BuildGrants {
  roleBindings: string[];
  clusterBindings: Array<[string, Resource]>;
  /** Namespaces with a tenant label (what each grants is made when merged, for the first of its name only: these
   *  lists are kept with every build, and a cluster's builds repeat its tenants' namespaces). */
  labelledNamespaces: Resource[];
  clusterRoleVerbs: Array<[string, { verbs: Set<string>; at: Place }]>;
}

/**
 * RBAC and labelled namespaces, from what every context applies (ResourceSets' objects too). The contexts of one
 * folder share their build (one object list): each list's grants are read once (buildGrants) and merged once, as
 * reading every context's list in turn would: the first-wins maps in the order the lists first come, the
 * ClusterRoleBindings (last wins) in the order they last come.
 */
export function readGrants(fleet: Fleet, contexts: Context[]): Grants {
  return runSteps(readGrantsSteps(fleet, contexts));
}

/** readGrants in steps: yields before each context's list (a context's build may be made when its list is asked for). */
export function* readGrantsSteps(fleet: Fleet, contexts: Context[]): Steps<Grants> {
  const g: Grants = { roleBindings: new Set(), clusterBindings: new Map(), labelledNamespaces: new Map(), clusterRoleVerbs: new Map() };
  const lastAt = new Map<BuildGrants, number>();
  for (let i = 0; i < contexts.length; i++) {
    yield;
    lastAt.set(buildGrants(fleet, appliedResources(fleet, contexts[i].build.resources).objects), i);
  }
  for (const b of lastAt.keys()) {
    for (const key of b.roleBindings) g.roleBindings.add(key);
    for (const r of b.labelledNamespaces) {
      const ns = nameOf(r);
      if (!g.labelledNamespaces.has(ns)) g.labelledNamespaces.set(ns, { tenant: labelOf(r, TENANT_LABEL)!, at: placeOf(r, TENANT_LABEL_POINTER) });
    }
    for (const [name, v] of b.clusterRoleVerbs) if (!g.clusterRoleVerbs.has(name)) g.clusterRoleVerbs.set(name, v);
  }
  for (const [b] of [...lastAt].sort((x, y) => x[1] - y[1])) for (const [key, r] of b.clusterBindings) g.clusterBindings.set(key, r);
  return g;
}

/** Where a Namespace's tenant label is written. */
const TENANT_LABEL_POINTER = `/metadata/labels/${TENANT_LABEL.replace('/', '~1')}`;

/** The grants of one applied object list, in its order (db tenantGrants: per list, which is never changed). */
export function buildGrants(fleet: Fleet, objects: readonly Resource[]): BuildGrants {
  return fleet.db.weak<readonly Resource[], BuildGrants>('tenantGrants').getOrMake(objects, () => {
    const b: BuildGrants = { roleBindings: [], clusterBindings: [], labelledNamespaces: [], clusterRoleVerbs: [] };
    for (const r of objects) {
      const kind = r.obj.kind;
      if (kind === 'Namespace') {
        if (labelOf(r, TENANT_LABEL)) b.labelledNamespaces.push(r);
      } else if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
        const subjects = Array.isArray(r.obj.subjects) ? r.obj.subjects : [];
        for (const s of subjects) {
          const subject = obj(s);
          if (!subject || subject.kind !== 'ServiceAccount' || !str(subject.name)) continue;
          const ns = str(subject.namespace) ?? namespaceOf(r);
          if (!ns) continue;
          const key = `${ns}/${String(subject.name)}`;
          if (kind === 'ClusterRoleBinding') b.clusterBindings.push([key, r]);
          else if (namespaceOf(r) === ns) b.roleBindings.push(key);
        }
      } else if (kind === 'ClusterRole') {
        const verbs = new Set<string>();
        for (const rule of Array.isArray(r.obj.rules) ? r.obj.rules : []) for (const v of (Array.isArray(obj(rule)?.verbs) ? (obj(rule)!.verbs as unknown[]) : [])) verbs.add(String(v));
        b.clusterRoleVerbs.push([nameOf(r), { verbs, at: placeOf(r) }]);
      }
    }
    return b;
  });
}

/** The source a Kustomization builds from, as its parent renders it: `url#branch`, or the folder it is mapped to. */
function sourceOf(fleet: Fleet, ctx: Context, spec: Resource): { url?: string; branch?: string; label: string } {
  const ref = obj(specOf(spec).sourceRef);
  const kind = str(ref?.kind) ?? 'GitRepository';
  const name = str(ref?.name);
  const ns = str(ref?.namespace) ?? namespaceOf(spec);
  const source = name && ctx.parent ? objectNamed(fleet, appliedResources(fleet, ctx.parent.build.resources).objects, kind, name, (r) => ns === undefined || namespaceOf(r) === ns) : undefined;
  const url = source && str(specOf(source).url);
  const branch = source && str(obj(specOf(source).ref)?.branch);
  if (url) return { url, branch, label: branch ? `${url}#${branch}` : url };
  const root = ctx.skeleton.sourceRoot;
  const repo = root && fleet.repositoryOf(root.folder);
  return { label: repo ? `${repo.name}/${relative(repo.root, root!.folder)}`.replace(/\/$/, '') : (root?.folder ?? `${kind} ${name ?? '?'}`) };
}

function matchesDeclared(d: TenantDeclaration, source: { url?: string; branch?: string }, folder: string | undefined): boolean {
  if (folder && d.paths.some((p) => isInside(p, folder))) return true;
  if (!source.url) return false;
  return d.repositories.some(({ key }) => {
    if (key.type === 'git') return gitRepoKey(source.url!) === key.repoKey && (!key.branch || key.branch === source.branch);
    return key.type === 'oci' && ociRepoKey(source.url!) === key.key;
  });
}

/** In how many namespaces a RoleBinding binds a service account of this name. */
function accountNamespaces(grants: Grants, sa: string): number {
  let n = 0;
  for (const key of grants.roleBindings) if (key.slice(key.indexOf('/') + 1) === sa) n++;
  return n;
}

/** Whose code a Kustomization the platform renders builds, by the conventions (see the top of this file). */
function inferTenant(spec: Resource, grants: Grants, rootNamespaces: Set<string>): { name: string; why: string } | undefined {
  const ns = namespaceOf(spec);
  const sa = str(specOf(spec).serviceAccountName);
  const label = labelOf(spec, TENANT_LABEL);
  if (label) return { name: label, why: `${describe(spec)} is labelled ${TENANT_LABEL}: ${label}` };
  const nsLabel = ns ? grants.labelledNamespaces.get(ns) : undefined;
  if (nsLabel) return { name: nsLabel.tenant, why: `${describe(spec)} is in namespace ${ns}, labelled ${TENANT_LABEL}: ${nsLabel.tenant}` };
  if (ns && sa && !CONTROLLER_ACCOUNTS.has(sa) && !rootNamespaces.has(ns) && grants.roleBindings.has(`${ns}/${sa}`)) {
    // One account name in several namespaces (the Flux Operator's tenants all run as `flux`): those are different
    // accounts, so the namespace names the tenant.
    if (accountNamespaces(grants, sa) > 1) return { name: ns, why: `${describe(spec)} runs as service account ${sa} of namespace ${ns}, which a RoleBinding there binds` };
    return { name: sa, why: `${describe(spec)} runs as service account ${sa}, which a RoleBinding in ${ns} binds` };
  }
  return undefined;
}

function newTenant(name: string, declared?: TenantDeclaration): Tenant {
  return { name, declared: declared && { file: declared.file, span: declared.span }, evidence: [], repositories: new Set(), paths: declared?.paths ?? [], namespaces: new Set(declared?.namespaces ?? []), serviceAccounts: new Set() };
}

/** The contexts with their ancestors, parents first: who a tenant is is read from the builds above it. */
export function withAncestors(contexts: Context[]): Context[] {
  const out: Context[] = [];
  const seen = new Set<string>();
  const visit = (c: Context) => {
    if (seen.has(c.key)) return;
    if (c.parent) visit(c.parent);
    seen.add(c.key);
    out.push(c);
  };
  contexts.forEach(visit);
  return out;
}

/**
 * The tenants of a fleet and the contexts that build their code. `given` may be every context (check) or those of
 * the open files (a large fleet in the editor): their ancestors are read too.
 */
export function tenantModel(fleet: Fleet, given: Context[]): TenantModel {
  return runSteps(tenantModelSteps(fleet, given));
}

/** tenantModel in steps: yields while it scans the fleet for lockdowns and after each context's grants are read. */
export function* tenantModelSteps(fleet: Fleet, given: Context[]): Steps<TenantModel> {
  const contexts = withAncestors(given);
  const components: ComponentsDeclaration[] = [];
  const declarations = yield* lockdownDeclarationsSteps(fleet, components);
  const declared = fleet.layout.tenants ?? [];
  const tenants = new Map<string, Tenant>(declared.map((d) => [d.name, newTenant(d.name, d)]));
  const roots = contexts.filter((c) => !c.parent);
  const rootNamespaces = new Set(roots.map((c) => namespaceOf(c.skeleton.specResource)).filter((n): n is string => !!n));
  const grants = yield* readGrantsSteps(fleet, contexts);
  const byContext = new Map<Context, TenantContext>();
  const platformKustomizationNamespaces = new Set(rootNamespaces);
  for (const ctx of contexts) {
    if (!ctx.parent) continue;
    const spec = ctx.skeleton.specResource;
    if (!isFluxKustomization(spec)) continue;
    const ns = namespaceOf(spec);
    const sa = str(specOf(spec).serviceAccountName);
    const inherited = byContext.get(ctx.parent)?.tenant;
    let tenant = inherited;
    let why: string | undefined;
    const source = sourceOf(fleet, ctx, spec);
    if (!tenant && declared.length) {
      const d = declared.find((x) => matchesDeclared(x, source, ctx.skeleton.folder));
      if (d) tenant = tenants.get(d.name);
    } else if (!tenant) {
      const inferred = inferTenant(spec, grants, rootNamespaces);
      if (inferred) {
        if (!tenants.has(inferred.name)) tenants.set(inferred.name, newTenant(inferred.name));
        tenant = tenants.get(inferred.name);
        why = inferred.why;
      }
    }
    if (!tenant) {
      if (ns) platformKustomizationNamespaces.add(ns);
      continue;
    }
    if (why && !tenant.evidence.some((e) => e.why === why)) {
      const at = placeOf(spec);
      tenant.evidence.push({ file: at.file, span: at.span, why }); // (not a spread extended: see copyOwnKeys)
    }
    if (!inherited) tenant.repositories.add(source.label);
    if (sa) tenant.serviceAccounts.add(sa);
    if (!tenant.declared && ns && !rootNamespaces.has(ns)) tenant.namespaces.add(ns);
    const binding = ns && sa ? grants.clusterBindings.get(`${ns}/${sa}`) : undefined;
    if (binding && !tenant.clusterWide) tenant.clusterWide = { ...placeOf(binding, '/roleRef/name'), role: `ClusterRoleBinding ${nameOf(binding)} → ${String(obj(binding.obj.roleRef)?.kind ?? 'ClusterRole')} ${String(obj(binding.obj.roleRef)?.name ?? '')}` };
    byContext.set(ctx, { tenant, ctx, spec, lockdown: lockdownOf(ctx, declarations, components) });
  }
  // A namespace labelled for a tenant is that tenant's, whether or not a context of its code is evaluated here.
  if (!declared.length) {
    for (const [ns, l] of grants.labelledNamespaces) {
      if (rootNamespaces.has(ns)) continue;
      if (!tenants.has(l.tenant)) tenants.set(l.tenant, newTenant(l.tenant));
      const t = tenants.get(l.tenant)!;
      t.namespaces.add(ns);
      if (!t.evidence.length) t.evidence.push({ file: l.at.file, span: l.at.span, why: `Namespace ${ns} is labelled ${TENANT_LABEL}: ${l.tenant}` });
    }
  }
  const tenantNamespaces = new Set([...tenants.values()].flatMap((t) => [...t.namespaces]));
  const platformNamespaces = new Set([...platformKustomizationNamespaces].filter((n) => !tenantNamespaces.has(n)));
  return { tenants: [...tenants.values()], declarations, contexts: [...byContext.values()], platformNamespaces, clusterRoleVerbs: grants.clusterRoleVerbs };
}
