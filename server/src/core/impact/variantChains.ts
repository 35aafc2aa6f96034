// Deploy chains narrowed by the overlays that make each link: a tenant's `sync.yaml` is listed by the dev, staging and
// production overlays, which patch its spec.path each to their own folder, so the file-level chains of a file in
// `deploy/dev` climb through every cluster. The linker knows which overlays make the variant that builds the folder
// (FluxResolution.tops, link/fluxVariants.ts): a chain is kept only where the Kustomization above each link deploys
// one of them. The contexts' own builds still decide (contextPairs keeps a context only when its build read the
// file); this only spares the change impact building the ancestors of clusters the variant never reaches.
import type { Fleet } from '../model';
import type { FluxKustomizationFact } from '../facts';
import type { FluxResolution } from '../link/types';
import { deployersOf } from '../deployChains';

/** Beyond this many tops, fluxVariants may have stopped walking (its own bound): the chains are kept as they are. */
const MAX_TOPS = 400;

/** The variants of `fk` whose build holds `file` (through kustomize includes); undefined when the links do not say. */
function variantsHolding(fleet: Fleet, fk: FluxKustomizationFact, file: string): FluxResolution[] | undefined {
  const links = fleet.links;
  const found: Array<{ file: string; start: number }> = [];
  const seen = new Set<string>();
  const up = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const inc of links.includers.get(f) ?? []) {
      if (inc.type === 'kustomize') up(inc.file);
      else if (inc.flux === fk) found.push({ file: inc.file, start: inc.span.start });
    }
  };
  up(file);
  const resolutions = links.flux.get(fk) ?? [];
  const out = resolutions.filter((r) => found.some((x) => x.file === r.path.file && x.start === r.path.span.start));
  // A component, a variable path or anything not matched to one variant: no narrowing.
  if (!out.length || found.some((x) => !resolutions.some((r) => x.file === r.path.file && x.start === r.path.span.start))) return undefined;
  if (resolutions.reduce((n, r) => n + r.tops.size, 0) >= MAX_TOPS) return undefined;
  return out;
}

/** Whether `parent` deploys one of the files the variants are made from (their tops). */
function deploysATop(fleet: Fleet, parent: FluxKustomizationFact, variants: FluxResolution[]): boolean {
  return variants.some((v) => [...v.tops].some((t) => deployersOf(fleet, t).includes(parent)));
}

/** The chains (root → … → deployer of `file`) whose every link is a variant its parent deploys. */
export function variantChains(fleet: Fleet, file: string, chains: FluxKustomizationFact[][]): FluxKustomizationFact[][] {
  const memo = new Map<string, boolean>();
  const fits = (parent: FluxKustomizationFact, fk: FluxKustomizationFact, below: string): boolean => {
    const key = `${parent.owner.file}#${parent.owner.doc}>${fk.owner.file}#${fk.owner.doc}>${below}`;
    let ok = memo.get(key);
    if (ok === undefined) {
      const variants = variantsHolding(fleet, fk, below);
      memo.set(key, (ok = !variants || deploysATop(fleet, parent, variants)));
    }
    return ok;
  };
  return chains.filter((chain) => chain.every((fk, i) => i === 0 || fits(chain[i - 1], fk, i + 1 < chain.length ? chain[i + 1].owner.file : file)));
}
