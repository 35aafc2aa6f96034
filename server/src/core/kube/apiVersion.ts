// An apiVersion's two parts, `group/version` (`apps/v1`) or a core group's bare version (`v1`): the one split every
// module asks for (kustomize ids, the kinds table, the schema catalogue, producers, tenants, completion).

/** The API group: `apps` of `apps/v1`, '' for the core group (`v1`). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The version: `v1` of `apps/v1`, and of `v1`. */
export function apiVersionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** apiGroupOf(apiVersion) === group, without the group sliced out (asked of many objects in a row: kustomize's name
 *  references look up each renamed object among those of its name). */
export function inApiGroup(apiVersion: string, group: string): boolean {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? group === '' : slash === group.length && apiVersion.startsWith(group);
}
