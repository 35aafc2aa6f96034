// The fleet as a tree: root Kustomizations → their source → the folder they build → the Kustomizations inside.
import type { Fleet } from '../core/model';
import type { FluxKustomizationFact } from '../core/facts';
import { childKustomizations, rootKustomizations } from './deployChains';
import { displayPath, fluxLocation, fluxName, objectOf } from './describe';

export interface TreeNode {
  label: string;
  detail?: string;
  children: TreeNode[];
}

export function fleetTree(fleet: Fleet): TreeNode[] {
  const visit = (fk: FluxKustomizationFact, seen: Set<FluxKustomizationFact>): TreeNode => {
    const res = fleet.links.flux.get(fk)!;
    const children: TreeNode[] = [];
    if (res.source) {
      const src = objectOf(fleet, res.source.owner) ?? res.source;
      children.push({ label: `source ${src.kind} ${src.name}`, detail: res.sourceRoot ? `→ ${displayPath(fleet, res.sourceRoot.folder)}` : '→ (not mapped)', children: [] });
    } else if (fk.inlineSource) {
      children.push({ label: `source ${fk.inlineSource.kind} ${fk.inlineSource.url}`, detail: res.sourceRoot ? `→ ${displayPath(fleet, res.sourceRoot.folder)}` : '→ (not mapped)', children: [] });
    }
    const path = fk.path?.value ?? './';
    children.push({
      label: `path ${path}`,
      detail: res.folder ? `→ ${displayPath(fleet, res.folder)}${res.kustomizationFile ? '' : ' (generated kustomization)'}` : '→ (unresolved)',
      children: [],
    });
    seen.add(fk);
    for (const child of childKustomizations(fleet, fk).sort(byName(fleet))) {
      if (!seen.has(child)) children.push(visit(child, seen));
    }
    seen.delete(fk);
    return { label: fluxName(fleet, fk), detail: fluxLocation(fleet, fk), children };
  };
  return rootKustomizations(fleet).sort(byName(fleet)).map((r) => visit(r, new Set()));
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
