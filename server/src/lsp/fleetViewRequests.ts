// The Fleet view's requests: its tree (the tree `flux-fleet tree` prints, each node with where it is written, its
// contexts, and where tenants begin) and what its filter offers (clusters, tenants with their contexts). The view asks
// for the lazy tree (the links' part: no context built) and evaluates a Kustomization when it is expanded.
import type { Connection, CancellationToken as LspToken } from 'vscode-languageserver/node';
import * as ide from '../ide';
import { pathToUri, toRange } from './convert';
import { FLEET_FILTERS_REQUEST, FLEET_TREE_NODE_REQUEST, FLEET_TREE_REQUEST, type FleetFiltersWire, type FleetTreeParams, type FleetViewFillWire, type FleetViewNodeWire } from './fleetViewProtocol';

/** Tenants are marked in the tree of fleets up to this many contexts (the tenant model reads every whole build). */
export const TENANT_MARKS_MAX_CONTEXTS = 300;

type Answer = <T>(what: string, uri: string | undefined, fallback: T, token: LspToken, f: (fl: ide.Fleet) => T) => Promise<T>;

/** Context key → the tenant that begins there (empty when tenants are not marked). */
type TenantAt = ReadonlyMap<string, string>;

function tenantMarks(fl: ide.Fleet, contexts: number): TenantAt {
  const tenants = contexts <= TENANT_MARKS_MAX_CONTEXTS ? ide.fleetTenants(fl) : [];
  return new Map(tenants.flatMap((t) => t.tops.map((k) => [k, t.name] as const)));
}

const tenantOf = (tenantAt: TenantAt, contexts: readonly string[] | undefined) => (contexts ?? []).map((k) => tenantAt.get(k)).find((t) => t !== undefined);

function toWire(fl: ide.Fleet, tenantAt: TenantAt, n: ide.TreeNode): FleetViewNodeWire {
  const begins = (c: ide.TreeNode) => c.kind === 'kustomization' && tenantOf(tenantAt, c.contexts) !== undefined;
  return {
    label: n.label,
    detail: n.detail,
    kind: n.kind,
    notMapped: n.notMapped,
    uri: n.at ? pathToUri(n.at.file) : undefined,
    range: n.at ? toRange(fl, n.at.file, n.at.span) : undefined,
    docRange: n.at && n.doc ? toRange(fl, n.at.file, n.doc) : undefined,
    folderUri: n.folder ? pathToUri(n.folder) : undefined,
    contexts: n.contexts,
    cluster: n.cluster,
    clusterFolderUri: n.clusterFolder ? pathToUri(n.clusterFolder) : undefined,
    tenant: begins(n) ? tenantOf(tenantAt, n.contexts) : undefined,
    deploysTenants: n.kind === 'kustomization' && n.children.some(begins) ? true : undefined,
    expand: n.evaluated ? n.id : undefined,
    children: n.children.map((c) => toWire(fl, tenantAt, c)),
  };
}

/** The Kustomizations a node shows directly below it (through a ResourceSet's input sets too). */
function kustomizationsBelow(n: ide.TreeNode): ide.TreeNode[] {
  return n.children.flatMap((c) => (c.kind === 'kustomization' ? [c] : c.kind === 'resourceSet' || c.kind === 'inputSet' ? kustomizationsBelow(c) : []));
}

/** Tenant marks of a lazy tree: made once per tree, when a count of the fleet's contexts (bounded) allows them. */
function lazyTenantMarks(fl: ide.Fleet, tree: ide.LazyTree): TenantAt {
  return (tree.memo.tenantAt ??= tenantMarks(fl, ide.countContexts(fl, TENANT_MARKS_MAX_CONTEXTS + 1)));
}

/** A lazy Kustomization evaluated: what its expansion shows, and its child Kustomizations' menus. */
function fill(fl: ide.Fleet, tree: ide.LazyTree, node: ide.TreeNode): FleetViewFillWire {
  const parts = node.evaluated!;
  const tenantAt = lazyTenantMarks(fl, tree);
  const contextsOf = (n: ide.TreeNode) => n.evaluated?.contexts() ?? n.contexts;
  const begins = (n: ide.TreeNode) => tenantOf(tenantAt, contextsOf(n)) !== undefined;
  const contexts = contextsOf(node);
  const kids: FleetViewFillWire['kids'] = {};
  for (const k of kustomizationsBelow(node)) {
    if (!k.id) continue;
    const ks = contextsOf(k);
    kids[k.id] = { contexts: ks, tenant: begins(k) ? tenantOf(tenantAt, ks) : undefined, deploysTenants: tenantAt.size && k.children.some((c) => c.kind === 'kustomization' && begins(c)) ? true : undefined };
  }
  return {
    contexts,
    tenant: tenantOf(tenantAt, contexts),
    deploysTenants: node.children.some((c) => c.kind === 'kustomization' && begins(c)) ? true : undefined,
    pathDetail: parts.pathDetail(),
    releases: parts.releases().map((r) => toWire(fl, tenantAt, r)),
    kids,
  };
}

export function fleetViewRequests(connection: Connection, answer: Answer): void {
  connection.onRequest(FLEET_TREE_REQUEST, (params: FleetTreeParams | undefined, token: LspToken) =>
    answer('fleet tree', undefined, [] as FleetViewNodeWire[], token, (fl) => {
      if (params?.lazy) return ide.lazyFleetTree(fl).roots.map((n) => toWire(fl, new Map(), n));
      const tree = ide.fleetTree(fl);
      const keys = new Set<string>();
      const collect = (n: ide.TreeNode) => {
        for (const k of n.contexts ?? []) keys.add(k);
        n.children.forEach(collect);
      };
      tree.forEach(collect);
      const tenantAt = tenantMarks(fl, keys.size);
      return tree.map((n) => toWire(fl, tenantAt, n));
    }),
  );

  connection.onRequest(FLEET_TREE_NODE_REQUEST, (params: { id: string }, token: LspToken) =>
    answer('fleet tree node', undefined, null as FleetViewFillWire | null, token, (fl) => {
      const tree = ide.lazyFleetTree(fl);
      const node = tree.byId.get(params.id);
      return node ? fill(fl, tree, node) : null;
    }),
  );

  connection.onRequest(FLEET_FILTERS_REQUEST, (_params: unknown, token: LspToken) =>
    answer('fleet filters', undefined, { clusters: [], tenants: [] } as FleetFiltersWire, token, (fl) => ({
      clusters: ide.fleetClusters(fl).map((c) => ({ label: c.label, folderUri: pathToUri(c.folder) })),
      tenants: ide.fleetTenants(fl).map((t) => ({ name: t.name, contexts: t.contexts })),
    })),
  );
}
