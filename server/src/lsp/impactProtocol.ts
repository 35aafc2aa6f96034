// The wire form of the change impact (issue 15) between the server and its clients: what `fluxFleet/impact`
// answers and `fluxFleet/impactChanged` carries. It is core/impact/types.ts's FleetImpact with the editor's
// coordinates: every file is a `file:` URI and every span an LSP range of the text the client holds (the working
// tree; a cause in a removed line of the baseline has no range), layers and contexts with the text users read.
// Types only: the VS Code client imports them too (client/src), nothing runs.
import type { Range } from 'vscode-languageserver';

export type ImpactStatus = 'added' | 'removed' | 'changed';
export type DangerSeverity = 'error' | 'warning' | 'info';

export interface ImpactCauseWire {
  uri: string;
  /** In the working text; absent for a cause in the baseline's text (`baseline: true`). */
  range?: Range;
  /** The layer that wrote the value, as users read it (`patches`, `flux:postBuild`, `valuesFrom[0] …`). */
  layer?: string;
  baseline?: boolean;
}

export interface FieldChangeWire {
  /** JSON pointer, list items by merge key (`/spec/template/spec/containers/[name=web]/image`). */
  path: string;
  /** Absent when added; secrets are masked by the engine. */
  old?: unknown;
  /** Absent when removed. */
  new?: unknown;
  cause?: ImpactCauseWire;
}

export interface ObjectRefWire {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ObjectChangeWire extends ObjectRefWire {
  status: ImpactStatus;
  fields: FieldChangeWire[];
  origin?: ImpactCauseWire;
}

export interface DangerWire {
  code: string;
  severity: DangerSeverity;
  message: string;
  /** Keys of the contexts it happens in (`ContextImpactWire.key`). */
  contexts: string[];
  objects: ObjectRefWire[];
  at?: ImpactCauseWire;
}

export interface ContextImpactWire {
  /** Opaque (contextKey): what `fluxFleet/renderedPair` takes. */
  key: string;
  /** The cluster it belongs to: the folder of its root (`fleet/clusters/prod`), as users read it. */
  cluster: string;
  /** The whole context (`repo/clusters/prod: flux-system/flux-system > flux-system/apps`). */
  label: string;
  /** Short, under its cluster: the deploying Kustomization (`flux-system/apps`), the whole chain when two share it. */
  name: string;
  status: ImpactStatus;
  prune: boolean;
  objects: ObjectChangeWire[];
  dangers: DangerWire[];
}

export interface FleetImpactWire {
  /** The fleet version it was computed for (a later `impactChanged` supersedes it). */
  version: number;
  /** False when the setting `fluxFleet.impact.baseline` is empty: nothing is compared. */
  enabled: boolean;
  baseline: { label: string; repos: Array<{ root: string; rev: string; commit?: string; note?: string }> };
  changedFiles: Array<{ uri: string; status: ImpactStatus }>;
  contexts: ContextImpactWire[];
  dangers: DangerWire[];
  totals: { contexts: number; objects: number; added: number; removed: number; changed: number; deletions: number };
}

/** `fluxFleet/renderedPair` params and result: the context's rendered output at the baseline and in the working tree (absent: it does not exist there). */
export interface RenderedPairParams {
  key: string;
}
export interface RenderedPairWire {
  base?: string;
  work?: string;
}

export const IMPACT_REQUEST = 'fluxFleet/impact';
export const IMPACT_CHANGED = 'fluxFleet/impactChanged';
export const RENDERED_PAIR_REQUEST = 'fluxFleet/renderedPair';
