// Add tenant and add app on the facade: the core's plan, checked on the fleet after it (ide/planCheck.ts) before it is
// offered. A plan that adds a finding is refused with it: the operations write what avoids them (a new tenant's folder
// holds an object; add app refuses required values not given, before the check).
import type { Fleet } from '../core/model';
import type { Finding } from '../core/findings';
import { addTenant, type AddTenantRequest } from '../core/operations/addTenant';
import { addApp, requiredValues, type AddAppRequest } from '../core/operations/addApp';
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

/** The plan, or a refusal naming the findings it would add: a plan is offered only when it adds none. */
function checked(fleet: Fleet, plan: OperationPlan, token?: CancellationToken): OperationAnswer {
  const { added, after } = findingsAddedBy(fleet, plan, undefined, token);
  if (added.length) {
    const shown = added.slice(0, 3).map((f) => `${f.code} at ${where(after, f)}: ${f.message}`);
    return { refused: `following the layout would add ${added.length} finding(s): ${shown.join('; ')}${added.length > 3 ? '; …' : ''}` };
  }
  plan.notes.push('checked: no new finding');
  return plan;
}

export function addTenantPlan(fleet: Fleet, req: AddTenantRequest, token?: CancellationToken): OperationAnswer {
  const plan = addTenant(fleet, req);
  if ('refused' in plan) return plan;
  return checked(fleet, plan, token);
}

export function addAppPlan(fleet: Fleet, req: AddAppRequest, token?: CancellationToken): OperationAnswer {
  const plan = addApp(fleet, req);
  if ('refused' in plan) return plan;
  return checked(fleet, plan, token);
}

/** What the editor offers to pick from: the clusters and the existing tenants. */
export function addTenantChoices(fleet: Fleet): { clusters: string[]; tenants: string[] } {
  const contexts = everyContext(fleet);
  return { clusters: clustersOf(contexts).map((c) => c.label), tenants: tenantModel(fleet, contexts).tenants.map((t) => t.name) };
}

/** The values a base requires, each with its reason: what the editor asks for before add app. */
export function addAppRequired(fleet: Fleet, base: string): Array<{ key: string; reason?: string }> {
  return requiredValues(fleet, base);
}
