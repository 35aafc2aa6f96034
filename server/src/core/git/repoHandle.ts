// Opens a repository's Git folders for isomorphic-git: where they are (gitRepo.ts's rules: a `gitdir:` outside the
// workspace only for a worktree naming this `.git` back), as a read-only file system confined to them.
import type { FileSystem } from '../fileSystem';
import { findGitDir } from '../gitRepo';
import { join } from '../paths';
import { ReadOnlyGitFs } from './readOnlyGitFs';

export interface GitRepoHandle {
  fs: ReadOnlyGitFs;
  /** The folder holding objects and refs (a worktree's common folder), as isomorphic-git's `gitdir`. */
  gitdir: string;
  /** A worktree's own Git folder (its HEAD), when it is not `gitdir`. */
  worktreeDir?: string;
  /** isomorphic-git's cache (pack indexes and packs read once per repository). */
  cache: object;
  /** `objects/info/alternates` exists: objects it names elsewhere are never read. */
  alternates: boolean;
}

export type Opened = { repo: GitRepoHandle } | { none: string } | { refused: string };

/** `mayRead`: inside the workspace (real paths), as discoverWorkspace decides. */
export function openRepository(disk: FileSystem, root: string, mayRead: (path: string) => boolean): Opened {
  const dotGit = join(root, '.git');
  if (!disk.exists(dotGit)) return { none: 'no .git: compared with its working tree' };
  const found = findGitDir(disk, root, mayRead);
  if (!found) return { refused: 'its .git is not read (it leads outside the workspace, or is not a Git folder or worktree): compared with its working tree' };
  const folders = [found.commonDir, found.gitDir]
    .filter((p, i, all) => all.indexOf(p) === i)
    .map((path) => ({ path, real: disk.realPath(path) ?? path }));
  const fs = new ReadOnlyGitFs(disk, folders);
  const alternates = disk.fileSize(join(found.commonDir, 'objects/info/alternates')) !== undefined;
  return { repo: { fs, gitdir: found.commonDir, worktreeDir: found.gitDir !== found.commonDir ? found.gitDir : undefined, cache: {}, alternates } };
}
