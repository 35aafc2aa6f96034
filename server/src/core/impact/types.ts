// The change impact of the working tree against a baseline (issue 15), as data: what the CLI (`flux-fleet diff`),
// the editor's Fleet Impact view, its status bar item and the `prune-deletes` diagnostic all read. Paths are the
// working tree's absolute paths on both sides (the baseline fleet is read at the same paths: core/impact/baseline).
import type { Json } from '../kustomize/types';
import type { Span } from '../text';
import type { ContextId } from '../evaluate/contextId';
import type { Layer } from '../layer';

/** Where the baseline of one repository came from. */
export interface BaselineRepo {
  /** The repository's root folder (working tree). */
  root: string;
  /** What was asked (`HEAD`, a branch, tag or commit), or `dir` for `--base-dir`. */
  rev: string;
  /** The commit it resolved to (git baselines). */
  commit?: string;
  /** Why this repository is compared with something else than asked (no .git, REV unknown here, …). */
  note?: string;
}

export interface Baseline {
  /** `HEAD`, `main`, `v1.2`, or `dir:/path` (shown in headers and the status bar). */
  label: string;
  repos: BaselineRepo[];
}

export type ChangeStatus = 'added' | 'removed' | 'changed';

/** A file whose text differs between the baseline and the working tree (saved or unsaved). */
export interface ChangedFile {
  file: string;
  status: ChangeStatus;
}

/** The place a value was written: file, span and the layer (kustomize step, Flux step, values layer). */
export interface ImpactCause {
  file: string;
  span?: Span;
  layer?: Layer;
  /** The cause is in the baseline's text (a removed line): the span is of the baseline file. */
  baseline?: boolean;
}

/** One leaf (or subtree added/removed as a whole) that differs. */
export interface FieldChange {
  /**
   * JSON pointer; list items of known merge keys are named by them rather than their index
   * (`/spec/template/spec/containers/[name=web]/image`), so a reorder is not a change.
   */
  path: string;
  /** Absent when the field was added. Secret values are masked (core/redact.ts): never the value itself. */
  old?: Json;
  /** Absent when the field was removed. Masked like `old`. */
  new?: Json;
  /** Where the new value was written (working tree), or for a removal where the old one was (baseline). */
  cause?: ImpactCause;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ObjectChange extends ObjectRef {
  status: ChangeStatus;
  /** For `changed`: every differing field. Empty for added/removed objects. */
  fields: FieldChange[];
  /** The object's origin document (working tree for added/changed, baseline for removed). */
  origin?: ImpactCause;
  /** Rendered by a Flux Operator ResourceSet of the context (`namespace/name`), which applies it and deletes it when it goes. */
  renderedBy?: string;
}

export type DangerCode =
  | 'prune-deletes' // a prune: true Kustomization will delete these objects
  | 'kustomization-removed' // a Flux Kustomization (or HelmRelease) goes away, with everything it deployed
  | 'renamed' // a Flux Kustomization or HelmRelease renamed: the old one's objects are deleted, new ones created
  | 'path-changed' // spec.path / sourceRef now builds something else
  | 'immutable-field' // a field Kubernetes cannot change in place (selector, volumeClaimTemplates, clusterIP, Job template, roleRef)
  | 'suspend-flipped'
  | 'chart-major' // a HelmRelease chart moves to a new major version (its spec.chart's, or the OCIRepository or HelmChart its chartRef names)
  | 'chart-changed' // a HelmRelease installs another chart (spec.chartRef or spec.chart's chart and source)
  | 'image-changed'; // an image reference changes (per workload)

export interface Danger {
  code: DangerCode;
  severity: 'error' | 'warning' | 'info';
  /** One sentence a reviewer reads: what happens, to what, and why it is dangerous. */
  message: string;
  /** The contexts (clusters) it happens in. */
  contexts: ContextId[];
  /** The objects concerned (deleted, renamed, changed). */
  objects: ObjectRef[];
  /** The line whose edit causes it, in the working tree (for a deleted line: the nearest line of the working text). */
  at?: ImpactCause;
}

export interface ContextImpact {
  id: ContextId;
  /** contextKey(id). */
  key: string;
  /** The context exists only in the working tree (added), only in the baseline (removed), or in both (changed). */
  status: ChangeStatus;
  /** The deploying Flux Kustomization prunes (spec.prune) on the side that decides deletion (the working tree's). */
  prune: boolean;
  objects: ObjectChange[];
  dangers: Danger[];
}

export interface FleetImpact {
  baseline: Baseline;
  changedFiles: ChangedFile[];
  /** Only contexts with at least one object change or danger, in a stable order (root folder, chain). */
  contexts: ContextImpact[];
  /** Every danger once (a deletion seen in several contexts is one danger naming them all), most severe first. */
  dangers: Danger[];
  totals: { contexts: number; objects: number; added: number; removed: number; changed: number; deletions: number };
}
