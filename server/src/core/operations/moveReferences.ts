// Every reference a move must rewrite, found from the linker's facts and resolutions: kustomize paths (into the moved
// folder from outside, and from the moved files to the outside), remote bases, Flux spec.path / spec.components /
// sourceRef, a HelmRelease's chart folder in a Git source. What cannot follow safely refuses the move.
import type { Fleet } from '../model';
import type { FluxResolution } from '../link/types';
import type { FluxKustomizationFact, ObjectFact, ObjectRef } from '../facts';
import { deployChains } from '../deployChains';
import { evaluatorOf, type Context } from '../evaluate/contexts';
import { contextLabel, type ContextId } from '../evaluate/contextId';
import { dirname, isInside, join, relative, resolvePath } from '../paths';
import { gitRepoKey } from '../sourceUrl';
import { hasVariable } from '../link/variablePath';
import { isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { EditText } from '../yamlEdit/source';
import { insertMapEntry } from '../yamlEdit/insert';
import { MoveEdits, movedPath, refuse, relativeLike, repositoryKeys, textOf, where, type Move } from './moveEdits';

/** kustomize paths of every kustomization file: each one whose base or target moves is rewritten. */
export function kustomizePaths(fleet: Fleet, move: Move, edits: MoveEdits): void {
  for (const facts of fleet.facts.values()) {
    for (const ref of facts.kustomize?.paths ?? []) {
      const target = resolvePath(ref.baseDir, ref.value);
      const newBase = movedPath(move, ref.baseDir);
      const newTarget = movedPath(move, target);
      if (resolvePath(newBase, ref.value) === newTarget) continue;
      const owner = fleet.repositoryOf(movedPath(move, ref.owner.file));
      if (owner && !isInside(owner.root, newTarget)) {
        refuse(`${where(fleet, ref.owner.file, ref.span)}: ${ref.role} '${ref.value}' would have to leave the repository ${owner.name} to reach ${where(fleet, target)} after the move (a source artifact holds only its repository's files).`);
      }
      edits.scalar(ref.owner.file, ref.span, ref.value, relativeLike(ref.value, newBase, newTarget), `${ref.role} '${ref.value}'`);
    }
  }
}

/** Remote bases naming a folder inside the moved one: the path part of the URL follows, in the same repository. */
export function remoteBases(fleet: Fleet, move: Move, edits: MoveEdits): void {
  const movedRepo = fleet.repositoryOf(move.from);
  for (const facts of fleet.facts.values()) {
    for (const ref of facts.kustomize?.remotes ?? []) {
      const root = fleet.links.sourceRoots.resolveGit(ref.target.repoKey, ref.target.ref);
      if (!root) {
        // The moved repository at a revision the workspace does not hold: its layout there is unknown here.
        if (movedRepo && repositoryKeys(fleet, move.from).has(ref.target.repoKey) && isInside(move.from, join(movedRepo.root, ref.target.subPath))) {
          refuse(`${where(fleet, ref.owner.file, ref.span)}: the remote base '${ref.value}' names the moved folder at a revision the workspace does not hold: it cannot follow.`);
        }
        continue;
      }
      const target = join(root.folder, ref.target.subPath);
      if (!isInside(move.from, target)) continue;
      const newTarget = movedPath(move, target);
      if (!isInside(root.folder, newTarget)) refuse(`${where(fleet, ref.owner.file, ref.span)}: the remote base '${ref.value}' names the moved folder by its repository's URL: in another repository it would need another URL and revision. Move it inside ${where(fleet, root.folder)}, or rewrite the base by hand.`);
      const repo = fleet.repositoryOf(root.folder);
      if (ref.target.ref !== undefined && repo?.root === root.folder && repo.branch !== undefined && ref.target.ref !== repo.branch) {
        refuse(`${where(fleet, ref.owner.file, ref.span)}: the remote base '${ref.value}' pins ?ref=${ref.target.ref}, a revision that keeps the old layout (the working tree is ${repo.branch}): it cannot follow.`);
      }
      const query = ref.value.indexOf('?');
      const bare = (query >= 0 ? ref.value.slice(0, query) : ref.value).replace(/\/+$/, '');
      if (!bare.endsWith(ref.target.subPath) || ref.target.subPath === '') refuse(`${where(fleet, ref.owner.file, ref.span)}: cannot find the folder part of '${ref.value}'.`);
      const at = bare.length - ref.target.subPath.length;
      const newValue = ref.value.slice(0, at) + relative(root.folder, newTarget) + ref.value.slice(at + ref.target.subPath.length);
      edits.scalar(ref.owner.file, ref.span, ref.value, newValue, `the remote base '${ref.value}'`);
    }
  }
}

/** Flux spec.path, spec.components and (into another repository) spec.sourceRef of every Kustomization variant. */
export function fluxPaths(fleet: Fleet, move: Move, edits: MoveEdits): void {
  for (const resolutions of fleet.links.flux.values()) {
    for (const res of resolutions) {
      const name = fluxName(fleet, res);
      if (hasVariable(res.path.value)) {
        // Each context's evaluation decides the folder: refused where one of them builds the moved folder.
        if (res.candidates?.some((c) => isInside(move.from, c) || isInside(c, move.from))) {
          const hit = contextFolders(fleet, res.fact).find((c) => c.folder && (isInside(move.from, c.folder) || isInside(c.folder, move.from)));
          if (hit) refuse(`${where(fleet, res.path.file, res.path.span)}: ${name}'s spec.path '${res.path.value}' is built from a variable, and in ${contextLabel(hit.id)} it names ${where(fleet, hit.folder!)}: its value is decided per context, so it cannot be rewritten here.`);
        }
        continue;
      }
      const root = res.sourceRoot;
      if (!root) {
        unmappedSource(fleet, move, res, repositoryKeys(fleet, move.from), name);
        continue;
      }
      const folder = res.folder;
      if (!folder) continue;
      if (isInside(move.from, folder)) {
        if (root.mapPath) refuse(`${where(fleet, res.path.file, res.path.span)}: ${name} reads the moved folder through a generated artifact (ExternalArtifact): its copy rules cannot be rewritten here.`);
        const newRoot = movedPath(move, root.folder);
        const newFolder = movedPath(move, folder);
        if (isInside(newRoot, newFolder)) {
          if (newRoot !== root.folder || newFolder !== folder) edits.scalar(res.path.file, res.path.span, res.path.value, sourcePathLike(res.path.value, newRoot, newFolder), `${name}'s spec.path`);
        } else {
          otherSource(fleet, move, res, newFolder, name, edits);
        }
      } else if (isInside(folder, move.from) && !res.kustomizationFile && !isInside(folder, move.to)) {
        refuse(`${where(fleet, res.path.file, res.path.span)}: ${name} deploys ${where(fleet, folder)} without a kustomization.yaml (Flux takes every file below it): moving ${where(fleet, move.from)} out of it changes what it deploys.`);
      }
      for (const c of res.fact.components) {
        const target = resolvePath(folder, c.value);
        const newFolder = movedPath(move, folder);
        const newTarget = movedPath(move, target);
        if (resolvePath(newFolder, c.value) !== newTarget) edits.scalar(res.fact.owner.file, c.span, c.value, relativeLike(c.value, newFolder, newTarget), `${name}'s spec.components '${c.value}'`);
      }
    }
  }
}

/** The folder each context of a Flux Kustomization builds (its parents' substitution applied). */
function contextFolders(fleet: Fleet, fk: FluxKustomizationFact): Array<{ id: ContextId; folder?: string }> {
  const chains = deployChains(fleet, fk.owner.file);
  const ev = evaluatorOf(fleet);
  const contexts = chains.length ? ev.chainContexts(chains.map((c) => [...c, fk]), 500) : [ev.root(fk)].filter((c): c is Context => !!c);
  return contexts.map((c) => ({ id: c.id, folder: c.skeleton.folder }));
}

/** `Kustomization flux-system/apps` for messages. */
function fluxName(fleet: Fleet, res: FluxResolution): string {
  const fk = res.fact;
  const ns = fk.namespace ?? [...fleet.links.namespacesOf(fk.owner.file, undefined, 'Kustomization')].find(Boolean);
  return `${fk.via === 'FluxInstance' ? 'FluxInstance' : 'Kustomization'} ${ns ? ns + '/' : ''}${fk.name ?? '?'}`;
}

/** A Flux path in the style it was written: `./x`, `x` or `/x`, relative to the source root. */
function sourcePathLike(old: string, root: string, folder: string): string {
  const rel = relative(root, folder);
  if (old.startsWith('./') || old === '.') return './' + rel;
  if (old.startsWith('/')) return '/' + rel;
  return rel || './';
}

/**
 * A Kustomization whose source is not mapped to a folder of the workspace: when it is the moved folder's repository
 * (at another branch, say), its path may name the moved folder, and nothing here can see that revision.
 */
function unmappedSource(fleet: Fleet, move: Move, res: FluxResolution, movedKeys: Set<string>, name: string): void {
  const src = res.source;
  if (!src || !movedKeys.size) return;
  const url = fleet.facts.get(src.owner.file)?.sources.find((s) => s.owner.doc === src.owner.doc)?.url?.value;
  const repo = fleet.repositoryOf(move.from);
  const key = url && gitRepoKey(url);
  if (!key || !movedKeys.has(key) || !repo) return;
  const folder = resolvePath(repo.root, res.path.value.replace(/^\.?\/+/, '') || '.');
  if (isInside(move.from, folder) || isInside(folder, move.from)) {
    refuse(`${where(fleet, res.path.file, res.path.span)}: ${name} deploys '${res.path.value}' from ${src.kind} ${src.name} (${url}), a revision of the moved folder's repository the workspace does not hold: it cannot follow.`);
  }
}

/**
 * The moved folder leaves the source's repository: the Kustomization needs a source that serves the new place.
 * The one source of the fleet whose folder holds it (innermost; in the Kustomization's namespace first).
 */
function otherSource(fleet: Fleet, move: Move, res: FluxResolution, newFolder: string, name: string, edits: MoveEdits): void {
  const fk = res.fact;
  const ref = res.override?.sourceRef?.ref ?? fk.sourceRef;
  const refFile = res.override?.sourceRef?.file ?? fk.owner.file;
  if (!ref || fk.via !== 'Kustomization') refuse(`${where(fleet, res.path.file, res.path.span)}: ${name} has no sourceRef to point at the new repository.`);
  const ns = [...fleet.links.namespacesOf(fk.owner.file, fk.namespace, 'Kustomization')].find(Boolean);
  const serving: Array<{ obj: ObjectFact; ns?: string; root: string }> = [];
  for (const kind of ['GitRepository', 'OCIRepository', 'Bucket']) {
    for (const o of fleet.links.objects.ofKind(kind)) {
      if (o.fact.madeBy || o.fact.name.includes('${')) continue;
      const objNs = [...o.namespaces].find(Boolean);
      const root = fleet.links.rootOf(kind, o.fact.name, objNs, o.fact.owner.file).root;
      if (root && !root.mapPath && isInside(movedPath(move, root.folder), newFolder)) serving.push({ obj: o.fact, ns: objNs, root: movedPath(move, root.folder) });
    }
  }
  const deepest = Math.max(-1, ...serving.map((s) => s.root.length));
  let best = serving.filter((s) => s.root.length === deepest);
  if (best.some((s) => s.ns === ns)) best = best.filter((s) => s.ns === ns);
  const repo = fleet.repositoryOf(newFolder);
  if (!best.length) refuse(`${where(fleet, res.path.file, res.path.span)}: ${name} deploys the moved folder, and no source of the fleet serves ${repo?.name ?? where(fleet, newFolder)}: add a GitRepository for it first.`);
  if (best.length > 1) refuse(`${where(fleet, res.path.file, res.path.span)}: ${name} deploys the moved folder, and ${best.length} sources serve ${repo?.name ?? where(fleet, newFolder)} (${best.map((s) => `${s.obj.kind} ${s.ns ?? '?'}/${s.obj.name}`).join(', ')}): point its sourceRef at one by hand.`);
  const { obj, ns: srcNs, root } = best[0];
  const text = textOf(fleet, res.path.file) ?? '';
  if (hasVariable(text.slice(ref.span.start, ref.span.end))) refuse(`${where(fleet, refFile, ref.span)}: ${name}'s sourceRef is built from a variable: it cannot be rewritten here.`);
  edits.scalar(res.path.file, res.path.span, res.path.value, sourcePathLike(res.path.value, root, newFolder), `${name}'s spec.path`);
  sourceRefEdits(fleet, refFile, ref, obj, srcNs, ns, edits, name);
}

/** sourceRef.name (and kind, namespace where they differ) naming `obj`. */
function sourceRefEdits(fleet: Fleet, file: string, ref: ObjectRef, obj: ObjectFact, srcNs: string | undefined, ownNs: string | undefined, edits: MoveEdits, name: string): void {
  const et = new EditText(textOf(fleet, file) ?? '');
  const map = mapHolding(et.docs().map((d) => d.contents as Node), ref.span.start);
  if (!map) refuse(`${where(fleet, file, ref.span)}: ${name}'s sourceRef cannot be read to rewrite it.`);
  const why = `${name}'s sourceRef`;
  const set = (key: string, value: string) => {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node> | undefined;
    if (pair && isScalar(pair.value) && pair.value.range) {
      if (String(pair.value.value) === value) return;
      edits.scalar(file, { start: pair.value.range[0], end: pair.value.range[1] }, String(pair.value.value), value, why);
      return;
    }
    const e = insertMapEntry(et.text, map, key, value);
    if (!e) refuse(`${where(fleet, file, ref.span)}: cannot add ${key} to ${why}.`);
    for (const fe of et.fileEdits([e])) edits.add({ file, ...fe }, why);
  };
  set('kind', obj.kind);
  set('name', obj.name);
  if (srcNs && (ref.namespace !== undefined || srcNs !== ownNs)) set('namespace', srcNs);
}

/** The block map whose `name:` value starts at `offset` (a sourceRef). */
function mapHolding(roots: Node[], offset: number): YAMLMap | undefined {
  const visit = (n: Node | null | undefined): YAMLMap | undefined => {
    if (!n || !n.range || offset < n.range[0] || offset > n.range[2]) return undefined;
    if (isMap(n)) {
      for (const p of n.items as Pair<Node, Node>[]) {
        if (isScalar(p.key) && p.key.value === 'name' && isScalar(p.value) && p.value.range && p.value.range[0] <= offset && offset < Math.max(p.value.range[1], p.value.range[0] + 1)) return n as YAMLMap;
        const inner = visit(p.value);
        if (inner) return inner;
      }
      return undefined;
    }
    const items = (n as { items?: unknown[] }).items;
    if (Array.isArray(items)) for (const i of items) {
      const inner = visit(i as Node);
      if (inner) return inner;
    }
    return undefined;
  };
  for (const r of roots) {
    const m = visit(r);
    if (m) return m;
  }
  return undefined;
}

/** A HelmRelease chart kept in a Git or Bucket source (`spec.chart.spec.chart: ./charts/web`) inside the moved folder. */
export function chartPaths(fleet: Fleet, move: Move, edits: MoveEdits): void {
  for (const facts of fleet.facts.values()) {
    for (const ref of facts.objectRefs) {
      if (!ref.chartPath) continue;
      const resolved = fleet.links.refsByFile.get(facts.file)?.find((r) => r.kind === 'path' && r.span.start === ref.chartPath!.span.start && r.folder);
      const folder = resolved?.folder;
      if (!folder || !isInside(move.from, folder)) continue;
      const cleaned = ref.chartPath.value.replace(/^\.?\/+/, '').replace(/\/+$/, '');
      const root = cleaned ? folder.slice(0, folder.length - cleaned.length).replace(/\/+$/, '') : folder;
      const newFolder = movedPath(move, folder);
      if (!isInside(root, newFolder)) refuse(`${where(fleet, facts.file, ref.chartPath.span)}: the chart '${ref.chartPath.value}' comes from ${ref.kinds[0]} ${ref.name}: in another repository it needs another source; move it inside ${where(fleet, root)}, or change the chart's source by hand.`);
      edits.scalar(facts.file, ref.chartPath.span, ref.chartPath.value, sourcePathLike(ref.chartPath.value, root, newFolder), `the chart '${ref.chartPath.value}'`);
    }
  }
}

/** ArtifactGenerator copy rules reading the moved folder: their `@alias/path` globs are not rewritten here. */
export function artifactCopies(fleet: Fleet, move: Move): void {
  for (const facts of fleet.facts.values()) {
    for (const gen of facts.artifactGenerators ?? []) {
      for (const s of gen.sources) {
        const root = fleet.links.rootOf(s.kind, s.name, s.namespace ?? gen.namespace, gen.owner.file).root;
        if (!root || root.mapPath || !isInside(root.folder, move.from)) continue;
        for (const a of gen.artifacts) {
          for (const c of a.copy) {
            const m = /^@([^/]+)\/?(.*)$/.exec(c.from);
            if (!m || m[1] !== s.alias) continue;
            const literal = m[2].split(/[*?[{]/)[0];
            const dir = resolvePath(root.folder, literal.endsWith('/') || literal === '' ? literal || '.' : dirname(literal));
            if (isInside(move.from, dir) || (isInside(dir, move.from) && !isInside(dir, move.to))) refuse(`${where(fleet, gen.owner.file)}: ArtifactGenerator copies '${c.from}', which reads the moved folder: its copy rules cannot be rewritten here.`);
          }
        }
      }
    }
  }
}
