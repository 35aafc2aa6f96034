// The wire form of the Fleet view between the server and its clients (types only: the VS Code client imports them).
import type { Range } from 'vscode-languageserver';

export const FLEET_TREE_REQUEST = 'fluxFleet/fleetTree';
export const FLEET_FILTERS_REQUEST = 'fluxFleet/fleetFilters';
/** A lazy tree's Kustomization, evaluated: `{ id }` → FleetViewFillWire, or null when the tree changed (ask again). */
export const FLEET_TREE_NODE_REQUEST = 'fluxFleet/fleetTreeNode';

/** `fluxFleet/fleetTree`'s parameters: `lazy` asks for the links' tree (no context built; Kustomizations with `expand`). */
export interface FleetTreeParams {
  lazy?: boolean;
}

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
  /** A lazy tree's Kustomization not evaluated yet: the id `fluxFleet/fleetTreeNode` evaluates. */
  expand?: string;
  children: FleetViewNodeWire[];
}

/** What evaluating a lazy Kustomization adds: its contexts and tenant marks, its path's rendered folder, its releases. */
export interface FleetViewFillWire {
  contexts?: string[];
  tenant?: string;
  deploysTenants?: boolean;
  /** The detail of its path node, when the contexts decide the folder. */
  pathDetail?: string;
  /** Its HelmReleases and Apps (appended to its children). */
  releases: FleetViewNodeWire[];
  /** Its child Kustomizations' contexts and tenant marks (by `expand` id): their menus before they are expanded. */
  kids: Record<string, { contexts?: string[]; tenant?: string; deploysTenants?: boolean }>;
}

/** What the view's filter offers: the clusters (a root's `cluster` and `clusterFolderUri`) and the tenants with the contexts of their code. */
export interface FleetFiltersWire {
  clusters: Array<{ label: string; folderUri: string }>;
  tenants: Array<{ name: string; contexts: string[] }>;
}
