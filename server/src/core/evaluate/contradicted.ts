// One truth: the linker answers fast from the files as written, the evaluation knows what Flux renders per context.
// Where they disagree, the evaluation wins: a linker finding about a Flux Kustomization's spec.path or sourceRef is
// withdrawn when every context that deploys that Kustomization resolved it (a parent's spec.patches can set both).
import type { Fleet } from '../model';
import type { Finding } from '../findings';
import type { FluxKustomizationFact } from '../facts';
import type { Context } from './contexts';

const WITHDRAWABLE: ReadonlySet<Finding['code']> = new Set<Finding['code']>(['path-not-found', 'source-not-found', 'source-not-mapped']);

export function findingKey(f: Finding): string {
  return `${f.file}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.code}`;
}

/** Keys (findingKey) of the link findings the evaluated contexts contradict. */
export function contradictedLinkFindings(fleet: Fleet, contexts: readonly Context[]): Set<string> {
  const out = new Set<string>();
  const candidates = fleet.links.findings.filter((f) => WITHDRAWABLE.has(f.code));
  if (!candidates.length) return out;
  const byFact = new Map<string, Context[]>();
  const factKey = (fk: FluxKustomizationFact) => `${fk.owner.file}#${fk.owner.doc}`;
  for (const c of contexts) byFact.set(factKey(c.fact), [...(byFact.get(factKey(c.fact)) ?? []), c]);
  for (const [fk, resolutions] of fleet.links.flux) {
    const cs = byFact.get(factKey(fk)) ?? []; // keyed by document: the same Kustomization whatever facts object
    if (!cs.length) continue;
    const sourceResolved = cs.every((c) => c.skeleton.sourceRoot);
    const folderResolved = cs.every((c) => c.skeleton.folder);
    for (const r of resolutions) {
      const places = [
        { file: r.path.file, span: r.path.span, codes: folderResolved ? ['path-not-found'] : [] },
        ...[r.override?.sourceRef?.ref ?? fk.sourceRef].filter((x) => !!x).map((ref) => ({ file: r.override?.sourceRef?.file ?? fk.owner.file, span: ref!.span, codes: sourceResolved ? ['source-not-found', 'source-not-mapped'] : [] })),
      ];
      for (const f of candidates) {
        if (places.some((p) => p.file === f.file && p.span.start === f.span.start && p.codes.includes(f.code))) out.add(findingKey(f));
      }
    }
  }
  return out;
}
