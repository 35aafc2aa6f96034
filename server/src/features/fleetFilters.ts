// What the Fleet view filters by: its clusters (the roots' folders, as contexts name them) and its tenants — the
// tenant model of the lockdown checks (core/tenants: declared in `.flux-fleet.yaml` or inferred from the builds).
import type { Fleet } from '../core/model';
import { allContexts, evaluatorOf } from '../core/evaluate/contexts';
import { contextKey } from '../core/evaluate/contextId';
import { rootKustomizations } from '../core/deployChains';
import { tenantModel } from '../core/tenants/model';
import { dirname, isInside } from '../core/paths';
import type { FluxKustomizationFact } from '../core/facts';

export interface FleetTenant {
  name: string;
  /** The contexts that build its code (contextKey). */
  contexts: string[];
  /** Those where the tenant begins (its parent is the platform's): the Kustomizations that deploy the tenant. */
  tops: string[];
}

/** Every tenant with its contexts; reads every context's whole build (the tenant model's grants come from them). */
export function fleetTenants(fleet: Fleet): FleetTenant[] {
  const model = tenantModel(fleet, allContexts(fleet, rootKustomizations(fleet)));
  const byName = new Map<string, FleetTenant>(model.tenants.map((t) => [t.name, { name: t.name, contexts: [], tops: [] }]));
  const tenantOf = new Map(model.contexts.map((tc) => [tc.ctx, tc.tenant.name]));
  for (const tc of model.contexts) {
    const t = byName.get(tc.tenant.name)!;
    const key = contextKey(tc.ctx.id);
    t.contexts.push(key);
    if (!tc.ctx.parent || tenantOf.get(tc.ctx.parent) !== tc.tenant.name) t.tops.push(key);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A root's cluster folder: the folder it builds when that holds its document (`clusters/prod` for
 * `clusters/prod/flux-system/gotk-sync.yaml`), else its document's folder (`clusters/production` for a root there
 * building `apps/production`).
 */
export function clusterFolderOf(root: FluxKustomizationFact, built: string | undefined): string {
  return built && isInside(built, root.owner.file) ? built : dirname(root.owner.file);
}

export interface FleetCluster {
  /** As the contexts name it (`platform/clusters/prod/flux-system`): two repositories may share the name. */
  label: string;
  /** The cluster folder (clusterFolderOf): what tells clusters apart. */
  folder: string;
}

/** The clusters: one per root's cluster folder, with the name its contexts go by. */
export function fleetClusters(fleet: Fleet): FleetCluster[] {
  const ev = evaluatorOf(fleet);
  const byFolder = new Map<string, FleetCluster>();
  for (const r of rootKustomizations(fleet)) {
    const label = ev.root(r)?.id.root;
    if (!label) continue;
    for (const v of fleet.links.flux.get(r) ?? []) {
      const folder = clusterFolderOf(r, v.folder);
      if (!byFolder.has(folder)) byFolder.set(folder, { label, folder });
    }
  }
  return [...byFolder.values()].sort((a, b) => a.label.localeCompare(b.label) || a.folder.localeCompare(b.folder));
}

/** How many contexts the fleet has, counted up to `limit` (enumerating them builds their parents' skeletons only). */
export function countContexts(fleet: Fleet, limit: number): number {
  return allContexts(fleet, rootKustomizations(fleet), limit).length;
}
