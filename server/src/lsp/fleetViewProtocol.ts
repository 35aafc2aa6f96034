// The wire form of the Fleet view between the server and its clients (types only: the VS Code client imports them).
import type { Range } from 'vscode-languageserver';

export const FLEET_TREE_REQUEST = 'fluxFleet/fleetTree';
export const FLEET_FILTERS_REQUEST = 'fluxFleet/fleetFilters';

/** A node of the Fleet view (features/fleetTree.ts TreeNode, positions as LSP ranges, paths as URIs). */
export interface FleetViewNodeWire {
  label: string;
  detail?: string;
  kind?: 'kustomization' | 'source' | 'path' | 'resourceSet' | 'inputSet' | 'object' | 'helmRelease' | 'app';
  notMapped?: boolean;
  uri?: string;
  range?: Range;
  docRange?: Range;
  folderUri?: string;
  /** A Kustomization's contexts (opaque keys, as the change impact and the tenants name them). */
  contexts?: string[];
  /** A root's cluster (`platform/clusters/prod/flux-system`) and its folder. */
  cluster?: string;
  clusterFolderUri?: string;
  /** A Kustomization where a tenant's code begins: the tenant's name. */
  tenant?: string;
  /** A Kustomization that deploys tenants (a child begins one). */
  deploysTenants?: boolean;
  children: FleetViewNodeWire[];
}

/** What the view's filter offers: the clusters (a root's `cluster` and `clusterFolderUri`) and the tenants with the contexts of their code. */
export interface FleetFiltersWire {
  clusters: Array<{ label: string; folderUri: string }>;
  tenants: Array<{ name: string; contexts: string[] }>;
}
