// Questions an editor asks of an expansion: which `inputs.x` is at an offset, and what it is in each input set and
// where that was written (for hover on `<< inputs.x >>` and go-to-definition of an input).
import type { Json } from '../kustomize/types';
import type { InputReference, ResourceSetExpansion } from './expand';
import type { InputOrigin } from './inputs';

/** The reference to an input at a file offset, if any. */
export function referenceAt(x: ResourceSetExpansion, file: string, offset: number): InputReference | undefined {
  return x.references.find((r) => r.file === file && r.span.start <= offset && offset <= r.span.end);
}

export interface InputValue {
  inputSet: number;
  id: string;
  /** undefined: this input set does not define it (the operator's build fails on it). */
  value: Json | undefined;
  /** Where the value (or the nearest enclosing value) was written; none for the built-in id and provider. */
  origin?: InputOrigin;
}

const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** `inputs.<path>` in each input set, with where it was written. */
export function inputValues(x: ResourceSetExpansion, path: string[]): InputValue[] {
  return x.inputSets.map((s, inputSet) => {
    let value: Json | undefined = s.values;
    for (const k of path) value = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, k) ? value[k] : undefined;
    let origin: InputOrigin | undefined;
    for (let n = path.length; n > 0 && !origin; n--) origin = s.origins['/' + path.slice(0, n).map(esc).join('/')];
    return { inputSet, id: s.id, value, ...(origin && { origin }) };
  });
}
