// Where a change comes from: the write provenance records for a field (file, span, layer), and for what provenance
// cannot point at (a deleted `resources:` entry, a folder that no longer builds) the nearest changed line of the
// working text.
import type { Resource } from '../kustomize/types';
import { writeAt } from '../kustomize/provenance';
import type { Span } from '../text';
import type { ImpactCause } from './types';

/** The write that set the value at `pointer` (its own, a leaf below it for a subtree, else the nearest above). */
export function causeAt(r: Resource, pointer: string, baseline = false): ImpactCause {
  const from = writeAt(r, pointer);
  return { file: from.file, ...(from.span ? { span: from.span } : {}), layer: from.layer, ...(baseline ? { baseline: true } : {}) };
}

/** The object's document (working tree, or the baseline's for a removed object). */
export function originOf(r: Resource, baseline = false): ImpactCause {
  return { file: r.origin.file, ...(r.origin.span ? { span: r.origin.span } : {}), layer: r.origin.layer, ...(baseline ? { baseline: true } : {}) };
}

/**
 * The line of `work` nearest the first difference from `base`: the first line that differs, or where lines were
 * deleted, the line that now stands there (the last line when they were deleted at the end). Undefined when equal.
 */
export function firstChangedLine(base: string, work: string): Span | undefined {
  if (base === work) return undefined;
  const a = base.split('\n');
  const b = work.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = Math.min(i, b.length - 1);
  let start = 0;
  for (let k = 0; k < line; k++) start += b[k].length + 1;
  return { start, end: start + b[line].replace(/\r$/, '').length };
}
