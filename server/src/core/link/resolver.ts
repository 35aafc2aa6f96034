// Resolution of single references against a fleet-wide context (file tree, source roots, object index,
// namespaces). The linker runs it over every file; `linkFile` runs it over one edited file against the previous
// context, which is how diagnostics follow a keystroke without re-linking the fleet.
import type { Fleet } from '../model';
import type { FileFacts, FluxKustomizationFact, ObjectFact, ObjectRef, PathRef, RemoteRef, SourceFact } from '../facts';
import type { Finding } from '../findings';
import { dirname, isInside, isYamlFile, join, KUSTOMIZATION_FILE_NAMES, relative, resolvePath } from '../paths';
import type { ObjectIndex, IndexedObject } from './objectIndex';
import { mappingKeyFor, type SourceRoots } from './sourceRoots';
import type { FluxResolution, Includer, ResolvedRef, SourceRoot } from './types';
import type { FluxVariant } from './fluxVariants';
import { artifactFilter, artifactRules, artifactRulesOf, type ArtifactFilter, type ArtifactRules } from './sourceIgnore';
import { artifactRoot, findArtifact } from './artifacts';
import { foldersMatching, hasVariable } from './variablePath';
import { describeProvider, type ProvidedIndex, type ProvidedMatch } from './providedObjects';

export interface LinkSink {
  findings: Finding[];
  addRef(r: ResolvedRef): void;
  addIncluder(file: string, inc: Includer): void;
  addReferrer(key: string, r: ResolvedRef): void;
}

export interface ResolverContext {
  objects: ObjectIndex;
  namespacesOf(file: string, declared: string | undefined, kind?: string): ReadonlySet<string | undefined>;
  hasCatalogs: boolean;
  /** Objects the cluster makes (producers in the fleet, `provided:` declarations). */
  provided?: ProvidedIndex;
}

/** Length of the common folder prefix of two paths. */
export function commonPrefix(a: string, b: string): number {
  let i = 0;
  let segments = 0;
  const n = Math.min(a.length, b.length);
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) {
    if (a.charCodeAt(i) === 47) segments++;
    i++;
  }
  return segments;
}

/**
 * commonPrefix of `file` and each path it is asked with, by the folders of `file`: the '/' two paths share are those
 * ending a folder of `file` the other path starts with (the deepest such one counts them). One native comparison or
 * two per path (its own folder, then the next one up): placed when their code is still cold (once per folder, in
 * turn), the copies of a source were ~60 characters compared one by one by the interpreter (~5 µs a path).
 */
export function commonPrefixWith(file: string): (other: string) => number {
  const folders: string[] = [];
  for (let i = file.indexOf('/'); i >= 0; i = file.indexOf('/', i + 1)) folders.push(file.slice(0, i + 1));
  return (other) => {
    for (let j = folders.length - 1; j >= 0; j--) if (other.startsWith(folders[j])) return j + 1;
    return 0;
  };
}

/** Whether two paths are in one folder (findNear's answers are its folder's: see preferNear). */
function sameFolder(a: string, b: string): boolean {
  if (a === b) return true;
  const i = a.lastIndexOf('/');
  return i === b.lastIndexOf('/') && b.startsWith(a.slice(0, i + 1));
}

export function docKey(owner: { file: string; doc: number }): string {
  return `${owner.file}#${owner.doc}`;
}

const MAX_REF_TARGETS = 20;

/** `repo/path` of a fleet's file, for messages and descriptions (the path itself outside every repository). */
export function repoPath(fleet: Fleet, p: string): string {
  const repo = fleet.repositoryOf(p);
  return repo ? `${repo.name}/${relative(repo.root, p)}`.replace(/\/$/, '') : p;
}

/**
 * What a reference is, for hovers and document links: its description, or for a kustomization's path reference
 * `role → repo/path` of the file it leads to, made when read. Every kustomization path of the fleet is one (10,700 in
 * the synthetic fleet): its text, kept with the links, was some 60 bytes of each (a joined string and the path in its
 * repository), copied by the check's scavenges (issue 12).
 */
export function refDescription(fleet: Fleet, r: ResolvedRef): string {
  return r.description ?? `${r.role} → ${repoPath(fleet, r.target ?? '')}`;
}

