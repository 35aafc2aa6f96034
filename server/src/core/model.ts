// The fleet: workspace layout, file tree and per-file facts, updated one file at a time. Linking (the resolved,
// cross-file view) is derived from these on demand and dropped whenever a file changes.
import type { FileSystem } from './fileSystem';
import type { FileFacts } from './facts';
import { FileTree, type WalkReport } from './fileTree';
import { indexFile, emptyFacts, MAX_YAML_BYTES } from './indexFile';
import { FileTooLarge } from './kustomize/generators';
import { discoverWorkspace, type Repository, type WorkspaceLayout } from './workspace';
import type { SourceMapping } from './fleetConfig';
import { CONFIG_FILE_NAME } from './fleetConfig';
import { basename, dirname, isInside, isYamlFile } from './paths';
import { link, linkFile, type Links } from './link/linker';
import type { Finding } from './findings';

/** Text changes remembered for changedSince (beyond: every cached result re-checks all it read). */
const MAX_CHANGE_LOG = 10000;

export interface FleetOptions {
  roots: string[];
  /** Mappings from editor settings, added to those of `.flux-fleet.yaml` files. */
  extraMappings?: SourceMapping[];
}

export class Fleet {
  layout!: WorkspaceLayout;
  tree = new FileTree();
  readonly facts = new Map<string, FileFacts>();
  /** Texts of files open in an editor: they win over the disk. */
  readonly overlays = new Map<string, string>();
  walkReport: WalkReport = { truncated: false, symlinkLoops: [] };
  private linked: Links | undefined;
  /** The last links computed, kept after a change so one file can be re-resolved against them (linkFile). */
  private stale: Links | undefined;
  private repoByRoot: Map<string, Repository> | undefined;
  /** repositoryOf answers by folder (paths are asked about again and again: every read of an evaluation). */
  private repoByFolder = new Map<string, Repository | undefined>();
  /** Non-YAML files the linker needs (`.sourceignore`), read once and dropped when they change. */
  private readonly auxFiles = new Map<string, string | undefined>();
  /** Bytes of generator inputs (kustomize decides text or binary on the bytes), read once until they change. */
  private readonly auxBytes = new Map<string, Uint8Array | undefined>();
  /** Bumped on every change; features can cache on it. */
  version = 0;
  /** Text changes since `changesFloor`, one per version (see changedSince). */
  private changes: string[] = [];
  private changesFloor = 0;

  constructor(
    readonly fs: FileSystem,
    readonly options: FleetOptions,
  ) {}

  /** Discovers repositories, walks them and indexes every YAML file. */
  load(): void {
    this.layout = discoverWorkspace(this.fs, this.options.roots, this.options.extraMappings);
    this.repoByRoot = undefined;
    this.repoByFolder.clear();
    this.stale = undefined;
    this.tree = new FileTree();
    this.facts.clear();
    this.auxFiles.clear();
    this.auxBytes.clear();
    this.walkReport = { truncated: false, symlinkLoops: [] };
    // Nested repositories are inside an outer one's walk already: walk only the outermost roots.
    const roots = this.layout.repositories.map((r) => r.root).sort((a, b) => a.length - b.length);
    const walked: string[] = [];
    for (const root of roots) {
      if (walked.some((w) => isInside(w, root))) continue;
      walked.push(root);
      this.tree.walk(this.fs, root, this.walkReport);
    }
    for (const file of this.tree.allFiles()) if (isYamlFile(file)) this.indexFromDisk(file);
    this.invalidate();
  }

  get repositories(): Repository[] {
    return this.layout.repositories;
  }

  /** The innermost repository holding `path`: a walk up its folders against a map of roots (hot in linking). */
  repositoryOf(path: string): Repository | undefined {
    if (!this.repoByRoot) {
      this.repoByRoot = new Map(this.layout.repositories.map((r) => [r.root, r]));
    }
    const own = this.repoByRoot.get(path);
    if (own) return own;
    const folder = dirname(path);
    if (this.repoByFolder.has(folder)) return this.repoByFolder.get(folder);
    let found: Repository | undefined;
    for (let p = folder; ; ) {
      found = this.repoByRoot.get(p);
      if (found) break;
      const parent = dirname(p);
      if (parent === p) break;
      p = parent;
    }
    if (this.repoByFolder.size > 50000) this.repoByFolder.clear();
    this.repoByFolder.set(folder, found);
    return found;
  }

  /** True when `path` lies inside a repository or mapped folder (the only places the fleet reads). */
  isInFleet(path: string): boolean {
    return this.repositoryOf(path) !== undefined;
  }

