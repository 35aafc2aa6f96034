// rbac-broadening: a tenant's own RoleBinding that grants cluster-admin, or a ClusterRole with `*` verbs, in its
// namespace. (A RoleBinding to cluster-admin the platform writes for the tenant is the documented pattern, and is not
// the tenant's code.)
import { describe, obj, placeOf, str } from '../objects';
import type { RuleHit, TenantRule } from '../types';

export const rbacBroadening: TenantRule = {
  code: 'rbac-broadening',
  readsObjectsOnly: true,
  check(model, tc) {
    if (tc.tenant.clusterWide) return [];
    const hits: RuleHit[] = [];
    for (const r of tc.ctx.build.resources) {
      if (r.obj.kind !== 'RoleBinding') continue;
      const ref = obj(r.obj.roleRef);
      const role = str(ref?.name);
      if (!role || ref?.kind !== 'ClusterRole') continue;
      const wildcard = model.clusterRoleVerbs.get(role)?.verbs.has('*');
      if (role !== 'cluster-admin' && !wildcard) continue;
      hits.push({
        code: 'rbac-broadening',
        severity: 'warning',
        tenant: tc.tenant.name,
        lockdown: tc.lockdown.any,
        ...placeOf(r, '/roleRef/name'),
        what: `${describe(r)} grants ClusterRole ${role}${role === 'cluster-admin' ? '' : ", whose rules allow every verb ('*')"}`,
        fix: `bind a narrower role (e.g. ClusterRole edit or view, or a Role of the tenant's own)`,
      });
    }
    return hits;
  },
};
