// Workspace discovery: which folders are repositories, what they are (origin URL, branch) and where sources map.
import type { FileSystem } from './fileSystem';
import { readGitIdentity } from './gitRepo';
import { CONFIG_FILE_NAME, parseFleetConfig, type ConfigProblem, type ProvidedDeclaration, type SourceMapping } from './fleetConfig';
import { gitRepoKey } from './sourceUrl';
import { basename, isInside, join } from './paths';

export interface Repository {
  root: string;
  name: string;
  originUrl?: string;
  /** Canonical key of the origin URL (see gitRepoKey). */
  originKey?: string;
  branch?: string;
  /** How the repository was found. */
  origin: 'workspace-folder' | 'discovered' | 'mapped';
}

export interface WorkspaceLayout {
  repositories: Repository[];
  mappings: SourceMapping[];
  configFiles: string[];
  configProblems: ConfigProblem[];
  /** Objects `.flux-fleet.yaml` says the cluster makes (`provided:`). */
  provided: ProvidedDeclaration[];
}

const NESTED_REPO_DEPTH = 2;

function isRepositoryRoot(fs: FileSystem, dir: string): boolean {
  return fs.exists(join(dir, '.git')) || fs.exists(join(dir, CONFIG_FILE_NAME));
}

function makeRepository(fs: FileSystem, root: string, origin: Repository['origin']): Repository {
  const git = readGitIdentity(fs, root);
  return {
    root,
    name: basename(root),
    originUrl: git?.originUrl,
    originKey: git?.originUrl ? gitRepoKey(git.originUrl) : undefined,
    branch: git?.branch,
    origin,
  };
}

/**
 * Every root is a repository, and so is every folder below one (depth 2) holding `.git` or `.flux-fleet.yaml`.
 * Folders that a `.flux-fleet.yaml` maps a source to become repositories too (transitively), so that their files
 * are read; nothing outside roots and mapped folders is ever read.
 */
export function discoverWorkspace(fs: FileSystem, roots: string[], extraMappings: SourceMapping[] = []): WorkspaceLayout {
  const repos = new Map<string, Repository>();
  const add = (root: string, origin: Repository['origin']) => {
    if (!repos.has(root)) repos.set(root, makeRepository(fs, root, origin));
  };
  for (const root of roots) {
    add(root, 'workspace-folder');
    const queue: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
    while (queue.length) {
      const { dir, depth } = queue.shift()!;
      if (depth >= NESTED_REPO_DEPTH) continue;
      for (const e of fs.readDir(dir)) {
        if (e.kind !== 'dir' || e.symlink || e.name === '.git' || e.name === 'node_modules') continue;
        const child = join(dir, e.name);
        if (isRepositoryRoot(fs, child)) add(child, 'discovered');
        queue.push({ dir: child, depth: depth + 1 });
      }
    }
  }
  const mappings: SourceMapping[] = [...extraMappings];
  const configFiles: string[] = [];
  const configProblems: ConfigProblem[] = [];
  const provided: ProvidedDeclaration[] = [];
  const readConfigs = new Set<string>();
  // Mapped folders can carry their own configuration: follow until nothing new appears.
  for (let changed = true; changed; ) {
    changed = false;
    for (const repo of [...repos.values()]) {
      const file = join(repo.root, CONFIG_FILE_NAME);
      if (readConfigs.has(file)) continue;
      readConfigs.add(file);
      const text = fs.readFile(file);
      if (text === undefined) continue;
      configFiles.push(file);
      const parsed = parseFleetConfig(file, text);
      mappings.push(...parsed.mappings);
      provided.push(...parsed.provided);
      configProblems.push(...parsed.problems);
    }
    for (const m of mappings) {
      if (!fs.exists(m.folder)) {
        if (m.declaredIn && !configProblems.some((p) => p.file === m.declaredIn!.file && p.span.start === m.declaredIn!.span.start)) {
          configProblems.push({ ...m.declaredIn, severity: 'warning', message: `${m.raw} is mapped to ${m.folder}, which does not exist: clone it there or fix the mapping.` });
        }
        continue;
      }
      if ([...repos.values()].some((r) => isInside(r.root, m.folder))) continue;
      add(m.folder, 'mapped');
      changed = true;
    }
  }
  return { repositories: [...repos.values()], mappings, configFiles, configProblems, provided };
}

/** The innermost repository that contains `path`. */
export function repositoryOf(repos: Repository[], path: string): Repository | undefined {
  let best: Repository | undefined;
  for (const r of repos) {
    if (isInside(r.root, path) && (!best || r.root.length > best.root.length)) best = r;
  }
  return best;
}
