// The strategic-merge metadata kustomize uses for built-in kinds. kustomize (kyaml) reads it from the Kubernetes
// OpenAPI document it embeds — v1.21.2 in kustomize v5.5.0 — as `x-kubernetes-patch-strategy`,
// `x-kubernetes-patch-merge-key` and `x-kubernetes-list-map-keys` (the latter, when present, is the key list kyaml
// matches list items on). Only paths that lead to such an annotation are modelled; every other field of a built-in
// kind is "known but plain" (maps merge, lists replace). Kinds the schema does not know (CRDs such as HelmRelease or a
// Flux Kustomization, and apiVersions the v1.21 schema lacks such as apps/v1beta2) have no schema at all: maps merge,
// lists replace — except that kyaml looks a nested object with its own `apiVersion` and `kind` up again, so a
// Deployment embedded in a CRD merges its containers by name.
//
// Fields newer than Kubernetes 1.21 (PodSpec.resourceClaims, Container.resizePolicy, …) are not in kustomize's schema:
// they replace, which kubectl kustomize confirms.

import { kustomizeKnownTypes } from '../kube/kinds';

/** The raw patch annotations of one field, as in the OpenAPI document. */
export interface PatchAnnotations {
  /** x-kubernetes-patch-strategy: 'merge', 'retainKeys' or 'merge,retainKeys'. */
  strategy: string;
  /** x-kubernetes-patch-merge-key. */
  mergeKey?: string;
  /** x-kubernetes-list-map-keys (kyaml prefers these over the merge key when both are declared). */
  listMapKeys?: string[];
}

/** A node of the (partial) schema. Fields not listed under a known type are plain (OPAQUE). */
export interface SchemaNode {
  readonly fields?: Readonly<Record<string, SchemaNode | (() => SchemaNode)>>;
  readonly items?: SchemaNode | (() => SchemaNode);
  readonly patch?: PatchAnnotations;
}

/** A known field without patch annotations anywhere below it. */
export const OPAQUE: SchemaNode = Object.freeze({});

/** The schema of a field of `node`: undefined when `node` is undefined (no schema), OPAQUE for unlisted fields. */
export function fieldSchema(node: SchemaNode | undefined, name: string): SchemaNode | undefined {
  if (!node) return undefined;
  const f = node.fields?.[name];
  if (!f) return OPAQUE;
  return typeof f === 'function' ? f() : f;
}

/** The schema of the items of a list field. */
export function itemSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node) return undefined;
  const i = node.items;
  if (!i) return OPAQUE;
  return typeof i === 'function' ? i() : i;
}

/** kyaml's PatchStrategyAndKeyList: the strategy and the key list (list-map-keys if declared, else the merge key). */
export function patchStrategyAndKeys(node: SchemaNode | undefined): { strategy: string; keys: string[] } {
  const p = node?.patch;
  if (!p) return { strategy: '', keys: [] };
  if (p.listMapKeys && p.listMapKeys.length > 0) return { strategy: p.strategy, keys: [...p.listMapKeys] };
  return { strategy: p.strategy, keys: p.mergeKey ? [p.mergeKey] : [] };
}

/** kyaml treats a list as associative (merged item by item) only when its schema's strategy includes `merge`. */
export function isAssociativeList(node: SchemaNode | undefined): boolean {
  return !!node?.patch && node.patch.strategy.split(',').includes('merge');
}

// ---- the schema -------------------------------------------------------------------------------------------------

const mergeList = (mergeKey: string, items: SchemaNode | (() => SchemaNode) = OPAQUE, listMapKeys?: string[], strategy = 'merge'): SchemaNode => ({
  items,
  patch: { strategy, mergeKey, ...(listMapKeys ? { listMapKeys } : {}) },
});
/** A list of primitives merged as a set (e.g. finalizers). */
const mergeSet = (): SchemaNode => ({ patch: { strategy: 'merge' } });
const conditions = (): SchemaNode => mergeList('type');

const ObjectMeta: SchemaNode = {
  fields: {
    ownerReferences: mergeList('uid'),
    finalizers: mergeSet(),
  },
};

const ContainerFields = {
  env: mergeList('name'),
  ports: mergeList('containerPort', OPAQUE, ['containerPort', 'protocol']),
  volumeMounts: mergeList('mountPath'),
  volumeDevices: mergeList('devicePath'),
};
const Container: SchemaNode = { fields: ContainerFields };
const EphemeralContainer: SchemaNode = { fields: ContainerFields };

const PodSpec: SchemaNode = {
  fields: {
    volumes: mergeList('name', OPAQUE, undefined, 'merge,retainKeys'),
    initContainers: mergeList('name', Container),
    containers: mergeList('name', Container),
    ephemeralContainers: mergeList('name', EphemeralContainer),
    imagePullSecrets: mergeList('name'),
    hostAliases: mergeList('ip'),
    topologySpreadConstraints: mergeList('topologyKey', OPAQUE, ['topologyKey', 'whenUnsatisfiable']),
  },
};

const PodStatus: SchemaNode = { fields: { conditions: conditions(), podIPs: mergeList('ip') } };
const PodTemplateSpec: SchemaNode = { fields: { metadata: ObjectMeta, spec: PodSpec } };
const withStatusConditions = (spec: SchemaNode): SchemaNode => ({ fields: { metadata: ObjectMeta, spec, status: { fields: { conditions: conditions() } } } });
const templated = (extra: Record<string, SchemaNode> = {}): SchemaNode => ({ fields: { template: PodTemplateSpec, ...extra } });

const JobSpec: SchemaNode = templated();
const CronJobSpec: SchemaNode = { fields: { jobTemplate: { fields: { metadata: ObjectMeta, spec: JobSpec } } } };

const plain: SchemaNode = { fields: { metadata: ObjectMeta } };

