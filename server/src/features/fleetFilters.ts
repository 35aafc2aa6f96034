// What the Fleet view filters by: its clusters (the roots' folders, as contexts name them) and its tenants — the
// tenant model of the lockdown checks (core/tenants: declared in `.flux-fleet.yaml` or inferred from the builds).
import type { Fleet } from '../core/model';
import { allContexts, evaluatorOf } from '../core/evaluate/contexts';
import { contextKey } from '../core/evaluate/contextId';
import { rootKustomizations } from '../core/deployChains';
import { tenantModel } from '../core/tenants/model';

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

/** The clusters: the folder of each root's document, as its context names it (`platform/clusters/prod/flux-system`). */
export function fleetClusters(fleet: Fleet): string[] {
  const ev = evaluatorOf(fleet);
  return [...new Set(rootKustomizations(fleet).flatMap((r) => ev.root(r)?.id.root ?? []))].sort();
}
