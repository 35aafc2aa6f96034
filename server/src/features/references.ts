// Find references: on an object's name, every reference that resolves to it; elsewhere, who uses this file.
import type { Fleet } from '../core/model';
import { refObjects, type Location } from '../core/link/types';
import { docKey } from '../core/link/linker';
import { objectNameAt } from './referenceAt';

export function references(fleet: Fleet, file: string, offset: number, includeDeclaration: boolean): Location[] {
  const obj = objectNameAt(fleet, file, offset);
  const out: Location[] = [];
  if (obj) {
    if (includeDeclaration) out.push({ file, span: obj.nameSpan });
    for (const r of fleet.links.referrers.get(docKey(obj.owner)) ?? []) {
      if (refObjects(r).includes(obj)) out.push({ file: r.file, span: r.span });
    }
    // Flux sourceRefs are resolved with their Kustomization; they are referrers too.
    for (const res of [...fleet.links.flux.values()].flat()) {
      if (res.source !== obj) continue;
      if (res.override?.sourceRef) out.push({ file: res.override.sourceRef.file, span: res.override.sourceRef.ref.span });
      else if (res.fact.sourceRef) out.push({ file: res.fact.owner.file, span: res.fact.sourceRef.span });
    }
    return dedupe(out);
  }
  for (const inc of fleet.links.includers.get(file) ?? []) {
    out.push({ file: inc.file, span: inc.span });
  }
  return dedupe(out);
}

function dedupe(locs: Location[]): Location[] {
  const seen = new Set<string>();
  return locs.filter((l) => {
    const k = `${l.file}:${l.span?.start}:${l.span?.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
