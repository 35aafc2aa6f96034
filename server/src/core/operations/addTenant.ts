// Add tenant: the platform's objects for a new tenant (source, Kustomization, service account, RoleBinding,
// namespace, the per-cluster files and the kustomization entries that list them) copied from the nearest existing
// tenant with its names changed, the folders the platform's paths expect in the tenant's repository, and the
// repository's mapping in `.flux-fleet.yaml` where the fleet maps its tenants there. Refused with the reason where
// the fleet's layout cannot be followed.
import type { Fleet } from '../model';
import type { Context } from '../evaluate/contexts';
import { filesOf } from '../evaluate/contexts';
import { linkName } from '../evaluate/contextId';
import type { Resource } from '../kustomize/types';
import { tenantModel } from '../tenants/model';
import type { Tenant, TenantContext } from '../tenants/types';
import { namespaceOf, nameOf, obj, specOf, str } from '../tenants/objects';
import { gitRepoKey } from '../sourceUrl';
import { addRepositoryMapping } from '../yamlEdit/fleetConfig';
import { emptyPlan, type OperationAnswer, type OperationPlan, type PlanEdit } from './plan';
import { clusterOf, clustersOf, everyContext, findCluster, renameInYaml, renamePath, renameTokens, type Cluster, type Renames } from './layout';
import { STARTER_FILE, tenantFolderFiles } from './tenantFolder';
import { dirname, isInside, join, relative } from '../paths';
import { appendEntryLike } from './entries';
import { addTenantInputs, madeByResourceSet } from './addTenantInput';
import { appliedResources } from '../evaluate/resourceSets';

