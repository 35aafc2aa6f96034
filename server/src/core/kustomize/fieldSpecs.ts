// kustomize's field specs: where each built-in transformer writes, per kind. Paths use `/` and `[]` for "every
// item of this list", as in kustomize's own configuration (api/internal/konfig/builtinpluginconsts).
import type { Json, JsonObject, Resource } from './types';
import { resIdOf } from './resid';
import { escapeSegment } from './provenance';

export interface FieldSpec {
  path: string;
  kind?: string;
  group?: string;
  version?: string;
  create?: boolean;
}

const WORKLOADS_WITH_TEMPLATE: Array<[string | undefined, string]> = [
  [undefined, 'Deployment'],
  [undefined, 'ReplicaSet'],
  [undefined, 'DaemonSet'],
  ['apps', 'StatefulSet'],
  ['batch', 'Job'],
];

export const METADATA_LABELS: FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  { path: 'spec/template/metadata/labels', create: true, version: 'v1', kind: 'ReplicationController' },
  ...WORKLOADS_WITH_TEMPLATE.map(([group, kind]) => ({ path: 'spec/template/metadata/labels', create: true, group, kind })),
  { path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true, group: 'apps', kind: 'StatefulSet' },
  { path: 'spec/jobTemplate/metadata/labels', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/labels', create: true, group: 'batch', kind: 'CronJob' },
];

const AFFINITY = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

/** commonLabels (and `labels` with includeSelectors): metadata, templates and selectors. */
export const COMMON_LABELS: FieldSpec[] = [
  { path: 'spec/selector', create: true, version: 'v1', kind: 'Service' },
  { path: 'spec/selector', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'Deployment' },
  ...AFFINITY.map((path) => ({ path, create: false, group: 'apps', kind: 'Deployment' })),
  { path: 'spec/selector/matchLabels', create: true, kind: 'ReplicaSet' },
  { path: 'spec/selector/matchLabels', create: true, kind: 'DaemonSet' },
  { path: 'spec/selector/matchLabels', create: true, group: 'apps', kind: 'StatefulSet' },
  { path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true, group: 'apps', kind: 'StatefulSet' },
  ...AFFINITY.map((path) => ({ path, create: false, group: 'apps', kind: 'StatefulSet' })),
  { path: 'spec/selector/matchLabels', create: false, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/spec/selector/matchLabels', create: false, group: 'batch', kind: 'CronJob' },
  { path: 'spec/selector/matchLabels', create: false, group: 'policy', kind: 'PodDisruptionBudget' },
  { path: 'spec/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { path: 'spec/ingress/from/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { path: 'spec/egress/to/podSelector/matchLabels', create: false, group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  ...METADATA_LABELS,
];

/** `labels` with includeTemplates but not includeSelectors: metadata and pod templates only. */
export const TEMPLATE_LABELS: FieldSpec[] = METADATA_LABELS;

export const COMMON_ANNOTATIONS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  { path: 'spec/template/metadata/annotations', create: true, version: 'v1', kind: 'ReplicationController' },
  ...WORKLOADS_WITH_TEMPLATE.map(([group, kind]) => ({ path: 'spec/template/metadata/annotations', create: true, group, kind })),
  { path: 'spec/jobTemplate/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
];

export const IMAGES: FieldSpec[] = [
  { path: 'spec/containers[]/image', create: true },
  { path: 'spec/initContainers[]/image', create: true },
  { path: 'spec/template/spec/containers[]/image', create: true },
  { path: 'spec/template/spec/initContainers[]/image', create: true },
];

export const REPLICAS: FieldSpec[] = ['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({ path: 'spec/replicas', create: true, kind }));

export function specApplies(fs: FieldSpec, r: Resource): boolean {
  const id = resIdOf(r.obj);
  if (fs.kind !== undefined && fs.kind !== id.kind) return false;
  if (fs.group !== undefined && fs.group !== id.group) return false;
  if (fs.version !== undefined && fs.version !== id.version) return false;
  return true;
}


/**
 * Visits the field a spec names in a resource. `visit(parent, key, pointer)` receives the containing object and
 * the final key; intermediate maps are created when the spec says `create` and `createMissing` is true.
 */
export function visitField(r: Resource, fs: FieldSpec, visit: (parent: JsonObject, key: string, pointer: string) => void, createMissing = true): void {
  const segments = fs.path.split('/');
  const walk = (node: Json, i: number, pointer: string): void => {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return;
    const obj = node as JsonObject;
    let seg = segments[i];
    const isList = seg.endsWith('[]');
    if (isList) seg = seg.slice(0, -2);
    const p = `${pointer}/${escapeSegment(seg)}`;
    if (i === segments.length - 1 && !isList) {
      visit(obj, seg, p);
      return;
    }
    if (isList) {
      const list = obj[seg];
      if (!Array.isArray(list)) return;
      list.forEach((item, idx) => {
        if (i === segments.length - 1) return;
        walk(item, i + 1, `${p}/${idx}`);
      });
      return;
    }
    if (obj[seg] === undefined || obj[seg] === null) {
      if (!(fs.create && createMissing)) return;
      obj[seg] = {};
    }
    walk(obj[seg], i + 1, p);
  };
  walk(r.obj, 0, '');
}
