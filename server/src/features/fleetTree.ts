// The fleet as a tree: root Kustomizations → their source → the folder they build → the Kustomizations inside, and
// the HelmReleases and Apps their builds hold (fleetTreeReleases.ts). A Kustomization that overlays patch appears
// with the variant its parent's build produces. A lazy tree is the links' part alone (no context is built): each
// Kustomization's evaluated part (its contexts, a rendered path, its releases) is made when asked (`evaluated`).
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';
import type { FluxKustomizationFact } from '../core/facts';
import type { FluxResolution } from '../core/link/types';
import { deployersOf, rootKustomizations } from './deployChains';
import type { ResourceSetLink } from '../core/link/resourceSets';
import { inputSetLabel } from '../core/link/resourceSets';
import { displayPath, fluxLocation, fluxName, lineOf, objectOf } from './describe';
import { evaluatorOf, sameDocument, type Context } from '../core/evaluate/contexts';
import { contextKey, contextLabels } from '../core/evaluate/contextId';
import { clusterFolderOf } from './fleetFilters';
import { releaseNodes } from './fleetTreeReleases';

export type TreeNodeKind = 'kustomization' | 'source' | 'path' | 'resourceSet' | 'inputSet' | 'object' | 'helmRelease' | 'app';

export interface TreeNode {
  label: string;
  detail?: string;
  children: TreeNode[];
  /** What the node is (the editor's icon and context menu). */
  kind?: TreeNodeKind;
  /** Where it is written (a click opens it). */
  at?: { file: string; span: Span };
  /** A source no local folder holds: the node says so, and how to map one. */
  notMapped?: boolean;
  /** A Kustomization's whole document, and the folder it builds: where its problems are (the editor counts them). */
  doc?: Span;
  folder?: string;
  /** A Kustomization's contexts (contextKey): what the editor matches with the change impact and a tenant's contexts. */
  contexts?: string[];
  /** A root's cluster: the folder of its document as the contexts name it (`platform/clusters/prod/flux-system`). */
  cluster?: string;
  /** A root's cluster folder on disk: the folder it builds when that holds its document, else its document's folder. */
  clusterFolder?: string;
  /** A Kustomization of a lazy tree: its identity (the chain of documents and variants from its root) … */
  id?: string;
  /** … and what its contexts' builds say, made on first call (the contexts alone build only the ancestors' skeletons). */
  evaluated?: LazyParts;
}

/** A lazy Kustomization node's evaluated part. */
export interface LazyParts {
  contexts(): string[] | undefined;
  /** The detail of its path node when the links do not know the folder (decided per context), else undefined. */
  pathDetail(): string | undefined;
  releases(): TreeNode[];
}

export interface TreeOptions {
  /** Leave each Kustomization's evaluated part to its `evaluated` (the first answer of the Fleet view). */
  lazy?: boolean;
}

/** Where a lazy tree leaves a path's folder to the contexts (the Kustomization's expansion fills it in). */
const PER_CONTEXT = '→ (decided per context)';

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

