// Flux Operator ResourceSets in the fleet model: each ResourceSet is expanded by the engine (core/resourceSet) with
// the fleet's ResourceSetInputProviders and the `.flux-fleet.yaml` samples, and what it generates joins the model
// like objects written in Git: ObjectFacts (their spans at the template), Flux Kustomizations (via ResourceSet) the
// linker follows into the mapped repositories, and the references those make. Expansions are memoized per
// ResourceSet document while its file and the providers' files are the same texts (one expansion per version).
import type { Fleet } from '../model';
import type { FileFacts, FluxKustomizationFact, GeneratedBy, ObjectFact, ObjectRef, ObjectRole, ResourceSetFact } from '../facts';
import type { Json, JsonObject } from '../kustomize/types';
import type { Span } from '../text';
import { isClusterScoped, isClusterScopedObject } from '../kube/kinds';
import { SOURCE_KINDS } from '../extract/fluxObjects';
import { expandResourceSet, readDocuments, type GeneratedObject, type ResourceSetExpansion, type SourcedObject } from '../resourceSet';
import { apiGroupOf } from '../kube/apiVersion';

export interface ResourceSetLink {
  fact: ResourceSetFact;
  /** The ResourceSet as the engine read it (spans by JSON pointer). */
  source: SourcedObject;
  /** The fleet's input providers it was expanded with (every one; the engine selects). */
  providers: SourcedObject[];
  expansion: ResourceSetExpansion;
  /** One per generated object (parallel to `expansion.objects`). */
  objects: ObjectFact[];
  /** The Flux Kustomizations among them, as facts the linker resolves. */
  flux: FluxKustomizationFact[];
  /** References of the generated objects (dependsOn, sourceRef of HelmReleases, substituteFrom…). */
  refs: Array<{ ref: ObjectRef; inputSet?: number }>;
  /** The ResourceSet's own spec.dependsOn, as references (optional where the fleet does not make such objects). */
  dependsOn: ObjectRef[];
}

const isObject = (v: Json | undefined): v is JsonObject => v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** A file's documents as the engine reads them: parsed once per file version. */
function documentsOf(fleet: Fleet, facts: FileFacts): SourcedObject[] {
  return fleet.db.weak<FileFacts, SourcedObject[]>('resourceSetDocuments').getOrMake(facts, () => readDocuments(facts.file, facts.text));
}

/** The engine's reading of the document a fact names. */
export function sourcedOf(fleet: Fleet, facts: FileFacts, fact: ResourceSetFact): SourcedObject | undefined {
  return documentsOf(fleet, facts).find((d) => d.spans?.get('')?.value.start === fact.span.start);
}

interface Memo {
  rsFacts: FileFacts;
  providerFacts: FileFacts[];
  samples: unknown;
  link: ResourceSetLink;
}

/**
 * Every ResourceSet of the fleet expanded (files `include` rejects, such as patches, are not objects), or only
 * those of the file `only` (an edited file, re-linked alone).
 */
export function expandResourceSets(fleet: Fleet, include: (file: string) => boolean, only?: string): ResourceSetLink[] {
  const rsets: Array<{ facts: FileFacts; fact: ResourceSetFact }> = [];
  const providerFacts: FileFacts[] = [];
  for (const facts of fleet.facts.values()) {
    if (!facts.resourceSets || !include(facts.file)) continue;
    let hasProvider = false;
    for (const fact of facts.resourceSets) {
      if (fact.kind === 'ResourceSet') {
        if (only === undefined || facts.file === only) rsets.push({ facts, fact });
      }
      else hasProvider = true;
    }
    if (hasProvider) providerFacts.push(facts);
  }
  if (rsets.length === 0) return [];
  let providers: SourcedObject[] | undefined;
  const providersOf = () =>
    (providers ??= providerFacts.flatMap((f) => f.resourceSets!.filter((r) => r.kind === 'ResourceSetInputProvider').flatMap((r) => sourcedOf(fleet, f, r) ?? [])));
  const samples = fleet.layout.providerSamples;
  const memos = fleet.db.weak<ResourceSetFact, Memo>('resourceSetLinks');
  const out: ResourceSetLink[] = [];
  for (const { facts, fact } of rsets) {
    const m = memos.get(fact);
    if (m && m.rsFacts === facts && m.samples === samples && sameList(m.providerFacts, providerFacts)) {
      out.push(m.link);
      continue;
    }
    const source = sourcedOf(fleet, facts, fact);
    if (!source) continue;
    const expansion = expandResourceSet(source, providersOf(), { samples });
    const link = modelOf(fact, source, providersOf(), expansion);
    memos.set(fact, { rsFacts: facts, providerFacts, samples, link });
    out.push(link);
  }
  return out;
}

