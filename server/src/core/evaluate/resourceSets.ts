// A ResourceSet in a context's build, as that context applies it (after the parent's patches and postBuild
// substitution): expanded by the engine (core/resourceSet) with the input providers of the same build first, then
// the fleet's, and the Flux Kustomizations it generates become the context's children. Their fields' provenance
// points at the template lines that wrote them (the linker's generated facts know where).
import type { Fleet } from '../model';
import type { FluxKustomizationFact } from '../facts';
import type { Json, JsonObject, Resource } from '../kustomize/types';
import type { Span } from '../text';
import { expandResourceSet, objectKey, type ResourceSetExpansion, type SourcedObject } from '../resourceSet';
import { stepLayer } from '../layer';
import { writeAt } from '../kustomize/provenance';
import { renderedProvenance } from './renderedProvenance';

export function isResourceSetKind(r: Resource): boolean {
  const kind = r.obj.kind;
  return (kind === 'ResourceSet' || kind === 'ResourceSetInputProvider') && String(r.obj.apiVersion ?? '').startsWith('fluxcd.controlplane.io/');
}

export interface GeneratedKustomization {
  resource: Resource;
  fact: FluxKustomizationFact;
}

// Memoized (in the fleet's database) per ResourceSet object while the build (its providers) and the linker's expansion (the fleet's) are the same.

/** The linker's expansion of the same document (its spans and the fleet's providers). */
function linkedOf(fleet: Fleet, rset: Resource) {
  return fleet.links.resourceSets.find((l) => l.fact.owner.file === rset.origin.file && l.fact.span.start === rset.origin.span?.start);
}

/** The linker's expansion of a built ResourceSet: with where each input value was written (facts' generatedBy index it). */
export function linkedExpansion(fleet: Fleet, rset: Resource): ResourceSetExpansion | undefined {
  return linkedOf(fleet, rset)?.expansion;
}

/** A ResourceSet of a build expanded as the context applies it: the build's providers first, then the fleet's. */
export function expansionIn(fleet: Fleet, rset: Resource, build: readonly Resource[]): ResourceSetExpansion {
  const expansions = fleet.db.weak<Resource, { build: readonly Resource[]; linked: unknown; x: ResourceSetExpansion }>('resourceSetExpansions');
  const memo = expansions.get(rset);
  const linked = linkedOf(fleet, rset);
  if (memo && memo.build === build && memo.linked === linked) return memo.x;
  const inBuild = build.filter((r) => r.obj.kind === 'ResourceSetInputProvider' && isResourceSetKind(r)).map((r): SourcedObject => ({ obj: r.obj }));
  const built = new Set(inBuild.map((p) => idOf(p.obj)));
  const providers = [...inBuild, ...(linked?.providers ?? []).filter((p) => !built.has(idOf(p.obj)))];
  const x = expandResourceSet({ obj: rset.obj }, providers, { samples: fleet.layout.providerSamples });
  expansions.set(rset, { build, linked, x });
  return x;
}

const idOf = (o: JsonObject) => {
  const m = (o.metadata ?? {}) as JsonObject;
  return `${String(o.kind)}/${String(m.namespace ?? '')}/${String(m.name ?? '')}`;
};

