// The one table of Kubernetes kinds: per group and kind, its versions, its scope in a cluster, and what kustomize
// v5.5 knows of it. Every question "is this kind cluster-scoped?" is answered here, in one of two senses:
//   - Kubernetes' (the API server's): a ClusterIssuer has no namespace, whatever its manifest says. The linker uses it
//     (effective namespaces, the object index).
//   - kustomize's: kustomize v5.5 decides scope from the OpenAPI data it embeds (Kubernetes 1.21.2, kyaml/openapi
//     IsCertainlyClusterScoped, by exact apiVersion and kind). A kind or apiVersion that data lacks is namespaced to
//     kustomize: `namespace:` sets metadata.namespace on a ClusterIssuer, a ValidatingAdmissionPolicy or a
//     flowcontrol v1beta3 FlowSchema (kubectl kustomize confirms). The engine (core/kustomize) uses this sense.
// Name references (which fields refer to a kind by name) are kustomize's builtin configuration, kept in kustomize's
// own format in builtinNameReferences.ts and looked up per kind here.
import { apiGroupOf, apiVersionOf } from './apiVersion';

export type Scope = 'cluster' | 'namespaced';

export interface KindInfo {
  /** API group ('' for the core group). */
  group: string;
  kind: string;
  /** The versions the API serves or served (the common ones, for CRDs). */
  versions: string[];
  scope: Scope;
  /** The versions in kustomize v5.5's built-in OpenAPI data (empty: kustomize has no schema for the kind). */
  kustomizeVersions: string[];
}

