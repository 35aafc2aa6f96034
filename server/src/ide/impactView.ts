// The change impact as an editor shows it: contexts and layers named with the text users read (core/layer.ts,
// core/evaluate/contextId.ts decide it), and every place handed to the caller's `place` (the LSP layer turns a
// path and span into a URI and range; the facade never speaks LSP). A danger names its contexts by key.
import type { Json } from '../core/kustomize/types';
import type { Span } from '../core/text';
import type { ChangeStatus, Danger, FleetImpact, ImpactCause, ObjectRef } from '../core/impact/types';
import { layerLabel } from '../core/layer';
import { contextKey, contextLabel, deployerName, linkName, type ContextId } from '../core/evaluate/contextId';

export interface PlaceView {
  file: string;
  span?: Span;
  /** The span is of the baseline's text (a removed line), not of the working text. */
  baseline: boolean;
}

export interface CauseView<P> {
  place: P;
  layer?: string;
  baseline?: boolean;
}

export interface DangerView<P> {
  code: string;
  severity: Danger['severity'];
  message: string;
  contexts: string[];
  objects: ObjectRef[];
  at?: CauseView<P>;
}

export interface ImpactView<P> {
  baseline: { label: string; repos: Array<{ root: string; rev: string; commit?: string; note?: string }> };
  changedFiles: Array<{ file: string; status: ChangeStatus }>;
  contexts: Array<{
    key: string;
    /** The cluster: the folder of the context's root (`fleet/clusters/prod`). */
    cluster: string;
    label: string;
    name: string;
    status: ChangeStatus;
    prune: boolean;
    objects: Array<ObjectRef & { status: ChangeStatus; fields: Array<{ path: string; old?: Json; new?: Json; cause?: CauseView<P> }>; origin?: CauseView<P> }>;
    dangers: Array<DangerView<P>>;
  }>;
  dangers: Array<DangerView<P>>;
  totals: FleetImpact['totals'];
}

export function impactView<P>(impact: FleetImpact, place: (p: PlaceView) => P): ImpactView<P> {
  const cause = (c: ImpactCause | undefined): CauseView<P> | undefined =>
    c && { place: place({ file: c.file, span: c.span, baseline: !!c.baseline }), layer: c.layer && layerLabel(c.layer), ...(c.baseline ? { baseline: true } : {}) };
  const danger = (d: Danger): DangerView<P> => ({ code: d.code, severity: d.severity, message: d.message, contexts: d.contexts.map(contextKey), objects: d.objects, at: cause(d.at) });
  const shortName = namesWithinClusters(impact.contexts.map((c) => c.id));
  return {
    baseline: impact.baseline,
    changedFiles: impact.changedFiles,
    contexts: impact.contexts.map((c) => ({
      key: c.key,
      cluster: c.id.root,
      label: contextLabel(c.id),
      name: shortName(c.id),
      status: c.status,
      prune: c.prune,
      objects: c.objects.map((o) => ({ ...o, fields: o.fields.map((f) => ({ ...f, cause: cause(f.cause) })), origin: cause(o.origin) })),
      dangers: c.dangers.map(danger),
    })),
    dangers: impact.dangers.map(danger),
    totals: impact.totals,
  };
}

/**
 * A context's name under its cluster (the view shows the cluster — the root's folder — above it): the Kustomization
 * that deploys, or the whole chain when two contexts of the cluster share that name.
 */
function namesWithinClusters(ids: ContextId[]): (id: ContextId) => string {
  const count = new Map<string, number>();
  const clusterName = (id: ContextId) => JSON.stringify([id.root, deployerName(id)]);
  for (const id of ids) count.set(clusterName(id), (count.get(clusterName(id)) ?? 0) + 1);
  return (id) => ((count.get(clusterName(id)) ?? 0) > 1 ? id.chain.map(linkName).join(' > ') : deployerName(id));
}

/** No comparison (the baseline setting is empty): nothing changed. */
export function noImpact(): FleetImpact {
  return { baseline: { label: '', repos: [] }, changedFiles: [], contexts: [], dangers: [], totals: { contexts: 0, objects: 0, added: 0, removed: 0, changed: 0, deletions: 0 } };
}
