import type { Fleet } from '../core/model';
import type { ResolvedRef } from '../core/link/types';
import type { ObjectFact } from '../core/facts';

/** The resolved reference whose value contains `offset`. */
export function referenceAt(fleet: Fleet, file: string, offset: number): ResolvedRef | undefined {
  for (const r of fleet.links.refsByFile.get(file) ?? []) if (offset >= r.span.start && offset <= r.span.end) return r;
  return undefined;
}

/** The object whose `metadata.name` value contains `offset`. */
export function objectNameAt(fleet: Fleet, file: string, offset: number): ObjectFact | undefined {
  const facts = fleet.facts.get(file);
  if (!facts) return undefined;
  for (const o of [...facts.objects, ...(facts.kustomize?.generated ?? [])]) if (offset >= o.nameSpan.start && offset <= o.nameSpan.end) return o;
  return undefined;
}
