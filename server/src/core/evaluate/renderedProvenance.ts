// Where each value of an object a ResourceSet renders was written: the template line, as typed provenance (the
// `ResourceSet` step, naming the ResourceSet and the input set). A generated HelmRelease's values, its schema
// problems and the locks on it then point at the template like an object written in Git points at its file.
// A `resources` item keeps the ResourceSet's own stacks (its file's writes, the parent's patches): the item's own
// write becomes the ResourceSet's (with the rendered value), a later step's write the template kept stays. A `resourcesTemplate`
// object's fields point at the template's lines (the linker's expansion knows which lines wrote the object), a field
// not written literally at the nearest line above it that is.
import type { Fleet } from '../model';
import type { Json, Provenance, ProvenanceMap, Resource } from '../kustomize/types';
import type { Span } from '../text';
import { escapeSegment, provenanceWrite, writeAt } from '../kustomize/provenance';
import { resourceSetLayer } from '../layer';
import { objectKey, type GeneratedObject, type ResourceSetExpansion, type SourcedObject } from '../resourceSet';
import { inputSetLabel, templateLine } from '../link/resourceSets';

interface Linked {
  source: SourcedObject;
  expansion: ResourceSetExpansion;
}

/** Every leaf of a value (an empty map or list is a leaf), by JSON pointer. */
function leaves(value: Json, pointer: string, out: Array<[string, Json]>): Array<[string, Json]> {
  if (value !== null && typeof value === 'object' && Object.keys(value).length) {
    if (Array.isArray(value)) value.forEach((v, i) => leaves(v, `${pointer}/${i}`, out));
    else for (const [k, v] of Object.entries(value)) leaves(v, `${pointer}/${escapeSegment(k)}`, out);
  } else out.push([pointer, value]);
  return out;
}

const parentOf = (pointer: string) => pointer.slice(0, pointer.lastIndexOf('/'));

/** The linker's object for the same template and input set (the same object, or the one a substitution renamed). */
function linkedObject(linked: Linked, g: GeneratedObject): GeneratedObject | undefined {
  const key = objectKey(g.obj);
  const same = (o: GeneratedObject) => o.inputSet === g.inputSet && o.template.field === g.template.field && o.template.index === g.template.index && o.template.step === g.template.step;
  return linked.expansion.objects.find((o) => objectKey(o.obj) === key && same(o)) ?? linked.expansion.objects.find(same);
}

/**
 * The provenance of a rendered object. `rset`: the ResourceSet as the build holds it; `field`: the pointer in it of
 * the template that wrote `g` (`/spec/resources/2`, `/spec/steps/0/resourcesTemplate`); `x`: the expansion `g` is from.
 */
export function renderedProvenance(fleet: Fleet, rset: Resource, g: GeneratedObject, field: string, x: ResourceSetExpansion, linked: Linked | undefined): ProvenanceMap {
  const layer = resourceSetLayer(x.namespace, x.name, inputSetLabel(x, g.inputSet));
  const whole = writeAt(rset, field);
  const fallback: Provenance = { file: whole.file, ...(whole.span ? { span: whole.span } : {}), layer };
  const prov: ProvenanceMap = new Map();
  if (g.template.field === 'resources') {
    for (const [pointer, value] of leaves(g.obj, '', [])) {
      const stack = rset.prov.get(field + pointer);
      const last = stack?.at(-1);
      // A later step's write (a parent's patch on the ResourceSet) that the template kept stays that step's.
      if (stack && last && last.layer.step !== 'resource' && JSON.stringify(last.value) === JSON.stringify(value)) prov.set(pointer, stack);
      else if (stack && last) prov.set(pointer, [...stack.slice(0, -1), { file: last.file, ...(last.span ? { span: last.span } : {}), layer, value }]);
      else prov.set(pointer, [{ ...nearestWrite(rset, field, pointer, fallback), layer, value }]);
    }
    return prov;
  }
  const lg = linked && linkedObject(linked, g);
  const spans = lg && linked ? templateSpans(fleet, linked.source, lg) : undefined;
  const file = linked?.source.source?.file ?? whole.file;
  for (const [pointer, value] of leaves(g.obj, '', [])) {
    const span = spans?.(pointer);
    prov.set(pointer, [span ? { file, span, layer, value } : provenanceWrite(fallback, value)]);
  }
  return prov;
}

/** A leaf the template item does not hold as such (a map a template wrote, an owner label): the nearest write above it. */
function nearestWrite(rset: Resource, field: string, pointer: string, fallback: Provenance): Provenance {
  for (let p = parentOf(pointer); p !== ''; p = parentOf(p)) {
    const w = rset.prov.get(field + p)?.at(-1);
    if (w) return { file: w.file, ...(w.span ? { span: w.span } : {}), layer: fallback.layer };
  }
  return fallback;
}

/** The template line of each field of a `resourcesTemplate` object (memoized per linked object: the same in every context). */
function templateSpans(fleet: Fleet, source: SourcedObject, lg: GeneratedObject): (pointer: string) => Span | undefined {
  const memo = fleet.db.weak<GeneratedObject, Map<string, Span | undefined>>('renderedTemplateLines').getOrMake(lg, () => new Map());
  const kind = typeof lg.obj.kind === 'string' ? lg.obj.kind : undefined;
  const lineOf = (pointer: string): Span | undefined => {
    if (memo.has(pointer)) return memo.get(pointer);
    // Above every field: the object's `kind:` line (a field the template does not write literally, an owner label).
    const span = pointer === '' ? (templateLine(source, lg.template.span, '/kind', kind) ?? lg.template.span) : (templateLine(source, lg.template.span, pointer, kind) ?? lineOf(parentOf(pointer)));
    memo.set(pointer, span);
    return span;
  };
  return lineOf;
}