export function fleetTree(fleet: Fleet, options: TreeOptions = {}): TreeNode[] {
  const ev = evaluatorOf(fleet);
  const lazy = options.lazy === true;
  const childrenOf = childIndex(fleet);
  type Contexts = () => Context[];
  const visit = (res: FluxResolution, seen: Set<FluxKustomizationFact>, contexts: Contexts, id: string): TreeNode => {
    const fk = res.fact;
    const children: TreeNode[] = [];
    if (res.source) {
      const src = res.source.madeBy ? res.source : objectOf(fleet, res.source.owner) ?? res.source;
      const at = src.madeBy ? undefined : { file: src.owner.file, span: src.nameSpan };
      children.push({ label: `source ${src.kind} ${src.name}`, detail: res.sourceRoot ? `→ ${displayPath(fleet, res.sourceRoot.folder)}` : '→ (not mapped)', children: [], kind: 'source', at, notMapped: !res.sourceRoot || undefined });
    } else if (fk.inlineSource) {
      children.push({ label: `source ${fk.inlineSource.kind} ${fk.inlineSource.url}`, detail: res.sourceRoot ? `→ ${displayPath(fleet, res.sourceRoot.folder)}` : '→ (not mapped)', children: [], kind: 'source', at: { file: fk.owner.file, span: fk.inlineSource.span }, notMapped: !res.sourceRoot || undefined });
    } else if (res.sourceRoot) {
      children.push({ label: `source ${fk.sourceRef?.kinds[0] ?? ''} ${fk.sourceRef?.name ?? ''}`.trim(), detail: `→ ${displayPath(fleet, res.sourceRoot.folder)} (${res.sourceRoot.via})`, children: [], kind: 'source', at: fk.sourceRef ? { file: fk.owner.file, span: fk.sourceRef.span } : undefined });
    }
    const patched = res.override?.path ? ` (patched in ${displayPath(fleet, res.override.path.file)})` : '';
    const pathDetail = () => (res.folder ? undefined : res.candidates || contexts().some((c) => c.skeleton.folder) ? renderedFolders(fleet, contexts()) : '→ (unresolved)');
    children.push({
      label: `path ${res.path.value}${patched}`,
      detail: res.folder ? `→ ${displayPath(fleet, res.folder)}${res.kustomizationFile ? '' : ' (generated kustomization)'}` : lazy ? PER_CONTEXT : pathDetail(),
      children: [],
      kind: 'path',
      at: { file: res.path.file, span: res.path.span },
      folder: res.folder,
    });
    seen.add(fk);
    const below = (child: FluxKustomizationFact) => {
      let list: Context[] | undefined;
      return () => (list ??= contexts().flatMap((c) => ev.childrenOf(c)).filter((c) => sameDocument(c.fact, child)));
    };
    // A child's identity: its document and which of its variants (two variants of one document are two nodes).
    const childId = (child: FluxKustomizationFact, i: number) => `${id} > ${documentId(child)}@${i}`;
    for (const child of [...(childrenOf.get(fk) ?? [])].sort(byName(fleet))) {
      if (seen.has(child) || child.generatedBy) continue;
      variantsUnder(fleet, res, child).forEach((v, i) => children.push(visit(v, seen, below(child), childId(child, i))));
    }
    // ResourceSets this build applies: root → ResourceSet → input set → what it generates (Kustomizations followed).
    for (const r of fleet.links.resourceSets) {
      if (!deployersOf(fleet, r.fact.owner.file).includes(fk)) continue;
      children.push(resourceSetNode(fleet, r, (child) => (seen.has(child) ? undefined : (fleet.links.flux.get(child) ?? []).map((v, i) => visit(v, seen, below(child), childId(child, i))))));
    }
    seen.delete(fk);
    // HelmReleases and Apps this build holds, as each context that deploys it renders them.
    const releases = () => releaseNodes(fleet, contexts()).map((r): TreeNode => ({ label: r.label, detail: r.detail, children: [], kind: r.kind, at: r.at }));
    const keys = () => {
      const list = contexts().map((c) => contextKey(c.id));
      return list.length ? list : undefined;
    };
    const obj = fk.generatedBy ? undefined : objectOf(fleet, fk.owner);
    const node: TreeNode = { label: fluxName(fleet, fk), detail: fluxLocation(fleet, fk), children, kind: 'kustomization', at: { file: fk.owner.file, span: obj?.nameSpan ?? fk.anchor }, doc: obj?.span, folder: res.folder };
    if (lazy) return { ...node, id, evaluated: { contexts: keys, pathDetail, releases } };
    children.push(...releases());
    return { ...node, contexts: keys() };
  };
  const rootVisit = (r: FluxKustomizationFact) => {
    let root: Context[] | undefined;
    // A root's context is made without building anything: its keys are in the lazy tree too.
    const rootContexts = () => (root ??= [ev.root(r)].filter((c): c is Context => !!c));
    return (fleet.links.flux.get(r) ?? []).map((v, i) => {
      const node = visit(v, new Set(), rootContexts, `${documentId(r)}@${i}`);
      return { ...node, cluster: rootContexts()[0]?.id.root, clusterFolder: clusterFolderOf(r, v.folder), ...(lazy ? { contexts: node.evaluated?.contexts() } : {}) };
    });
  };
  // A ResourceSet nothing deploys is a root itself: its generated Kustomizations under it, not beside it.
  const standalone = fleet.links.resourceSets.filter((r) => deployersOf(fleet, r.fact.owner.file).length === 0);
  return [
    ...rootKustomizations(fleet)
      .filter((r) => !r.generatedBy)
      .sort(byName(fleet))
      .flatMap(rootVisit),
    ...standalone.map((r) => resourceSetNode(fleet, r, rootVisit)),
  ];
}