// group | kind | scope | versions | kustomize v5.5 (Kubernetes 1.21.2) versions
// Built-in kinds first (scopes from Kubernetes' OpenAPI documents), then the CRDs fleets commonly carry (scopes from
// their CustomResourceDefinitions).
const ROWS = `
 | Binding | namespaced | v1 | v1
 | ComponentStatus | cluster | v1 | v1
 | ConfigMap | namespaced | v1 | v1
 | Endpoints | namespaced | v1 | v1
 | Event | namespaced | v1 | v1
 | LimitRange | namespaced | v1 | v1
 | Namespace | cluster | v1 | v1
 | Node | cluster | v1 | v1
 | PersistentVolume | cluster | v1 | v1
 | PersistentVolumeClaim | namespaced | v1 | v1
 | Pod | namespaced | v1 | v1
 | PodTemplate | namespaced | v1 | v1
 | ReplicationController | namespaced | v1 | v1
 | ResourceQuota | namespaced | v1 | v1
 | Secret | namespaced | v1 | v1
 | Service | namespaced | v1 | v1
 | ServiceAccount | namespaced | v1 | v1
admissionregistration.k8s.io | MutatingWebhookConfiguration | cluster | v1 v1beta1 | v1 v1beta1
admissionregistration.k8s.io | ValidatingWebhookConfiguration | cluster | v1 v1beta1 | v1 v1beta1
admissionregistration.k8s.io | ValidatingAdmissionPolicy | cluster | v1 v1beta1 v1alpha1 |
admissionregistration.k8s.io | ValidatingAdmissionPolicyBinding | cluster | v1 v1beta1 v1alpha1 |
admissionregistration.k8s.io | MutatingAdmissionPolicy | cluster | v1 v1beta1 v1alpha1 |
admissionregistration.k8s.io | MutatingAdmissionPolicyBinding | cluster | v1 v1beta1 v1alpha1 |
apiextensions.k8s.io | CustomResourceDefinition | cluster | v1 v1beta1 | v1 v1beta1
apiregistration.k8s.io | APIService | cluster | v1 v1beta1 | v1 v1beta1
apps | ControllerRevision | namespaced | v1 | v1
apps | DaemonSet | namespaced | v1 v1beta2 | v1
apps | Deployment | namespaced | v1 v1beta1 v1beta2 | v1
apps | ReplicaSet | namespaced | v1 v1beta2 | v1
apps | StatefulSet | namespaced | v1 v1beta1 v1beta2 | v1
authentication.k8s.io | TokenReview | cluster | v1 v1beta1 | v1 v1beta1
authorization.k8s.io | LocalSubjectAccessReview | namespaced | v1 v1beta1 | v1 v1beta1
authorization.k8s.io | SelfSubjectAccessReview | cluster | v1 v1beta1 | v1 v1beta1
authorization.k8s.io | SelfSubjectRulesReview | cluster | v1 v1beta1 | v1 v1beta1
authorization.k8s.io | SubjectAccessReview | cluster | v1 v1beta1 | v1 v1beta1
autoscaling | HorizontalPodAutoscaler | namespaced | v2 v1 v2beta1 v2beta2 | v1 v2beta1 v2beta2
batch | CronJob | namespaced | v1 v1beta1 | v1 v1beta1
batch | Job | namespaced | v1 | v1
certificates.k8s.io | CertificateSigningRequest | cluster | v1 v1beta1 | v1 v1beta1
certificates.k8s.io | ClusterTrustBundle | cluster | v1beta1 v1alpha1 |
coordination.k8s.io | Lease | namespaced | v1 v1beta1 | v1 v1beta1
discovery.k8s.io | EndpointSlice | namespaced | v1 v1beta1 | v1 v1beta1
events.k8s.io | Event | namespaced | v1 v1beta1 | v1 v1beta1
extensions | Ingress | namespaced | v1beta1 | v1beta1
flowcontrol.apiserver.k8s.io | FlowSchema | cluster | v1 v1beta3 v1beta2 v1beta1 v1alpha1 | v1alpha1 v1beta1
flowcontrol.apiserver.k8s.io | PriorityLevelConfiguration | cluster | v1 v1beta3 v1beta2 v1beta1 v1alpha1 | v1alpha1 v1beta1
internal.apiserver.k8s.io | StorageVersion | cluster | v1alpha1 | v1alpha1
networking.k8s.io | Ingress | namespaced | v1 v1beta1 | v1 v1beta1
networking.k8s.io | IngressClass | cluster | v1 v1beta1 | v1 v1beta1
networking.k8s.io | NetworkPolicy | namespaced | v1 | v1
networking.k8s.io | IPAddress | cluster | v1 v1beta1 v1alpha1 |
networking.k8s.io | ServiceCIDR | cluster | v1 v1beta1 v1alpha1 |
node.k8s.io | RuntimeClass | cluster | v1 v1beta1 v1alpha1 | v1 v1alpha1 v1beta1
policy | PodDisruptionBudget | namespaced | v1 v1beta1 | v1 v1beta1
policy | PodSecurityPolicy | cluster | v1beta1 | v1beta1
rbac.authorization.k8s.io | ClusterRole | cluster | v1 v1beta1 v1alpha1 | v1 v1alpha1 v1beta1
rbac.authorization.k8s.io | ClusterRoleBinding | cluster | v1 v1beta1 v1alpha1 | v1 v1alpha1 v1beta1
rbac.authorization.k8s.io | Role | namespaced | v1 v1beta1 v1alpha1 | v1 v1alpha1 v1beta1
rbac.authorization.k8s.io | RoleBinding | namespaced | v1 v1beta1 v1alpha1 | v1 v1alpha1 v1beta1
resource.k8s.io | DeviceClass | cluster | v1 v1beta2 v1beta1 v1alpha3 |
resource.k8s.io | ResourceSlice | cluster | v1 v1beta2 v1beta1 v1alpha3 |
resource.k8s.io | ResourceClaim | namespaced | v1 v1beta2 v1beta1 v1alpha3 |
resource.k8s.io | ResourceClaimTemplate | namespaced | v1 v1beta2 v1beta1 v1alpha3 |
scheduling.k8s.io | PriorityClass | cluster | v1 v1beta1 v1alpha1 | v1 v1alpha1 v1beta1
storage.k8s.io | CSIDriver | cluster | v1 v1beta1 | v1 v1beta1
storage.k8s.io | CSINode | cluster | v1 v1beta1 | v1 v1beta1
storage.k8s.io | CSIStorageCapacity | namespaced | v1 v1beta1 v1alpha1 | v1alpha1 v1beta1
storage.k8s.io | StorageClass | cluster | v1 v1beta1 | v1 v1beta1
storage.k8s.io | VolumeAttachment | cluster | v1 v1beta1 v1alpha1 | v1 v1alpha1 v1beta1
storage.k8s.io | VolumeAttributesClass | cluster | v1 v1beta1 v1alpha1 |
storagemigration.k8s.io | StorageVersionMigration | cluster | v1beta1 v1alpha1 |
source.toolkit.fluxcd.io | GitRepository | namespaced | v1 v1beta2 v1beta1 |
source.toolkit.fluxcd.io | OCIRepository | namespaced | v1 v1beta2 |
source.toolkit.fluxcd.io | HelmRepository | namespaced | v1 v1beta2 v1beta1 |
source.toolkit.fluxcd.io | HelmChart | namespaced | v1 v1beta2 v1beta1 |
source.toolkit.fluxcd.io | Bucket | namespaced | v1 v1beta2 v1beta1 |
source.toolkit.fluxcd.io | ExternalArtifact | namespaced | v1 |
source.extensions.fluxcd.io | ArtifactGenerator | namespaced | v1beta1 |
kustomize.toolkit.fluxcd.io | Kustomization | namespaced | v1 v1beta2 v1beta1 |
helm.toolkit.fluxcd.io | HelmRelease | namespaced | v2 v2beta2 v2beta1 |
notification.toolkit.fluxcd.io | Alert | namespaced | v1beta3 v1beta2 v1beta1 |
notification.toolkit.fluxcd.io | Provider | namespaced | v1beta3 v1beta2 v1beta1 |
notification.toolkit.fluxcd.io | Receiver | namespaced | v1 v1beta2 v1beta1 |
image.toolkit.fluxcd.io | ImageRepository | namespaced | v1 v1beta2 v1beta1 |
image.toolkit.fluxcd.io | ImagePolicy | namespaced | v1 v1beta2 v1beta1 |
image.toolkit.fluxcd.io | ImageUpdateAutomation | namespaced | v1 v1beta2 v1beta1 |
fluxcd.controlplane.io | FluxInstance | namespaced | v1 |
fluxcd.controlplane.io | FluxReport | namespaced | v1 |
fluxcd.controlplane.io | ResourceSet | namespaced | v1 |
fluxcd.controlplane.io | ResourceSetInputProvider | namespaced | v1 |
cert-manager.io | Certificate | namespaced | v1 |
cert-manager.io | CertificateRequest | namespaced | v1 |
cert-manager.io | Issuer | namespaced | v1 |
cert-manager.io | ClusterIssuer | cluster | v1 |
acme.cert-manager.io | Challenge | namespaced | v1 |
acme.cert-manager.io | Order | namespaced | v1 |
kyverno.io | ClusterPolicy | cluster | v1 v2beta1 |
kyverno.io | Policy | namespaced | v1 v2beta1 |
kyverno.io | ClusterCleanupPolicy | cluster | v2 v2beta1 v2alpha1 |
kyverno.io | CleanupPolicy | namespaced | v2 v2beta1 v2alpha1 |
kyverno.io | PolicyException | namespaced | v2 v2beta1 v2alpha2 |
wgpolicyk8s.io | ClusterPolicyReport | cluster | v1alpha2 |
wgpolicyk8s.io | PolicyReport | namespaced | v1alpha2 |
application.giantswarm.io | App | namespaced | v1alpha1 |
application.giantswarm.io | Catalog | namespaced | v1alpha1 |
application.giantswarm.io | AppCatalog | cluster | v1alpha1 |
application.giantswarm.io | AppCatalogEntry | namespaced | v1alpha1 |
gateway.networking.k8s.io | GatewayClass | cluster | v1 v1beta1 |
gateway.networking.k8s.io | Gateway | namespaced | v1 v1beta1 |
gateway.networking.k8s.io | HTTPRoute | namespaced | v1 v1beta1 |
gateway.networking.k8s.io | GRPCRoute | namespaced | v1 |
gateway.networking.k8s.io | ReferenceGrant | namespaced | v1beta1 |
monitoring.coreos.com | Alertmanager | namespaced | v1 |
monitoring.coreos.com | PodMonitor | namespaced | v1 |
monitoring.coreos.com | Probe | namespaced | v1 |
monitoring.coreos.com | Prometheus | namespaced | v1 |
monitoring.coreos.com | PrometheusRule | namespaced | v1 |
monitoring.coreos.com | ServiceMonitor | namespaced | v1 |
monitoring.coreos.com | AlertmanagerConfig | namespaced | v1alpha1 |
external-secrets.io | ExternalSecret | namespaced | v1 v1beta1 |
external-secrets.io | SecretStore | namespaced | v1 v1beta1 |
external-secrets.io | ClusterSecretStore | cluster | v1 v1beta1 |
external-secrets.io | ClusterExternalSecret | cluster | v1 v1beta1 |
bitnami.com | SealedSecret | namespaced | v1alpha1 |
snapshot.storage.k8s.io | VolumeSnapshot | namespaced | v1 |
snapshot.storage.k8s.io | VolumeSnapshotClass | cluster | v1 |
snapshot.storage.k8s.io | VolumeSnapshotContent | cluster | v1 |
`;

