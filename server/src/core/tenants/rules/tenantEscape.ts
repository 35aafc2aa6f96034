// tenant-escape: a tenant's build creates cluster-scoped objects, or objects in another tenant's or the platform's
// namespaces. A tenant whose service account a ClusterRoleBinding binds is not held to namespaces (the platform gave
// it the cluster): it is left alone.
import { isClusterScopedObject } from '../../kube/kinds';
import { describe, isHelmRelease, namespaceOf, placeOf, specOf, str } from '../objects';
import type { RuleHit, TenantRule } from '../types';

export const tenantEscape: TenantRule = {
  code: 'tenant-escape',
  readsObjectsOnly: true,
  check(model, tc) {
    const { tenant } = tc;
    if (tenant.clusterWide) return [];
    const own = [...tenant.namespaces].sort().join(', ') || '(none)';
    const owner = (ns: string) => model.platformNamespaces.has(ns) ? 'the platform' : model.tenants.find((t) => t !== tenant && t.namespaces.has(ns))?.name;
    const hits: RuleHit[] = [];
    for (const r of tc.ctx.build.resources) {
      const base = { code: 'tenant-escape' as const, severity: 'error' as const, tenant: tenant.name, lockdown: tc.lockdown.any };
      if (isClusterScopedObject(r.obj.apiVersion as string | undefined, String(r.obj.kind))) {
        hits.push({ ...base, ...placeOf(r), what: `its build creates ${describe(r)}, which is cluster-scoped`, fix: `cluster-scoped objects are the platform's: move it to the platform's repository, or remove it` });
        continue;
      }
      // Where the object goes, and where a HelmRelease installs its chart.
      const places: Array<[string | undefined, string, string]> = [[namespaceOf(r), '/metadata/namespace', `puts ${describe(r)} into`]];
      if (isHelmRelease(r)) places.push([str(specOf(r).targetNamespace), '/spec/targetNamespace', `has ${describe(r)} install its chart into`]);
      for (const [ns, at, does] of places) {
        if (!ns || tenant.namespaces.has(ns)) continue;
        const who = owner(ns);
        if (!who) continue;
        hits.push({ ...base, ...placeOf(r, at), what: `its build ${does} namespace ${ns}, which belongs to ${who === 'the platform' ? who : `tenant ${who}`}`, fix: `keep its objects in its own namespaces (${own})` });
      }
    }
    return hits;
  },
};
