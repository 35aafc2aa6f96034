// The set of files and folders of every repository, walked once. Path existence checks during resolution are
// answered from here, never from the disk, so resolution is pure and fast.
import type { FileSystem } from './fileSystem';
import { basename, dirname, isInside, join } from './paths';
import { runSteps, type Steps } from './steps';

export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);
/** Guards against pathological trees: the walk stops (and says so) past these. */
export const WALK_LIMITS = { maxEntries: 500_000, maxDepth: 48 };

export interface WalkReport {
  truncated: boolean;
  symlinkLoops: string[];
  /** Where a walk stopped before the end, and why (each becomes a walk-truncated finding on its repository). */
  stops: Array<{ dir: string; reason: string }>;
  /** Symbolic links whose target is outside every repository and mapped folder: never followed, never read. */
  outsideLinks: Array<{ link: string; target: string }>;
}

export function emptyWalkReport(): WalkReport {
  return { truncated: false, symlinkLoops: [], stops: [], outsideLinks: [] };
}

/**
 * Where a link's real target is in the fleet: the target's path as the tree knows it (under a repository's root as
 * walked), or undefined when it is outside every repository and mapped folder.
 */
export type PlaceReal = (realTarget: string) => string | undefined;

export class FileTree {
  private readonly children = new Map<string, Set<string>>();
  private readonly files = new Set<string>();
  /**
   * Symbolic links inside the fleet: the link's path → its target's path in the tree. A linked folder is not walked
   * again (each real folder once, so links cannot fan out); paths through it are answered as the target's.
   */
  private readonly links = new Map<string, string>();
  /** Links that lead outside the fleet: the link's path → its real target (reported, never followed). */
  private readonly outside = new Map<string, string>();

  /** The path as the tree knows it: links along the way replaced by their targets (no link: the path itself). */
  canonical(p: string): string {
    if (!this.links.size) return p;
    let out = '';
    for (const seg of p.split('/')) {
      out = out === '/' ? '/' + seg : out === '' && seg === '' ? '/' : out + '/' + seg;
      out = this.links.get(out) ?? out;
    }
    return out;
  }
  /** Every symbolic link of the tree and where it leads, as one comparable text (two trees resolve paths alike). */
  linksKey(): string {
    return JSON.stringify([[...this.links], [...this.outside]]);
  }
  /** The link outside the fleet that `p` goes through, if any (a reference through it is outside-root). */
  outsideLinkOf(p: string): { link: string; target: string } | undefined {
    if (!this.outside.size) return undefined;
    for (let q = p; ; q = dirname(q)) {
      const target = this.outside.get(q);
      if (target !== undefined) return { link: q, target };
      if (dirname(q) === q) return undefined;
    }
  }
  isDir(p: string): boolean {
    return this.children.has(this.canonical(p));
  }
  isFile(p: string): boolean {
    return this.files.has(this.canonical(p));
  }
  exists(p: string): boolean {
    return this.isFile(p) || this.isDir(p);
  }
  /** Names of the entries of a folder (empty for unknown folders); linked folders are not listed. */
  list(dir: string): string[] {
    const c = this.children.get(this.canonical(dir));
    return c ? [...c] : [];
  }
  allFiles(): IterableIterator<string> {
    return this.files.values();
  }
  allDirs(): IterableIterator<string> {
    return this.children.keys();
  }
  get size(): number {
    return this.files.size + this.children.size;
  }

  addDir(p: string): void {
    if (this.children.has(p)) return;
    const parent = dirname(p);
    this.children.set(p, new Set());
    if (parent !== p && this.children.has(parent)) this.children.get(parent)!.add(basename(p));
  }
  /** A folder with its missing parents up to a known folder (a tree created file by file). Callers stay in the fleet. */
  addDirWithParents(p: string): void {
    const missing: string[] = [];
    for (let q = p; !this.children.has(q) && dirname(q) !== q; q = dirname(q)) missing.push(q);
    for (const q of missing.reverse()) this.addDir(q);
  }
  addFile(p: string): void {
    if (this.files.has(p)) return;
    this.files.add(p);
    const parent = dirname(p);
    if (!this.children.has(parent)) this.addDir(parent);
    this.children.get(parent)!.add(basename(p));
  }
  remove(p: string): void {
    for (const l of [...this.links.keys()]) if (isInside(p, l)) this.removeLink(l);
    for (const l of [...this.outside.keys()]) if (isInside(p, l)) this.outside.delete(l);
    if (this.files.delete(p)) {
      this.children.get(dirname(p))?.delete(basename(p));
      return;
    }
    const c = this.children.get(p);
    if (!c) return;
    for (const name of [...c]) this.remove(join(p, name));
    this.children.delete(p);
    this.children.get(dirname(p))?.delete(basename(p));
  }
  private removeLink(l: string): void {
    this.links.delete(l);
    this.children.get(dirname(l))?.delete(basename(l));
  }