  private indexFromDisk(file: string): void {
    const overlay = this.overlays.get(file);
    const read = overlay !== undefined ? { text: overlay } : this.fs.readFileLimited(file, MAX_YAML_BYTES);
    if (read && 'tooLarge' in read) {
      this.facts.set(file, emptyFacts(file, '', `larger than ${MAX_YAML_BYTES} bytes`));
      return;
    }
    const text = read?.text;
    if (text === undefined) {
      this.facts.delete(file);
      return;
    }
    this.facts.set(file, indexFile(file, text));
  }

  /** Re-reads one file (after a save, a create or a change on disk). Configuration files reload the layout. */
  fileChanged(file: string): void {
    if (!this.isInFleet(file)) return;
    this.auxFiles.delete(file);
    this.auxBytes.delete(file);
    if (basename(file) === CONFIG_FILE_NAME) return this.reloadLayout();
    const known = this.tree.isFile(file);
    if (this.fs.exists(file) && this.fs.fileSize(file) === undefined) {
      // A folder appeared (or was copied in): walk it.
      this.tree.walk(this.fs, file, this.walkReport);
      for (const f of this.tree.allFiles()) if (isInside(file, f) && isYamlFile(f)) this.indexFromDisk(f);
    } else if (this.fs.exists(file)) {
      this.tree.addFile(file);
      if (isYamlFile(file)) this.indexFromDisk(file);
    } else {
      this.tree.remove(file);
      this.facts.delete(file);
    }
    this.invalidate(known && this.tree.isFile(file) ? file : undefined);
  }

  /** Reads a small non-YAML file inside the fleet (cached until it changes). */
  readAuxFile(file: string): string | undefined {
    if (!this.auxFiles.has(file)) this.auxFiles.set(file, this.tree.isFile(file) ? this.fs.readFile(file) : undefined);
    return this.auxFiles.get(file);
  }

  /** A file's bytes inside the fleet: an editor's unsaved text as UTF-8, else the disk's (cached until it changes). */
  readAuxBytes(file: string): Uint8Array | undefined {
    const overlay = this.overlays.get(file);
    if (overlay !== undefined) return new TextEncoder().encode(overlay);
    if (!this.fs.readBytes) return undefined;
    if (!this.auxBytes.has(file)) {
      const size = this.tree.isFile(file) ? this.fs.fileSize(file) : undefined;
      this.auxBytes.set(file, size === undefined ? undefined : size > MAX_YAML_BYTES ? new FileTooLarge(size, MAX_YAML_BYTES) : this.fs.readBytes(file));
    }
    return this.auxBytes.get(file);
  }

  fileDeleted(path: string): void {
    for (const f of [...this.auxFiles.keys()]) if (isInside(path, f)) this.auxFiles.delete(f);
    for (const f of [...this.auxBytes.keys()]) if (isInside(path, f)) this.auxBytes.delete(f);
    if (basename(path) === CONFIG_FILE_NAME) return this.reloadLayout();
    for (const f of [...this.facts.keys()]) if (isInside(path, f)) this.facts.delete(f);
    this.tree.remove(path);
    this.invalidate();
  }

  /** An editor's unsaved text for a file. */
  setOverlay(file: string, text: string): void {
    if (this.overlays.get(file) === text) return;
    this.overlays.set(file, text);
    if (!this.isInFleet(file)) return;
    if (!isYamlFile(file)) {
      // Not indexed, but read by evaluations (a generator's .env or .properties source): a new one changes what
      // exists, like a file created on disk.
      this.invalidate(this.tree.isFile(file) ? file : undefined);
      return;
    }
    const known = this.tree.isFile(file);
    this.tree.addFile(file);
    this.facts.set(file, indexFile(file, text));
    this.invalidate(known ? file : undefined);
  }

  clearOverlay(file: string): void {
    if (!this.overlays.delete(file)) return;
    if (this.isInFleet(file)) this.fileChanged(file);
  }

  private reloadLayout(): void {
    const overlays = new Map(this.overlays);
    this.load();
    for (const [f, t] of overlays) this.setOverlay(f, t);
  }

  /** `file`: only that file's text changed; none: the structure did (files or folders came or went, the layout). */
  private invalidate(file?: string): void {
    if (this.linked) this.stale = this.linked;
    this.linked = undefined;
    this.version++;
    if (file === undefined) {
      this.changes = [];
      this.changesFloor = this.version;
    } else {
      this.changes.push(file);
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
    // changes[i] was made at version changesFloor + i + 1.
    return new Set(this.changes.slice(version - this.changesFloor));
  }

  get links(): Links {
    this.linked ??= link(this);
    return this.linked;
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
