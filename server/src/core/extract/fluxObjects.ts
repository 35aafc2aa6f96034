// Facts of Flux and Giant Swarm objects: the references they make and the sources they define.
import type { Node } from 'yaml';
import type { ArtifactGeneratorFact, ObjectFact, DocRef, FluxKustomizationFact, ObjectRef, ObjectRole, SourceFact } from '../facts';
import { boolAt, mapGet, scalarText, seqItems, spanOf, stringAt } from '../yamlAccess';
import type { Span } from '../text';

/** Catalogs every Giant Swarm management cluster has; App CRs may name them without a Catalog in Git. */
const PLATFORM_CATALOGS: ReadonlySet<string> = new Set(['giantswarm', 'cluster', 'default', 'control-plane-catalog', 'control-plane-test-catalog', 'giantswarm-test', 'cluster-test', 'default-test', 'giantswarm-playground', 'releases']);

export const FLUX_SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'];
export const SOURCE_KINDS: ReadonlySet<string> = new Set([...FLUX_SOURCE_KINDS, 'HelmRepository', 'HelmChart']);

interface Sink {
  refs: ObjectRef[];
  fluxKustomizations: FluxKustomizationFact[];
  sources: SourceFact[];
  artifactGenerators?: ArtifactGeneratorFact[];
  /** Objects a document makes besides itself (a FluxInstance's sync source). */
  objects?: ObjectFact[];
}

