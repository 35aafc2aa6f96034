// Facts of Flux and Giant Swarm objects: the references they make and the sources they define.
import type { ArtifactGeneratorFact, ObjectFact, DocRef, FluxKustomizationFact, ObjectRef, ObjectRole, SourceFact } from '../facts';
import type { DocReader } from '../docReader';
import type { Span } from '../text';
import { apiGroupOf } from '../kube/apiVersion';

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


/** Adds a reference when there is one (a function, not a closure per call: every indexed document passes here). */
function pushRef(refs: ObjectRef[], r: ObjectRef | undefined): void {
  if (r) refs.push(r);
}

function objectRef<N>(r: DocReader<N>, owner: DocRef, role: ObjectRole, node: N | undefined, defaultKinds: string[], optional = false, kindMap?: (k: string) => string): ObjectRef | undefined {
  const name = r.stringAt(node, ['name']);
  if (!name) return undefined;
  const writtenKind = r.text(r.get(node, 'kind'));
  const kind = writtenKind !== undefined ? (kindMap ? kindMap(writtenKind) : writtenKind) : undefined;
  return {
    type: 'object',
    owner,
    role,
    kinds: kind ? [kind] : defaultKinds,
    name: name.value,
    span: name.span,
    namespace: r.stringAt(node, ['namespace'])?.value,
    optional: optional || r.boolAt(node, ['optional']) === true,
  };
}

/** The kinds whose facts extractObjectFacts reads beyond apiVersion and kind, one per branch of it. */
type DeepKind = 'flux-kustomization' | 'helm-release' | 'app' | 'flux-instance' | 'artifact-generator' | 'source';

function deepKindOf(apiVersion: string, kind: string): DeepKind | undefined {
  const g = apiGroupOf(apiVersion);
  if (g === 'kustomize.toolkit.fluxcd.io' && kind === 'Kustomization') return 'flux-kustomization';
  if (g === 'helm.toolkit.fluxcd.io' && kind === 'HelmRelease') return 'helm-release';
  if (g === 'application.giantswarm.io' && kind === 'App') return 'app';
  if (g === 'fluxcd.controlplane.io' && kind === 'FluxInstance') return 'flux-instance';
  if (g === 'source.extensions.fluxcd.io' && kind === 'ArtifactGenerator') return 'artifact-generator';
  if (g === 'source.toolkit.fluxcd.io' && SOURCE_KINDS.has(kind)) return 'source';
  return undefined;
}