export interface AddTenantRequest {
  name: string;
  /** The tenant repository's URL, as its GitRepository will name it. */
  repoUrl: string;
  /** The tenant repository's local folder (absolute). */
  folder: string;
  /** The clusters it goes to (see layout.ts findCluster). */
  clusters: string[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** One tenant Kustomization the platform renders (a tenant may have several: a unit per namespace). */
interface Unit {
  tc: TenantContext;
  cluster: Cluster;
  key: string;
}

/** Tenant contexts whose parent is the platform's (not the tenant's own Kustomizations further down). */
function unitsOf(contexts: TenantContext[], clusters: Cluster[]): Map<Tenant, Unit[]> {
  const tenantCtx = new Set(contexts.map((tc) => tc.ctx));
  const out = new Map<Tenant, Unit[]>();
  for (const tc of contexts) {
    if (!tc.ctx.parent || tenantCtx.has(tc.ctx.parent)) continue;
    const cluster = clusterOf(clusters, tc.ctx);
    if (!cluster) continue;
    const key = `${namespaceOf(tc.spec) ?? ''}/${nameOf(tc.spec)}`;
    out.set(tc.tenant, [...(out.get(tc.tenant) ?? []), { tc, cluster, key }]);
  }
  return out;
}

const find = (build: readonly Resource[], kind: string, name: string | undefined, ns: string | undefined) =>
  name === undefined ? undefined : build.find((r) => r.obj.kind === kind && nameOf(r) === name && (ns === undefined || namespaceOf(r) === ns));

/** The platform's objects that make one unit: its Kustomization, source, service account, bindings and namespace. */
function unitObjects(fleet: Fleet, unit: Unit): { objects: Resource[]; source?: Resource; ns?: string; sa?: string } {
  const parent = unit.tc.ctx.parent!;
  // What the parent applies: a tenant made by a ResourceSet has its objects in the ResourceSet's expansion.
  const build = appliedResources(fleet, parent.build.resources).objects;
  const spec = unit.tc.spec;
  const ns = namespaceOf(spec);
  const sa = str(specOf(spec).serviceAccountName);
  const ref = obj(specOf(spec).sourceRef);
  const source = find(build, str(ref?.kind) ?? 'GitRepository', str(ref?.name), str(ref?.namespace) ?? ns);
  const self = find(build, 'Kustomization', nameOf(spec), ns) ?? spec;
  const objects = [self, ...(source ? [source] : [])];
  const account = find(build, 'ServiceAccount', sa, ns);
  if (account) objects.push(account);
  for (const r of build) {
    if (r.obj.kind !== 'RoleBinding' && r.obj.kind !== 'ClusterRoleBinding') continue;
    const subjects = Array.isArray(r.obj.subjects) ? r.obj.subjects : [];
    if (subjects.some((s) => obj(s)?.kind === 'ServiceAccount' && obj(s)?.name === sa && (str(obj(s)?.namespace) ?? namespaceOf(r)) === ns)) objects.push(r);
  }
  const namespace = find(build, 'Namespace', ns, undefined);
  if (namespace) objects.push(namespace);
  return { objects, source, ns, sa };
}

/** The existing tenant to follow: one unit of it in every requested cluster; fewest other clusters, own namespace first. */
function nearestTenant(units: Map<Tenant, Unit[]>, requested: Cluster[], platformNamespaces: Set<string>): { tenant: Tenant; units: Unit[] } | undefined {
  const ranked: Array<{ tenant: Tenant; units: Unit[]; score: number[] }> = [];
  for (const [tenant, all] of units) {
    const keys = [...new Set(all.map((u) => u.key))].sort();
    const key = keys.find((k) => requested.every((c) => all.some((u) => u.key === k && u.cluster === c)));
    if (!key) continue;
    const mine = all.filter((u) => u.key === key && requested.includes(u.cluster));
    const others = new Set(all.filter((u) => !requested.includes(u.cluster)).map((u) => u.cluster)).size;
    const ns = namespaceOf(mine[0].tc.spec);
    ranked.push({ tenant, units: mine, score: [ns && !platformNamespaces.has(ns) ? 0 : 1, others, keys.length] });
  }
  const byScore = (a: number[], b: number[]) => {
    const i = a.findIndex((s, j) => s !== b[j]);
    return i < 0 ? 0 : a[i] - b[i];
  };
  ranked.sort((a, b) => byScore(a.score, b.score) || a.tenant.name.localeCompare(b.tenant.name));
  return ranked[0];
}

function textOf(fleet: Fleet, file: string): string | undefined {
  return fleet.facts.get(file)?.text ?? fleet.readAuxFile(file);
}

export function addTenant(fleet: Fleet, req: AddTenantRequest): OperationAnswer {
  const n = req.name;
  if (!DNS_LABEL.test(n) || n.length > 63) return { refused: `${n}: a tenant's name must be a DNS label (lower-case letters, digits and '-')` };
  if (!req.repoUrl || !gitRepoKey(req.repoUrl)) return { refused: `${req.repoUrl || '(none)'}: not a Git repository URL` };
  const contexts = everyContext(fleet);
  const model = tenantModel(fleet, contexts);
  if (!model.tenants.length) return { refused: 'the fleet has no tenant to copy the layout from (none declared in .flux-fleet.yaml or inferred from a Kustomization with its own service account): add the first one by hand' };
  if (model.tenants.some((t) => t.name === n)) return { refused: `tenant ${n} exists` };
  const owner = model.tenants.find((t) => t.namespaces.has(n));
  if (owner) return { refused: `namespace ${n} belongs to tenant ${owner.name}` };
  const clusters = clustersOf(contexts);
  const requested: Cluster[] = [];
  for (const text of req.clusters) {
    const c = findCluster(clusters, text);
    if ('refused' in c) return c;
    if (!requested.includes(c)) requested.push(c);
  }
  if (!requested.length) return { refused: `name the clusters the tenant goes to (${clusters.map((c) => c.label).join(', ')})` };

  const units = unitsOf(model.contexts, clusters);
  const chosen = nearestTenant(units, requested, model.platformNamespaces);
  if (!chosen) {
    const where = [...units].map(([t, us]) => `${t.name}: ${[...new Set(us.map((u) => u.cluster.label))].join(', ')}`).join('; ');
    return { refused: `no existing tenant goes to ${requested.map((c) => c.label).join(' and ')} to copy the layout from (${where || 'no tenant is deployed by the platform'})` };
  }
  const t = chosen.tenant;
  const first = unitObjects(fleet, chosen.units[0]);
  const oldUrl = first.source && str(specOf(first.source).url);
  if (!first.source || !oldUrl) return { refused: `tenant ${t.name} builds from no GitRepository with a URL the platform writes: its layout cannot be followed for a new repository` };
  const platformRepo = fleet.repositoryOf(first.source.origin.file);
  if (!platformRepo) return { refused: `${first.source.origin.file} is in no repository of the fleet` };

  // Names to change: the tenant's, and its namespace when that is the tenant's own (never a platform namespace).
  const renames: Array<[string, string]> = [[t.name, n]];
  if (first.ns && first.ns !== t.name && !model.platformNamespaces.has(first.ns) && t.namespaces.has(first.ns)) renames.push([first.ns, n]);
  const owned = (file: string) => isInside(platformRepo.root, file) && renamePath(relative(platformRepo.root, file), renames) !== relative(platformRepo.root, file);
  const newPath = (file: string) => join(platformRepo.root, renamePath(relative(platformRepo.root, file), renames));

  // The files that make the unit in each requested cluster, and the tenant's own Kustomizations above it (none to
  // copy when ResourceSets make the tenants: a new input set is the tenant, see addTenantInput.ts).
  const byResourceSet = chosen.units.every((u) => madeByResourceSet(u.tc.ctx));
  const files = new Set<string>();
  for (const unit of byResourceSet ? [] : chosen.units) {
    const { objects, ns } = unitObjects(fleet, unit);
    for (const r of objects) for (const f of filesOf(fleet.db, r)) files.add(f);
    // A file outside the tenant's that puts its objects into its namespace would put the new tenant's there too.
    for (const r of objects) {
      const stack = r.prov.get('/metadata/namespace');
      const last = stack?.[stack.length - 1];
      if (ns && last && !owned(last.file) && namespaceOf(r) === ns && renames.some(([from]) => from === ns)) {
        return { refused: `${relative(platformRepo.root, last.file)} puts everything it lists into namespace ${ns}, tenant ${t.name}'s namespace: a new tenant listed there would land in it too. Give each tenant its namespace in its own folder first (remove \`namespace: ${ns}\` there and set it in the tenant's folder)` };
      }
    }
    for (let a: Context | undefined = unit.tc.ctx.parent; a?.parent; a = a.parent) {
      const mine = [...filesOf(fleet.db, a.skeleton.specResource)].filter(owned);
      if (!mine.length) break;
      mine.forEach((f) => files.add(f));
    }
  }
  const copied = [...files].filter(owned).sort();
  if (!copied.length && !byResourceSet) return { refused: `tenant ${t.name}'s files carry neither its name nor its namespace in their paths: there is no per-tenant layout to follow` };

  const plan: OperationPlan = emptyPlan(`Add tenant ${n} (following tenant ${t.name})`);
  const exact: Renames = [[oldUrl, req.repoUrl]];
  if (byResourceSet) {
    const refused = addTenantInputs(fleet, chosen.units.map((u) => u.tc.ctx), renames, exact, plan);
    if (refused) return refused;
  }
  for (const f of copied) {
    const to = newPath(f);
    if (fleet.fs.exists(to)) return { refused: `${relative(platformRepo.root, to)} exists: nothing is overwritten` };
    const text = textOf(fleet, f);
    if (text === undefined) return { refused: `${f} cannot be read` };
    plan.creates.push({ file: to, text: renameInYaml(text, renames, exact) });
  }

  // Entries that list the tenant's files or folders in kustomization files that are not the tenant's.
  const edits = new Map<string, PlanEdit>();
  const listed = new Set<string>();
  for (const f of copied) for (let p = f; isInside(platformRepo.root, p) && p !== platformRepo.root && owned(p); p = dirname(p)) listed.add(p);
  for (const target of listed) {
    const added = appendEntryLike(fleet, target, (p) => !owned(p) && isInside(platformRepo.root, p), renames);
    if ('refused' in added) return added;
    for (const e of added) {
      // Another cluster whose builds read the same list would get the tenant too.
      const other = contexts.find((c) => !requested.includes(clusterOf(clusters, c)!) && (c.skeleton.read ?? []).includes(e.file));
      if (other) {
        const label = clusterOf(clusters, other)?.label ?? other.id.root;
        return { refused: `${relative(platformRepo.root, e.file)} lists the tenants of ${label} too: the new tenant would go there as well (add ${label} to its clusters, or give each cluster its own list)` };
      }
      edits.set(`${e.file}:${e.span.start}`, e);
    }
  }
  plan.edits.push(...edits.values());
  // A ResourceSet another cluster applies too would give it the tenant as well.
  for (const e of byResourceSet ? plan.edits : []) {
    const other = contexts.find((c) => !requested.includes(clusterOf(clusters, c)!) && (c.skeleton.read ?? []).includes(e.file));
    if (other) return { refused: `${relative(platformRepo.root, e.file)} makes the tenants of ${clusterOf(clusters, other)?.label ?? other.id.root} too: the new tenant would go there as well (add it to the clusters)` };
  }

  // The folders the platform's paths expect in the tenant's repository (each cluster's, as its parent renders it),
  // each with something to build (tenantFolder.ts: an empty build is what Flux objects to).
  const folders = new Map<string, { followed: string; namespace?: string }>();
  for (const unit of chosen.units) {
    const b = unit.tc.ctx.skeleton;
    if (!b.folder || !b.sourceRoot) continue;
    const spec = specOf(unit.tc.spec);
    const ns = str(spec.targetNamespace) ?? namespaceOf(unit.tc.spec);
    folders.set(join(req.folder, renamePath(relative(b.sourceRoot.folder, b.folder), renames)), { followed: b.folder, namespace: ns && renameTokens(ns, renames) });
  }
  for (const [folder, { followed, namespace }] of [...folders].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (fleet.fs.exists(folder)) continue;
    plan.creates.push(...tenantFolderFiles(fleet, { folder, followed, tenant: n, repoUrl: req.repoUrl, namespace, renames }));
    plan.notes.push(`${relative(dirname(req.folder), folder)} holds one ConfigMap (${STARTER_FILE}) until the tenant adds its apps: Flux refuses an empty build`);
  }

  // The repository's mapping, where the fleet maps the followed tenant's repository in a .flux-fleet.yaml.
  const oldKey = gitRepoKey(oldUrl);
  const mapping = fleet.layout.mappings.find((m) => m.key.type === 'git' && m.key.repoKey === oldKey && m.declaredIn);
  const insideRoots = fleet.options.roots.some((r) => isInside(r, req.folder));
  const rootFile = mapping?.declaredIn && fleet.options.roots.includes(dirname(mapping.declaredIn.file));
  // A repository's own .flux-fleet.yaml maps folders inside the roots only (the CLI also trusts each root's top file).
  if (mapping?.declaredIn && !insideRoots && !((fleet.options.mappingTrust ?? 'roots') === 'roots' && rootFile)) {
    return { refused: `${req.folder} is outside the workspace folders, where ${relative(platformRepo.root, mapping.declaredIn.file)} cannot map it: add the folder to the workspace first (or choose one inside it)` };
  }
  if (mapping?.declaredIn) {
    const config = mapping.declaredIn.file;
    const text = textOf(fleet, config);
    const alreadyMapped = fleet.layout.mappings.some((m) => m.key.type === 'git' && m.key.repoKey === gitRepoKey(req.repoUrl));
    if (text !== undefined && !alreadyMapped) {
      const rel = relative(dirname(config), req.folder) || '.';
      for (const e of addRepositoryMapping(text, req.repoUrl, rel)) plan.edits.push({ file: config, span: e.span, newText: e.newText });
    }
  } else if (!fleet.layout.mappings.some((m) => m.key.type === 'git' && m.key.repoKey === gitRepoKey(req.repoUrl))) {
    plan.notes.push(`map ${req.repoUrl} to ${req.folder} (the fluxFleet.repositories setting or a .flux-fleet.yaml), or clone it there`);
  }
  plan.notes.unshift(`follows tenant ${t.name} (${chosen.units.map((u) => `${u.cluster.label}: ${linkName({ namespace: namespaceOf(u.tc.spec) ?? 'default', name: nameOf(u.tc.spec) })}`).join(', ')})`);
  return plan;
}
