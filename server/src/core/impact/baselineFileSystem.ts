// The fleet as it was at a revision, as a FileSystem at the working tree's own paths: a second Fleet loaded over it is
// the baseline the change impact compares with. Each path belongs to the innermost repository holding it; one read
// from Git is served from its tree snapshot (read whole beforehand: this interface is synchronous), anything else from
// the disk: paths outside every such repository, each repository's `.git` and its `.flux-fleet.yaml` (tool
// configuration: the baseline maps sources exactly as the working tree does), and submodule folders (gitlinks: another
// repository, whose revision this tree does not hold in files).
import type { DirEntry, FileSystem } from '../fileSystem';
import { CONFIG_FILE_NAME } from '../fleetConfig';
import { decodeText } from '../textDecode';
import { dirname, isInside, join, normalize } from '../paths';
import type { TreeSnapshot } from '../git/treeSnapshot';

export interface SnapshotRepo {
  /** The repository's root (working tree path). */
  root: string;
  /** Its real path on disk: what realPath answers under, so the baseline places links and roots as the disk does. */
  realRoot: string;
  tree: TreeSnapshot;
}

/** Links followed in one lookup, as the kernel's bound (ELOOP). */
const MAX_LINK_HOPS = 40;

interface Routed {
  repo: SnapshotRepo;
  /** Relative to repo.root (`''` the root). */
  rel: string;
  /** `path` is a repository root of the layout (its `.git` and configuration come from the disk). */
  layoutRoot: boolean;
}

export class BaselineFileSystem implements FileSystem {
  /** Every repository root of the layout → the snapshot serving it (undefined: the disk). */
  private readonly roots: Map<string, SnapshotRepo | undefined>;
  /** Folders of a snapshot's repository that lead to a nested repository's root: they exist whatever the tree holds. */
  private readonly throughDirs = new Map<string, Set<string>>();
  private readonly ownerOfDir = new Map<string, string | undefined>();

  /** `roots`: each repository root of the layout with the snapshot that serves it (a repository without `.git` inside a read one: that one's). */
  constructor(
    private readonly disk: FileSystem,
    roots: Array<{ root: string; snapshot?: SnapshotRepo }>,
  ) {
    this.roots = new Map(roots.map((r) => [r.root, r.snapshot]));
    for (const { root } of roots) {
      const outer = this.ownerRoot(dirname(root));
      const repo = outer === undefined ? undefined : this.roots.get(outer);
      if (!repo || outer === root) continue;
      for (let p = root; p !== outer; p = dirname(p)) {
        const parent = dirname(p);
        if (!this.throughDirs.has(parent)) this.throughDirs.set(parent, new Set());
        this.throughDirs.get(parent)!.add(p.slice(parent.length + 1));
        if (parent === p) break;
      }
    }
  }

  /** The innermost layout root holding `path`. */
  private ownerRoot(path: string): string | undefined {
    if (this.roots.has(path)) return path;
    const dir = dirname(path);
    if (this.ownerOfDir.has(dir)) return this.ownerOfDir.get(dir);
    let found: string | undefined;
    for (let p = dir; ; p = dirname(p)) {
      if (this.roots.has(p)) {
        found = p;
        break;
      }
      if (dirname(p) === p) break;
    }
    if (this.ownerOfDir.size > 100000) this.ownerOfDir.clear();
    this.ownerOfDir.set(dir, found);
    return found;
  }

  /** Where `path` is read from: a snapshot (and the path inside it), or the disk (undefined). */
  private route(path: string): Routed | undefined {
    const root = this.ownerRoot(path);
    const repo = root === undefined ? undefined : this.roots.get(root);
    if (!repo || root === undefined) return undefined;
    const ownRel = path === root ? '' : path.slice(root.length + 1);
    if (ownRel === '.git' || ownRel.startsWith('.git/') || ownRel === CONFIG_FILE_NAME) return undefined;
    const rel = path === repo.root ? '' : path.slice(repo.root.length + 1);
    for (const g of repo.tree.gitlinks) if (rel === g || rel.startsWith(g + '/')) return undefined;
    return { repo, rel, layoutRoot: ownRel === '' };
  }

