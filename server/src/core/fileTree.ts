// The set of files and folders of every repository, walked once. Path existence checks during resolution are
// answered from here, never from the disk, so resolution is pure and fast.
import type { FileSystem } from './fileSystem';
import { basename, dirname, join } from './paths';

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
/** Guards against pathological trees: the walk stops (and says so) past these. */
export const WALK_LIMITS = { maxEntries: 500_000, maxDepth: 48 };

export interface WalkReport {
  truncated: boolean;
  symlinkLoops: string[];
}

export class FileTree {
  private readonly children = new Map<string, Set<string>>();
  private readonly files = new Set<string>();

  isDir(p: string): boolean {
    return this.children.has(p);
  }
  isFile(p: string): boolean {
    return this.files.has(p);
  }
  exists(p: string): boolean {
    return this.files.has(p) || this.children.has(p);
  }
  /** Names of the entries of a folder (empty for unknown folders). */
  list(dir: string): string[] {
    const c = this.children.get(dir);
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
    this.children.set(p, new Set());
    const parent = dirname(p);
    if (parent !== p && this.children.has(parent)) this.children.get(parent)!.add(basename(p));
  }
  addFile(p: string): void {
    if (this.files.has(p)) return;
    this.files.add(p);
    const parent = dirname(p);
    if (!this.children.has(parent)) this.addDir(parent);
    this.children.get(parent)!.add(basename(p));
  }
  remove(p: string): void {
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

  /** Walks `root` into the tree, skipping VCS folders, symlink loops and anything past the limits. */
  walk(fs: FileSystem, root: string, report: WalkReport = { truncated: false, symlinkLoops: [] }): WalkReport {
    const seenReal = new Set<string>();
    const stack: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
    this.addDir(root);
    while (stack.length) {
      const { dir, depth } = stack.pop()!;
      const real = fs.realPath(dir) ?? dir;
      if (seenReal.has(real)) {
        report.symlinkLoops.push(dir);
        continue;
      }
      seenReal.add(real);
      for (const e of fs.readDir(dir)) {
        if (this.size >= WALK_LIMITS.maxEntries) {
          report.truncated = true;
          return report;
        }
        const p = join(dir, e.name);
        if (e.kind === 'dir') {
          if (SKIPPED_DIRS.has(e.name)) continue;
          if (depth + 1 > WALK_LIMITS.maxDepth) {
            report.truncated = true;
            continue;
          }
          if (e.symlink) {
            const target = fs.realPath(p);
            // A link back into an ancestor (or anything already seen) would loop: keep the name, do not descend.
            if (!target || seenReal.has(target) || isAncestorReal(target, real)) {
              report.symlinkLoops.push(p);
              continue;
            }
          }
          this.addDir(p);
          stack.push({ dir: p, depth: depth + 1 });
        } else if (e.kind === 'file') {
          this.addFile(p);
        }
      }
    }
    return report;
  }
}

function isAncestorReal(target: string, realDir: string): boolean {
  return realDir === target || realDir.startsWith(target.endsWith('/') ? target : target + '/');
}
