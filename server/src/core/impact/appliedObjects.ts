// What a context puts in its cluster: the objects its build applies, and the objects each Flux Operator ResourceSet
// among them renders (the operator applies those, per input set, and garbage-collects the ones that go). Rendered by
// the engine as the context applies the ResourceSet (evaluate/resourceSets.ts expansionIn: after the parent's patches
// and substitution, with the build's input providers first): a template or inputs edit shows as the rendered objects
// that change, per cluster.
import type { Fleet } from '../model';
import type { Context } from '../evaluate/contexts';
import { expansionIn, isResourceSetKind } from '../evaluate/resourceSets';
import type { Resource } from '../kustomize/types';
import type { JsonObject } from '../kustomize/types';
import { causeAt } from './causes';

/** A rendered object, with the ResourceSet that renders it (`namespace/name`) and the files of the input providers it read. */
export type AppliedObject = Resource & { renderedBy?: string; inputFiles?: string[] };

/** The context's build, then what its ResourceSets render (a ResourceSet the operator cannot build renders nothing). */
export function appliedObjects(fleet: Fleet, c: Context | undefined): AppliedObject[] {
  if (!c) return [];
  const build = c.build.resources;
  if (!build.some((r) => r.obj.kind === 'ResourceSet' && isResourceSetKind(r))) return build;
  // (not kept here: expansionIn keeps each expansion while the build and the fleet's providers are the same)
  const out: AppliedObject[] = [...build];
  {
    for (const rset of build) {
      if (rset.obj.kind !== 'ResourceSet' || !isResourceSetKind(rset)) continue;
      const x = expansionIn(fleet, rset, build);
      if (x.failed) continue;
      const meta = (rset.obj.metadata ?? {}) as JsonObject;
      const by = `${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`;
      const inputFiles = [...new Set(x.providers.flatMap((p) => (p.file ? [p.file] : [])))];
      for (const g of x.objects) {
        // Where it was written: the `resources` item, else the template (the ResourceSet's own write of that field).
        const field = g.template.field === 'resources' ? `/spec/resources/${g.template.index ?? 0}` : '/spec/resourcesTemplate';
        const pointer = g.template.step !== undefined ? stepPointer(rset, g.template.step, field) : field;
        const at = causeAt(rset, pointer);
        // A `resources` item's fields were written in the ResourceSet at the same place below the item.
        const prov: Resource['prov'] = new Map();
        if (g.template.field === 'resources') {
          const prefix = pointer + '/';
          for (const [k, stack] of rset.prov) if (k.startsWith(prefix)) prov.set(k.slice(pointer.length), stack);
        }
        out.push({ obj: g.obj, prov, origin: { file: at.file, ...(at.span ? { span: at.span } : {}), layer: at.layer ?? rset.origin.layer }, renderedBy: by, inputFiles });
      }
    }
  }
  return out;
}

/** The pointer of a field inside a `spec.steps` entry named `step`. */
function stepPointer(rset: Resource, step: string, field: string): string {
  const steps = ((rset.obj.spec ?? {}) as JsonObject).steps;
  const i = Array.isArray(steps) ? steps.findIndex((s) => !!s && typeof s === 'object' && !Array.isArray(s) && (s as JsonObject).name === step) : -1;
  return i >= 0 ? `/spec/steps/${i}${field.slice('/spec'.length)}` : field;
}
