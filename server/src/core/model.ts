// The fleet: workspace layout, file tree and per-file facts, updated one file at a time. Linking (the resolved,
// cross-file view) is derived from these on demand: dropped whenever a file changes, then carried over from the
// previous links when no link shape changed (link/relink.ts), else linked from scratch.
import type { FileSystem } from './fileSystem';
import type { FileFacts } from './facts';
import { FileTree, SKIPPED_DIRS, emptyWalkReport, type PlaceReal, type WalkReport } from './fileTree';
import { indexFile, emptyFacts, MAX_YAML_BYTES } from './indexFile';
import { FileTooLarge } from './kustomize/generators';
import { discoverWorkspace, type MappingTrust, type Repository, type WorkspaceLayout } from './workspace';
import type { SourceMapping } from './fleetConfig';
import { CONFIG_FILE_NAME } from './fleetConfig';
import { basename, dirname, isInside, isYamlFile, join, relative } from './paths';
import { link, linkFile, type Links } from './link/linker';
import { relink, type RelinkStats } from './link/relink';
import type { Finding } from './findings';
import { FleetDb } from '../db/fleetDb';
import { linkShape } from './linkShape';
import type { Input } from '../db/queries';
import { runSteps, type Steps } from './steps';

/**
 * Text changes remembered for changedSince (beyond: every cached result re-checks all it read). The log is the fleet's
 * input history, not derived state: it stays with the Fleet (outside the db's LRU tables), cleared whole when full.
 */
const MAX_CHANGE_LOG = 10000;

/**
 * How many files, and how much of their text, the cold index reads ahead of indexing them (see loadSteps): runs of a
 * megabyte, whose texts NodeFileSystem makes slices of one string (readFilesLimited: a large object, never copied by
 * the young generation's collections, where a run of 128 files was a string of 36 KB that they copied).
 */
const READ_RUN_FILES = 8192;
const READ_RUN_CHARS = 1 << 20;

export interface FleetOptions {
  roots: string[];
  /** Mappings from editor settings, added to those of `.flux-fleet.yaml` files. */
  extraMappings?: SourceMapping[];
  /** Which configuration may map folders outside the roots (default `roots`, the CLI's; the server passes `settings` or `none`). */
  mappingTrust?: MappingTrust;
}

export class Fleet {
  layout!: WorkspaceLayout;
  tree = new FileTree();
  readonly facts = new Map<string, FileFacts>();
  /** Texts of files open in an editor: they win over the disk. */
  readonly overlays = new Map<string, string>();
  walkReport: WalkReport = emptyWalkReport();
  /** Repository roots with their real paths, innermost first: where a symbolic link's target is in the fleet. */
  private realRoots: Array<{ root: string; real: string }> = [];
  private linked: Links | undefined;
  /** The last links computed, kept after a change so one file can be re-resolved against them (linkFile). */
  private stale: Links | undefined;
  /** The version `stale` was linked at, and the facts it saw of each file changed since (see links: relink). */
  private staleVersion = -1;
  private readonly staleFacts = new Map<string, FileFacts | undefined>();
  /** How the links were last made: from scratch, or carried over from the previous ones (counts, for tests and benches). */
  readonly linkStats = { full: 0, relinked: 0, lastRelink: { files: 0, copied: 0 } as RelinkStats };
  private repoByRoot: Map<string, Repository> | undefined;
  /**
   * repositoryOf answers by the path asked about (null: none). The same paths are asked about again and again (every
   * read of an evaluation, the re-check of every path a kept build read): keyed by the path itself, an answer is one
   * lookup of a string whose hash it already holds, not its folder's path made and hashed anew at each question.
   */
  private repoByPath = new Map<string, Repository | null>();
  /** Non-YAML files the linker needs (`.sourceignore`), read once and dropped when they change. */
  private readonly auxFiles = new Map<string, string | undefined>();
  /** Files not read because they are larger than MAX_YAML_BYTES: their size (readAuxFile, the index). */
  private readonly oversized = new Map<string, number>();
  /** Bytes of generator inputs (kustomize decides text or binary on the bytes), read once until they change. */
  private readonly auxBytes = new Map<string, Uint8Array | undefined>();
  /**
   * Indexed files whose bytes on disk are the UTF-8 of the text read (FileSystem.readFileLimited's `utf8`), with that
   * text: as a generator input, a file whose facts still hold it has its bytes encoded from it, not read from disk
   * again (a tenant's values files, read by its builds).
   */
  private readonly textIsBytes = new Map<string, string>();
  /** An overlay's bytes, encoded once per text: every folder build reading the file as a generator input compares them
   *  (a base's values file is read by 59 clusters' folder builds, each encoded the text again after every keystroke). */
  private readonly overlayBytes = new Map<string, { text: string; bytes: Uint8Array }>();
  /** The single owner of everything derived from this fleet (one per fleet: two fleets share no cached value). */
  readonly db = new FleetDb();
  /** The database's revision: bumped on every change; features can cache on it. */
  get version(): number {
    return this.db.revision;
  }
  /** What the changes since the last invalidate touched (the input the next revision is of). */
  private touched: Input = 'texts';
  /** Text changes since `changesFloor`, one per version (see changedSince). */
  private changes: string[] = [];
  private changesFloor = 0;
  /** The version of each file's last text change since the structure last changed (see changedAfter). */
  private lastTextChange = new Map<string, number>();
  /** The version of the last change that may change what links answer, spans aside (see linkEpoch). */
  private shapeChangedAt = 0;
  /** A file's facts were replaced by facts of another link shape since the last invalidate. */
  private shapeMoved = false;

