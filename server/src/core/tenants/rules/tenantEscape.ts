// tenant-escape: a tenant's build creates cluster-scoped objects, or objects in another tenant's or the platform's
// namespaces. A tenant whose service account a ClusterRoleBinding binds is not held to namespaces (the platform gave
// it the cluster): it is left alone.
import { isClusterScopedObject } from '../../kube/kinds';
import { describe, isHelmRelease, namespaceOf, placeOf, specOf, str } from '../objects';
import type { Resource } from '../../kustomize/types';
import type { RuleHit, TenantRule } from '../types';

export const tenantEscape: TenantRule = {
  code: 'tenant-escape',
  readsObjectsOnly: true,
  check(model, tc) {
    const { tenant } = tc;
    if (tenant.clusterWide) return [];
    const owner = (ns: string) => (model.platformNamespaces.has(ns) ? 'the platform' : model.tenants.find((t) => t !== tenant && t.namespaces.has(ns))?.name);
    const hits: RuleHit[] = [];
    // A hit's parts are made only for a hit: most objects stay in the tenant's namespaces (a build's every object was
    // given its own description strings, place tuples and hit base, 30,000 objects a whole check of the synthetic fleet).
    const hit = (r: Resource, at: string | undefined, what: string, fix: string) =>
      hits.push({ code: 'tenant-escape', severity: 'error', tenant: tenant.name, lockdown: tc.lockdown.any, ...(at === undefined ? placeOf(r) : placeOf(r, at)), what, fix });
    // Where the object goes, and where a HelmRelease installs its chart.
    const place = (r: Resource, ns: string | undefined, at: string, does: string) => {
      if (!ns || tenant.namespaces.has(ns)) return;
      const who = owner(ns);
      if (!who) return;
      hit(r, at, `its build ${does} ${describe(r)} ${does === 'puts' ? 'into' : 'install its chart into'} namespace ${ns}, which belongs to ${who === 'the platform' ? who : `tenant ${who}`}`, `keep its objects in its own namespaces (${[...tenant.namespaces].sort().join(', ') || '(none)'})`);
    };
    for (const r of tc.ctx.build.resources) {
      if (isClusterScopedObject(r.obj.apiVersion as string | undefined, String(r.obj.kind))) {
        hit(r, undefined, `its build creates ${describe(r)}, which is cluster-scoped`, `cluster-scoped objects are the platform's: move it to the platform's repository, or remove it`);
        continue;
      }
      place(r, namespaceOf(r), '/metadata/namespace', 'puts');
      if (isHelmRelease(r)) place(r, str(specOf(r).targetNamespace), '/spec/targetNamespace', 'has');
    }
    return hits;
  },
};
