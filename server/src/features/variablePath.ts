// A Flux spec.path with variables leads to a different folder in each context (the parent substitutes them): hover
// and go-to-definition ask the evaluation, context by context, instead of guessing from the text.
import type { Fleet } from '../core/model';
import type { FluxKustomizationFact } from '../core/facts';
import type { Location } from '../core/link/types';
import { evaluatorOf, type Context } from '../core/evaluate/contexts';
import { contextLabels } from '../core/evaluate/contextId';
import { deployChains } from '../core/deployChains';
import { KUSTOMIZATION_FILE_NAMES, join } from '../core/paths';
import { displayPath } from './describe';

export interface RenderedFolder {
  /** The folder the path becomes, or undefined where it names no folder. */
  folder?: string;
  /** spec.path as rendered in those contexts. */
  path: string;
  contexts: string[];
}

/** The Flux Kustomization whose spec.path value holds `offset`. */
function kustomizationAt(fleet: Fleet, file: string, offset: number): FluxKustomizationFact | undefined {
  for (const fk of fleet.facts.get(file)?.fluxKustomizations ?? []) {
    if (fk.path && offset >= fk.path.span.start && offset <= fk.path.span.end) return fk;
  }
  return undefined;
}

/** Every context of a Flux Kustomization: the chains down to it from the roots (it is a root itself otherwise). */
export function contextsOf(fleet: Fleet, fk: FluxKustomizationFact, limit = 200): Context[] {
  const chains = deployChains(fleet, fk.owner.file);
  const ev = evaluatorOf(fleet);
  if (!chains.length) return [ev.root(fk)].filter((c): c is Context => !!c);
  return ev.chainContexts(chains.map((c) => [...c, fk]), limit);
}

/** Folders a spec.path with variables becomes, grouped by folder, each with the contexts that build it. */
export function renderedFoldersAt(fleet: Fleet, file: string, offset: number): RenderedFolder[] | undefined {
  const fk = kustomizationAt(fleet, file, offset);
  if (!fk) return undefined;
  const contexts = contextsOf(fleet, fk);
  const label = contextLabels(contexts.map((c) => c.id));
  const groups = new Map<string, RenderedFolder>();
  for (const c of contexts) {
    const b = c.skeleton;
    const spec = b.spec.spec as Record<string, unknown> | undefined;
    const path = typeof spec?.path === 'string' ? spec.path : './';
    const key = b.folder ?? `\0${path}`;
    const g = groups.get(key) ?? { folder: b.folder, path, contexts: [] };
    g.contexts.push(label(c.id));
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Definition targets: each context's folder (its kustomization file when it has one). */
export function renderedFolderTargets(fleet: Fleet, groups: RenderedFolder[]): Location[] {
  return groups.flatMap((g) => {
    if (!g.folder) return [];
    const k = KUSTOMIZATION_FILE_NAMES.map((n) => join(g.folder!, n)).find((f) => fleet.tree.isFile(f));
    return [{ file: k ?? g.folder }];
  });
}

export function renderedFoldersMarkdown(fleet: Fleet, groups: RenderedFolder[]): string[] {
  if (!groups.length) return ['No context deploys this Kustomization yet: its folder is decided when one does.'];
  return groups.map((g) => `- ${g.contexts.join(', ')}: \`${g.path}\` → ${g.folder ? `\`${displayPath(fleet, g.folder)}\`` : '**no such folder**'}`);
}