  constructor(
    readonly fs: FileSystem,
    readonly options: FleetOptions,
  ) {}

  /** Discovers repositories, walks them and indexes every YAML file. */
  load(): void {
    runSteps(this.loadSteps());
  }

  /**
   * load() in steps: yields after the walk and after each batch of files indexed (a baseline fleet loaded while the
   * server answers requests: core/steps.ts). The fleet is whole only when the steps are done.
   */
  *loadSteps(batch = 200, first?: { files: readonly string[]; indexed(): void }): Steps<void> {
    this.touched = 'layout';
    this.layout = discoverWorkspace(this.fs, this.options.roots, this.options.extraMappings, this.options.mappingTrust, this.parse);
    this.realRoots = this.layout.repositories.map((r) => ({ root: r.root, real: this.fs.realPath(r.root) ?? r.root })).sort((a, b) => b.real.length - a.real.length);
    this.repoByRoot = undefined;
    this.repoByPath.clear();
    this.stale = undefined;
    this.tree = new FileTree();
    this.facts.clear();
    this.auxFiles.clear();
    this.oversized.clear();
    this.auxBytes.clear();
    this.textIsBytes.clear();
    this.walkReport = emptyWalkReport();
    // Nested repositories are inside an outer one's walk already: walk only the outermost roots.
    const roots = this.layout.repositories.map((r) => r.root).sort((a, b) => a.length - b.length);
    const walked: string[] = [];
    for (const root of roots) {
      if (walked.some((w) => isInside(w, root))) continue;
      walked.push(root);
      yield* this.tree.walkSteps(this.fs, root, this.walkReport, this.place);
    }
    yield;
    const files = [...this.tree.allFiles()].filter(isYamlFile);
    // The files asked for first (the editor's open files: their diagnostics before the rest is indexed).
    const early = new Set(first?.files.filter((f) => this.tree.isFile(f) && isYamlFile(f)));
    for (const file of early) this.indexFromDisk(file);
    if (first) {
      first.indexed();
      yield;
    }
    const rest = early.size ? files.filter((f) => !early.has(f)) : files;
    let n = 0;
    for (let i = 0; i < rest.length; ) {
      // A run of files read before any of them is indexed: opens and reads in a row cost a fourth of what they cost
      // between parses (the synthetic fleet: 0.35-0.6 s of the cold index, 0.1 s read in runs; the kernel's path
      // lookups stay in the CPU caches). Bounded in files and in text held; a run goes past yields, and a file an
      // editor opened meanwhile is read again: its text wins.
      const reads = this.readRunForIndex(rest, i, READ_RUN_FILES);
      const run = rest.slice(i, (i += reads.length));
      for (let j = 0; j < run.length; j++) {
        this.indexRead(run[j], this.overlays.has(run[j]) ? this.readForIndex(run[j]) : reads[j]);
        reads[j] = undefined;
        if (++n % batch === 0) yield;
      }
    }
    if (early.size) {
      // Facts in the walk's order, as a load without early files makes them.
      const ordered = files.flatMap((f) => (this.facts.has(f) ? [[f, this.facts.get(f)!] as const] : []));
      this.facts.clear();
      for (const [f, x] of ordered) this.facts.set(f, x);
    }
    this.invalidate();
  }