export class Resolver {
  private readonly tree;
  /** findNear's answers for the folder of the file whose references are being resolved (any file of it). */
  private nearFile: string | undefined;
  private nearCtx: ResolverContext | undefined;
  private readonly nearHits = new Map<string, IndexedObject[]>();
  /**
   * The repository root of each file preferNear placed, while the layout (which decides it) is the same: a link asks
   * for the same few thousand owners again for every reference (the synthetic fleet: 380,000 times, a path walk each).
   */
  private readonly repositoryRoots = new Map<string, string | undefined>();
  private repositoryRootsOf: unknown;

  constructor(
    readonly fleet: Fleet,
    readonly sourceRoots: SourceRoots,
    readonly sink: LinkSink,
    public ctx: ResolverContext,
  ) {
    this.tree = fleet.tree;
  }

  kustomizationIn(dir: string, artifact?: ArtifactFilter): string | undefined {
    dir = this.tree.canonical(dir);
    for (const n of KUSTOMIZATION_FILE_NAMES) {
      const f = join(dir, n);
      if (this.tree.isFile(f) && !artifact?.excluded(f)) return this.indexedPath(f);
    }
    return undefined;
  }

  /**
   * `file` as the string the fleet's facts hold for it (the one made by the walk), else itself. The links keep a path
   * per reference (targets, includers' keys, folders): made anew by resolving each reference, it was a string of
   * ~100 bytes per reference, copied by the young generation's collections with the links (the synthetic fleet:
   * 10,700 kustomization paths), where the file's own path is held anyway.
   */
  private indexedPath(file: string): string {
    return this.fleet.facts.get(file)?.file ?? file;
  }

  /** `repo/path` for messages. */
  rel(p: string): string {
    return repoPath(this.fleet, p);
  }

  /** A source object's URL and branch: its document's, or the one a ResourceSet generated. */
  private sourceFactOf(fact: ObjectFact): SourceFact | undefined {
    return fact.generatedBy ? fact.generatedBy.source : this.fleet.facts.get(fact.owner.file)?.sources.find((s) => s.owner.doc === fact.owner.doc);
  }

  private ownerObject(owner: { file: string; doc: number }): ObjectFact | undefined {
    return this.fleet.facts.get(owner.file)?.objects.find((o) => o.owner.doc === owner.doc);
  }

  /** Every local path and remote base of a kustomization file. */
  resolveKustomizeFile(facts: FileFacts): void {
    for (const p of facts.kustomize?.paths ?? []) this.resolveLocalPath(p);
    for (const r of facts.kustomize?.remotes ?? []) this.resolveRemote(r);
  }

  private resolveLocalPath(ref: PathRef): void {
    const target = resolvePath(ref.baseDir, ref.value);
    const repo = this.fleet.repositoryOf(ref.owner.file);
    if (repo && !isInside(repo.root, target)) {
      this.sink.findings.push({ file: ref.owner.file, span: ref.span, severity: 'warning', code: 'outside-root', message: `'${ref.value}' leaves the repository ${repo.name}: a source artifact holds only its repository's files, so this cannot build under Flux.` });
      return;
    }
    const through = this.tree.outsideLinkOf(target);
    if (through) {
      this.sink.findings.push({ file: ref.owner.file, span: ref.span, severity: 'warning', code: 'outside-root', message: `'${ref.value}' goes through the symbolic link ${this.rel(through.link)} to ${through.target}, outside every repository and mapped folder: it is not followed.` });
      return;
    }
    const found = this.checkPathTarget(target, ref.expect);
    if (typeof found === 'string') {
      this.sink.findings.push({ file: ref.owner.file, span: ref.span, severity: 'error', code: 'path-not-found', message: `${ref.role}: ${found}`, data: { fix: 'path', baseDir: ref.baseDir, value: ref.value, expect: ref.expect } });
      return;
    }
    // The reference is also the includer of the file it leads to (the same file, span and role): a second object of
    // those three fields per kustomization path was some 56 bytes of each of the synthetic fleet's 10,700, kept with
    // the links for the whole check (issue 12).
    const resolved: ResolvedRef & Includer = { file: ref.owner.file, span: ref.span, kind: 'path', role: ref.role, target: found.file, folder: found.folder, type: 'kustomize' };
    this.sink.addRef(resolved);
    this.sink.addIncluder(found.file, resolved);
  }

