// cross-namespace-ref: under Flux's no-cross-namespace-refs lockdown, a tenant's sourceRef, chartRef or dependsOn
// into another namespace is refused by the controller.
import type { Resource } from '../../kustomize/types';
import { describe, isHelmRelease, namespaceOf, obj, placeOf, pointer, specOf, str } from '../objects';
import { flagOn } from '../lockdown';
import type { Controller, RuleHit, TenantContext, TenantRule } from '../types';

/** The namespaced references of a Flux object: [path to the reference, its namespace]. */
function references(r: Resource): Array<[Array<string | number>, string]> {
  const spec = specOf(r);
  const out: Array<[Array<string | number>, string]> = [];
  const add = (path: Array<string | number>, ref: unknown) => {
    const ns = str(obj(ref as never)?.namespace);
    if (ns) out.push([path, ns]);
  };
  add(['spec', 'sourceRef'], spec.sourceRef);
  add(['spec', 'chartRef'], spec.chartRef);
  add(['spec', 'chart', 'spec', 'sourceRef'], obj(obj(spec.chart)?.spec)?.sourceRef);
  (Array.isArray(spec.dependsOn) ? spec.dependsOn : []).forEach((d, i) => add(['spec', 'dependsOn', i], d));
  return out;
}

function check(tc: TenantContext, r: Resource, controller: Controller): RuleHit[] {
  const ns = namespaceOf(r);
  const lock = flagOn(tc.lockdown, 'no-cross-namespace-refs', controller);
  if (!ns || !lock) return [];
  return references(r)
    .filter(([, target]) => target !== ns)
    .map(([path, target]) => ({
      code: 'cross-namespace-ref' as const,
      severity: 'error' as const,
      tenant: tc.tenant.name,
      lockdown: lock,
      ...placeOf(r, pointer(...path, 'namespace')),
      what: `${describe(r)} refers to namespace ${target} (${path.slice(1).join('.')}), which ${controller} refuses under no-cross-namespace-refs`,
      fix: `refer to an object in ${ns}: have the platform put a copy there, or drop the namespace`,
    }));
}

/** The tenant's Kustomization: the context's own spec, as its parent rendered it. */
export const crossNamespaceRef: TenantRule = {
  code: 'cross-namespace-ref',
  check(_model, tc) {
    return check(tc, tc.spec, 'kustomize-controller');
  },
};

/**
 * The HelmReleases the tenant's build holds: read from the objects alone (with the tenant and the lockdown), so the
 * contexts whose builds hold the same objects share the hits of the first (registry.ts). Runs right after
 * crossNamespaceRef: the hits come in the order they did.
 */
export const crossNamespaceRefReleases: TenantRule = {
  code: 'cross-namespace-ref',
  readsObjectsOnly: true,
  check(_model, tc) {
    return tc.ctx.build.resources.filter(isHelmRelease).flatMap((r) => check(tc, r, 'helm-controller'));
  },
};