  /**
   * Another fleet of the same workspace whose facts this one takes for a file it reads with the same text (the
   * change impact's baseline, at the working tree's paths: most files are the same). Facts are data, never changed
   * once made; each fleet still links and derives everything else in its own database.
   */
  private seed: Fleet | undefined;
  seedFrom(donor: Fleet): void {
    this.seed = donor;
    this.db.parses.seedFrom(donor.db.parses);
  }

  get repositories(): Repository[] {
    return this.layout.repositories;
  }

  /** The innermost repository holding `path`: a walk up its folders against a map of roots (hot in linking). */
  repositoryOf(path: string): Repository | undefined {
    if (!this.repoByRoot) {
      this.repoByRoot = new Map(this.layout.repositories.map((r) => [r.root, r]));
    }
    const known = this.repoByPath.get(path);
    if (known !== undefined) return known ?? undefined;
    let found = this.repoByRoot.get(path);
    if (!found) {
      // Its folder's answer (kept too): a folder's files are asked about one after another, each walked up alone before.
      const parent = dirname(path);
      if (parent !== path) found = this.repositoryOf(parent);
    }
    if (this.repoByPath.size > 50000) this.repoByPath.clear();
    this.repoByPath.set(path, found ?? null);
    return found;
  }

  /** A real path (a symbolic link's target) as the fleet knows it, or undefined outside every repository. */
  readonly place: PlaceReal = (real) => {
    const r = this.realRoots.find((x) => isInside(x.real, real));
    return r && r.root + real.slice(r.real.length);
  };

  /** What the walks found: links leading outside the fleet (outside-root), walks that stopped (walk-truncated). */
  walkFindings(): Finding[] {
    const out: Finding[] = [];
    for (const { link, target } of this.walkReport.outsideLinks) {
      out.push({ file: link, span: { start: 0, end: 0 }, severity: 'warning', code: 'outside-root', message: `${basename(link)} is a symbolic link to ${target}, outside every repository and mapped folder: it is not followed (kubectl kustomize refuses it too: not in or below the root).` });
    }
    for (const { dir, reason } of this.walkReport.stops) {
      const repo = this.repositoryOf(dir);
      out.push({ file: repo?.root ?? dir, span: { start: 0, end: 0 }, severity: 'warning', code: 'walk-truncated', message: `${repo ? `${repo.name}/${relative(repo.root, dir)}` : dir}: ${reason}; findings there may be missing.` });
    }
    return out;
  }

  /** True when `path` lies inside a repository or mapped folder (the only places the fleet reads). */
  isInFleet(path: string): boolean {
    return this.repositoryOf(path) !== undefined;
  }

  private indexFromDisk(file: string): void {
    this.indexRead(file, this.readForIndex(file));
  }

  /** A file's text as the index reads it: an editor's (`overlay`), else the disk's (bounded). */
  private readForIndex(file: string): { text: string; overlay?: true; utf8?: boolean } | { tooLarge: number } | undefined {
    const overlay = this.overlays.get(file);
    return overlay !== undefined ? { text: overlay, overlay: true } : this.fs.readFileLimited(file, MAX_YAML_BYTES);
  }

  /**
   * readForIndex of a run of the files from `files[from]` (at most `count`, and READ_RUN_CHARS of text): the file
   * system's run read (NodeFileSystem: the texts slices of one string) up to the first file an editor shows, whose
   * text wins (read alone).
   */
  private readRunForIndex(files: readonly string[], from: number, count: number): Array<ReturnType<Fleet['readForIndex']>> {
    let end = Math.min(files.length, from + count);
    if (this.overlays.size) for (let k = from; k < end; k++) if (this.overlays.has(files[k])) end = Math.max(k, from + 1);
    if (this.fs.readFilesLimited && !this.overlays.has(files[from])) return this.fs.readFilesLimited(files.slice(from, end), MAX_YAML_BYTES, READ_RUN_CHARS);
    const reads: Array<ReturnType<Fleet['readForIndex']>> = [];
    for (let k = from, chars = 0; k < end && chars < READ_RUN_CHARS; k++) {
      const read = this.readForIndex(files[k]);
      reads.push(read);
      if (read && 'text' in read) chars += read.text.length;
    }
    return reads;
  }

