// Add tenant and add app on the facade: the core's plan, checked on the fleet after it (ide/planCheck.ts) before it is
// offered. A plan that adds findings is refused with them, except what a new, still empty folder must add until its
// owners fill it in (a tenant folder with no objects yet; a required value the user left to fill in): those are
// named in the plan's notes.
import type { Fleet } from '../core/model';
import type { Finding } from '../core/findings';
import { addTenant, type AddTenantRequest } from '../core/operations/addTenant';
import { addApp, type AddAppRequest } from '../core/operations/addApp';
import type { OperationAnswer, OperationPlan } from '../core/operations/plan';
import { clustersOf, everyContext } from '../core/operations/layout';
import { tenantModel } from '../core/tenants/model';
import { lineColOf } from './summary';
import { findingsAddedBy } from './planCheck';
import type { CancellationToken } from './cancel';
import { relative } from '../core/paths';

export type { AddTenantRequest, AddAppRequest };

function where(fleet: Fleet, f: Finding): string {
  const root = fleet.repositoryOf(f.file);
  const at = lineColOf(fleet, f.file, f.span.start);
  return `${root ? `${root.name}/${relative(root.root, f.file)}` : f.file}:${at.line + 1}`;
}

/** The plan, or a refusal naming the findings it would add beyond those `expected` allows (which become notes). */
function checked(fleet: Fleet, plan: OperationPlan, expected: (f: Finding) => boolean, token?: CancellationToken): OperationAnswer {
  const { added, after: fleetAfterPlan } = findingsAddedBy(fleet, plan, undefined, token);
  const after = plan;
  const unexpected = added.filter((f) => !expected(f));
  if (unexpected.length) {
    const shown = unexpected.slice(0, 3).map((f) => `${f.code} at ${where(fleetAfterPlan, f)}: ${f.message}`);
    return { refused: `following the layout would add ${unexpected.length} finding(s): ${shown.join('; ')}${unexpected.length > 3 ? '; …' : ''}` };
  }
  for (const f of added) after.notes.push(`until it is filled in: ${f.code} (${f.message})`);
  after.notes.push(added.length ? `checked: no other new finding` : 'checked: no new finding');
  return after;
}

export function addTenantPlan(fleet: Fleet, req: AddTenantRequest, token?: CancellationToken): OperationAnswer {
  const plan = addTenant(fleet, req);
  if ('refused' in plan) return plan;
  const created = new Set(plan.creates.map((c) => c.file));
  // A new tenant's Kustomization whose folder holds no objects yet (prune: true): nothing was deployed to delete.
  return checked(fleet, plan, (f) => f.code === 'empty-prune-path' && created.has(f.file), token);
}

export function addAppPlan(fleet: Fleet, req: AddAppRequest, token?: CancellationToken): OperationAnswer {
  const plan = addApp(fleet, req);
  if ('refused' in plan) return plan;
  // A required value the user did not give: the values file holds its key, empty, for them to fill in.
  return checked(fleet, plan, (f) => f.code === 'missing-required', token);
}

/** What the editor offers to pick from: the clusters and the existing tenants. */
export function addTenantChoices(fleet: Fleet): { clusters: string[]; tenants: string[] } {
  const contexts = everyContext(fleet);
  return { clusters: clustersOf(contexts).map((c) => c.label), tenants: tenantModel(fleet, contexts).tenants.map((t) => t.name) };
}