/** The Flux Kustomizations a ResourceSet of a build generates, each with the linker's fact for the same object. */
export function generatedKustomizations(fleet: Fleet, rset: Resource, build: readonly Resource[]): GeneratedKustomization[] {
  const expanded = fleet.db.weak<Resource, { build: readonly Resource[]; linked: unknown; out: GeneratedKustomization[] }>('resourceSetChildren');
  const memo = expanded.get(rset);
  const linked = linkedOf(fleet, rset);
  if (memo && memo.build === build && memo.linked === linked) return memo.out;
  const out: GeneratedKustomization[] = [];
  const x = expansionIn(fleet, rset, build);
  for (const g of x.objects) {
    if (g.obj.kind !== 'Kustomization' || !String(g.obj.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/')) continue;
    // The linker's fact for the object of the same id (its template spans); none: a child only this context renders.
    const key = objectKey(g.obj);
    const written = (f: FluxKustomizationFact) => linked!.expansion.objects[f.generatedBy!.index];
    // Else the one of the same template and input set (a name this context's substitution changed).
    const fact =
      linked?.flux.find((f) => objectKey(written(f).obj) === key) ??
      linked?.flux.find((f) => written(f).inputSet === g.inputSet && written(f).template.field === g.template.field && written(f).template.index === g.template.index && written(f).template.step === g.template.step);
    if (!fact) continue;
    const prov: Resource['prov'] = new Map();
    const write = (pointer: string, span: Span | undefined, value: Json | undefined) => {
      if (span && value !== undefined) prov.set(pointer, [{ file: fact.owner.file, span, layer: stepLayer('resource'), value }]);
    };
    const spec = (g.obj.spec ?? {}) as JsonObject;
    write('/metadata/name', linked!.objects[fact.generatedBy!.index].nameSpan, ((g.obj.metadata ?? {}) as JsonObject).name);
    write('/spec/path', fact.path?.span, spec.path);
    if (fact.sourceRef) write('/spec/sourceRef/name', fact.sourceRef.span, ((spec.sourceRef ?? {}) as JsonObject).name);
    out.push({ resource: { obj: g.obj, prov, origin: { ...rset.origin, span: fact.anchor } }, fact });
  }
  expanded.set(rset, { build, linked, out });
  return out;
}

/** The Kustomization object of a generated fact, from its ResourceSet as written (a root: nothing applies it). */
export function generatedSpec(fleet: Fleet, rset: Resource, fact: FluxKustomizationFact): Resource | undefined {
  return generatedKustomizations(fleet, rset, [rset]).find((g) => g.fact === fact || g.fact.generatedBy?.index === fact.generatedBy?.index)?.resource;
}

/** An object a build applies: written in Git, or rendered by a ResourceSet (`namespace/name`), with the files of the input providers that expansion read. */
export type AppliedObject = Resource & { renderedBy?: string; inputFiles?: string[] };

export interface AppliedResources {
  objects: readonly AppliedObject[];
  /** ResourceSets (`namespace/name`) the operator cannot build: it applies nothing new and deletes nothing of theirs. */
  unbuilt: readonly string[];
}

/** appliedResources' memo of a build without a ResourceSet: it does not depend on the links. */
const NO_RESOURCE_SET: unique symbol = Symbol('no ResourceSet');

/**
 * What applying a build puts in the cluster: its objects, then what each Flux Operator ResourceSet among them renders
 * as the context applies it (expansionIn: after the parent's patches and substitution, the build's providers first).
 * A rendered object is placed where it was written: a `resources` item keeps the ResourceSet's own writes below it
 * (after patches), a `resourcesTemplate` object points at the template. The same answer per build while the fleet's
 * expansions are the same.
 */
export function appliedResources(fleet: Fleet, build: readonly Resource[]): AppliedResources {
  const applied = fleet.db.weak<readonly Resource[], { linked: unknown; out: AppliedResources }>('appliedResources');
  const memo = applied.get(build);
  if (memo && (memo.linked === NO_RESOURCE_SET || memo.linked === fleet.links.resourceSets)) return memo.out;
  // A build is never changed (build output is read-only): one without a ResourceSet is itself, whatever the links,
  // found once (the check asks per context and pass; a scan of every object's kind each time was most of the locks pass's own time).
  if (!build.some((r) => r.obj.kind === 'ResourceSet' && isResourceSetKind(r))) return applied.set(build, { linked: NO_RESOURCE_SET, out: { objects: build, unbuilt: [] } }).out;
  const objects: AppliedObject[] = [...build];
  const unbuilt: string[] = [];
  for (const rset of build) {
    if (rset.obj.kind !== 'ResourceSet' || !isResourceSetKind(rset)) continue;
    const x = expansionIn(fleet, rset, build);
    const meta = (rset.obj.metadata ?? {}) as JsonObject;
    const by = `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`;
    if (x.failed) {
      unbuilt.push(by);
      continue;
    }
    const inputFiles = [...new Set(x.providers.flatMap((p) => (p.file ? [p.file] : [])))];
    const linked = linkedOf(fleet, rset);
    for (const g of x.objects) {
      const field = g.template.field === 'resources' ? `/spec/resources/${g.template.index ?? 0}` : '/spec/resourcesTemplate';
      const pointer = g.template.step !== undefined ? stepPointer(rset, g.template.step, field) : field;
      const at = writeAt(rset, pointer);
      const prov = renderedProvenance(fleet, rset, g, pointer, x, linked);
      objects.push({ obj: g.obj, prov, origin: { file: at.file, ...(at.span ? { span: at.span } : {}), layer: at.layer ?? rset.origin.layer }, renderedBy: by, inputFiles });
    }
  }
  const out = { objects, unbuilt };
  applied.set(build, { linked: fleet.links.resourceSets, out });
  return out;
}

/** A build as the values and locks read it: its objects and what its ResourceSets render (a generated HelmRelease is
 *  a release of the context like one written in Git; its valuesFrom may read objects rendered beside it). */
export function appliedBuild(fleet: Fleet, build: readonly Resource[]): Resource[] {
  return appliedResources(fleet, build).objects as Resource[];
}

/** The pointer of a field inside a `spec.steps` entry named `step`. */
function stepPointer(rset: Resource, step: string, field: string): string {
  const steps = ((rset.obj.spec ?? {}) as JsonObject).steps;
  const i = Array.isArray(steps) ? steps.findIndex((s) => !!s && typeof s === 'object' && !Array.isArray(s) && (s as JsonObject).name === step) : -1;
  return i >= 0 ? `/spec/steps/${i}${field.slice('/spec'.length)}` : field;
}
