// Reads a repository's identity from `.git` without running git: the `origin` URL and the checked-out branch.
import { readBounded, type FileSystem } from './fileSystem';
import { join, resolvePath, dirname } from './paths';

export interface GitIdentity {
  originUrl?: string;
  branch?: string;
}

/** `.git` files read (HEAD, config, a `gitdir:` file): a few hundred bytes; a larger one is not read. */
const GIT_FILE_BYTES = 1024 * 1024;

/** Where a repository's Git data is. */
export interface GitDir {
  /** `<root>/.git`, or the folder a `gitdir:` file names (a worktree's or a submodule's). */
  gitDir: string;
  /** Where objects and shared refs live: a worktree's common folder (its `commondir` file), else `gitDir`. */
  commonDir: string;
  /** The Git folder is outside the workspace, read because it is a worktree's folder naming this `.git` back. */
  trusted: boolean;
}

/**
 * Returns undefined when `dir` has no `.git` (folder or `gitdir:` file). `mayRead` says which paths are inside the
 * workspace: a `gitdir:` leading elsewhere is followed only when it is a Git worktree's folder that names this `.git`
 * back (its `gitdir` file), which a cloned repository cannot fake; otherwise nothing of it is read.
 */
function locateGitDir(fs: FileSystem, dir: string, mayRead: (path: string) => boolean): { gitDir: string; trusted: boolean } | undefined {
  const dotGit = join(dir, '.git');
  if (!fs.exists(dotGit) || !mayRead(dotGit)) return undefined;
  if (fs.fileSize(dotGit) === undefined) return { gitDir: dotGit, trusted: false };
  const asFile = readBounded(fs, dotGit, GIT_FILE_BYTES);
  const m = asFile !== undefined && /^gitdir:\s*(.+)$/m.exec(asFile);
  if (!m) return undefined;
  const gitDir = resolvePath(dir, m[1].trim());
  if (mayRead(gitDir)) return { gitDir, trusted: false };
  return namesBack(fs, gitDir, dotGit) ? { gitDir, trusted: true } : undefined;
}

/**
 * The Git folders of the repository at `dir` (locateGitDir's rules). A worktree's common folder is read where it is
 * inside the workspace, or outside it when it is the worktree's own repository (`<common>/worktrees/<name>`).
 */
export function findGitDir(fs: FileSystem, dir: string, mayRead: (path: string) => boolean = () => true): GitDir | undefined {
  const located = locateGitDir(fs, dir, mayRead);
  if (!located) return undefined;
  const { gitDir, trusted } = located;
  const commondir = join(gitDir, 'commondir');
  const common = (trusted || mayRead(commondir)) && fs.fileSize(commondir) !== undefined ? readBounded(fs, commondir, GIT_FILE_BYTES)?.trim() : undefined;
  if (!common) return { gitDir, commonDir: gitDir, trusted };
  const commonDir = resolvePath(gitDir, common);
  if (trusted ? commonDir !== dirname(dirname(gitDir)) : !mayRead(commonDir)) return undefined;
  return { gitDir, commonDir, trusted };
}

/** The `origin` URL and branch of the repository at `dir`, or undefined when it has no `.git` it may read. */
export function readGitIdentity(fs: FileSystem, dir: string, mayRead: (path: string) => boolean = () => true): GitIdentity | undefined {
  const located = locateGitDir(fs, dir, mayRead);
  if (!located) return undefined;
  const { gitDir, trusted } = located;
  // Inside the workspace, each file is checked again: a folder of the repository may hold links leading out.
  const read = (p: string) => (trusted || mayRead(p) ? readBounded(fs, p, GIT_FILE_BYTES) : undefined);
  const identity: GitIdentity = {};
  const head = read(join(gitDir, 'HEAD'));
  const branch = head && /^ref:\s*refs\/heads\/(.+)$/m.exec(head);
  if (branch) identity.branch = branch[1].trim();
  // Worktrees keep the config in the common dir.
  let config = read(join(gitDir, 'config'));
  if (config === undefined) {
    const common = read(join(gitDir, 'commondir'));
    if (common) config = read(join(resolvePath(gitDir, common.trim()), 'config'));
    else config = read(join(dirname(dirname(gitDir)), 'config'));
  }
  if (config) identity.originUrl = parseOriginUrl(config);
  return identity;
}

/** A worktree's Git folder (`<repo>/.git/worktrees/<name>`) holds `gitdir`: the path of the worktree's `.git` file. */
function namesBack(fs: FileSystem, gitDir: string, dotGit: string): boolean {
  if (!/\/\.git\/worktrees\/[^/]+$/.test(gitDir)) return false;
  const back = join(gitDir, 'gitdir');
  if ((fs.fileSize(back) ?? Infinity) > 4096) return false;
  const named = fs.readFile(back)?.trim();
  if (!named) return false;
  const real = (p: string) => fs.realPath(p) ?? p;
  return real(resolvePath(gitDir, named)) === real(dotGit);
}

/** The `url` of `[remote "origin"]` (or of the first remote when there is no origin). */
export function parseOriginUrl(config: string): string | undefined {
  let current: string | undefined;
  let first: string | undefined;
  let origin: string | undefined;
  for (const line of config.split(/\r?\n/)) {
    const section = /^\s*\[\s*remote\s+"([^"]+)"\s*\]/.exec(line);
    if (section) {
      current = section[1];
      continue;
    }
    if (/^\s*\[/.test(line)) {
      current = undefined;
      continue;
    }
    const url = current !== undefined && /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
    if (url) {
      first ??= url[1];
      if (current === 'origin') origin = url[1];
    }
  }
  return origin ?? first;
}