function sameList<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The generated objects as model facts. */
function modelOf(fact: ResourceSetFact, source: SourcedObject, providers: SourcedObject[], x: ResourceSetExpansion): ResourceSetLink {
  const link: ResourceSetLink = { fact, source, providers, expansion: x, objects: [], flux: [], refs: [], dependsOn: dependsOnRefs(fact, source, x) };
  x.objects.forEach((g, index) => {
    const obj = g.obj;
    const meta = isObject(obj.metadata) ? obj.metadata : {};
    const kind = str(obj.kind) ?? '';
    const apiVersion = str(obj.apiVersion) ?? '';
    const name = str(meta.name) ?? '';
    const namespace = isClusterScoped(kind) ? undefined : str(meta.namespace) ?? x.namespace;
    const set = g.inputSet !== undefined ? x.inputSets[g.inputSet] : undefined;
    const generatedBy: GeneratedBy = { resourceSet: { name: x.name, namespace: x.namespace }, index, ...(g.inputSet !== undefined && { inputSet: g.inputSet, inputSetId: set?.id }) };
    const templateSpan = g.template.span ?? fact.span;
    const at = (pointer: string): Span => fieldSpan(source, g, pointer) ?? templateSpan;
    const labels = isObject(meta.labels) ? Object.fromEntries(Object.entries(meta.labels).map(([k, v]) => [k, String(v)])) : undefined;
    link.objects.push({
      owner: fact.owner,
      apiVersion,
      kind,
      name,
      namespace,
      nameSpan: at('/metadata/name'),
      span: templateSpan,
      madeBy: `ResourceSet ${x.namespace}/${x.name}${set ? `, ${inputSetLabel(x, g.inputSet)}` : ''}`,
      generatedBy,
      ...(labels && { labels }),
    });
    const spec = isObject(obj.spec) ? obj.spec : {};
    const group = apiGroupOf(apiVersion);
    if (group === 'source.toolkit.fluxcd.io' && SOURCE_KINDS.has(kind)) {
      const url = str(spec.url);
      const branch = isObject(spec.ref) ? str(spec.ref.branch) : undefined;
      generatedBy.source = { owner: fact.owner, kind, ...(url !== undefined && { url: { value: url, span: at('/spec/url') } }), ...(branch !== undefined && { branch }) };
    }
    const ref = (role: ObjectRole, pointer: string, node: Json | undefined, kinds: string[]): ObjectRef | undefined => {
      if (!isObject(node) || typeof node.name !== 'string') return undefined;
      const r: ObjectRef = {
        type: 'object',
        owner: fact.owner,
        role,
        kinds: typeof node.kind === 'string' ? [node.kind] : kinds,
        name: node.name,
        span: at(`${pointer}/name`),
        // The referring object's namespace is the generated one's, not the ResourceSet document's.
        namespace: str(node.namespace) ?? namespace,
        optional: node.optional === true,
      };
      link.refs.push({ ref: r, inputSet: g.inputSet });
      return r;
    };
    const list = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
    if (group === 'kustomize.toolkit.fluxcd.io' && kind === 'Kustomization') {
      const sourceRef = ref('sourceRef', '/spec/sourceRef', spec.sourceRef, ['GitRepository']);
      list(spec.dependsOn).forEach((d, i) => ref('dependsOn', `/spec/dependsOn/${i}`, d, ['Kustomization']));
      const postBuild = isObject(spec.postBuild) ? spec.postBuild : {};
      list(postBuild.substituteFrom).forEach((d, i) => ref('substituteFrom', `/spec/postBuild/substituteFrom/${i}`, d, ['ConfigMap']));
      const path = str(spec.path);
      link.flux.push({
        owner: fact.owner,
        via: 'ResourceSet',
        generatedBy,
        name,
        namespace,
        sourceRef,
        ...(path !== undefined && { path: { value: path, span: at('/spec/path') } }),
        anchor: sourceRef?.span ?? at('/metadata/name'),
        prune: spec.prune === true,
        pruneSet: spec.prune !== undefined,
        ...(typeof spec.targetNamespace === 'string' && { targetNamespace: spec.targetNamespace }),
        components: [],
      });
    } else if (group === 'helm.toolkit.fluxcd.io' && kind === 'HelmRelease') {
      const chart = isObject(spec.chart) && isObject(spec.chart.spec) ? spec.chart.spec : {};
      ref('chart.sourceRef', '/spec/chart/spec/sourceRef', chart.sourceRef, ['HelmRepository']);
      ref('chartRef', '/spec/chartRef', spec.chartRef, ['OCIRepository']);
      list(spec.valuesFrom).forEach((d, i) => ref('valuesFrom', `/spec/valuesFrom/${i}`, d, ['ConfigMap']));
      list(spec.dependsOn).forEach((d, i) => ref('dependsOn', `/spec/dependsOn/${i}`, d, ['HelmRelease']));
    }
  });
  return link;
}

/** API groups whose objects a fleet makes itself (written in Git or generated): Flux's and the Flux Operator's. */
const FLEET_GROUP = /^([a-z]+\.toolkit\.fluxcd\.io|fluxcd\.controlplane\.io)$/;

/**
 * spec.dependsOn as references. Only objects the fleet itself would make (Flux's and the operator's kinds, named with
 * with their namespace) are missing when the fleet does not define them; any other kind (a CRD, a
 * Deployment a chart installs) is followed when the fleet defines it and else left to the cluster.
 */
