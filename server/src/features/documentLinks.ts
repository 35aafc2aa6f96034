// Document links on every path value (kustomize fields, Flux spec.path and components, remote bases).
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';
import { refTargets } from '../core/link/types';
import { refDescription } from '../core/link/resolver';

export interface DocumentLink {
  span: Span;
  target: string;
  tooltip: string;
}

export function documentLinks(fleet: Fleet, file: string): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const r of fleet.links.refsByFile.get(file) ?? []) {
    if (r.kind === 'object') continue;
    const targets = refTargets(r);
    if (targets.length === 0) continue;
    // A folder Flux generates a kustomization for has no single file: the link opens its first manifest.
    const description = refDescription(fleet, r);
    const tooltip = targets.length > 1 ? `${description} (${targets.length} files)` : description;
    out.push({ span: r.span, target: targets[0].file, tooltip });
  }
  return out;
}