/** kustomize's PrefixSuffixTransformer skips these (group '' in the table matches any group, as kustomize's kind-only
 *  field specs do). */
const KEEPS_NAME_UNDER_PREFIX: Array<{ group?: string; kind: string }> = [
  { kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { kind: 'Namespace' },
];

export const KINDS: readonly KindInfo[] = ROWS.trim()
  .split('\n')
  .map((line) => {
    const [group, kind, scope, versions, kustomizeVersions] = line.split('|').map((c) => c.trim());
    const words = (s: string | undefined) => (s ? s.split(/\s+/).filter(Boolean) : []);
    return { group, kind, scope: scope as Scope, versions: words(versions), kustomizeVersions: words(kustomizeVersions) };
  });

const byKind: ReadonlyMap<string, readonly KindInfo[]> = KINDS.reduce((m, k) => m.set(k.kind, [...(m.get(k.kind) ?? []), k]), new Map<string, KindInfo[]>());


/** The table's entries by kind, then group (the first row of each): kindInfo is asked for most objects of every build. */
const byKindAndGroup: ReadonlyMap<string, ReadonlyMap<string, KindInfo>> = KINDS.reduce((m, k) => {
  let groups = m.get(k.kind);
  if (!groups) m.set(k.kind, (groups = new Map()));
  if (!groups.has(k.group)) groups.set(k.group, k);
  return m;
}, new Map<string, Map<string, KindInfo>>());

/** Kinds some group makes cluster-scoped: only these can be cluster-scoped (isClusterScopedForKustomize). */
const CLUSTER_KINDS: ReadonlySet<string> = new Set(KINDS.filter((k) => k.scope === 'cluster').map((k) => k.kind));

/** The table's entry for a group and kind. */
export function kindInfo(group: string, kind: string): KindInfo | undefined {
  return byKindAndGroup.get(kind)?.get(group);
}

/** Whether objects of this kind have no namespace in a cluster (Kubernetes' sense). Without a group, the kind
 *  counts as cluster-scoped when every group the table knows it in makes it so. Unknown kinds are namespaced. */
export function isClusterScoped(kind: string, group?: string): boolean {
  if (!CLUSTER_KINDS.has(kind)) return false;
  if (group !== undefined) return kindInfo(group, kind)?.scope === 'cluster';
  const entries = byKind.get(kind);
  return !!entries?.length && entries.every((k) => k.scope === 'cluster');
}

/** isClusterScoped for an object's apiVersion and kind. */
export function isClusterScopedObject(apiVersion: string | undefined, kind: string): boolean {
  if (!CLUSTER_KINDS.has(kind)) return false; // (before the group is read from the apiVersion)
  return apiVersion === undefined ? isClusterScoped(kind) : isClusterScoped(kind, apiGroupOf(apiVersion));
}

/** kustomize v5.5's IsCertainlyClusterScoped: cluster-scoped in its built-in OpenAPI data (exact version; with an
 *  unknown version, any version of the group and kind it knows). Everything else is namespaced to kustomize. */
export function isClusterScopedForKustomize(gvk: { group?: string; version?: string; kind: string }): boolean {
  return clusterScopedForKustomize(gvk.group ?? '', gvk.version, gvk.kind);
}

/** Whether some group of the table makes `kind` cluster-scoped (else no apiVersion does: no group to look up). */
export function maybeClusterScopedKind(kind: string): boolean {
  return CLUSTER_KINDS.has(kind);
}

/** isClusterScopedForKustomize of a group, version and kind (no object made for each resource of a build). */
export function clusterScopedForKustomize(group: string, version: string | undefined, kind: string): boolean {
  // (most kinds are namespaced in every group: one lookup, asked for most objects of every build)
  if (!CLUSTER_KINDS.has(kind)) return false;
  const k = kindInfo(group, kind);
  if (!k || k.scope !== 'cluster') return false;
  return version ? k.kustomizeVersions.includes(version) : k.kustomizeVersions.length > 0;
}

/** Whether kustomize v5.5's built-in OpenAPI data has a schema for this exact apiVersion and kind. */
export function kustomizeKnows(apiVersion: string, kind: string): boolean {
  const group = apiGroupOf(apiVersion);
  const version = apiVersionOf(apiVersion);
  return !!kindInfo(group, kind)?.kustomizeVersions.includes(version);
}

/** Every apiVersion/kind kustomize v5.5's built-in OpenAPI data knows. */
export function kustomizeKnownTypes(): Array<{ apiVersion: string; kind: string }> {
  return KINDS.flatMap((k) => k.kustomizeVersions.map((v) => ({ apiVersion: k.group ? `${k.group}/${v}` : v, kind: k.kind })));
}

/** kustomize's namePrefix/nameSuffix leave this object's name alone. */
export function keepsNameUnderPrefix(group: string, kind: string): boolean {
  return KEEPS_NAME_UNDER_PREFIX.some((k) => k.kind === kind && (k.group === undefined || k.group === group));
}

// kustomize's legacy output order (api/resid/gvk.go orderFirst/orderLast, as in kustomize v5.5): these kinds first and
// last, in this order; every other kind in between.
const ORDER_FIRST = ['Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget'];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/** A kind's rank in kustomize's legacy order (lower first; kinds not named share the middle rank). */
export function kustomizeOrderRank(kind: string): number {
  const f = ORDER_FIRST.indexOf(kind);
  if (f >= 0) return f - ORDER_FIRST.length;
  const l = ORDER_LAST.indexOf(kind);
  return l >= 0 ? 1 + l : 0;
}