  /** The file a path leads to (a folder's kustomization file), or a sentence saying why it does not exist. */
  checkPathTarget(target: string, expect: PathRef['expect']): { file: string; folder?: string } | string {
    target = this.tree.canonical(target); // through a link inside the fleet: its target, read as that path
    if (this.tree.isFile(target)) {
      if (expect === 'dir' || expect === 'component-dir') return `'${this.rel(target)}' is a file, a folder with a kustomization is expected`;
      return { file: this.indexedPath(target) };
    }
    if (this.tree.isDir(target)) {
      if (expect === 'file') return `'${this.rel(target)}' is a folder, a file is expected`;
      const k = this.kustomizationIn(target);
      if (!k) return `the folder '${this.rel(target)}' has no kustomization.yaml`;
      if (expect === 'component-dir' && this.fleet.facts.get(k)?.kustomize?.kind !== 'Component') return `'${this.rel(target)}' is not a kustomize Component (its kustomization has kind Kustomization)`;
      // (the folder as a part of its kustomization's path: the file's path is kept, a slice of it is a few words)
      return { file: k, folder: k.startsWith(target) ? k.slice(0, target.length) : target };
    }
    return `'${this.rel(target)}' does not exist`;
  }

  private resolveRemote(ref: RemoteRef): void {
    const root = this.sourceRoots.resolveGit(ref.target.repoKey, ref.target.ref);
    if (!root) {
      const url = `https://${ref.target.repoKey}`;
      this.sink.findings.push({
        file: ref.owner.file,
        span: ref.span,
        severity: 'information',
        code: 'remote-base-not-mapped',
        message: `Remote base ${url} is not mapped to a local folder; add '${url}: <folder>' under repositories: in .flux-fleet.yaml to follow it.`,
        data: { fix: 'map', key: url, repositoryOfFile: this.fleet.repositoryOf(ref.owner.file)?.root ?? dirname(ref.owner.file) },
      });
      return;
    }
    const target = join(root.folder, ref.target.subPath);
    const found = this.checkPathTarget(target, ref.role === 'components' ? 'component-dir' : 'file-or-dir');
    if (typeof found === 'string') {
      this.sink.findings.push({ file: ref.owner.file, span: ref.span, severity: 'error', code: 'path-not-found', message: `${ref.role}: remote base ${found} (${root.via})` });
      return;
    }
    this.sink.addRef({ file: ref.owner.file, span: ref.span, kind: 'remote', description: `remote base → ${this.rel(found.file)} (${root.via})`, target: found.file, folder: found.folder });
    this.sink.addIncluder(found.file, { type: 'kustomize', file: ref.owner.file, span: ref.span, role: ref.role });
  }

