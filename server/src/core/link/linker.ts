// Linking: from per-file facts to the resolved fleet (targets of every reference, who includes what, effective
// namespaces, Flux builds) and the findings that fall out. Pure function of the Fleet's data; never reads the disk.
import type { Fleet } from '../model';
import type { FileFacts, FluxKustomizationFact, ObjectFact, ObjectRef, PathRef, RemoteRef } from '../facts';
import type { Finding } from '../findings';
import { basename, dirname, isInside, isYamlFile, join, KUSTOMIZATION_FILE_NAMES, relative, resolvePath } from '../paths';
import { ObjectIndex, type IndexedObject } from './objectIndex';
import { SourceRoots, mappingKeyFor } from './sourceRoots';
import type { FluxResolution, Includer, ResolvedRef, SourceRoot } from './types';
import { sourceIgnoreFor } from './sourceIgnore';
import { checkBuilds } from './builds';
import { fluxVariants, type FluxVariant } from './fluxVariants';
import { artifactRoot, findArtifact } from './artifacts';
import { checkDependencyCycles, checkIncludeCycles } from './cycles';

export const RESOURCE_ROLES = new Set(['resources', 'bases', 'components']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService', 'IngressClass', 'RuntimeClass', 'ClusterIssuer', 'ClusterPolicy']);

export interface Links {
  findings: Finding[];
  findingsByFile: Map<string, Finding[]>;
  refsByFile: Map<string, ResolvedRef[]>;
  includers: Map<string, Includer[]>;
  /** Every Flux Kustomization with one resolution per variant (overlay patches can change its path or source). */
  flux: Map<FluxKustomizationFact, FluxResolution[]>;
  objects: ObjectIndex;
  /** References that resolved to an object (key: `file#doc`). */
  referrers: Map<string, ResolvedRef[]>;
  /** Files only used as patches or generator inputs: their documents are not objects. */
  nonResourceFiles: Set<string>;
  sourceRoots: SourceRoots;
  /** Effective namespaces of a document. */
  namespacesOf(file: string, declared: string | undefined, kind?: string): Set<string | undefined>;
  /** The kustomization file of a folder, if it has one. */
  kustomizationIn(dir: string): string | undefined;
  /** Objects a reference from `file` means: matches in the referrer's own repository win. */
  findNear(file: string, kinds: string[], name: string, namespace: string | undefined): IndexedObject[];
}

/** Length of the common folder prefix of two paths. */
export function commonPrefix(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let i = 0;
  while (i < x.length - 1 && i < y.length - 1 && x[i] === y[i]) i++;
  return i;
}

export function docKey(owner: { file: string; doc: number }): string {
  return `${owner.file}#${owner.doc}`;
}

export function link(fleet: Fleet): Links {
  const findings: Finding[] = [];
  const refsByFile = new Map<string, ResolvedRef[]>();
  const includers = new Map<string, Includer[]>();
  const tree = fleet.tree;
  const sourceRoots = new SourceRoots(fleet.layout.mappings, fleet.layout.repositories);
  const addRef = (r: ResolvedRef) => {
    const l = refsByFile.get(r.file);
    if (l) l.push(r);
    else refsByFile.set(r.file, [r]);
  };
  const addIncluder = (file: string, inc: Includer) => {
    const l = includers.get(file);
    if (l) l.push(inc);
    else includers.set(file, [inc]);
  };
  const kustomizationIn = (dir: string): string | undefined => {
    for (const n of KUSTOMIZATION_FILE_NAMES) if (tree.isFile(join(dir, n))) return join(dir, n);
    return undefined;
  };
  const rel = (p: string) => {
    const repo = fleet.repositoryOf(p);
    return repo ? `${repo.name}/${relative(repo.root, p)}`.replace(/\/$/, '') : p;
  };

  for (const p of fleet.layout.configProblems) findings.push({ file: p.file, span: p.span, severity: p.severity, code: 'config-invalid', message: p.message });

  // 1. Per-file findings and the kustomize include graph.
  const kustomizeFiles: FileFacts[] = [];
  for (const facts of fleet.facts.values()) {
    for (const e of facts.syntaxErrors) findings.push({ file: facts.file, span: e.span, severity: 'error', code: 'yaml-syntax', message: e.message });
    if (facts.kustomize) kustomizeFiles.push(facts);
  }

  const resolveLocalPath = (ref: PathRef): void => {
    const target = resolvePath(ref.baseDir, ref.value);
    const repo = fleet.repositoryOf(ref.owner.file);
    if (repo && !isInside(repo.root, target)) {
      findings.push({ file: ref.owner.file, span: ref.span, severity: 'warning', code: 'outside-root', message: `'${ref.value}' leaves the repository ${repo.name}: a source artifact holds only its repository's files, so this cannot build under Flux.` });
      return;
    }
    const found = checkPathTarget(target, ref.expect);
    if (typeof found === 'string') {
      findings.push({ file: ref.owner.file, span: ref.span, severity: 'error', code: 'path-not-found', message: `${ref.role}: ${found}`, data: { fix: 'path', baseDir: ref.baseDir, value: ref.value, expect: ref.expect } });
      return;
    }
    addRef({ file: ref.owner.file, span: ref.span, kind: 'path', description: `${ref.role} → ${rel(found.file)}`, targets: [{ file: found.file }], folder: found.folder });
    addIncluder(found.file, { type: 'kustomize', file: ref.owner.file, span: ref.span, role: ref.role });
  };

  /** Returns the file a path leads to (a folder's kustomization file), or a sentence saying why it does not exist. */
  function checkPathTarget(target: string, expect: PathRef['expect']): { file: string; folder?: string } | string {
    if (tree.isFile(target)) {
      if (expect === 'dir' || expect === 'component-dir') return `'${rel(target)}' is a file, a folder with a kustomization is expected`;
      return { file: target };
    }
    if (tree.isDir(target)) {
      if (expect === 'file') return `'${rel(target)}' is a folder, a file is expected`;
      const k = kustomizationIn(target);
      if (!k) return `the folder '${rel(target)}' has no kustomization.yaml`;
      if (expect === 'component-dir' && fleet.facts.get(k)?.kustomize?.kind !== 'Component') return `'${rel(target)}' is not a kustomize Component (its kustomization has kind Kustomization)`;
      return { file: k, folder: target };
    }
    return `'${rel(target)}' does not exist`;
  }

  const resolveRemote = (ref: RemoteRef): void => {
    const root = sourceRoots.resolveGit(ref.target.repoKey, ref.target.ref);
    if (!root) {
      const url = `https://${ref.target.repoKey}`;
      findings.push({
        file: ref.owner.file,
        span: ref.span,
        severity: 'information',
        code: 'remote-base-not-mapped',
        message: `Remote base ${url} is not mapped to a local folder; add '${url}: <folder>' under repositories: in .flux-fleet.yaml to follow it.`,
        data: { fix: 'map', key: url, repositoryOfFile: fleet.repositoryOf(ref.owner.file)?.root ?? dirname(ref.owner.file) },
      });
      return;
    }
    const target = join(root.folder, ref.target.subPath);
    const found = checkPathTarget(target, ref.role === 'components' ? 'component-dir' : 'file-or-dir');
    if (typeof found === 'string') {
      findings.push({ file: ref.owner.file, span: ref.span, severity: 'error', code: 'path-not-found', message: `${ref.role}: remote base ${found} (${root.via})` });
      return;
    }
    addRef({ file: ref.owner.file, span: ref.span, kind: 'remote', description: `remote base → ${rel(found.file)} (${root.via})`, targets: [{ file: found.file }], folder: found.folder });
    addIncluder(found.file, { type: 'kustomize', file: ref.owner.file, span: ref.span, role: ref.role });
  };

  for (const f of kustomizeFiles) {
    for (const p of f.kustomize!.paths) resolveLocalPath(p);
    for (const r of f.kustomize!.remotes) resolveRemote(r);
  }

  // 2. Files that are only patches or generator inputs do not declare objects.
  const nonResourceFiles = new Set<string>();
  for (const [file, incs] of includers) {
    if (incs.every((i) => i.type === 'kustomize' && !RESOURCE_ROLES.has(i.role))) nonResourceFiles.add(file);
  }

  // 3. Effective namespaces (kustomize `namespace:` of the outermost including kustomization, Flux targetNamespace).
  let nsMemo = new Map<string, Set<string | null>>();
  const namespaceAbove = (file: string, visiting = new Set<string>()): Set<string | null> => {
    const memo = nsMemo.get(file);
    if (memo) return memo;
    if (visiting.has(file)) return new Set([null]);
    visiting.add(file);
    const out = new Set<string | null>();
    for (const inc of includers.get(file) ?? []) {
      if (inc.type === 'flux') out.add(inc.flux.targetNamespace ?? null);
      else if (RESOURCE_ROLES.has(inc.role)) {
        const own = fleet.facts.get(inc.file)?.kustomize?.namespace ?? null;
        for (const v of namespaceAbove(inc.file, visiting)) out.add(v ?? own);
      }
    }
    if (out.size === 0) out.add(null);
    visiting.delete(file);
    nsMemo.set(file, out);
    return out;
  };
  const namespacesOf = (file: string, declared: string | undefined, kind?: string): Set<string | undefined> => {
    if (kind && CLUSTER_SCOPED.has(kind)) return new Set([undefined]);
    const out = new Set<string | undefined>();
    for (const v of namespaceAbove(file)) out.add(v ?? declared);
    return out;
  };

  const buildIndex = (): ObjectIndex => {
    const index = new ObjectIndex();
    for (const facts of fleet.facts.values()) {
      if (!nonResourceFiles.has(facts.file)) {
        for (const o of facts.objects) index.add({ fact: o, namespaces: namespacesOf(facts.file, o.namespace, o.kind) });
      }
      for (const g of facts.kustomize?.generated ?? []) index.add({ fact: g, namespaces: namespacesOf(facts.file, g.namespace) });
    }
    return index;
  };

  // 4. Flux Kustomizations: source → local root → spec.path folder → its build.
  let objects = buildIndex();
  const flux = new Map<FluxKustomizationFact, FluxResolution[]>();
  const ownerObject = (owner: { file: string; doc: number }): ObjectFact | undefined => fleet.facts.get(owner.file)?.objects.find((o) => o.owner.doc === owner.doc);

  const allFlux: FluxKustomizationFact[] = [];
  for (const facts of fleet.facts.values()) if (!nonResourceFiles.has(facts.file)) allFlux.push(...facts.fluxKustomizations);
  const variants = fluxVariants(fleet, includers, allFlux);
  for (const fk of allFlux) flux.set(fk, (variants.get(fk) ?? [{ tops: new Set([fk.owner.file]) }]).map((v) => resolveFlux(fk, v)));

  function resolveFlux(fk: FluxKustomizationFact, variant: FluxVariant): FluxResolution {
    const o = variant.override;
    const res: FluxResolution = {
      fact: fk,
      override: o,
      tops: variant.tops,
      path: o?.path ?? { value: fk.path?.value ?? './', span: fk.path?.span ?? fk.anchor, file: fk.owner.file },
      prune: o?.prune ?? fk.prune,
      entries: [],
    };
    const self = ownerObject(fk.owner);
    let root: SourceRoot | undefined;
    if (fk.inlineSource) {
      root = sourceRoots.resolve({ kind: fk.inlineSource.kind, url: fk.inlineSource.url, branch: fk.inlineSource.ref?.replace(/^refs\/heads\//, '') });
      if (!root) {
        findings.push(notMapped(fk.owner.file, fk.inlineSource.span, `${fk.inlineSource.kind} ${fk.inlineSource.url}`, mappingKeyFor(fk.inlineSource.kind, undefined, '', fk.inlineSource.url, undefined)));
        return res;
      }
    } else if (o?.sourceRef || fk.sourceRef) {
      const ref = o?.sourceRef?.ref ?? fk.sourceRef!;
      root = resolveSourceRef(ref, o?.sourceRef?.file ?? fk.owner.file, fk.owner.file, self, res);
      if (!root) return res;
    } else {
      return res;
    }
    res.sourceRoot = root;
    const { value, span, file } = res.path;
    const cleaned = value.replace(/^\.?\/+/, '');
    const folder = root.mapPath ? root.mapPath(cleaned) ?? resolvePath(root.folder, '__unmapped__/' + cleaned) : resolvePath(root.folder, cleaned || '.');
    const patched = o?.path ? ` (set by a patch in ${rel(o.patchedBy[o.patchedBy.length - 1])})` : '';
    if (!isInside(root.folder, folder)) {
      findings.push({ file, span, severity: 'error', code: 'path-not-found', message: `spec.path '${value}'${patched} leaves the source root ${rel(root.folder)}.` });
      return res;
    }
    if (!tree.isDir(folder)) {
      const why = tree.isFile(folder) ? 'is a file, not a folder' : 'does not exist';
      findings.push({
        file,
        span,
        severity: 'error',
        code: 'path-not-found',
        message: `spec.path '${value}'${patched} ${why} in ${rel(root.folder)} (${root.via}).${res.prune ? ' With prune: true, applying this would delete everything this Kustomization deployed before.' : ''}`,
        related: file !== fk.owner.file ? [{ file: fk.owner.file, span: self?.nameSpan ?? fk.anchor, message: 'the patched Kustomization' }] : undefined,
        data: { fix: 'path', baseDir: root.folder, value, expect: 'dir' },
      });
      return res;
    }
    res.folder = folder;
    res.kustomizationFile = kustomizationIn(folder);
    res.entries = res.kustomizationFile ? [res.kustomizationFile] : generatedEntries(folder, root.folder);
    addRef({ file, span, kind: 'flux-path', description: `spec.path${patched} → ${rel(folder)}${res.kustomizationFile ? '' : ' (no kustomization.yaml: Flux generates one)'} — source root ${rel(root.folder)}, ${root.via}`, targets: res.entries.map((f) => ({ file: f })), folder });
    for (const t of res.entries) addIncluder(t, { type: 'flux', flux: fk, file, span });
    for (const c of fk.components) {
      const target = resolvePath(folder, c.value);
      const found = checkPathTarget(target, 'component-dir');
      if (typeof found === 'string') {
        findings.push({ file: fk.owner.file, span: c.span, severity: 'error', code: 'path-not-found', message: `spec.components: ${found}`, data: { fix: 'path', baseDir: folder, value: c.value, expect: 'component-dir' } });
        continue;
      }
      addRef({ file: fk.owner.file, span: c.span, kind: 'flux-component', description: `component → ${rel(found.file)}`, targets: [{ file: found.file }], folder: found.folder });
      addIncluder(found.file, { type: 'flux', flux: fk, file: fk.owner.file, span: c.span });
    }
    return res;
  }

  /** sourceRef → source object → local folder; records the reference and reports what is missing. */
  function resolveSourceRef(ref: ObjectRef, file: string, ownerFile: string, self: ObjectFact | undefined, res: FluxResolution): SourceRoot | undefined {
    const namespaces = ref.namespace !== undefined ? new Set([ref.namespace]) : namespacesOf(ownerFile, self?.namespace);
    let source: IndexedObject | undefined;
    for (const ns of namespaces) {
      source = preferNear(file, objects.find(ref.kinds, ref.name, ns))[0];
      if (source) break;
    }
    if (!source) {
      // A source that lives only in the cluster (created at bootstrap, say) can still be mapped by Kind/namespace/name.
      const mapped = sourceRoots.resolve({ kind: ref.kinds[0], name: ref.name, namespaces }) ?? generatedSource(ref, file, ownerFile, namespaces);
      if (mapped) {
        addRef({ file, span: ref.span, kind: 'object', description: `${ref.kinds[0]} ${ref.name}: not in Git, ${mapped.via}`, targets: [] });
        return mapped;
      }
      if (ref.kinds[0] === 'ExternalArtifact') {
        findings.push(notMapped(file, ref.span, `ExternalArtifact ${ref.name}`, mappingKeyFor('ExternalArtifact', [...namespaces][0], ref.name, undefined, undefined)));
        return undefined;
      }
      const nsText = [...namespaces].filter(Boolean).join(', ');
      findings.push({
        file,
        span: ref.span,
        severity: 'error',
        code: 'source-not-found',
        message: `${ref.kinds[0]} '${ref.name}'${nsText ? ` in namespace ${nsText}` : ''} is not defined anywhere in the fleet.`,
        data: { fix: 'source', kinds: ref.kinds, namespace: [...namespaces][0], name: ref.name },
      });
      return undefined;
    }
    const src = source;
    res.source = src.fact;
    addRef({ file, span: ref.span, kind: 'object', description: `${src.fact.kind} ${[...src.namespaces].filter(Boolean).join(',') || '?'}/${src.fact.name} (${rel(src.fact.owner.file)})`, targets: [{ file: src.fact.owner.file, span: src.fact.nameSpan }], objects: [src.fact] });
    const sf = fleet.facts.get(src.fact.owner.file)?.sources.find((s) => s.owner.doc === src.fact.owner.doc);
    const root = sourceRoots.resolve({ kind: src.fact.kind, name: src.fact.name, namespaces: src.namespaces, url: sf?.url?.value, branch: sf?.branch });
    if (!root) {
      const ns = [...src.namespaces][0];
      const key = mappingKeyFor(src.fact.kind, ns, src.fact.name, sf?.url?.value, sf?.branch);
      const what = `${src.fact.kind} ${ns ?? '?'}/${src.fact.name}${sf?.url ? ` (${sf.url.value}${sf.branch ? `, branch ${sf.branch}` : ''})` : ''}`;
      findings.push({ ...notMapped(file, ref.span, what, key), related: [{ file: src.fact.owner.file, span: sf?.url?.span ?? src.fact.nameSpan, message: 'the source' }] });
    }
    return root;
  }

  /**
   * Sources that are never in Git: an ExternalArtifact an ArtifactGenerator assembles (followed through its copy
   * rules), and the `flux-system` GitRepository that `flux bootstrap` writes for the repository it bootstraps.
   */
  function generatedSource(ref: ObjectRef, file: string, ownerFile: string, namespaces: Set<string | undefined>): SourceRoot | undefined {
    if (ref.kinds[0] === 'ExternalArtifact') {
      const gens = [...fleet.facts.values()].flatMap((f) => f.artifactGenerators ?? []);
      for (const ns of namespaces) {
        const gen = findArtifact(gens, ref.name, ns, ownerFile);
        if (!gen) continue;
        const genNs = gen.namespace ?? ns;
        return artifactRoot(gen, ref.name, (alias) => {
          const s = gen.sources.find((x) => x.alias === alias);
          if (!s) return undefined;
          const sref: ObjectRef = { type: 'object', owner: gen.owner, role: 'sourceRef', kinds: [s.kind], name: s.name, span: ref.span, namespace: s.namespace ?? genNs, optional: false };
          const nsSet = new Set([sref.namespace]);
          const obj = preferNear(gen.owner.file, objects.find(sref.kinds, sref.name, sref.namespace))[0];
          if (obj) {
            const sf = fleet.facts.get(obj.fact.owner.file)?.sources.find((x) => x.owner.doc === obj.fact.owner.doc);
            return sourceRoots.resolve({ kind: obj.fact.kind, name: obj.fact.name, namespaces: obj.namespaces, url: sf?.url?.value, branch: sf?.branch });
          }
          return sourceRoots.resolve({ kind: s.kind, name: s.name, namespaces: nsSet }) ?? bootstrapSource(sref, gen.owner.file, nsSet);
        });
      }
      return undefined;
    }
    return bootstrapSource(ref, ownerFile, namespaces);
  }

  function bootstrapSource(ref: ObjectRef, ownerFile: string, namespaces: Set<string | undefined>): SourceRoot | undefined {
    if (ref.kinds[0] !== 'GitRepository' || ref.name !== 'flux-system' || !(namespaces.has('flux-system') || namespaces.has(undefined))) return undefined;
    const repo = fleet.repositoryOf(ownerFile);
    return repo ? { folder: repo.root, via: `the bootstrap source of ${repo.name} (flux bootstrap writes GitRepository flux-system for the repository it bootstraps)` } : undefined;
  }

  /**
   * Several repositories of a fleet often hold objects of the same kind/namespace/name (every cluster repository has
   * its `flux-system` GitRepository). A reference means the one in its own repository when there is one.
   */
  function preferNear(file: string, hits: IndexedObject[]): IndexedObject[] {
    if (hits.length < 2) return hits;
    const repo = fleet.repositoryOf(file)?.root;
    const near = hits.filter((h) => fleet.repositoryOf(h.fact.owner.file)?.root === repo);
    // Within a repository, the object closest in the folder tree (each cluster folder has its own flux-system).
    return (near.length ? near : hits).map((h) => ({ h, c: commonPrefix(file, h.fact.owner.file) })).sort((a, b) => b.c - a.c).map((x) => x.h);
  }

  function notMapped(file: string, span: Finding['span'], what: string, key: string): Finding {
    return {
      file,
      span,
      severity: 'information',
      code: 'source-not-mapped',
      message: `${what} is not mapped to a local folder: add '${key}: <folder>' under repositories: in .flux-fleet.yaml (or the fluxFleet.repositories setting) to follow it.`,
      data: { fix: 'map', key, repositoryOfFile: fleet.repositoryOf(file)?.root ?? dirname(file) },
    };
  }

  /** What Flux puts in the kustomization it generates for a folder without one. */
  function generatedEntries(folder: string, sourceRoot: string): string[] {
    const ignored = sourceIgnoreFor(fleet, sourceRoot);
    const out: string[] = [];
    const walk = (dir: string, depth: number) => {
      if (depth > 32) return;
      for (const name of tree.list(dir).sort()) {
        const p = join(dir, name);
        const relToRoot = relative(sourceRoot, p);
        if (tree.isDir(p)) {
          if (ignored(relToRoot + '/')) continue;
          const k = kustomizationIn(p);
          if (k) out.push(k);
          else walk(p, depth + 1);
        } else if (isYamlFile(name) && !ignored(relToRoot)) {
          out.push(p);
        }
      }
    };
    walk(folder, 0);
    return out;
  }

  // 5. Namespaces again, now that Flux builds (and their targetNamespace) are known; then object references.
  nsMemo = new Map();
  objects = buildIndex();
  const referrers = new Map<string, ResolvedRef[]>();
  const hasCatalogs = objects.ofKind('Catalog').length > 0;
  for (const facts of fleet.facts.values()) {
    if (nonResourceFiles.has(facts.file)) continue;
    for (const ref of facts.objectRefs) {
      if (ref.role === 'sourceRef') continue; // resolved with its Flux Kustomization
      resolveObjectRef(ref);
    }
  }

  function resolveObjectRef(ref: ObjectRef): void {
    const self = ownerObject(ref.owner);
    const namespaces = ref.namespace !== undefined ? new Set([ref.namespace]) : namespacesOf(ref.owner.file, self?.namespace, self?.kind);
    const found: IndexedObject[] = [];
    const missing: Array<string | undefined> = [];
    for (const ns of namespaces) {
      const hits = preferNear(ref.owner.file, objects.find(ref.kinds, ref.name, ns));
      if (hits.length) found.push(...hits.filter((h) => !found.includes(h)));
      else missing.push(ns);
    }
    if (found.length) {
      const r: ResolvedRef = {
        file: ref.owner.file,
        span: ref.span,
        kind: 'object',
        description: `${ref.role} → ${found.map((f) => `${f.fact.kind} ${[...f.namespaces].filter(Boolean).join(',') || '?'}/${f.fact.name}${f.fact.generated ? ' (generated)' : ''} in ${rel(f.fact.owner.file)}`).join('; ')}`,
        targets: found.map((f) => ({ file: f.fact.owner.file, span: f.fact.nameSpan })),
        objects: found.map((f) => f.fact),
      };
      addRef(r);
      if (ref.chartPath) resolveChartPath(ref, found[0]);
      for (const f of found) {
        const k = docKey(f.fact.owner);
        const l = referrers.get(k);
        if (l) l.push(r);
        else referrers.set(k, [r]);
      }
    }
    if (missing.length && !ref.optional && !(ref.role === 'catalog' && !hasCatalogs)) {
      const nsText = missing.filter(Boolean).join(', ');
      findings.push({
        file: ref.owner.file,
        span: ref.span,
        severity: 'warning',
        code: 'object-not-found',
        message: `${ref.role}: ${ref.kinds.join(' or ')} '${ref.name}'${nsText ? ` in namespace ${nsText}` : ''} is not defined in the fleet${ref.kinds.includes('Secret') ? ' (if it is created outside Git, mark the reference optional or ignore this)' : ''}.`,
      });
    }
  }

  /** A chart kept in a Git or Bucket source: `spec.chart` is a folder of that source, holding Chart.yaml. */
  function resolveChartPath(ref: ObjectRef, source: IndexedObject): void {
    const sf = fleet.facts.get(source.fact.owner.file)?.sources.find((s) => s.owner.doc === source.fact.owner.doc);
    const root = sourceRoots.resolve({ kind: source.fact.kind, name: source.fact.name, namespaces: source.namespaces, url: sf?.url?.value, branch: sf?.branch }) ?? bootstrapSource({ ...ref, name: source.fact.name, kinds: [source.fact.kind] }, ref.owner.file, source.namespaces);
    if (!root || !ref.chartPath) return;
    const folder = resolvePath(root.folder, ref.chartPath.value.replace(/^\.?\/+/, '') || '.');
    const chartFile = join(folder, 'Chart.yaml');
    if (!tree.isFile(chartFile)) {
      findings.push({ file: ref.owner.file, span: ref.chartPath.span, severity: 'error', code: 'path-not-found', message: `chart: '${ref.chartPath.value}' has no Chart.yaml in ${rel(root.folder)} (${root.via}).`, data: { fix: 'path', baseDir: root.folder, value: ref.chartPath.value, expect: 'dir' } });
      return;
    }
    addRef({ file: ref.owner.file, span: ref.chartPath.span, kind: 'path', description: `chart → ${rel(folder)} (${root.via})`, targets: [{ file: chartFile }], folder });
  }

  const links: Links = {
    findings,
    findingsByFile: new Map(),
    refsByFile,
    includers,
    flux,
    objects,
    referrers,
    nonResourceFiles,
    sourceRoots,
    namespacesOf,
    kustomizationIn,
    findNear: (file, kinds, name, ns) => preferNear(file, objects.find(kinds, name, ns)),
  };

  // 6. Whole-graph checks.
  checkIncludeCycles(fleet, links, findings);
  checkDependencyCycles(fleet, links, findings);
  checkBuilds(fleet, links, findings);

  for (const f of findings) {
    const l = links.findingsByFile.get(f.file);
    if (l) l.push(f);
    else links.findingsByFile.set(f.file, [f]);
  }
  return links;
}

export { basename };