  private indexRead(file: string, read: ReturnType<Fleet['readForIndex']>): void {
    if (read && 'utf8' in read && read.utf8) this.textIsBytes.set(file, read.text);
    else this.textIsBytes.delete(file);
    if (!read) {
      this.setFacts(file, undefined);
      return;
    }
    if ('tooLarge' in read) {
      this.setFacts(file, emptyFacts(file, '', `larger than ${MAX_YAML_BYTES} bytes`));
      return;
    }
    const { text } = read;
    const seeded = this.seed?.facts.get(file);
    this.setFacts(file, seeded && !seeded.skipped && seeded.text === text ? seeded : indexFile(file, text, this.parse));
    // A file no editor shows: its documents are kept flat until a build or a question reads them (db/parse.ts).
    if (!read.overlay) this.db.parses.compact(file);
  }

  /** Replaces one file's facts, noting whether the linker could answer differently (core/linkShape.ts). */
  private setFacts(file: string, facts: FileFacts | undefined): void {
    const before = this.facts.get(file);
    if ((this.linked || this.stale) && !this.staleFacts.has(file)) this.staleFacts.set(file, before);
    // A ResourceSet's expansion reads its file's text (link/resourceSets.ts), not only its facts.
    if (!before || !facts || before.resourceSets?.length || facts.resourceSets?.length || this.shapeOf(before) !== this.shapeOf(facts)) this.shapeMoved = true;
    if (facts) this.facts.set(file, facts);
    else this.facts.delete(file);
  }

  private shapeOf(facts: FileFacts): string {
    return this.db.weak<FileFacts, string>('linkShape').getOrMake(facts, () => linkShape(facts));
  }


  /** The fleet's one parse of a file text (shared by the index, the kustomize engine, locks, schemas, completion). */
  readonly parse = (file: string, text: string) => this.db.parses.parse(file, text);

  /** Re-reads one file or folder (after a save, a create or a change on disk): see sync. */
  fileChanged(file: string): void {
    this.sync(file);
  }

  /** A file or folder deleted on disk: see sync (an event that says deleted while the path exists is a change). */
  fileDeleted(path: string): void {
    this.sync(path);
  }

  /**
   * Makes the model at `path` what the disk holds now, whatever the event said: after any sequence of creations,
   * deletions and renames (folder events, per-file events only, or the fallback watcher's coalesced ones) the model
   * equals a fresh load of the same files. Configuration files, repositories that come or go and mapped folders
   * reload the layout; a folder is replaced (never merged: a folder renamed away and back has no phantom files).
   */
  private sync(path: string): void {
    for (const f of [...this.auxFiles.keys()]) if (isInside(path, f)) this.auxFiles.delete(f);
    for (const f of [...this.oversized.keys()]) if (isInside(path, f)) this.oversized.delete(f);
    for (const f of [...this.auxBytes.keys()]) if (isInside(path, f)) this.auxBytes.delete(f);
    if (basename(path) === CONFIG_FILE_NAME) return this.reloadLayout();
    if (!this.isInFleet(path)) {
      // A mapped folder (or one holding it) deleted or re-created.
      if (this.layout.mappings.some((m) => isInside(path, m.folder) || isInside(m.folder, path)) || this.layout.repositories.some((r) => isInside(path, r.root))) this.reloadLayout();
      return;
    }
    if (this.isSkipped(path)) return;
    if (!this.fs.exists(path)) {
      // Per-file events of a deleted folder: the topmost folder that is gone goes, with everything in it.
      let top = path;
      while (dirname(top) !== top && this.isInFleet(dirname(top)) && !this.fs.exists(dirname(top))) top = dirname(top);
      if (this.layout.repositories.some((r) => isInside(top, r.root))) return this.reloadLayout();
      this.forget(top);
      return this.invalidate();
    }
    // A change under a linked folder is its target's, which is walked (and watched) under its own path.
    if (this.tree.canonical(dirname(path)) !== dirname(path)) return;
    const real = this.fs.realPath(path);
    const isFolder = this.fs.fileSize(path) === undefined;
    if (real !== undefined && this.place(real) !== path) {
      // A symbolic link: an alias of a target in the fleet, or reported as leading outside (never read).
      this.forget(path);
      this.tree.addLink(this.fs, path, isFolder ? 'dir' : 'file', this.walkReport, this.place);
      return this.invalidate();
    }
    const newFolder = !this.tree.isDir(dirname(path)) || (isFolder && !this.tree.isDir(path));
    const known = this.tree.isFile(path);
    if (isFolder) {
      this.forget(path);
      this.tree.addDirWithParents(dirname(path));
      this.tree.walk(this.fs, path, this.walkReport, this.place);
      for (const f of this.tree.allFiles()) if (isInside(path, f) && isYamlFile(f)) this.indexFromDisk(f);
      for (const [f, t] of this.overlays) if (isInside(path, f) && isYamlFile(f) && !this.facts.has(f)) this.setOverlayFacts(f, t);
    } else {
      if (!known) this.forget(path); // it was a folder or a link
      this.tree.addDirWithParents(dirname(path));
      this.tree.addFile(path);
      if (isYamlFile(path)) this.indexFromDisk(path);
    }
    // A new folder may hold a new repository (a clone, a `.git` restored): discovery decides.
    if (newFolder && this.layoutMoved()) return this.reloadLayout();
    this.invalidate(known && this.tree.isFile(path) ? path : undefined);
  }

