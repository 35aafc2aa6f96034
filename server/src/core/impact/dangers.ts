// Danger flags of one context's impact: what a reviewer must not miss. Each is built from the object changes the
// engine computed (never from the files as written) and names the line whose edit causes it.
import type { Json } from '../kustomize/types';
import type { ContextId } from '../evaluate/contextId';
import type { Danger, DangerCode, FieldChange, ImpactCause, ObjectChange, ObjectRef } from './types';

/** Kinds whose deletion loses data (or every object inside them). */
const DATA_KINDS: ReadonlySet<string> = new Set(['Namespace', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'StatefulSet']);

export function holdsData(ref: ObjectRef): boolean {
  return DATA_KINDS.has(ref.kind);
}

/** What the editor's `prune-deletes` diagnostic makes an error: a whole namespace, a volume's data, a CRD's objects. */
const LOST_WITH_EVERYTHING_IN_IT: ReadonlySet<string> = new Set(['Namespace', 'PersistentVolumeClaim', 'CustomResourceDefinition']);

export function losesData(ref: ObjectRef): boolean {
  return LOST_WITH_EVERYTHING_IN_IT.has(ref.kind);
}

export function refLabel(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** At most a few names, then how many more. */
export function refList(refs: ObjectRef[], max = 5): string {
  const shown = refs.slice(0, max).map(refLabel).join(', ');
  return refs.length > max ? `${shown} and ${refs.length - max} more` : shown;
}

export function refOf(o: ObjectRef): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, ...(o.namespace ? { namespace: o.namespace } : {}), name: o.name };
}

export function isFluxKustomization(o: ObjectRef): boolean {
  return o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');
}
export function isHelmRelease(o: ObjectRef): boolean {
  return o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/');
}

export function danger(code: DangerCode, severity: Danger['severity'], message: string, id: ContextId, objects: ObjectRef[], at: ImpactCause | undefined): Danger {
  return { code, severity, message, contexts: [id], objects, ...(at ? { at } : {}) };
}

/** Deletions by a pruning Kustomization: an error when something that holds data goes. */
export function pruneDeletes(id: ContextId, deployer: string, removed: ObjectRef[], at: ImpactCause | undefined): Danger | undefined {
  if (!removed.length) return undefined;
  const data = removed.filter(holdsData);
  const severity = data.length ? 'error' : 'warning';
  const why = data.length ? `; ${refList(data)} ${data.length === 1 ? 'holds' : 'hold'} data` : '';
  return danger('prune-deletes', severity, `Kustomization ${deployer} (prune: true) deletes ${removed.length} object${removed.length === 1 ? '' : 's'}: ${refList(removed)}${why}.`, id, removed, at);
}

/** Immutable fields by kind: the pointer prefixes Kubernetes refuses to change in place. */
const IMMUTABLE: ReadonlyArray<{ kinds: ReadonlySet<string>; prefix: string; label: string }> = [
  { kinds: new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']), prefix: '/spec/selector', label: 'spec.selector' },
  { kinds: new Set(['StatefulSet']), prefix: '/spec/volumeClaimTemplates', label: 'spec.volumeClaimTemplates' },
  { kinds: new Set(['Service']), prefix: '/spec/clusterIP', label: 'spec.clusterIP' },
  { kinds: new Set(['Job']), prefix: '/spec/template', label: 'spec.template' },
  { kinds: new Set(['RoleBinding', 'ClusterRoleBinding']), prefix: '/roleRef', label: 'roleRef' },
];

export function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/');
}

export function show(v: Json | undefined): string {
  return v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Field-level dangers of one changed object: immutable fields, suspend, images (charts: chartDangers.ts). */
export function fieldDangers(id: ContextId, o: ObjectChange, force: boolean): Danger[] {
  const out: Danger[] = [];
  const ref = refOf(o);
  for (const rule of IMMUTABLE) {
    if (!rule.kinds.has(o.kind)) continue;
    const hits = o.fields.filter((f) => under(f.path, rule.prefix));
    if (!hits.length) continue;
    const what = force ? 'Flux deletes and recreates it (spec.force: true)' : 'the apply fails (Flux recreates it only with spec.force: true)';
    out.push(danger('immutable-field', force ? 'warning' : 'error', `${refLabel(ref)}: ${rule.label} cannot change in place: ${what}.`, id, [ref], hits[0].cause));
  }
  const suspend = o.apiVersion.includes('.fluxcd.io/') && o.fields.find((f) => f.path === '/spec/suspend');
  if (suspend && Boolean(suspend.old) !== Boolean(suspend.new)) {
    const msg = suspend.new ? 'Flux stops reconciling it' : 'Flux reconciles it again, applying everything changed meanwhile';
    out.push(danger('suspend-flipped', 'warning', `${refLabel(ref)}: suspend ${show(suspend.old ?? false)} → ${show(suspend.new ?? false)}: ${msg}.`, id, [ref], suspend.cause));
  }
  out.push(...imageDangers(id, ref, o.fields));
  return out;
}

function imageDangers(id: ContextId, ref: ObjectRef, fields: FieldChange[]): Danger[] {
  const images = fields.filter((f) => /\/(containers|initContainers|ephemeralContainers)\/[^/]+\/image$/.test(f.path));
  if (!images.length) return [];
  const list = images.map((f) => `${show(f.old)} → ${show(f.new)}`).join(', ');
  return [danger('image-changed', 'info', `${refLabel(ref)}: image ${list}.`, id, [ref], images[0].cause)];
}