const webhooks: SchemaNode = { fields: { metadata: ObjectMeta, webhooks: mergeList('name') } };

const ROOTS: Record<string, Record<string, SchemaNode>> = {
  v1: {
    Pod: { fields: { metadata: ObjectMeta, spec: PodSpec, status: PodStatus } },
    PodTemplate: { fields: { metadata: ObjectMeta, template: PodTemplateSpec } },
    ReplicationController: withStatusConditions(templated()),
    Service: { fields: { metadata: ObjectMeta, spec: { fields: { ports: mergeList('port', OPAQUE, ['port', 'protocol']) } } } },
    ServiceAccount: { fields: { metadata: ObjectMeta, secrets: mergeList('name') } },
    Node: { fields: { metadata: ObjectMeta, spec: { fields: { podCIDRs: mergeSet() } }, status: { fields: { addresses: mergeList('type'), conditions: conditions() } } } },
    Namespace: { fields: { metadata: ObjectMeta, status: { fields: { conditions: conditions() } } } },
    PersistentVolumeClaim: { fields: { metadata: ObjectMeta, status: { fields: { conditions: conditions() } } } },
    Binding: plain,
    ComponentStatus: plain,
    ConfigMap: plain,
    Endpoints: plain,
    Event: plain,
    LimitRange: plain,
    PersistentVolume: plain,
    ResourceQuota: plain,
    Secret: plain,
  },
  'apps/v1': {
    Deployment: { fields: { metadata: ObjectMeta, spec: templated({ strategy: { patch: { strategy: 'retainKeys' } } }), status: { fields: { conditions: conditions() } } } },
    StatefulSet: withStatusConditions(templated()),
    DaemonSet: withStatusConditions(templated()),
    ReplicaSet: withStatusConditions(templated()),
    ControllerRevision: plain,
  },
  'batch/v1': { Job: withStatusConditions(JobSpec), CronJob: { fields: { metadata: ObjectMeta, spec: CronJobSpec } } },
  'batch/v1beta1': { CronJob: { fields: { metadata: ObjectMeta, spec: CronJobSpec } } },
  'policy/v1': { PodDisruptionBudget: { fields: { metadata: ObjectMeta, status: { fields: { conditions: conditions() } } } } },
  'policy/v1beta1': { PodDisruptionBudget: { fields: { metadata: ObjectMeta, status: { fields: { conditions: conditions() } } } }, PodSecurityPolicy: plain },
  'admissionregistration.k8s.io/v1': { MutatingWebhookConfiguration: webhooks, ValidatingWebhookConfiguration: webhooks },
  'admissionregistration.k8s.io/v1beta1': { MutatingWebhookConfiguration: webhooks, ValidatingWebhookConfiguration: webhooks },
};

// Every other type kustomize's built-in data knows (core/kube/kinds.ts) has only ObjectMeta's patch annotations
// (finalizers, ownerReferences).
for (const { apiVersion, kind } of kustomizeKnownTypes()) {
  const group = (ROOTS[apiVersion] ??= {});
  group[kind] ??= plain;
}

/** The schema of a built-in kind (exact apiVersion + kind, as kyaml's SchemaForResourceType), or undefined. */
export function schemaForType(apiVersion: string, kind: string): SchemaNode | undefined {
  return Object.prototype.hasOwnProperty.call(ROOTS, apiVersion) && Object.prototype.hasOwnProperty.call(ROOTS[apiVersion], kind) ? ROOTS[apiVersion][kind] : undefined;
}

/** Whether kustomize's built-in schema knows this apiVersion/kind. */
export function isBuiltinKind(apiVersion: string, kind: string): boolean {
  return schemaForType(apiVersion, kind) !== undefined;
}

/** How a strategic merge patch treats the value at a path. */
export type PatchStrategy =
  /** A list merged item by item: by `key` (the merge key; `keys` is what kyaml matches on: list-map-keys when declared), or as a set of primitives when there is no key. */
  | { strategy: 'merge'; key?: string; keys: string[]; retainKeys?: true; known: true }
  /** Replaced wholesale by the patch's value (lists without merge strategy, and everything without a schema). Maps always merge key by key. */
  | { strategy: 'replace'; retainKeys?: true; known: boolean };

/**
 * The strategy kustomize applies to the field at `path` (field names; list indices may be given or skipped) of an
 * object of `apiVersion`/`kind`. `retainKeys` marks where Kubernetes declares the retainKeys strategy (volumes,
 * Deployment spec.strategy): kustomize does not implement it — a patch's `$retainKeys` passes through as a field.
 * `known` is false where there is no schema (unknown kinds or fields): maps merge, lists replace.
 */
export function patchStrategy(apiVersion: string, kind: string, path: ReadonlyArray<string | number>): PatchStrategy {
  let node = schemaForType(apiVersion, kind);
  for (const seg of path) {
    if (!node) break;
    const isList = node.items !== undefined || node.patch?.mergeKey !== undefined || (node.patch !== undefined && node.patch.strategy.includes('merge'));
    if (isList && (typeof seg === 'number' || /^(0|[1-9][0-9]*)$/.test(seg))) {
      node = itemSchema(node);
      continue;
    }
    if (isList) node = itemSchema(node); // an index was skipped
    node = fieldSchema(node, String(seg));
  }
  if (!node) return { strategy: 'replace', known: false };
  const retain = node.patch?.strategy.split(',').includes('retainKeys') ? ({ retainKeys: true } as const) : {};
  if (isAssociativeList(node)) {
    const { keys } = patchStrategyAndKeys(node);
    const key = node.patch?.mergeKey;
    return { strategy: 'merge', ...(key ? { key } : {}), keys, ...retain, known: true };
  }
  return { strategy: 'replace', ...retain, known: true };
}
