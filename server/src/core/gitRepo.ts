// Reads a repository's identity from `.git` without running git: the `origin` URL and the checked-out branch.
import { readBounded, type FileSystem } from './fileSystem';
import { join, resolvePath, dirname } from './paths';

export interface GitIdentity {
  originUrl?: string;
  branch?: string;
}

/** `.git` files read (HEAD, config, a `gitdir:` file): a few hundred bytes; a larger one is not read. */
const GIT_FILE_BYTES = 1024 * 1024;

/**
 * Returns undefined when `dir` has no `.git` (folder or `gitdir:` file). `mayRead` says which paths are inside the
 * workspace: a `gitdir:` leading elsewhere is followed only when it is a Git worktree's folder that names this `.git`
 * back (its `gitdir` file), which a cloned repository cannot fake; otherwise nothing of it is read.
 */
export function readGitIdentity(fs: FileSystem, dir: string, mayRead: (path: string) => boolean = () => true): GitIdentity | undefined {
  const dotGit = join(dir, '.git');
  if (!fs.exists(dotGit) || !mayRead(dotGit)) return undefined;
  let gitDir = dotGit;
  let trusted = false;
  const asFile = fs.fileSize(dotGit) !== undefined ? readBounded(fs, dotGit, GIT_FILE_BYTES) : undefined;
  if (asFile !== undefined) {
    const m = /^gitdir:\s*(.+)$/m.exec(asFile);
    if (!m) return undefined;
    gitDir = resolvePath(dir, m[1].trim());
    if (!mayRead(gitDir)) {
      if (!namesBack(fs, gitDir, dotGit)) return undefined;
      trusted = true;
    }
  }
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
