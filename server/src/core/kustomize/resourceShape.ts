// What kustomize (kyaml) demands of a document listed as a resource before it accumulates it: metadata, a name and
// a kind (apiVersion may be missing). A plain values file in a folder Flux generates a kustomization for fails here,
// as it does under kustomize-controller ("missing Resource metadata").
import type { JsonObject } from './types';

/** kustomize's own words for what a resource document lacks, or undefined when it is a resource. */
export function resourceShapeProblem(obj: JsonObject): string | undefined {
  const meta = obj.metadata;
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return 'missing Resource metadata';
  if (typeof obj.kind !== 'string' || obj.kind === '') return 'missing kind in object';
  const name = (meta as JsonObject).name;
  const generateName = (meta as JsonObject).generateName;
  if ((typeof name !== 'string' || name === '') && typeof generateName !== 'string') return 'missing metadata.name in object';
  return undefined;
}