  /**
   * Compares one folder's entries with the disk and syncs those that differ (a watcher that misses events: Node's
   * recursive watch on Linux reports a folder renamed back under its new name only). One readDir, no re-walk.
   */
  reconcileFolder(dir: string): void {
    if (!this.isInFleet(dir) || this.isSkipped(dir) || !this.tree.isDir(dir) || this.tree.canonical(dir) !== dir) return;
    // What a walk lists: real files and folders, linked files (linked folders and dangling links are not listed).
    const onDisk = new Set(this.fs.readDir(dir).filter((e) => !SKIPPED_DIRS.has(e.name) && (e.kind === 'file' || (e.kind === 'dir' && !e.symlink))).map((e) => e.name));
    const known = new Set(this.tree.list(dir));
    for (const name of known) if (!onDisk.has(name)) this.sync(join(dir, name));
    for (const name of onDisk) if (!known.has(name)) this.sync(join(dir, name));
  }

  /** Drops everything known at and below `path` (tree, facts, what the walks reported there). */
  private forget(path: string): void {
    for (const f of [...this.facts.keys()]) if (isInside(path, f)) this.facts.delete(f);
    this.tree.remove(path);
    const r = this.walkReport;
    r.outsideLinks = r.outsideLinks.filter((l) => !isInside(path, l.link));
    r.symlinkLoops = r.symlinkLoops.filter((l) => !isInside(path, l));
    r.stops = r.stops.filter((s) => !isInside(path, s.dir));
  }

  /** Inside a folder no walk enters (`.git`, `node_modules`). */
  private isSkipped(path: string): boolean {
    const repo = this.repositoryOf(path);
    return !!repo && relative(repo.root, path).split('/').some((seg) => SKIPPED_DIRS.has(seg));
  }

  /** True when discovery now finds other repositories or mappings than the layout holds. */
  private layoutMoved(): boolean {
    const fresh = discoverWorkspace(this.fs, this.options.roots, this.options.extraMappings, this.options.mappingTrust, this.parse);
    // The problems too: a mapped folder inside a repository that comes back changes only "…does not exist".
    const sig = (l: WorkspaceLayout) => JSON.stringify([l.repositories.map((r) => [r.root, r.origin, r.originKey, r.branch]), l.mappings.map((m) => [m.raw, m.folder]), l.configFiles, l.configProblems.map((p) => [p.file, p.span.start, p.message])]);
    return sig(fresh) !== sig(this.layout);
  }

  /** Reads a small file inside the fleet (cached until it changes); one over MAX_YAML_BYTES is not read (tooLarge). */
  readAuxFile(file: string): string | undefined {
    file = this.tree.canonical(file);
    if (!this.auxFiles.has(file)) {
      // Sized before reading (one open, one stat): a 40 MB file costs nothing but its finding.
      const read = this.tree.isFile(file) ? this.fs.readFileLimited(file, MAX_YAML_BYTES) : undefined;
      if (read && 'tooLarge' in read) this.oversized.set(file, read.tooLarge);
      this.auxFiles.set(file, read && 'text' in read ? read.text : undefined);
    }
    return this.auxFiles.get(file);
  }

