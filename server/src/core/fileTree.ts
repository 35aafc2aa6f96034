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

  /**
   * Walks `root` into the tree, skipping VCS folders, symlink loops and anything past the limits. Loops need a
   * symbolic link, so only linked folders are resolved (realpath); a link whose target contains a folder already on
   * the current path would loop and is not followed. Two links to one shared folder are both followed.
   */
  walk(fs: FileSystem, root: string, report: WalkReport = { truncated: false, symlinkLoops: [] }): WalkReport {
    interface Frame {
      dir: string;
      real: string;
      depth: number;
      parent?: Frame;
    }
    const stack: Frame[] = [{ dir: root, real: fs.realPath(root) ?? root, depth: 0 }];
    this.addDir(root);
    while (stack.length) {
      const frame = stack.pop()!;
      for (const e of fs.readDir(frame.dir)) {
        if (this.size >= WALK_LIMITS.maxEntries) {
          report.truncated = true;
          return report;
        }
        const p = join(frame.dir, e.name);
        if (e.kind === 'dir') {
          if (SKIPPED_DIRS.has(e.name)) continue;
          if (frame.depth + 1 > WALK_LIMITS.maxDepth) {
            report.truncated = true;
            continue;
          }
          let real = frame.real + '/' + e.name;
          if (e.symlink) {
            const target = fs.realPath(p);
            let loops = !target;
            for (let f: Frame | undefined = frame; f && !loops; f = f.parent) loops = isAncestorReal(target!, f.real);
            if (loops) {
              report.symlinkLoops.push(p);
              continue;
            }
            real = target!;
          }
          this.addDir(p);
          stack.push({ dir: p, real, depth: frame.depth + 1, parent: frame });
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
