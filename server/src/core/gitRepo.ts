// Reads a repository's identity from `.git` without running git: the `origin` URL and the checked-out branch.
import type { FileSystem } from './fileSystem';
import { join, resolvePath, dirname } from './paths';

export interface GitIdentity {
  originUrl?: string;
  branch?: string;
}

/** Returns undefined when `dir` has no `.git` (folder or `gitdir:` file). */
export function readGitIdentity(fs: FileSystem, dir: string): GitIdentity | undefined {
  const dotGit = join(dir, '.git');
  let gitDir = dotGit;
  const asFile = fs.fileSize(dotGit) !== undefined ? fs.readFile(dotGit) : undefined;
  if (asFile !== undefined) {
    const m = /^gitdir:\s*(.+)$/m.exec(asFile);
    if (!m) return undefined;
    gitDir = resolvePath(dir, m[1].trim());
  } else if (!fs.exists(dotGit)) {
    return undefined;
  }
  const identity: GitIdentity = {};
  const head = fs.readFile(join(gitDir, 'HEAD'));
  const branch = head && /^ref:\s*refs\/heads\/(.+)$/m.exec(head);
  if (branch) identity.branch = branch[1].trim();
  // Worktrees keep the config in the common dir.
  let config = fs.readFile(join(gitDir, 'config'));
  if (config === undefined) {
    const common = fs.readFile(join(gitDir, 'commondir'));
    if (common) config = fs.readFile(join(resolvePath(gitDir, common.trim()), 'config'));
    else config = fs.readFile(join(dirname(dirname(gitDir)), 'config'));
  }
  if (config) identity.originUrl = parseOriginUrl(config);
  return identity;
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
