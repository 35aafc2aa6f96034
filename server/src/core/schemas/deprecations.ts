// Deprecated API versions of Flux kinds, with the field changes their successors made (from the Flux release notes:
// 2.0 GitRepository/Kustomization v1, 2.1 Receiver v1, 2.2 Alert/Provider v1beta3, 2.3 HelmRelease v2 and
// HelmRepository/HelmChart v1, later Bucket/OCIRepository v1 and the image kinds v1), and kustomize's deprecated
// kustomization fields (what `kustomize edit fix` rewrites). The current version is the catalogue's.
import { catalogEntries, groupOf } from './catalog';

export type FieldChange =
  /** The field no longer exists: delete it. */
  | { path: string[]; action: 'remove'; note: string }
  /** A single value became a list under a new name: `valuesFile: x` → `valuesFiles: [x]`. */
  | { path: string[]; action: 'to-list'; to: string; note: string }
  /** Strategic-merge patch objects → `patches: [{patch: |…}]`. */
  | { path: string[]; action: 'smp-to-patches'; note: string }
  /** JSON 6902 entries `{target, patch: [ops]}` → `patches: [{target, patch: |…}]`. */
  | { path: string[]; action: 'json6902-to-patches'; note: string };

export interface ApiDeprecation {
  group: string;
  kinds: string[];
  versions: string[];
  changes: Partial<Record<string, FieldChange[]>>;
}

const POST_RENDERER_PATCHES: FieldChange[] = [
  { path: ['spec', 'postRenderers', '*', 'kustomize', 'patchesStrategicMerge'], action: 'smp-to-patches', note: 'postRenderers kustomize.patchesStrategicMerge was removed in v2: use patches' },
  { path: ['spec', 'postRenderers', '*', 'kustomize', 'patchesJson6902'], action: 'json6902-to-patches', note: 'postRenderers kustomize.patchesJson6902 was removed in v2: use patches' },
];

export const API_DEPRECATIONS: ApiDeprecation[] = [
  {
    group: 'kustomize.toolkit.fluxcd.io',
    kinds: ['Kustomization'],
    versions: ['v1beta1', 'v1beta2'],
    changes: {
      Kustomization: [
        { path: ['spec', 'validation'], action: 'remove', note: 'spec.validation was removed in v1 (server-side apply validates)' },
        { path: ['spec', 'patchesStrategicMerge'], action: 'smp-to-patches', note: 'spec.patchesStrategicMerge was removed in v1: use spec.patches' },
        { path: ['spec', 'patchesJson6902'], action: 'json6902-to-patches', note: 'spec.patchesJson6902 was removed in v1: use spec.patches' },
      ],
    },
  },
  {
    group: 'helm.toolkit.fluxcd.io',
    kinds: ['HelmRelease'],
    versions: ['v2beta1', 'v2beta2'],
    changes: {
      HelmRelease: [
        { path: ['spec', 'chart', 'spec', 'valuesFile'], action: 'to-list', to: 'valuesFiles', note: 'spec.chart.spec.valuesFile was removed in v2: use valuesFiles' },
        ...POST_RENDERER_PATCHES,
      ],
    },
  },
  {
    group: 'source.toolkit.fluxcd.io',
    kinds: ['GitRepository', 'HelmRepository', 'HelmChart', 'Bucket', 'OCIRepository'],
    versions: ['v1beta1', 'v1beta2'],
    changes: {
      GitRepository: [
        { path: ['spec', 'gitImplementation'], action: 'remove', note: 'spec.gitImplementation was removed in v1 (go-git only)' },
        { path: ['spec', 'accessFrom'], action: 'remove', note: 'spec.accessFrom was removed in v1' },
      ],
      HelmChart: [
        { path: ['spec', 'valuesFile'], action: 'to-list', to: 'valuesFiles', note: 'spec.valuesFile was removed in v1: use valuesFiles' },
        { path: ['spec', 'accessFrom'], action: 'remove', note: 'spec.accessFrom was removed in v1' },
      ],
      Bucket: [{ path: ['spec', 'accessFrom'], action: 'remove', note: 'spec.accessFrom was removed in v1' }],
      OCIRepository: [{ path: ['spec', 'accessFrom'], action: 'remove', note: 'spec.accessFrom was removed in v1' }],
    },
  },
  { group: 'notification.toolkit.fluxcd.io', kinds: ['Alert', 'Provider', 'Receiver'], versions: ['v1beta1', 'v1beta2'], changes: {} },
  { group: 'image.toolkit.fluxcd.io', kinds: ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'], versions: ['v1beta1', 'v1beta2'], changes: {} },
];

export interface DeprecatedApi {
  from: string;
  to: string;
  kind: string;
  changes: FieldChange[];
}

/** The upgrade of a deprecated apiVersion/kind: to the catalogue's current version of that kind and group. */
export function deprecatedApi(apiVersion: string | undefined, kind: string | undefined): DeprecatedApi | undefined {
  if (!apiVersion || !kind) return undefined;
  const group = groupOf(apiVersion);
  const version = apiVersion.slice(group.length + 1);
  const d = API_DEPRECATIONS.find((x) => x.group === group && x.kinds.includes(kind) && x.versions.includes(version));
  if (!d) return undefined;
  const current = catalogEntries().find((e) => e.kind === kind && groupOf(e.apiVersion) === group && !e.deprecated);
  if (!current || current.apiVersion === apiVersion) return undefined;
  return { from: apiVersion, to: current.apiVersion, kind, changes: d.changes[kind] ?? [] };
}

/** kustomize's deprecated kustomization fields and their current forms (`kustomize edit fix`). */
export const KUSTOMIZE_DEPRECATED_FIELDS: Record<string, { to: string; note: string }> = {
  bases: { to: 'resources', note: "'bases' is deprecated: its entries belong in 'resources'" },
  patchesStrategicMerge: { to: 'patches', note: "'patchesStrategicMerge' is deprecated: use 'patches' (an entry per file: path: …)" },
  patchesJson6902: { to: 'patches', note: "'patchesJson6902' is deprecated: use 'patches' (same target and path/patch)" },
  commonLabels: { to: 'labels', note: "'commonLabels' is deprecated: use 'labels' (pairs with includeSelectors: true)" },
};
