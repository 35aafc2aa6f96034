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
  const set = Object.entries(data ?? {}).some(([k, v]) => k !== 'apiVersion' && k !== 'kind' && isSetValue(v));
  return set ? undefined : EMPTY_KUSTOMIZATION;
}

/** kustomize's message for a kustomization with nothing set but apiVersion and kind. */
export const EMPTY_KUSTOMIZATION = 'kustomization.yaml is empty';

/** Whether a field's JSON value counts as set: Go's zero values do not (null, "", false, 0); an empty list or map does
 *  (kubectl builds `resources: []`). */
export function isSetValue(v: unknown): boolean {
  return v !== null && v !== '' && v !== false && v !== 0;
}
