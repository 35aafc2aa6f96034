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

/**
 * What applying a build puts in the cluster: its objects, and those its ResourceSets generate (as the context applies
 * them), each generated one placed at the template that wrote it (its name at the template's name where the linker
 * knows it). The same array per build while the fleet's expansion is the same.
 */
export function appliedResources(fleet: Fleet, build: readonly Resource[]): readonly Resource[] {
  if (!build.some(isResourceSetKind)) return build;
  const applied = fleet.db.weak<readonly Resource[], { linked: unknown; out: readonly Resource[] }>('appliedResources');
  const memo = applied.get(build);
  if (memo && memo.linked === fleet.links.resourceSets) return memo.out;
  const out = [...build];
  for (const rset of build) {
    if (rset.obj.kind !== 'ResourceSet' || !isResourceSetKind(rset)) continue;
    const linked = linkedOf(fleet, rset);
    const x = expansionIn(fleet, rset, build);
    for (const g of x.objects) {
      const key = objectKey(g.obj);
      const i = linked?.expansion.objects.findIndex((w) => objectKey(w.obj) === key) ?? -1;
      const prov: Resource['prov'] = new Map();
      const nameSpan = i >= 0 ? linked!.objects[i].nameSpan : undefined;
      const name = ((g.obj.metadata ?? {}) as JsonObject).name;
      if (nameSpan && name !== undefined) prov.set('/metadata/name', [{ file: rset.origin.file, span: nameSpan, layer: stepLayer('resource'), value: name }]);
      out.push({ obj: g.obj, prov, origin: { ...rset.origin, file: g.template.file || rset.origin.file, span: g.template.span ?? rset.origin.span } });
    }
  }
  applied.set(build, { linked: fleet.links.resourceSets, out });
  return out;
}
