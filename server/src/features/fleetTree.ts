// The fleet as a tree: root Kustomizations → their source → the folder they build → the Kustomizations inside.
// A Kustomization that overlays patch appears with the variant its parent's build produces.
import type { Fleet } from '../core/model';
import type { FluxKustomizationFact } from '../core/facts';
import type { FluxResolution } from '../core/link/types';
import { childKustomizations, rootKustomizations } from './deployChains';
import { displayPath, fluxLocation, fluxName, objectOf } from './describe';
import { evaluatorOf, sameDocument, type Context } from '../core/evaluate/contexts';
import { contextLabels } from '../core/evaluate/contextId';

export interface TreeNode {
  label: string;
  detail?: string;
  children: TreeNode[];
}

/** The variants of `child` that the build of `parent` produces (all of them when that cannot be told). */
export function variantsUnder(fleet: Fleet, parent: FluxResolution, child: FluxKustomizationFact): FluxResolution[] {
  const all = fleet.links.flux.get(child) ?? [];
  const entries = new Set(parent.entries);
  const under = all.filter((r) => [...r.tops].some((t) => entries.has(t)));
  return under.length ? under : all;
}

/**
 * Where a spec.path with variables leads, per context (the evaluation substitutes the parent's variables): one
 * folder when every context agrees, else each folder with the contexts that build it.
 */
function renderedFolders(fleet: Fleet, contexts: Context[]): string {
  const byFolder = new Map<string, string[]>();
  const label = contextLabels(contexts.map((c) => c.id));
  for (const c of contexts) {
    const b = c.skeleton;
    const where = b.folder ? displayPath(fleet, b.folder) : `(renders ${b.missingPath ?? 'nothing'}: no such folder)`;
    byFolder.set(where, [...(byFolder.get(where) ?? []), label(c.id)]);
  }
  if (byFolder.size === 0) return '→ (decided per context; no context deploys it)';
  if (byFolder.size === 1) {
    const only = [...byFolder.keys()][0];
    return only.startsWith('(') ? `→ ${only}` : `→ ${only} (as the parent renders it)`;
  }
  return `→ ${[...byFolder].map(([folder, cs]) => `${folder} (${cs.join(', ')})`).join('; ')}`;
}

export function fleetTree(fleet: Fleet): TreeNode[] {
  const ev = evaluatorOf(fleet);
  type Contexts = () => Context[];
  const visit = (res: FluxResolution, seen: Set<FluxKustomizationFact>, contexts: Contexts): TreeNode => {
    const fk = res.fact;
    const children: TreeNode[] = [];
    if (res.source) {
      const src = res.source.madeBy ? res.source : objectOf(fleet, res.source.owner) ?? res.source;
      children.push({ label: `source ${src.kind} ${src.name}`, detail: res.sourceRoot ? `→ ${displayPath(fleet, res.sourceRoot.folder)}` : '→ (not mapped)', children: [] });
    } else if (fk.inlineSource) {
      children.push({ label: `source ${fk.inlineSource.kind} ${fk.inlineSource.url}`, detail: res.sourceRoot ? `→ ${displayPath(fleet, res.sourceRoot.folder)}` : '→ (not mapped)', children: [] });
    } else if (res.sourceRoot) {
      children.push({ label: `source ${fk.sourceRef?.kinds[0] ?? ''} ${fk.sourceRef?.name ?? ''}`.trim(), detail: `→ ${displayPath(fleet, res.sourceRoot.folder)} (${res.sourceRoot.via})`, children: [] });
    }
    const patched = res.override?.path ? ` (patched in ${displayPath(fleet, res.override.path.file)})` : '';
    children.push({
      label: `path ${res.path.value}${patched}`,
      detail: res.folder ? `→ ${displayPath(fleet, res.folder)}${res.kustomizationFile ? '' : ' (generated kustomization)'}` : res.candidates || contexts().some((c) => c.skeleton.folder) ? renderedFolders(fleet, contexts()) : '→ (unresolved)',
      children: [],
    });
    seen.add(fk);
    for (const child of childKustomizations(fleet, fk).sort(byName(fleet))) {
      if (seen.has(child)) continue;
      let below: Context[] | undefined;
      const childContexts = () => (below ??= contexts().flatMap((c) => ev.childrenOf(c)).filter((c) => sameDocument(c.fact, child)));
      for (const v of variantsUnder(fleet, res, child)) children.push(visit(v, seen, childContexts));
    }
    seen.delete(fk);
    return { label: fluxName(fleet, fk), detail: fluxLocation(fleet, fk), children };
  };
  return rootKustomizations(fleet)
    .sort(byName(fleet))
    .flatMap((r) => {
      let root: Context[] | undefined;
      const rootContexts = () => (root ??= [ev.root(r)].filter((c): c is Context => !!c));
      return (fleet.links.flux.get(r) ?? []).map((v) => visit(v, new Set(), rootContexts));
    });
}

function byName(fleet: Fleet) {
  return (a: FluxKustomizationFact, b: FluxKustomizationFact) => fluxLocation(fleet, a).localeCompare(fluxLocation(fleet, b));
}

export function renderTree(nodes: TreeNode[]): string {
  const lines: string[] = [];
  const walk = (n: TreeNode, prefix: string, last: boolean, top: boolean) => {
    const branch = top ? '' : last ? '└─ ' : '├─ ';
    lines.push(`${prefix}${branch}${n.label}${n.detail ? '  ' + n.detail : ''}`);
    const childPrefix = top ? '' : prefix + (last ? '   ' : '│  ');
    n.children.forEach((c, i) => walk(c, top ? '' : childPrefix, i === n.children.length - 1, false));
  };
  for (const n of nodes) walk(n, '', true, true);
  return lines.join('\n');
}