export function extractObjectFacts<N>(r: DocReader<N>, root: N, owner: DocRef, apiVersion: string, kind: string, docSpan: Span, sink: Sink): void {
  const deep = deepKindOf(apiVersion, kind);
  if (deep === undefined) return;
  const spec = r.get(root, 'spec');

  if (deep === 'flux-kustomization') {
    const sourceRef = objectRef(r, owner, 'sourceRef', r.get(spec, 'sourceRef'), ['GitRepository']);
    pushRef(sink.refs, sourceRef);
    for (const d of r.items(r.get(spec, 'dependsOn'))) pushRef(sink.refs, objectRef(r, owner, 'dependsOn', d, ['Kustomization']));
    for (const s of r.items(r.get(r.get(spec, 'postBuild'), 'substituteFrom'))) pushRef(sink.refs, objectRef(r, owner, 'substituteFrom', s, ['ConfigMap']));
    const path = r.stringAt(spec, ['path']);
    sink.fluxKustomizations.push({
      owner,
      via: 'Kustomization',
      name: r.stringAt(root, ['metadata', 'name'])?.value,
      namespace: r.stringAt(root, ['metadata', 'namespace'])?.value,
      sourceRef,
      path,
      anchor: sourceRef?.span ?? r.span(spec) ?? docSpan,
      prune: r.boolAt(spec, ['prune']) === true,
      pruneSet: r.boolAt(spec, ['prune']) !== undefined,
      targetNamespace: r.stringAt(spec, ['targetNamespace'])?.value,
      components: r.items(r.get(spec, 'components')).flatMap((n) => {
        const v = r.text(n);
        const s = r.span(n);
        return v !== undefined && s ? [{ value: v, span: s }] : [];
      }),
    });
    return;
  }

  if (deep === 'helm-release') {
    const chartSpec = r.get(r.get(spec, 'chart'), 'spec');
    const chartRef = objectRef(r, owner, 'chart.sourceRef', r.get(chartSpec, 'sourceRef'), ['HelmRepository']);
    if (chartRef && chartRef.kinds[0] !== 'HelmRepository') chartRef.chartPath = r.stringAt(chartSpec, ['chart']);
    pushRef(sink.refs, chartRef);
    pushRef(sink.refs, objectRef(r, owner, 'chartRef', r.get(spec, 'chartRef'), ['OCIRepository']));
    for (const v of r.items(r.get(spec, 'valuesFrom'))) pushRef(sink.refs, objectRef(r, owner, 'valuesFrom', v, ['ConfigMap']));
    for (const d of r.items(r.get(spec, 'dependsOn'))) pushRef(sink.refs, objectRef(r, owner, 'dependsOn', d, ['HelmRelease']));
    if (isFluxInstanceChart(r, spec)) fluxInstanceChartFacts(r, root, owner, spec, docSpan, sink);
    return;
  }

  if (deep === 'app') {
    for (const layer of ['config', 'userConfig'] as const) {
      const node = r.get(spec, layer);
      pushRef(sink.refs, objectRef(r, owner, layer, r.get(node, 'configMap'), ['ConfigMap']));
      pushRef(sink.refs, objectRef(r, owner, layer, r.get(node, 'secret'), ['Secret']));
    }
    for (const e of r.items(r.get(spec, 'extraConfigs'))) {
      pushRef(sink.refs, objectRef(r, owner, 'extraConfigs', e, ['ConfigMap'], false, (k) => (k.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap')));
    }
    const catalog = r.stringAt(spec, ['catalog']);
    if (catalog) {
      sink.refs.push({
        type: 'object',
        owner,
        role: 'catalog',
        kinds: ['Catalog'],
        name: catalog.value,
        span: catalog.span,
        namespace: r.stringAt(spec, ['catalogNamespace'])?.value,
        // Giant Swarm's own catalogs come with the platform, not from Git.
        optional: PLATFORM_CATALOGS.has(catalog.value),
      });
    }
    return;
  }

  if (deep === 'flux-instance') {
    const namespace = r.stringAt(root, ['metadata', 'namespace'])?.value ?? 'flux-system';
    instanceSyncFacts(r, owner, r.get(spec, 'sync'), namespace, r.stringAt(root, ['metadata', 'name'])?.value ?? '', docSpan, sink, 'spec.sync');
    return;
  }

  if (deep === 'artifact-generator') {
    sink.artifactGenerators?.push({
      owner,
      namespace: r.stringAt(root, ['metadata', 'namespace'])?.value,
      sources: r.items(r.get(spec, 'sources')).flatMap((n) => {
        const alias = r.stringAt(n, ['alias'])?.value;
        const name = r.stringAt(n, ['name'])?.value;
        return alias && name ? [{ alias, name, kind: r.stringAt(n, ['kind'])?.value ?? 'GitRepository', namespace: r.stringAt(n, ['namespace'])?.value }] : [];
      }),
      artifacts: r.items(r.get(spec, 'artifacts')).flatMap((n) => {
        const name = r.stringAt(n, ['name'])?.value;
        const copy = r.items(r.get(n, 'copy')).flatMap((c) => {
          const from = r.stringAt(c, ['from'])?.value;
          const to = r.stringAt(c, ['to'])?.value;
          return from && to ? [{ from, to }] : [];
        });
        return name ? [{ name, copy }] : [];
      }),
    });
    return;
  }

  if (deep === 'source') {
    const branch = r.stringAt(spec, ['ref', 'branch'])?.value;
    const ignore = r.stringAt(spec, ['ignore'])?.value;
    const layerOperation = r.stringAt(spec, ['layerSelector', 'operation'])?.value;
    sink.sources.push({ owner, kind, url: r.stringAt(spec, ['url']), branch, ...(ignore !== undefined && { ignore }), ...(layerOperation !== undefined && { layerOperation }) });
    if (kind === 'HelmChart') {
      const chartRef = objectRef(r, owner, 'chart.sourceRef', r.get(spec, 'sourceRef'), ['HelmRepository']);
      if (chartRef && chartRef.kinds[0] !== 'HelmRepository') chartRef.chartPath = r.stringAt(spec, ['chart']);
      pushRef(sink.refs, chartRef);
    }
  }
}

/**
 * A FluxInstance's `spec.sync` (or the flux-instance chart's `instance.sync` value): the operator makes a source and
 * a Kustomization named after `sync.name` or the instance's namespace. The source is an object the cluster has, so
 * Kustomizations in the synced path refer to it like to any source.
 */
function instanceSyncFacts<N>(r: DocReader<N>, owner: DocRef, sync: N | undefined, namespace: string, instanceName: string, docSpan: Span, sink: Sink, where: string): void {
  const url = r.stringAt(sync, ['url']);
  if (!url) return;
  const syncKind = r.stringAt(sync, ['kind'])?.value ?? 'GitRepository';
  const syncName = r.stringAt(sync, ['name']);
  const ref = r.stringAt(sync, ['ref'])?.value;
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
    path: r.stringAt(sync, ['path']),
    anchor: url.span,
    name: instanceName,
    namespace,
    prune: true,
    pruneSet: true,
    components: [],
  });
}

/** The flux-instance Helm chart installs a FluxInstance from its `instance` value (named `flux` by default). */
export function isFluxInstanceChart<N>(r: DocReader<N>, spec: N | undefined): boolean {
  const chart = r.stringAt(spec, ['chart', 'spec', 'chart'])?.value ?? r.stringAt(spec, ['chartRef', 'name'])?.value ?? '';
  return /(^|\/)flux-instance$/.test(chart);
}

export function fluxInstanceChartFacts<N>(r: DocReader<N>, root: N, owner: DocRef, spec: N | undefined, docSpan: Span, sink: Sink): void {
  const namespace = r.stringAt(spec, ['targetNamespace'])?.value ?? r.stringAt(root, ['metadata', 'namespace'])?.value ?? 'flux-system';
  const values = r.get(spec, 'values');
  const name = r.stringAt(values, ['fullnameOverride'])?.value ?? 'flux';
  instanceSyncFacts(r, owner, r.get(r.get(values, 'instance'), 'sync'), namespace, name, docSpan, sink, 'the flux-instance chart\'s instance.sync');
}
