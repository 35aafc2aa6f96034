// The Fleet view's requests: its tree (the tree `flux-fleet tree` prints, each node with where it is written, its
// contexts, and where tenants begin) and what its filter offers (clusters, tenants with their contexts).
import type { Connection, CancellationToken as LspToken } from 'vscode-languageserver/node';
import * as ide from '../ide';
import { pathToUri, toRange } from './convert';
import { FLEET_FILTERS_REQUEST, FLEET_TREE_REQUEST, type FleetFiltersWire, type FleetViewNodeWire } from './fleetViewProtocol';

/** Tenants are marked in the tree of fleets up to this many contexts (the tenant model reads every whole build). */
export const TENANT_MARKS_MAX_CONTEXTS = 300;

type Answer = <T>(what: string, uri: string | undefined, fallback: T, token: LspToken, f: (fl: ide.Fleet) => T) => Promise<T>;

export function fleetViewRequests(connection: Connection, answer: Answer): void {
  connection.onRequest(FLEET_TREE_REQUEST, (_params: unknown, token: LspToken) =>
    answer('fleet tree', undefined, [] as FleetViewNodeWire[], token, (fl) => {
      const tree = ide.fleetTree(fl);
      const keys = new Set<string>();
      const collect = (n: ide.TreeNode) => {
        for (const k of n.contexts ?? []) keys.add(k);
        n.children.forEach(collect);
      };
      tree.forEach(collect);
      const tenants = keys.size <= TENANT_MARKS_MAX_CONTEXTS ? ide.fleetTenants(fl) : [];
      const tenantAt = new Map(tenants.flatMap((t) => t.tops.map((k) => [k, t.name] as const)));
      const begins = (n: ide.TreeNode) => n.kind === 'kustomization' && (n.contexts ?? []).some((k) => tenantAt.has(k));
      const convert = (n: ide.TreeNode): FleetViewNodeWire => ({
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
        tenant: begins(n) ? (n.contexts ?? []).map((k) => tenantAt.get(k)).find((t) => t !== undefined) : undefined,
        deploysTenants: n.kind === 'kustomization' && n.children.some(begins) ? true : undefined,
        children: n.children.map(convert),
      });
      return tree.map(convert);
    }),
  );

  connection.onRequest(FLEET_FILTERS_REQUEST, (_params: unknown, token: LspToken) =>
    answer('fleet filters', undefined, { clusters: [], tenants: [] } as FleetFiltersWire, token, (fl) => ({
      clusters: ide.fleetClusters(fl).map((c) => ({ label: c.label, folderUri: pathToUri(c.folder) })),
      tenants: ide.fleetTenants(fl).map((t) => ({ name: t.name, contexts: t.contexts })),
    })),
  );
}