  /** `rel` with the tree's symbolic links followed (only within the tree), or undefined when it is absent. */
  private resolve(repo: SnapshotRepo, rel: string, hops = { n: 0 }): string | undefined {
    const t = repo.tree;
    if (rel === '' || t.files.has(rel) || t.dirs.has(rel)) return rel;
    if (t.links.size === 0) return undefined;
    let cur = '';
    for (const part of rel.split('/')) {
      const next = cur ? `${cur}/${part}` : part;
      const target = t.links.get(next);
      if (target !== undefined) {
        if (++hops.n > MAX_LINK_HOPS || target === '') return undefined;
        const joined = target.startsWith('/') ? (isInside(repo.root, target) ? target.slice(repo.root.length + 1) : undefined) : normalize(join(cur || '.', target));
        if (joined === undefined || joined === '..' || joined.startsWith('../')) return undefined;
        const resolved = this.resolve(repo, joined === '.' ? '' : joined, hops);
        if (resolved === undefined) return undefined;
        cur = resolved;
      } else if (t.dirs.has(next) || t.files.has(next)) cur = next;
      else return undefined;
    }
    return cur;
  }

  private file(path: string) {
    const r = this.route(path);
    if (!r) return undefined;
    const resolved = this.resolve(r.repo, r.rel);
    return resolved === undefined ? undefined : r.repo.tree.files.get(resolved);
  }

  readFile(path: string): string | undefined {
    const r = this.route(path);
    if (!r) return this.disk.readFile(path);
    const bytes = this.file(path)?.bytes;
    return bytes && decodeText(bytes);
  }

  readBytes(path: string): Uint8Array | undefined {
    const r = this.route(path);
    if (!r) return this.disk.readBytes?.(path);
    return this.file(path)?.bytes;
  }

  readFileLimited(path: string, maxBytes: number): { text: string } | { tooLarge: number } | undefined {
    const r = this.route(path);
    if (!r) return this.disk.readFileLimited(path, maxBytes);
    const f = this.file(path);
    if (!f) return undefined;
    if (f.size > maxBytes || !f.bytes) return { tooLarge: f.size };
    return { text: decodeText(f.bytes) };
  }

  fileSize(path: string): number | undefined {
    const r = this.route(path);
    if (!r) return this.disk.fileSize(path);
    return this.file(path)?.size;
  }

  readDir(path: string): DirEntry[] {
    const r = this.route(path);
    if (!r) return this.disk.readDir(path);
    const resolved = this.resolve(r.repo, r.rel);
    const out = new Map<string, DirEntry>();
    for (const e of (resolved !== undefined && r.repo.tree.dirs.get(resolved)) || []) {
      if (r.layoutRoot && (e.name === '.git' || e.name === CONFIG_FILE_NAME)) continue;
      const p = join(path, e.name);
      if (e.type === 'file' || e.type === 'dir') out.set(e.name, { name: e.name, kind: e.type, symlink: false });
      else if (e.type === 'gitlink') {
        if (this.disk.exists(p) && this.disk.fileSize(p) === undefined) out.set(e.name, { name: e.name, kind: 'dir', symlink: false });
      } else {
        const target = this.resolve(r.repo, resolved ? `${resolved}/${e.name}` : e.name);
        const kind = target === undefined ? 'other' : r.repo.tree.files.has(target) ? 'file' : 'dir';
        out.set(e.name, { name: e.name, kind, symlink: true });
      }
    }
    for (const name of this.throughDirs.get(path) ?? []) out.set(name, { name, kind: 'dir', symlink: false });
    if (r.layoutRoot) {
      for (const name of ['.git', CONFIG_FILE_NAME]) {
        const p = join(path, name);
        if (this.disk.exists(p)) out.set(name, { name, kind: this.disk.fileSize(p) === undefined ? 'dir' : 'file', symlink: false });
      }
    }
    return [...out.values()];
  }

  realPath(path: string): string | undefined {
    const r = this.route(path);
    if (!r) return this.disk.realPath(path);
    if (r.layoutRoot || this.throughDirs.has(path)) return r.rel === '' ? r.repo.realRoot : `${r.repo.realRoot}/${r.rel}`;
    const resolved = this.resolve(r.repo, r.rel);
    if (resolved === undefined) return undefined;
    return resolved === '' ? r.repo.realRoot : `${r.repo.realRoot}/${resolved}`;
  }

  exists(path: string): boolean {
    const r = this.route(path);
    if (!r) return this.disk.exists(path);
    return r.layoutRoot || this.throughDirs.has(path) || this.resolve(r.repo, r.rel) !== undefined;
  }
}