  resolveFlux(fk: FluxKustomizationFact, variant: FluxVariant): FluxResolution {
    const o = variant.override;
    const res: FluxResolution = {
      fact: fk,
      override: o,
      tops: variant.tops,
      path: o?.path ?? { value: fk.path?.value ?? './', span: fk.path?.span ?? fk.anchor, file: fk.owner.file },
      prune: o?.prune ?? fk.prune,
      entries: [],
    };
    const self = this.ownerObject(fk.owner);
    let root: SourceRoot | undefined;
    if (fk.inlineSource) {
      root = this.sourceRoots.resolve({ kind: fk.inlineSource.kind, url: fk.inlineSource.url, branch: fk.inlineSource.ref?.replace(/^refs\/heads\//, '') });
      if (!root) {
        this.sink.findings.push(this.notMapped(fk.owner.file, fk.inlineSource.span, `${fk.inlineSource.kind} ${fk.inlineSource.url}`, mappingKeyFor(fk.inlineSource.kind, undefined, '', fk.inlineSource.url, undefined)));
        return res;
      }
    } else if (o?.sourceRef || fk.sourceRef) {
      const ref = o?.sourceRef?.ref ?? fk.sourceRef!;
      root = this.resolveSourceRef(ref, o?.sourceRef?.file ?? fk.owner.file, fk.owner.file, self, res);
      if (!root) return res;
    } else {
      return res;
    }
    res.sourceRoot = root;
    // What the source's artifact holds of the folder (.sourceignore files, spec.ignore, Flux's default exclusions).
    const rules = fk.inlineSource ? artifactRules(fk.inlineSource.kind) : artifactRulesOf(this.fleet, (o?.sourceRef?.ref ?? fk.sourceRef!).kinds[0], res.source);
    const artifact = root.mapPath ? undefined : artifactFilter(this.fleet, root.folder, rules);
    const { value, span, file } = res.path;
    const cleaned = value.replace(/^\.?\/+/, '');
    const folder = root.mapPath ? root.mapPath(cleaned) ?? resolvePath(root.folder, '__unmapped__/' + cleaned) : resolvePath(root.folder, cleaned || '.');
    const patched = o?.path ? ` (set by a patch in ${this.rel(o.patchedBy[o.patchedBy.length - 1])})` : '';
    if (hasVariable(value)) return this.resolveVariablePath(fk, res, root, cleaned, rules);
    if (!isInside(root.folder, folder)) {
      this.sink.findings.push({ file, span, severity: 'error', code: 'path-not-found', message: `spec.path '${value}'${patched} leaves the source root ${this.rel(root.folder)}.` });
      return res;
    }
    if (!this.tree.isDir(folder) || (artifact && !artifact.hasFolder(folder))) {
      const why = this.tree.isDir(folder) ? `is left out of the source's artifact (${ignoredBy(artifact!, rules, (f) => this.rel(f))})` : this.tree.isFile(folder) ? 'is a file, not a folder' : 'does not exist';
      this.sink.findings.push({
        file,
        span,
        severity: 'error',
        code: 'path-not-found',
        message: `spec.path '${value}'${patched} ${why} in ${this.rel(root.folder)} (${root.via}).${res.prune ? ' With prune: true, applying this would delete everything this Kustomization deployed before.' : ''}`,
        related: [
          ...(file !== fk.owner.file ? [{ file: fk.owner.file, span: self?.nameSpan ?? fk.anchor, message: 'the patched Kustomization' }] : []),
          ...(res.source ? [{ file: res.source.owner.file, span: res.source.nameSpan, message: `the source: ${res.source.kind} ${res.source.name}, whose content is ${this.rel(root.folder)}` }] : []),
        ],
        data: { fix: 'path', baseDir: root.folder, value, expect: 'dir' },
      });
      return res;
    }
    res.folder = folder;
    res.kustomizationFile = this.kustomizationIn(folder, artifact);
    res.entries = res.kustomizationFile ? [res.kustomizationFile] : this.generatedEntries(folder, root.folder, rules);
    this.sink.addRef({ file, span, kind: 'flux-path', description: `spec.path${patched} → ${this.rel(folder)}${res.kustomizationFile ? '' : ' (no kustomization.yaml: Flux generates one)'} — source root ${this.rel(root.folder)}, ${root.via}`, targets: res.entries.map((f) => ({ file: f })), folder });
    for (const t of res.entries) this.sink.addIncluder(t, { type: 'flux', flux: fk, file, span });
    for (const c of fk.components) {
      const target = resolvePath(folder, c.value);
      const found = this.checkPathTarget(target, 'component-dir');
      if (typeof found === 'string') {
        this.sink.findings.push({ file: fk.owner.file, span: c.span, severity: 'error', code: 'path-not-found', message: `spec.components: ${found}`, data: { fix: 'path', baseDir: folder, value: c.value, expect: 'component-dir' } });
        continue;
      }
      this.sink.addRef({ file: fk.owner.file, span: c.span, kind: 'flux-component', description: `component → ${this.rel(found.file)}`, target: found.file, folder: found.folder });
      this.sink.addIncluder(found.file, { type: 'flux', flux: fk, file: fk.owner.file, span: c.span });
    }
    return res;
  }


  /**
   * A spec.path with variables: its folder is decided per context by the evaluation (after the parent's
   * substitution), which also reports a folder that does not exist. Here: every folder it can name, so that the
   * files there know who may deploy them.
   */
  private resolveVariablePath(fk: FluxKustomizationFact, res: FluxResolution, root: SourceRoot, cleaned: string, rules: ArtifactRules): FluxResolution {
    const { span, file } = res.path;
    const candidates = root.mapPath ? [] : foldersMatching(this.tree, root.folder, cleaned);
    res.candidates = candidates;
    const artifact = root.mapPath ? undefined : artifactFilter(this.fleet, root.folder, rules);
    res.entries = candidates.flatMap((folder) => {
      const k = this.kustomizationIn(folder, artifact);
      return k ? [k] : this.generatedEntries(folder, root.folder, rules);
    });
    this.sink.addRef({ file, span, kind: 'flux-path', description: `spec.path holds variables, which each context's parent substitutes${candidates.length ? '' : ' (no folder of the source can match it)'} — source root ${this.rel(root.folder)}, ${root.via}`, targets: [], folder: undefined, variable: true });
    for (const t of res.entries) this.sink.addIncluder(t, { type: 'flux', flux: fk, file, span });
    return res;
  }

  /** sourceRef → source object → local folder; records the reference and reports what is missing. */
  resolveSourceRef(ref: ObjectRef, file: string, ownerFile: string, self: ObjectFact | undefined, res: FluxResolution): SourceRoot | undefined {
    const namespaces = ref.namespace !== undefined ? new Set([ref.namespace]) : this.ctx.namespacesOf(ownerFile, self?.namespace);
    let source: IndexedObject | undefined;
    for (const ns of namespaces) {
      source = this.findNear(file, ref.kinds, ref.name, ns)[0];
      if (source) break;
    }
    if (!source) {
      // A source that lives only in the cluster (created at bootstrap, say) can still be mapped by Kind/namespace/name.
      const mapped = this.sourceRoots.resolve({ kind: ref.kinds[0], name: ref.name, namespaces }) ?? this.generatedSource(ref, file, ownerFile, namespaces);
      if (mapped) {
        this.sink.addRef({ file, span: ref.span, kind: 'object', description: `${ref.kinds[0]} ${ref.name}: not in Git, ${mapped.via}`, targets: [] });
        return mapped;
      }
      if (ref.kinds[0] === 'ExternalArtifact') {
        this.sink.findings.push(this.notMapped(file, ref.span, `ExternalArtifact ${ref.name}`, mappingKeyFor('ExternalArtifact', [...namespaces][0], ref.name, undefined, undefined)));
        return undefined;
      }
      const nsText = [...namespaces].filter(Boolean).join(', ');
      this.sink.findings.push({
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
    this.sink.addRef({ file, span: ref.span, kind: 'object', description: `${src.fact.kind} ${[...src.namespaces].filter(Boolean).join(',') || '?'}/${src.fact.name} (${this.rel(src.fact.owner.file)})`, object: src.fact });
    const sf = this.sourceFactOf(src.fact);
    const root = this.sourceRoots.resolve({ kind: src.fact.kind, name: src.fact.name, namespaces: src.namespaces, url: sf?.url?.value, branch: sf?.branch });
    if (!root) {
      const ns = [...src.namespaces][0];
      const key = mappingKeyFor(src.fact.kind, ns, src.fact.name, sf?.url?.value, sf?.branch);
      const what = `${src.fact.kind} ${ns ?? '?'}/${src.fact.name}${sf?.url ? ` (${sf.url.value}${sf.branch ? `, branch ${sf.branch}` : ''})` : ''}`;
      this.sink.findings.push({ ...this.notMapped(file, ref.span, what, key), related: [{ file: src.fact.owner.file, span: sf?.url?.span ?? src.fact.nameSpan, message: 'the source' }] });
    }
    return root;
  }


  /**
   * Sources that are never in Git: an ExternalArtifact an ArtifactGenerator assembles (followed through its copy
   * rules), and the `flux-system` GitRepository that `flux bootstrap` writes for the repository it bootstraps.
   */
  /**
   * The local root of a source named by kind/name/namespace, as seen from `ownerFile`: the source object's mapping,
   * a cluster-only mapping, an ArtifactGenerator artifact or the bootstrap source (used for rendered specs).
   */
  rootOf(kind: string, name: string, namespace: string | undefined, ownerFile: string): { root?: SourceRoot; source?: ObjectFact } {
    const obj = this.findNear(ownerFile, [kind], name, namespace)[0];
    if (obj) {
      const sf = this.sourceFactOf(obj.fact);
      return { source: obj.fact, root: this.sourceRoots.resolve({ kind: obj.fact.kind, name: obj.fact.name, namespaces: obj.namespaces, url: sf?.url?.value, branch: sf?.branch }) };
    }
    const namespaces = new Set([namespace]);
    const ref: ObjectRef = { type: 'object', owner: { file: ownerFile, doc: 0 }, role: 'sourceRef', kinds: [kind], name, span: { start: 0, end: 0 }, namespace, optional: false };
    return { root: this.sourceRoots.resolve({ kind, name, namespaces }) ?? this.generatedSource(ref, ownerFile, ownerFile, namespaces) };
  }

  generatedSource(ref: ObjectRef, file: string, ownerFile: string, namespaces: ReadonlySet<string | undefined>): SourceRoot | undefined {
    if (ref.kinds[0] === 'ExternalArtifact') {
      const gens = [...this.fleet.facts.values()].flatMap((f) => f.artifactGenerators ?? []);
      for (const ns of namespaces) {
        const gen = findArtifact(gens, ref.name, ns, ownerFile);
        if (!gen) continue;
        const genNs = gen.namespace ?? ns;
        return artifactRoot(gen, ref.name, (alias) => {
          const s = gen.sources.find((x) => x.alias === alias);
          if (!s) return undefined;
          const sref: ObjectRef = { type: 'object', owner: gen.owner, role: 'sourceRef', kinds: [s.kind], name: s.name, span: ref.span, namespace: s.namespace ?? genNs, optional: false };
          const nsSet = new Set([sref.namespace]);
          const obj = this.findNear(gen.owner.file, sref.kinds, sref.name, sref.namespace)[0];
          if (obj) {
            const sf = this.sourceFactOf(obj.fact);
            return this.sourceRoots.resolve({ kind: obj.fact.kind, name: obj.fact.name, namespaces: obj.namespaces, url: sf?.url?.value, branch: sf?.branch });
          }
          return this.sourceRoots.resolve({ kind: s.kind, name: s.name, namespaces: nsSet }) ?? this.bootstrapSource(sref, gen.owner.file, nsSet);
        });
      }
      return undefined;
    }
    return this.bootstrapSource(ref, ownerFile, namespaces);
  }

  bootstrapSource(ref: ObjectRef, ownerFile: string, namespaces: ReadonlySet<string | undefined>): SourceRoot | undefined {
    if (ref.kinds[0] !== 'GitRepository' || ref.name !== 'flux-system' || !(namespaces.has('flux-system') || namespaces.has(undefined))) return undefined;
    const repo = this.fleet.repositoryOf(ownerFile);
    return repo ? { folder: repo.root, via: `the bootstrap source of ${repo.name} (flux bootstrap writes GitRepository flux-system for the repository it bootstraps)` } : undefined;
  }


  /**
   * Several repositories of a fleet often hold objects of the same kind/namespace/name (every cluster repository has
   * its `flux-system` GitRepository). A reference means the one in its own repository when there is one.
   */
  /**
   * The objects of `kinds` named `name` in `ns`, nearest to `file` first. Remembered while one folder's references are
   * resolved (they come file by file, and the memory stays one folder's; the answer is the folder's, see preferNear):
   * a file of 4,000 references to 2,000 copies of one object looked all of them up 4,000 times, and each Flux
   * Kustomization of a cluster's folder placed the cluster's 60 copies of its `flux-system` source again.
   */
  findNear(file: string, kinds: string[], name: string, ns: string | undefined): IndexedObject[] {
    if (this.nearFile === undefined || this.ctx !== this.nearCtx || !sameFolder(file, this.nearFile)) {
      this.nearFile = file;
      this.nearCtx = this.ctx;
      this.nearHits.clear();
    }
    const key = `${kinds.join(',')}\0${name}\0${ns ?? '\u0001'}`;
    let hits = this.nearHits.get(key);
    if (!hits) this.nearHits.set(key, (hits = this.preferNear(file, this.ctx.objects.find(kinds, name, ns))));
    return hits;
  }

  /**
   * `hits` in the repository of `file` if some are (else all), the closest in the folder tree first. The answer is
   * the same for every file of one folder: a file's repository is its folder's, and the '/' two paths share
   * (commonPrefix) are those of folders of the file (the characters after its last '/' hold none).
   */
  preferNear(file: string, hits: IndexedObject[]): IndexedObject[] {
    if (hits.length < 2) return hits;
    const repo = this.repositoryRootOf(file);
    // (Indexed lists, no map or record per object: this runs while its code is cold, for 60 copies of a source.)
    const near: boolean[] = new Array(hits.length);
    let anyNear = false;
    for (let i = 0; i < hits.length; i++) anyNear = (near[i] = this.repositoryRootOf(hits[i].fact.owner.file) === repo) || anyNear;
    const kept = anyNear ? hits.filter((_, i) => near[i]) : hits;
    if (kept.length < 2) return kept;
    // Within a repository, the object closest in the folder tree (each cluster folder has its own flux-system): by
    // the folders shared, deepest first, in their order within one depth (a stable sort's, without its comparisons).
    const prefixOf = commonPrefixWith(file);
    const depths: number[] = new Array(kept.length);
    let deepest = 0;
    let shallowest = Infinity;
    for (let i = 0; i < kept.length; i++) {
      const d = (depths[i] = prefixOf(kept[i].fact.owner.file));
      if (d > deepest) deepest = d;
      if (d < shallowest) shallowest = d;
    }
    if (deepest === shallowest) return kept;
    const out: IndexedObject[] = [];
    for (let d = deepest; d >= shallowest; d--) for (let i = 0; i < kept.length; i++) if (depths[i] === d) out.push(kept[i]);
    return out;
  }

  private repositoryRootOf(file: string): string | undefined {
    if (this.repositoryRootsOf !== this.fleet.layout) {
      this.repositoryRoots.clear();
      this.repositoryRootsOf = this.fleet.layout;
    }
    const known = this.repositoryRoots.get(file);
    if (known !== undefined || this.repositoryRoots.has(file)) return known;
    const root = this.fleet.repositoryOf(file)?.root;
    this.repositoryRoots.set(file, root);
    return root;
  }

  notMapped(file: string, span: Finding['span'], what: string, key: string): Finding {
    return {
      file,
      span,
      severity: 'information',
      code: 'source-not-mapped',
      message: `${what} is not mapped to a local folder: add '${key}: <folder>' under repositories: in .flux-fleet.yaml (or the fluxFleet.repositories setting) to follow it.`,
      data: { fix: 'map', key, repositoryOfFile: this.fleet.repositoryOf(file)?.root ?? dirname(file) },
    };
  }


  /** What Flux puts in the kustomization it generates for a folder without one (the files the source's artifact holds). */
  generatedEntries(folder: string, sourceRoot: string, rules?: ArtifactRules): string[] {
    const artifact = artifactFilter(this.fleet, sourceRoot, rules);
    const key = `${artifact.key}\0${folder}`;
    let entries = this.generated.get(key);
    if (!entries) this.generated.set(key, (entries = this.listGeneratedEntries(folder, artifact)));
    return entries;
  }

  /** Generated entries per source's rules and folder: the tree and .sourceignore files are fixed for one link. */
  private readonly generated = new Map<string, string[]>();

  private listGeneratedEntries(folder: string, artifact: ArtifactFilter): string[] {
    const out: string[] = [];
    // Every file is decided on its own (a `!` pattern can bring one back below an excluded folder).
    const walk = (dir: string, depth: number) => {
      if (depth > 32) return;
      for (const name of this.tree.list(dir).sort()) {
        const p = join(dir, name);
        if (this.tree.isDir(p)) {
          const k = this.kustomizationIn(p, artifact);
          if (k) out.push(k);
          else walk(p, depth + 1);
        } else if (isYamlFile(name) && !artifact.excluded(p)) {
          out.push(p);
        }
      }
    };
    walk(folder, 0);
    return out;
  }

  private providedAs(kinds: string[], name: string, ns: string | undefined): { match: ProvidedMatch; kind: string } | undefined {
    for (const kind of kinds) {
      const match = this.ctx.provided?.find(kind, name, ns, this.ctx.objects);
      if (match) return { match, kind };
    }
    return undefined;
  }

  /** A reference naming more objects than this (2,000 copies of one HelmRelease) is already a duplicate: listing every
   *  one in every reference to it made links quadratic in memory (gigabytes). */
  resolveObjectRef(ref: ObjectRef): void {
    const self = this.ownerObject(ref.owner);
    const namespaces = ref.namespace !== undefined ? new Set([ref.namespace]) : this.ctx.namespacesOf(ref.owner.file, self?.namespace, self?.kind);
    const found: IndexedObject[] = [];
    const missing: Array<string | undefined> = [];
    const provided: Array<{ ns: string | undefined; match: ProvidedMatch; kind: string }> = [];
    for (const ns of namespaces) {
      const hits = this.findNear(ref.owner.file, ref.kinds, ref.name, ns);
      if (hits.length) {
        for (const h of hits) {
          if (found.length >= MAX_REF_TARGETS) break;
          if (!found.includes(h)) found.push(h);
        }
        continue;
      }
      // Made in the cluster (an ExternalSecret's Secret, a Kyverno copy, a declared one): not missing.
      const hit = this.providedAs(ref.kinds, ref.name, ns);
      if (hit) provided.push({ ns, ...hit });
      else missing.push(ns);
    }
    for (const { ns, match, kind } of provided) {
      const p = match.entry.produced;
      const targets = [...(p ? [{ file: p.owner.file, span: p.producer.nameSpan }] : match.entry.declared ? [{ file: match.entry.declared.file, span: match.entry.declared.span }] : []), ...(match.source ? [{ file: match.source.owner.file, span: match.source.nameSpan }] : [])];
      this.sink.addRef({ file: ref.owner.file, span: ref.span, kind: 'object', description: `${kind} ${ns ?? '?'}/${ref.name}: ${describeProvider(this.fleet, match)}`, targets, provided: true });
    }
    if (found.length) {
      const r: ResolvedRef = {
        file: ref.owner.file,
        span: ref.span,
        kind: 'object',
        description: `${ref.role} → ${found.map((f) => `${f.fact.kind} ${[...f.namespaces].filter(Boolean).join(',') || '?'}/${f.fact.name}${f.fact.generated ? ' (generated)' : f.fact.generatedBy ? ` (${f.fact.madeBy})` : ''} in ${this.rel(f.fact.owner.file)}`).join('; ')}`,
      };
      if (found.length === 1) r.object = found[0].fact;
      else {
        r.targets = found.map((f) => ({ file: f.fact.owner.file, span: f.fact.nameSpan }));
        r.objects = found.map((f) => f.fact);
      }
      this.sink.addRef(r);
      if (ref.chartPath) this.resolveChartPath(ref, found[0]);
      for (const f of found) {
        this.sink.addReferrer(docKey(f.fact.owner), r);
      }
    }
    if (missing.length && !ref.optional && !(ref.role === 'catalog' && !this.ctx.hasCatalogs)) {
      const nsText = missing.filter(Boolean).join(', ');
      this.sink.findings.push({
        file: ref.owner.file,
        span: ref.span,
        severity: 'warning',
        code: 'object-not-found',
        message: `${ref.role}: ${ref.kinds.join(' or ')} '${ref.name}'${nsText ? ` in namespace ${nsText}` : ''} is not defined in the fleet${ref.kinds.includes('Secret') ? ' (if it is created outside Git, mark the reference optional or ignore this)' : ''}.`,
      });
    }
  }


  /** A chart kept in a Git or Bucket source: `spec.chart` is a folder of that source, holding Chart.yaml. */
  resolveChartPath(ref: ObjectRef, source: IndexedObject): void {
    const sf = this.sourceFactOf(source.fact);
    const root = this.sourceRoots.resolve({ kind: source.fact.kind, name: source.fact.name, namespaces: source.namespaces, url: sf?.url?.value, branch: sf?.branch }) ?? this.bootstrapSource({ ...ref, name: source.fact.name, kinds: [source.fact.kind] }, ref.owner.file, source.namespaces);
    if (!root || !ref.chartPath) return;
    const folder = resolvePath(root.folder, ref.chartPath.value.replace(/^\.?\/+/, '') || '.');
    const chartFile = join(folder, 'Chart.yaml');
    if (!this.tree.isFile(chartFile)) {
      this.sink.findings.push({ file: ref.owner.file, span: ref.chartPath.span, severity: 'error', code: 'path-not-found', message: `chart: '${ref.chartPath.value}' has no Chart.yaml in ${this.rel(root.folder)} (${root.via}).`, data: { fix: 'path', baseDir: root.folder, value: ref.chartPath.value, expect: 'dir' } });
      return;
    }
    this.sink.addRef({ file: ref.owner.file, span: ref.chartPath.span, kind: 'path', description: `chart → ${this.rel(folder)} (${root.via})`, targets: [{ file: chartFile }], folder });
  }}

/** Why a folder is not in a source's artifact, for messages. */
function ignoredBy(artifact: ArtifactFilter, rules: ArtifactRules, rel: (f: string) => string): string {
  const from = [...artifact.files.map(rel), ...(rules.ignore !== undefined ? ["the source's spec.ignore"] : [])];
  return from.length ? `excluded by ${from.join(', ')}` : "excluded by Flux's default exclusions";
}
