// Human-readable names for model things, shared by hovers, lenses, the tree and the CLI.
import type { Fleet } from '../core/model';
import type { FluxKustomizationFact, ObjectFact } from '../core/facts';
import { relative } from '../core/paths';
import { offsetToLineCol } from '../core/text';

/** `repo/path/inside` for any path in the fleet. */
export function displayPath(fleet: Fleet, path: string): string {
  const repo = fleet.repositoryOf(path);
  if (!repo) return path;
  const r = relative(repo.root, path);
  return r ? `${repo.name}/${r}` : repo.name;
}

export function objectOf(fleet: Fleet, owner: { file: string; doc: number }): ObjectFact | undefined {
  return fleet.facts.get(owner.file)?.objects.find((o) => o.owner.doc === owner.doc);
}

/** `Kustomization flux-system/apps` with the namespace it really lands in. */
export function fluxName(fleet: Fleet, fk: FluxKustomizationFact): string {
  if (fk.generatedBy) return `Kustomization ${fk.namespace ? fk.namespace + '/' : ''}${fk.name ?? ''}`;
  const obj = objectOf(fleet, fk.owner);
  if (!obj) return fk.via;
  const ns = [...fleet.links.namespacesOf(fk.owner.file, obj.namespace)].filter(Boolean).join(',');
  return `${obj.kind} ${ns ? ns + '/' : ''}${obj.name}`;
}

export function lineOf(fleet: Fleet, file: string, offset: number): number {
  const facts = fleet.facts.get(file);
  return facts ? offsetToLineCol(facts.lineStarts, offset).line + 1 : 1;
}

export function fluxLocation(fleet: Fleet, fk: FluxKustomizationFact): string {
  const obj = fk.generatedBy ? undefined : objectOf(fleet, fk.owner);
  return `${displayPath(fleet, fk.owner.file)}:${lineOf(fleet, fk.owner.file, obj?.nameSpan.start ?? fk.anchor.start)}`;
}