function group(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Adds a reference when there is one (a function, not a closure per call: every indexed document passes here). */
function pushRef(refs: ObjectRef[], r: ObjectRef | undefined): void {
  if (r) refs.push(r);
}

function objectRef(owner: DocRef, role: ObjectRole, node: Node | undefined, defaultKinds: string[], optional = false, kindMap?: (k: string) => string): ObjectRef | undefined {
  const name = stringAt(node, ['name']);
  if (!name) return undefined;
  const writtenKind = scalarText(mapGet(node, 'kind'));
  const kind = writtenKind !== undefined ? (kindMap ? kindMap(writtenKind) : writtenKind) : undefined;
  return {
    type: 'object',
    owner,
    role,
    kinds: kind ? [kind] : defaultKinds,
    name: name.value,
    span: name.span,
    namespace: stringAt(node, ['namespace'])?.value,
    optional: optional || boolAt(node, ['optional']) === true,
  };
}

/** The kinds whose facts extractObjectFacts reads beyond apiVersion and kind, one per branch of it. */
type DeepKind = 'flux-kustomization' | 'helm-release' | 'app' | 'flux-instance' | 'artifact-generator' | 'source';

function deepKindOf(apiVersion: string, kind: string): DeepKind | undefined {
  const g = group(apiVersion);
  if (g === 'kustomize.toolkit.fluxcd.io' && kind === 'Kustomization') return 'flux-kustomization';
  if (g === 'helm.toolkit.fluxcd.io' && kind === 'HelmRelease') return 'helm-release';
  if (g === 'application.giantswarm.io' && kind === 'App') return 'app';
  if (g === 'fluxcd.controlplane.io' && kind === 'FluxInstance') return 'flux-instance';
  if (g === 'source.extensions.fluxcd.io' && kind === 'ArtifactGenerator') return 'artifact-generator';
  if (g === 'source.toolkit.fluxcd.io' && SOURCE_KINDS.has(kind)) return 'source';
  return undefined;
}

/**
 * Whether extractObjectFacts reads more of a document than its apiVersion and kind: the index reads the other
 * documents' facts from their flat form, no tree made (indexFile.ts).
 */
export function readsObjectFacts(apiVersion: string, kind: string): boolean {
  return deepKindOf(apiVersion, kind) !== undefined;
}

export function extractObjectFacts(root: Node, owner: DocRef, apiVersion: string, kind: string, docSpan: Span, sink: Sink): void {
  const deep = deepKindOf(apiVersion, kind);
  const spec = mapGet(root, 'spec');

  if (deep === 'flux-kustomization') {
    const sourceRef = objectRef(owner, 'sourceRef', mapGet(spec, 'sourceRef'), ['GitRepository']);
    pushRef(sink.refs, sourceRef);
    for (const d of seqItems(mapGet(spec, 'dependsOn'))) pushRef(sink.refs, objectRef(owner, 'dependsOn', d, ['Kustomization']));
    for (const s of seqItems(mapGet(mapGet(spec, 'postBuild'), 'substituteFrom'))) pushRef(sink.refs, objectRef(owner, 'substituteFrom', s, ['ConfigMap']));
    const path = stringAt(spec, ['path']);
    sink.fluxKustomizations.push({
      owner,
      via: 'Kustomization',
      name: stringAt(root, ['metadata', 'name'])?.value,
      namespace: stringAt(root, ['metadata', 'namespace'])?.value,
      sourceRef,
      path,
      anchor: sourceRef?.span ?? spanOf(spec) ?? docSpan,
      prune: boolAt(spec, ['prune']) === true,
      pruneSet: boolAt(spec, ['prune']) !== undefined,
      targetNamespace: stringAt(spec, ['targetNamespace'])?.value,
      components: seqItems(mapGet(spec, 'components')).flatMap((n) => {
        const v = scalarText(n);
        const s = spanOf(n);
        return v !== undefined && s ? [{ value: v, span: s }] : [];
      }),
    });
    return;
  }

  if (deep === 'helm-release') {
    const chartSpec = mapGet(mapGet(spec, 'chart'), 'spec');
    const chartRef = objectRef(owner, 'chart.sourceRef', mapGet(chartSpec, 'sourceRef'), ['HelmRepository']);
    if (chartRef && chartRef.kinds[0] !== 'HelmRepository') chartRef.chartPath = stringAt(chartSpec, ['chart']);
    pushRef(sink.refs, chartRef);
    pushRef(sink.refs, objectRef(owner, 'chartRef', mapGet(spec, 'chartRef'), ['OCIRepository']));
    for (const v of seqItems(mapGet(spec, 'valuesFrom'))) pushRef(sink.refs, objectRef(owner, 'valuesFrom', v, ['ConfigMap']));
    for (const d of seqItems(mapGet(spec, 'dependsOn'))) pushRef(sink.refs, objectRef(owner, 'dependsOn', d, ['HelmRelease']));
    if (isFluxInstanceChart(spec)) fluxInstanceChartFacts(root, owner, spec, docSpan, sink);
    return;
  }

  if (deep === 'app') {
    for (const layer of ['config', 'userConfig'] as const) {
      const node = mapGet(spec, layer);
      pushRef(sink.refs, objectRef(owner, layer, mapGet(node, 'configMap'), ['ConfigMap']));
      pushRef(sink.refs, objectRef(owner, layer, mapGet(node, 'secret'), ['Secret']));
    }
    for (const e of seqItems(mapGet(spec, 'extraConfigs'))) {
      pushRef(sink.refs, objectRef(owner, 'extraConfigs', e, ['ConfigMap'], false, (k) => (k.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap')));
    }
    const catalog = stringAt(spec, ['catalog']);
    if (catalog) {
      sink.refs.push({
        type: 'object',
        owner,
        role: 'catalog',
        kinds: ['Catalog'],
        name: catalog.value,
        span: catalog.span,
        namespace: stringAt(spec, ['catalogNamespace'])?.value,
        // Giant Swarm's own catalogs come with the platform, not from Git.
        optional: PLATFORM_CATALOGS.has(catalog.value),
      });
    }
    return;
  }

  if (deep === 'flux-instance') {
    const namespace = stringAt(root, ['metadata', 'namespace'])?.value ?? 'flux-system';
    instanceSyncFacts(owner, mapGet(spec, 'sync'), namespace, stringAt(root, ['metadata', 'name'])?.value ?? '', docSpan, sink, 'spec.sync');
    return;
  }

  if (deep === 'artifact-generator') {
    sink.artifactGenerators?.push({
      owner,
      namespace: stringAt(root, ['metadata', 'namespace'])?.value,
      sources: seqItems(mapGet(spec, 'sources')).flatMap((n) => {
        const alias = stringAt(n, ['alias'])?.value;
        const name = stringAt(n, ['name'])?.value;
        return alias && name ? [{ alias, name, kind: stringAt(n, ['kind'])?.value ?? 'GitRepository', namespace: stringAt(n, ['namespace'])?.value }] : [];
      }),
      artifacts: seqItems(mapGet(spec, 'artifacts')).flatMap((n) => {
        const name = stringAt(n, ['name'])?.value;
        const copy = seqItems(mapGet(n, 'copy')).flatMap((c) => {
          const from = stringAt(c, ['from'])?.value;
          const to = stringAt(c, ['to'])?.value;
          return from && to ? [{ from, to }] : [];
        });
        return name ? [{ name, copy }] : [];
      }),
    });
    return;
  }

  if (deep === 'source') {
    const branch = stringAt(spec, ['ref', 'branch'])?.value;
    const ignore = stringAt(spec, ['ignore'])?.value;
    const layerOperation = stringAt(spec, ['layerSelector', 'operation'])?.value;
    sink.sources.push({ owner, kind, url: stringAt(spec, ['url']), branch, ...(ignore !== undefined && { ignore }), ...(layerOperation !== undefined && { layerOperation }) });
    if (kind === 'HelmChart') {
      const chartRef = objectRef(owner, 'chart.sourceRef', mapGet(spec, 'sourceRef'), ['HelmRepository']);
      if (chartRef && chartRef.kinds[0] !== 'HelmRepository') chartRef.chartPath = stringAt(spec, ['chart']);
      pushRef(sink.refs, chartRef);
    }
  }
}

/**
 * A FluxInstance's `spec.sync` (or the flux-instance chart's `instance.sync` value): the operator makes a source and
 * a Kustomization named after `sync.name` or the instance's namespace. The source is an object the cluster has, so
 * Kustomizations in the synced path refer to it like to any source.
 */
function instanceSyncFacts(owner: DocRef, sync: Node | undefined, namespace: string, instanceName: string, docSpan: Span, sink: Sink, where: string): void {
  const url = stringAt(sync, ['url']);
  if (!url) return;
  const syncKind = stringAt(sync, ['kind'])?.value ?? 'GitRepository';
  const syncName = stringAt(sync, ['name']);
  const ref = stringAt(sync, ['ref'])?.value;
  sink.objects?.push({
    owner,
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: syncKind,
    name: syncName?.value ?? namespace,
    namespace,
    nameSpan: syncName?.span ?? url.span,
    span: docSpan,
    madeBy: `the Flux Operator, for FluxInstance ${namespace}/${instanceName} (${where})`,
  });
  // The Kustomization of the same name that applies sync.path (what a `dependsOn: flux-system` waits for).
  sink.objects?.push({
    owner,
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    name: syncName?.value ?? namespace,
    namespace,
    nameSpan: syncName?.span ?? url.span,
    span: docSpan,
    madeBy: `the Flux Operator, for FluxInstance ${namespace}/${instanceName} (${where})`,
  });
  sink.sources.push({ owner, kind: syncKind, url: { value: url.value, span: url.span }, branch: ref?.replace(/^refs\/heads\//, '') });
  sink.fluxKustomizations.push({
    owner,
    via: 'FluxInstance',
    inlineSource: { kind: syncKind, url: url.value, ref, span: url.span },
    path: stringAt(sync, ['path']),
    anchor: url.span,
    name: instanceName,
    namespace,
    prune: true,
    pruneSet: true,
    components: [],
  });
}

/** The flux-instance Helm chart installs a FluxInstance from its `instance` value (named `flux` by default). */
export function isFluxInstanceChart(spec: Node | undefined): boolean {
  const chart = stringAt(spec, ['chart', 'spec', 'chart'])?.value ?? stringAt(spec, ['chartRef', 'name'])?.value ?? '';
  return /(^|\/)flux-instance$/.test(chart);
}

export function fluxInstanceChartFacts(root: Node, owner: DocRef, spec: Node | undefined, docSpan: Span, sink: Sink): void {
  const namespace = stringAt(spec, ['targetNamespace'])?.value ?? stringAt(root, ['metadata', 'namespace'])?.value ?? 'flux-system';
  const values = mapGet(spec, 'values');
  const name = stringAt(values, ['fullnameOverride'])?.value ?? 'flux';
  instanceSyncFacts(owner, mapGet(mapGet(values, 'instance'), 'sync'), namespace, name, docSpan, sink, 'the flux-instance chart\'s instance.sync');
}