  /**
   * Walks `root` into the tree breadth-first (a limit cuts the deepest entries, never a shallow real file), skipping
   * VCS folders. A symbolic link is resolved (realpath): inside the fleet (`place`) it becomes an alias of its target,
   * which is walked under its own path only (each real folder once: links cannot fan a walk out); outside, it is
   * reported and never followed. A link to a folder holding the link would loop: reported, not followed.
   */
  walk(fs: FileSystem, root: string, report: WalkReport = emptyWalkReport(), place?: PlaceReal): WalkReport {
    return runSteps(this.walkSteps(fs, root, report, place));
  }

  /** walk() in steps (core/steps.ts): yields after each batch of folders read. */
  *walkSteps(fs: FileSystem, root: string, report: WalkReport = emptyWalkReport(), place?: PlaceReal, batch = 100): Steps<WalkReport> {
    const queue: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
    if (!place) {
      const rootReal = fs.realPath(root) ?? root;
      place = (real) => (isInside(rootReal, real) ? root + real.slice(rootReal.length) : undefined);
    }
    this.addDir(root);
    for (let i = 0; i < queue.length; i++) {
      if (i && i % batch === 0) yield;
      const { dir, depth } = queue[i];
      const entries = fs.readDir(dir);
      for (const e of entries) {
        // (a folder's path and an entry's name: join's normalising scan of every path would find nothing to change)
        const p = dir.endsWith('/') ? dir + e.name : dir + '/' + e.name;
        if (this.size >= WALK_LIMITS.maxEntries) {
          report.truncated = true;
          report.stops.push({ dir, reason: `the walk stopped at ${WALK_LIMITS.maxEntries} files and folders; ${dir} and the folders after it were not read` });
          return report;
        }
        if (e.symlink) {
          if (e.kind === 'dir' && SKIPPED_DIRS.has(e.name)) continue;
          if (e.kind !== 'dir' && e.kind !== 'file') continue; // dangling, or a device
          this.addLink(fs, p, e.kind, report, place);
          continue;
        }
        if (e.kind === 'dir') {
          if (SKIPPED_DIRS.has(e.name)) continue;
          if (depth + 1 > WALK_LIMITS.maxDepth) {
            report.truncated = true;
            report.stops.push({ dir: p, reason: `folders deeper than ${WALK_LIMITS.maxDepth} levels are not read` });
            continue;
          }
          if (!this.children.has(p)) {
            this.children.set(p, new Set());
            this.children.get(dir)?.add(e.name);
          }
          queue.push({ dir: p, depth: depth + 1 });
        } else if (e.kind === 'file' && !this.files.has(p)) {
          this.files.add(p);
          this.children.get(dir)?.add(e.name);
        }
      }
    }
    return report;
  }

  /** A symbolic link (to a file or folder) found by a walk or a change on disk. */
  addLink(fs: FileSystem, link: string, kind: 'file' | 'dir', report: WalkReport, place: PlaceReal): void {
    const real = fs.realPath(link);
    if (!real) return;
    const target = place(real);
    if (target === undefined) {
      this.outside.set(link, real);
      report.outsideLinks.push({ link, target: real });
      return;
    }
    // The link's folder already on the target's path (a link to an ancestor): following it would loop.
    if (isInside(target, dirname(link))) {
      report.symlinkLoops.push(link);
      return;
    }
    this.links.set(link, target);
    // Linked files are listed (a generated kustomization takes them), linked folders are not (no fan-out).
    if (kind === 'file') this.children.get(dirname(link))?.add(basename(link));
  }
}
