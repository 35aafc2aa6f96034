// no-service-account: a tenant's Kustomization or HelmRelease without `serviceAccountName` runs with the controller's
// own rights (cluster-admin), unless the lockdown names a default account (`--default-service-account`, or the
// FluxInstance's `tenantDefaultServiceAccount` under `multitenant`). Only controllers the cluster runs count: a
// FluxInstance's `spec.components` without helm-controller applies no HelmRelease.
import type { Resource } from '../../kustomize/types';
import { describe, isHelmRelease, placeOf, specOf, str } from '../objects';
import { flagOn } from '../lockdown';
import type { Controller, RuleHit, TenantContext, TenantRule } from '../types';

function hit(tc: TenantContext, r: Resource, controller: Controller): RuleHit | undefined {
  // A controller the cluster's FluxInstance does not install applies nothing (spec.components).
  if (tc.lockdown.components && !tc.lockdown.components.names.includes(controller)) return undefined;
  if (str(specOf(r).serviceAccountName) || flagOn(tc.lockdown, 'default-service-account', controller)) return undefined;
  const sa = [...tc.tenant.serviceAccounts].sort()[0];
  return {
    code: 'no-service-account',
    severity: tc.lockdown.any ? 'error' : 'warning',
    tenant: tc.tenant.name,
    lockdown: tc.lockdown.any,
    ...placeOf(r),
    what: `${describe(r)} has no spec.serviceAccountName and no default service account is set: ${controller} applies it with its own cluster-admin rights`,
    fix: `set spec.serviceAccountName${sa ? ` (e.g. ${sa})` : ' to the tenant\'s service account'}, or have the platform set --default-service-account (FluxInstance spec.cluster.tenantDefaultServiceAccount)`,
  };
}

/** The tenant's Kustomization: the context's own spec, as its parent rendered it. */
export const noServiceAccount: TenantRule = {
  code: 'no-service-account',
  check(_model, tc) {
    const h = hit(tc, tc.spec, 'kustomize-controller');
    return h ? [h] : [];
  },
};

/**
 * The HelmReleases the tenant's build holds: read from the objects alone (with the tenant and the lockdown), so the
 * contexts whose builds hold the same objects share the hits of the first (registry.ts), instead of a hit and its
 * messages per release per context. Runs right after noServiceAccount: the hits come in the order they did.
 */
export const noServiceAccountReleases: TenantRule = {
  code: 'no-service-account',
  readsObjectsOnly: true,
  check(_model, tc) {
    const hits: RuleHit[] = [];
    for (const r of tc.ctx.build.resources) {
      if (!isHelmRelease(r)) continue;
      const h = hit(tc, r, 'helm-controller');
      if (h) hits.push(h);
    }
    return hits;
  },
};