function dependsOnRefs(fact: ResourceSetFact, source: SourcedObject, x: ResourceSetExpansion): ObjectRef[] {
  const out: ObjectRef[] = [];
  x.dependsOn.forEach((d, i) => {
    if (!d.kind || !d.name) return;
    const group = apiGroupOf(d.apiVersion);
    const clusterScoped = isClusterScopedObject(d.apiVersion, d.kind);
    out.push({
      type: 'object',
      owner: fact.owner,
      role: 'dependsOn',
      kinds: [d.kind],
      name: d.name,
      span: source.spans?.get(`/spec/dependsOn/${i}/name`)?.value ?? d.span ?? fact.span,
      ...(!clusterScoped && { namespace: d.namespace ?? x.namespace }),
      // Without a namespace the operator looks the object up cluster-wide: a namespaced one is then never found, but
      // that is not an object the fleet lacks.
      optional: clusterScoped || !FLEET_GROUP.test(group) || d.namespace === undefined,
    });
  });
  return out;
}

/** The span of a field of a generated object in its template: exact for `resources` items, else the template's lines. */
function fieldSpan(source: SourcedObject, g: GeneratedObject, pointer: string): Span | undefined {
  if (g.template.field === 'resourcesTemplate') return templateLine(source, g.template.span, pointer, typeof g.obj.kind === 'string' ? g.obj.kind : undefined) ?? g.template.span;
  if (g.template.index === undefined) return g.template.span;
  const base = g.template.step === undefined ? '/spec' : stepBase(source, g.template.step);
  return base ? source.spans?.get(`${base}/resources/${g.template.index}${pointer}`)?.value ?? g.template.span : g.template.span;
}

/**
 * The span in its template of a field of a generated object, else of the nearest field above it written there (an
 * object's `kind:` line above all): where a finding about the field goes.
 */
export function nearestFieldSpan(source: SourcedObject, g: GeneratedObject, pointer: string): Span | undefined {
  const kind = typeof g.obj.kind === 'string' ? g.obj.kind : undefined;
  const base = g.template.field === 'resources' && g.template.index !== undefined ? (g.template.step === undefined ? '/spec' : stepBase(source, g.template.step)) : undefined;
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const at = p === '' ? '/kind' : p;
    const span = g.template.field === 'resourcesTemplate' ? templateLine(source, g.template.span, at, kind) : base !== undefined ? source.spans?.get(`${base}/resources/${g.template.index}${at}`)?.value : undefined;
    if (span) return span;
    if (p === '') return g.template.span;
  }
}

/**
 * In the lines of `resourcesTemplate` that wrote an object, the line of a field (`/spec/path`): each key of the
 * pointer found in turn, more indented than the previous one. The template's text is not YAML until rendered, so
 * this reads lines, not a document; undefined when a key is not written literally (a template writes it).
 */
export function templateLine(source: SourcedObject, span: Span | undefined, pointer: string, kind?: string): Span | undefined {
  const text = source.source?.text;
  if (!text || !span) return undefined;
  // The lines that wrote a document can begin with the end of the previous one (a range's separator): start at its kind.
  const kindLine = kind ? new RegExp(`^[ \\t]*kind:[ \\t]*${kind.replace(/[^A-Za-z0-9]/g, '')}[ \\t]*$`, 'm').exec(text.slice(span.start, span.end)) : null;
  let at = span.start + (kindLine?.index ?? 0);
  let indent = -1;
  const keys = pointer.split('/').slice(1);
  for (const [i, key] of keys.entries()) {
    if (/^\d+$/.test(key)) return undefined;
    const re = new RegExp(`^([ \\t]*)(?:- )?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:[ \\t]*(.*)$`, 'gm');
    re.lastIndex = at;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) && m.index < span.end && m[1].length <= indent);
    if (!m || m.index >= span.end) return undefined;
    indent = m[1].length;
    const valueStart = m.index + m[0].length - m[2].length;
    at = m.index + m[0].length;
    if (i === keys.length - 1) return m[2] ? { start: valueStart, end: valueStart + m[2].trimEnd().length } : { start: m.index + m[1].length, end: at };
  }
  return undefined;
}

function stepBase(source: SourcedObject, step: string): string | undefined {
  const steps = isObject(source.obj.spec) && Array.isArray(source.obj.spec.steps) ? source.obj.spec.steps : [];
  const i = steps.findIndex((s) => isObject(s) && s.name === step);
  return i < 0 ? undefined : `/spec/steps/${i}`;
}

/** `input set 1a2b (tenant: team1)`: how findings and the tree name an input set. */
export function inputSetLabel(x: ResourceSetExpansion, inputSet: number | undefined): string {
  if (inputSet === undefined) return 'no inputs';
  const s = x.inputSets[inputSet];
  if (!s) return `input set ${inputSet}`;
  const id = s.id || String(inputSet);
  const keys = Object.entries(s.values).filter(([k, v]) => k !== 'id' && k !== 'provider' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'));
  const shown = keys.slice(0, 2).map(([k, v]) => `${k}: ${String(v)}`);
  return `input set ${id}${shown.length ? ` (${shown.join(', ')})` : ''}`;
}