/** A ResourceSet: its input sets, each with the objects generated for it (a Flux Kustomization with its subtree). */
function resourceSetNode(fleet: Fleet, r: ResourceSetLink, subtree: (fk: FluxKustomizationFact) => TreeNode[] | undefined): TreeNode {
  const x = r.expansion;
  const objectNode = (i: number): TreeNode => {
    const o = r.objects[i];
    const fk = r.flux.find((f) => f.generatedBy?.index === i);
    const sub = fk ? subtree(fk)?.[0] : undefined;
    return { label: `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`, detail: `${displayPath(fleet, o.owner.file)}:${lineOf(fleet, o.owner.file, o.nameSpan.start)}`, children: sub?.children ?? [], kind: fk ? 'kustomization' : 'object', at: { file: o.owner.file, span: o.nameSpan }, folder: sub?.folder, contexts: sub?.contexts, id: sub?.id, evaluated: sub?.evaluated };
  };
  const sets = new Map<number | undefined, number[]>();
  x.objects.forEach((o, i) => sets.set(o.inputSet, [...(sets.get(o.inputSet) ?? []), i]));
  const children: TreeNode[] = [];
  for (const [inputSet, indexes] of sets) {
    const nodes = indexes.map(objectNode);
    if (inputSet === undefined) children.push(...nodes);
    else children.push({ label: inputSetLabel(x, inputSet), children: nodes, kind: 'inputSet' });
  }
  const note = x.failed ? ' (fails: see its findings)' : !x.inputsKnown ? ' (some inputs unknown offline: declare providerSamples)' : '';
  const at = objectOf(fleet, r.fact.owner)?.nameSpan.start ?? r.fact.span.start;
  return { label: `ResourceSet ${x.namespace}/${x.name}`, detail: `${displayPath(fleet, r.fact.owner.file)}:${lineOf(fleet, r.fact.owner.file, at)}${note}`, children, kind: 'resourceSet', at: { file: r.fact.owner.file, span: { start: at, end: at } } };
}

/**
 * childKustomizations of every Kustomization at once (its order: the links' order of Kustomizations): asking it per
 * node walks every Kustomization for each, 7M deployer lookups on the 11k-file synthetic fleet.
 */
function childIndex(fleet: Fleet): Map<FluxKustomizationFact, FluxKustomizationFact[]> {
  const out = new Map<FluxKustomizationFact, FluxKustomizationFact[]>();
  for (const fk of fleet.links.flux.keys()) {
    for (const parent of deployersOf(fleet, fk.owner.file)) {
      if (parent === fk) continue;
      const list = out.get(parent);
      if (list) list.push(fk);
      else out.set(parent, [fk]);
    }
  }
  return out;
}

/** A Kustomization's document (a generated one: its ResourceSet's document and index). */
function documentId(fk: FluxKustomizationFact): string {
  return `${fk.owner.file}#${fk.owner.doc}${fk.generatedBy ? `#${fk.generatedBy.index}` : ''}`;
}

/** The evaluated part of a lazy node, written into it as the eager tree has it (its path's detail, its releases last). */
export function fillNode(node: TreeNode): TreeNode {
  const parts = node.evaluated;
  if (!parts) return node;
  const detail = parts.pathDetail();
  const children = node.children.map((c) => (c.kind === 'path' && detail !== undefined ? { ...c, detail } : c));
  const { evaluated: _evaluated, ...rest } = node;
  return { ...rest, children: [...children, ...parts.releases()], contexts: parts.contexts() };
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