  /** The size of a file inside the fleet that is not read because it is larger than MAX_YAML_BYTES (else undefined). */
  tooLarge(file: string): number | undefined {
    file = this.tree.canonical(file);
    if (this.overlays.has(file) || !this.isInFleet(file)) return undefined;
    if (!this.oversized.has(file) && this.facts.get(file)?.skipped?.startsWith('larger than')) this.oversized.set(file, this.fs.fileSize(file) ?? MAX_YAML_BYTES + 1);
    if (!this.oversized.has(file) && !this.facts.has(file)) this.readAuxFile(file);
    return this.oversized.get(file);
  }

  /** A file's bytes inside the fleet: an editor's unsaved text as UTF-8, else the disk's (cached until it changes). */
  readAuxBytes(file: string): Uint8Array | undefined {
    file = this.tree.canonical(file);
    const overlay = this.overlays.get(file);
    if (overlay !== undefined) {
      const kept = this.overlayBytes.get(file);
      if (kept?.text === overlay) return kept.bytes;
      const bytes = new TextEncoder().encode(overlay);
      this.overlayBytes.set(file, { text: overlay, bytes });
      return bytes;
    }
    if (!this.fs.readBytes) return undefined;
    if (!this.auxBytes.has(file)) {
      const text = this.textIsBytes.get(file);
      const facts = text === undefined ? undefined : this.facts.get(file);
      if (facts && !facts.skipped && facts.text === text) {
        this.auxBytes.set(file, new TextEncoder().encode(text));
        return this.auxBytes.get(file);
      }
      this.db.count('auxBytes.fromDisk');
      const size = this.tree.isFile(file) ? this.fs.fileSize(file) : undefined;
      this.auxBytes.set(file, size === undefined ? undefined : size > MAX_YAML_BYTES ? new FileTooLarge(size, MAX_YAML_BYTES) : this.fs.readBytes(file));
    }
    return this.auxBytes.get(file);
  }

  /** An editor's unsaved text for a file. */
  setOverlay(file: string, text: string): void {
    if (this.overlays.get(file) === text) return;
    this.overlays.set(file, text);
    this.touched = 'overlays';
    if (!this.isInFleet(file)) return;
    if (!isYamlFile(file)) {
      // Not indexed, but read by evaluations (a generator's .env or .properties source): a new one changes what
      // exists, like a file created on disk.
      this.invalidate(this.tree.isFile(file) ? file : undefined);
      return;
    }
    const known = this.tree.isFile(file);
    this.setOverlayFacts(file, text);
    this.invalidate(known ? file : undefined);
  }

  private setOverlayFacts(file: string, text: string): void {
    this.tree.addDirWithParents(dirname(file));
    this.tree.addFile(file);
    this.setFacts(file, indexFile(file, text, this.parse));
  }

  clearOverlay(file: string): void {
    if (!this.overlays.delete(file)) return;
    this.overlayBytes.delete(file);
    this.touched = 'overlays';
    if (this.isInFleet(file)) this.fileChanged(file);
  }

  private reloadLayout(): void {
    const overlays = new Map(this.overlays);
    this.load();
    for (const [f, t] of overlays) this.setOverlay(f, t);
  }

  /** `file`: only that file's text changed; none: the structure did (files or folders came or went, the layout). */
  private invalidate(file?: string): void {
    if (this.linked) {
      this.stale = this.linked;
      this.staleVersion = this.version;
    }
    this.linked = undefined;
    // An overlay or a reload may also change texts: those inputs are marked too.
    this.db.changed('texts', this.touched);
    this.touched = 'texts';
    // Structure, a .sourceignore (Flux's generated kustomizations list through it) or a file's link shape.
    if (file === undefined || file.endsWith('/.sourceignore') || this.shapeMoved) this.shapeChangedAt = this.version;
    this.shapeMoved = false;
    if (file === undefined) {
      this.changes = [];
      this.changesFloor = this.version;
      this.lastTextChange.clear();
    } else {
      this.changes.push(file);
      this.lastTextChange.set(file, this.version);
      if (this.changes.length > MAX_CHANGE_LOG) {
        this.changes = [];
        this.changesFloor = this.version;
      }
    }
  }

