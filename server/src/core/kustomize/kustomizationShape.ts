// What kustomize refuses in a kustomization file before reading any field (api/types/kustomization.go and
// api/internal/target/kusttarget.go): a document that is not a mapping, and one with nothing set but apiVersion and
// kind (Kustomization.CheckEmpty). An empty file or `kind: Kustomization` alone is what a user has while typing.
import type { Json } from './types';

/** kustomize's message for a kustomization document it refuses, or undefined. `data` is the document as JSON. */
export function kustomizationRefusal(data: Json | undefined): string | undefined {
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    const type = Array.isArray(data) ? 'array' : typeof data === 'boolean' ? 'bool' : typeof data;
    return `invalid Kustomization: json: cannot unmarshal ${type} into Go value of type types.Kustomization`;
  }
  // Go's zero values are unset: null, "", false, 0; an empty list or map is set (kubectl builds `resources: []`).
  const set = Object.entries(data ?? {}).some(([k, v]) => k !== 'apiVersion' && k !== 'kind' && v !== null && v !== '' && v !== false && v !== 0);
  return set ? undefined : 'kustomization.yaml is empty';
}
