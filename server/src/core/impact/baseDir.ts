// `--base-dir`: a second folder as the baseline. The baseline fleet reads each repository at the working tree's own
// absolute paths (so contexts, spans and keys compare one to one), its files from the same relative path under the
// base folder. `.flux-fleet.yaml` and `.git/` are read from the working root, so both sides map sources alike.
import type { DirEntry, FileSystem } from '../fileSystem';
import { CONFIG_FILE_NAME } from '../fleetConfig';
import { isInside } from '../paths';
import type { Baseline } from './types';

export interface BaseDirPair {
  /** A folder of the working tree (a repository or a folder of repositories). */
  root: string;
  /** The folder that holds its baseline, laid out alike. */
  baseDir: string;
}

/**
 * What always comes from the working tree: `.git` folders (or files, for worktrees) and `.flux-fleet.yaml` files, at
 * any depth, so both sides find the same repositories with the same origins and map sources alike.
 */
function fromWorkingTree(rel: string): boolean {
  return rel.split('/').some((seg, i, all) => seg === '.git' || (i === all.length - 1 && seg === CONFIG_FILE_NAME));
}

class BaseDirFileSystem implements FileSystem {
  /** Longest root first: a nested pair wins over the folder holding it. */
  private readonly pairs: BaseDirPair[];
  constructor(
    private readonly disk: FileSystem,
    pairs: BaseDirPair[],
  ) {
    this.pairs = [...pairs].sort((a, b) => b.root.length - a.root.length);
  }

  /** Where path `p` (working-tree space) is read from. */
  private mapped(p: string): string {
    const pair = this.pairs.find((x) => isInside(x.root, p));
    if (!pair) return p; // outside every pair (a mapped folder elsewhere): the same on both sides
    const rel = p.slice(pair.root.length);
    return fromWorkingTree(rel) ? p : pair.baseDir + rel;
  }

  readFile(p: string): string | undefined {
    return this.disk.readFile(this.mapped(p));
  }
  readBytes(p: string): Uint8Array | undefined {
    return this.disk.readBytes?.(this.mapped(p));
  }
  readFileLimited(p: string, maxBytes: number): { text: string } | { tooLarge: number } | undefined {
    return this.disk.readFileLimited(this.mapped(p), maxBytes);
  }
  fileSize(p: string): number | undefined {
    return this.disk.fileSize(this.mapped(p));
  }
  exists(p: string): boolean {
    return this.disk.exists(this.mapped(p));
  }

  readDir(p: string): DirEntry[] {
    const m = this.mapped(p);
    const own = this.disk.readDir(m);
    if (m === p) return own;
    // The base folder's entries, with `.git` and `.flux-fleet.yaml` as the working tree has them.
    const kept = own.filter((e) => !fromWorkingTree('/' + e.name));
    return [...kept, ...this.disk.readDir(p).filter((e) => fromWorkingTree('/' + e.name))];
  }

  /**
   * Symbolic links resolve inside the base folder and come back in working-tree space, so the fleet confines them to
   * the repositories as it does on disk; a target outside the base folder is returned as is (outside: never read).
   */
  realPath(p: string): string | undefined {
    const m = this.mapped(p);
    const real = this.disk.realPath(m);
    if (real === undefined || m === p) return real;
    const pair = this.pairs.find((x) => isInside(x.root, p))!;
    const realBase = this.disk.realPath(pair.baseDir) ?? pair.baseDir;
    return isInside(realBase, real) ? pair.root + real.slice(realBase.length) : real;
  }
}

/** The baseline of `--base-dir`: each pair's root read from its base folder. */
export function baseDirBaseline(disk: FileSystem, pairs: BaseDirPair[]): { fs: FileSystem; baseline: Baseline } {
  return {
    fs: new BaseDirFileSystem(disk, pairs),
    baseline: {
      label: pairs.length === 1 ? `dir:${pairs[0].baseDir}` : `dir:${pairs.map((p) => p.baseDir).join(',')}`,
      repos: pairs.map((p) => ({ root: p.root, rev: 'dir', ...(disk.exists(p.baseDir) ? {} : { note: `${p.baseDir} does not exist: the baseline is empty` }) })),
    },
  };
}
