// Document links on every path value (kustomize fields, Flux spec.path and components, remote bases).
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';

export interface DocumentLink {
  span: Span;
  target: string;
  tooltip: string;
}

export function documentLinks(fleet: Fleet, file: string): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const r of fleet.links.refsByFile.get(file) ?? []) {
    if (r.kind === 'object' || r.targets.length !== 1) continue;
    out.push({ span: r.span, target: r.targets[0].file, tooltip: r.description });
  }
  return out;
}
