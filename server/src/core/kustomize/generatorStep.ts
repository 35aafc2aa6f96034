// The generators step of one kustomization level: every configMapGenerator/secretGenerator entry generated and
// merged (create/merge/replace) into the accumulated resources.
import type { BuildIssue, JsonObject, Resource } from './types';
import { generate, applyGeneratorBehavior, type GeneratorField, type GeneratorOptions, type GeneratorSpec, type ReadFile } from './generators';
import type { KustomizationDoc } from './build';
import { BuildError } from './buildError';
import { resIdOf } from './resid';

function fieldPath(field: string, i: number, f: GeneratorField): Array<string | number> {
  switch (f.in) {
    case 'entry':
      return [field, i];
    case 'literals':
    case 'files':
    case 'envs':
      return [field, i, f.in, f.index];
    case 'options':
      return 'key' in f ? [field, i, 'options', f.field, f.key] : [field, i, 'options', f.field];
    case 'generatorOptions':
      return 'key' in f ? ['generatorOptions', f.field, f.key] : ['generatorOptions', f.field];
    default:
      return [field, i, f.in];
  }
}

/** Whether a resource has had the namespace `ns` ('default' when it started without one): generators match previous
 *  ids too. (No set of them made for each object of a level, for each generator entry.) */
function hadNamespace(r: Resource, ns: string): boolean {
  if ((resIdOf(r.obj).namespace ?? 'default') === ns) return true;
  const stack = r.prov.get('/metadata/namespace') ?? [];
  for (const w of stack) if (w.value === ns) return true;
  return ns === 'default' && (!stack.length || (stack[0].layer.step !== 'resource' && stack[0].layer.step !== 'configMapGenerator' && stack[0].layer.step !== 'secretGenerator'));
}

/** Whether an accumulated resource has had the name `name` (prefixes, suffixes): kustomize matches generators on any. */
function hadName(r: Resource, name: string): boolean {
  const meta = (r.obj.metadata ?? {}) as JsonObject;
  if ((typeof meta.name === 'string' ? meta.name : '') === name) return true;
  for (const w of r.prov.get('/metadata/name') ?? []) if (w.value === name) return true;
  return false;
}

export function runGenerators(k: KustomizationDoc, resources: Resource[], readFile: ReadFile, issues: BuildIssue[]): void {
  const options = (k.data.generatorOptions && typeof k.data.generatorOptions === 'object' ? k.data.generatorOptions : undefined) as GeneratorOptions | undefined;
  for (const [field, kind] of [['configMapGenerator', 'ConfigMap'], ['secretGenerator', 'Secret']] as const) {
    const entries = Array.isArray(k.data[field]) ? (k.data[field] as JsonObject[]) : [];
    entries.forEach((entry, i) => {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
      const spec = entry as unknown as GeneratorSpec;
      const result = generate(kind, spec, k.file, options, readFile, (f) => k.span(fieldPath(field, i, f)));
      issues.push(...result.issues.filter((x) => x.severity !== 'error'));
      const error = result.issues.find((x) => x.severity === 'error');
      if (error) throw new BuildError(error.message, error.file, error.span);
      if (!result.resource) return;
      const name = resIdOf(result.resource.obj).name;
      const ns = resIdOf(result.resource.obj).namespace ?? 'default';
      const idx = resources.findIndex((r) => r.obj.kind === kind && hadName(r, name) && hadNamespace(r, ns));
      const merged = applyGeneratorBehavior(idx >= 0 ? resources[idx] : undefined, result.resource, spec.behavior);
      const mergeError = merged.issues.find((x) => x.severity === 'error');
      if (mergeError || !merged.resource) throw new BuildError(mergeError?.message ?? 'generator failed', mergeError?.file ?? k.file, mergeError?.span);
      // A merged object counts as configured by the generator that merged it last (origin annotations say so).
      if (idx >= 0) resources[idx] = { ...merged.resource, origin: result.resource.origin };
      else resources.push(merged.resource);
    });
  }
}