  /**
   * Files whose text changed after `version` (the version a cached result was checked at), when only texts did;
   * undefined when the structure changed since, or the log does not reach back that far: check everything then.
   */
  changedSince(version: number): Set<string> | undefined {
    if (version < this.changesFloor) return undefined;
    // One set per version asked about, per fleet version (shared: callers only read it): the contexts a hover builds
    // were mostly checked at one version, and a set of every change since then grows with the session's length.
    if (this.changedSets.at !== this.version) this.changedSets = { at: this.version, sets: new Map() };
    let out = this.changedSets.sets.get(version);
    // changes[i] was made at version changesFloor + i + 1.
    if (!out) this.changedSets.sets.set(version, (out = new Set(this.changes.slice(version - this.changesFloor))));
    return out;
  }
  private changedSets = { at: -1, sets: new Map<number, Set<string>>() };

  /**
   * How many text changes were made after `version` (a file edited twice counts twice), or undefined where
   * changedSince is: a cached result checked long ago asks changedAfter of what it read instead of walking them all.
   */
  changeCountSince(version: number): number | undefined {
    return version < this.changesFloor ? undefined : this.changes.length - (version - this.changesFloor);
  }

  /** Whether `file`'s text changed after `version`; meaningful while changeCountSince(version) is defined. */
  changedAfter(file: string, version: number): boolean {
    return (this.lastTextChange.get(file) ?? -1) > version;
  }

  /**
   * Whether a file a cached result read (`reads`, `size` of them; `has` tells one) changed after `version` in a way that
   * `matters`, asked the cheaper way round: each read (changedAfter) when the session made more changes since than the
   * result read files, else each change since (changedSince). A result checked long ago so never walks every change
   * of the session. Undefined when the changes since `version` are not known: the caller checks all it read.
   */
  readChangedAfter(version: number, size: number, reads: () => Iterable<string>, has: (file: string) => boolean, matters: (file: string) => boolean): boolean | undefined {
    const count = this.changeCountSince(version);
    if (count === undefined) return undefined;
    if (count > size) {
      for (const f of reads()) if (this.changedAfter(f, version) && matters(f)) return true;
      return false;
    }
    for (const f of this.changedSince(version)!) if (has(f) && matters(f)) return true;
    return false;
  }

  /**
   * The last version whose change may have changed an answer of the links other than a span: the structure, or a file
   * whose link shape changed (core/linkShape.ts). Results that read span-independent answers (source roots, objects by
   * name, generated entries) and none of the files changed since stay valid while this is not after them.
   */
  get linkEpoch(): number {
    return this.shapeChangedAt;
  }

  /**
   * The links, made when asked. While no link shape changed since the last links (linkEpoch), they are carried over
   * with the edited files' facts swapped in (link/relink.ts: what a fresh link would make, at the cost of the files
   * edited); otherwise linked from scratch.
   */
  get links(): Links {
    if (this.linked) return this.linked;
    if (this.stale && this.staleVersion >= this.shapeChangedAt) {
      const stats: RelinkStats = { files: 0, copied: 0 };
      this.linked = relink(this, this.stale, this.staleFacts, stats);
      if (this.linked) {
        this.linkStats.relinked++;
        this.linkStats.lastRelink = stats;
      }
    }
    if (!this.linked) {
      this.linked = link(this);
      this.linkStats.full++;
    }
    this.staleFacts.clear();
    return this.linked;
  }

  /**
   * The links a keystroke may use: the current ones when up to date, else the last ones computed (the hot path after
   * a keystroke never re-links: completion and the schema tier read names a keystroke did not change).
   */
  get recentLinks(): Links {
    return this.linked ?? this.stale ?? this.links;
  }

  /** True when `links` is up to date (reading it costs nothing). */
  get isLinked(): boolean {
    return this.linked !== undefined;
  }

  /**
   * Findings of one file, fast: from the current links when they are up to date, else the file re-resolved against
   * the previous links (whole-graph findings follow with the next full link).
   */
  findingsOf(file: string): Finding[] {
    if (this.linked || !this.stale) return this.links.findingsByFile.get(file) ?? [];
    return linkFile(this, this.stale, file);
  }
}
