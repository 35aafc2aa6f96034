// Workspace discovery: which folders are repositories, what they are (origin URL, branch) and where sources map.
import { parseUnshared, type ParseText } from './parsedText';
import type { FileSystem } from './fileSystem';
import { MAX_YAML_BYTES } from './indexFile';
import { readGitIdentity } from './gitRepo';
import { CONFIG_FILE_NAME, parseFleetConfig, type ConfigProblem, type ProvidedDeclaration, type SourceMapping, type TenantDeclaration } from './fleetConfig';
import { fleetConfigValidator } from './schemas/fleetConfigSchema';
import { gitRepoKey } from './sourceUrl';
import { basename, isInside, join } from './paths';
import type { ProviderSamples } from './resourceSet/inputs';

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
  /** Tenants `.flux-fleet.yaml` declares (`tenants:`). */
  tenants: TenantDeclaration[];
  /** Sample inputs for ResourceSetInputProviders that query a service (`providerSamples:`). */
  providerSamples?: ProviderSamples[];
  /** Mappings of the user's settings refused because they leave the roots in an untrusted workspace. */
  refused: SourceMapping[];
}

const NESTED_REPO_DEPTH = 2;

function isRepositoryRoot(fs: FileSystem, dir: string): boolean {
  return fs.exists(join(dir, '.git')) || fs.exists(join(dir, CONFIG_FILE_NAME));
}

function makeRepository(fs: FileSystem, root: string, origin: Repository['origin'], mayRead: (p: string) => boolean): Repository {
  const git = readGitIdentity(fs, root, mayRead);
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
 * Which configuration may map folders outside the roots (default `roots`, the CLI's; the server says which) (workspace folders, or the folders named on the command
 * line). A repository's own `.flux-fleet.yaml` comes with the repository (a clone, a pull request): by default its
 * mappings stay inside the roots, so it cannot make the fleet read `/etc` or `~`.
 * - `settings`: the user's own settings (`extraMappings`) may map anywhere (a trusted editor workspace);
 * - `roots`: also the `.flux-fleet.yaml` at the top of each root (the CLI: the user named that folder on the command
 *   line, and its file maps the sibling repositories, e.g. `check d1-fleet` → `../d1-infra`);
 * - `none`: nothing leaves the roots, the user's settings neither (an untrusted workspace: workspace settings come
 *   with the repository too).
 */
export type MappingTrust = 'settings' | 'roots' | 'none';

/** Why a mapping outside the roots is refused, and how to allow it. */
function refusal(m: SourceMapping, trust: MappingTrust): string {
  const how =
    trust === 'none'
      ? 'trust the workspace, then map it in the fluxFleet.repositories setting, or add the folder to the workspace'
      : 'add the folder to the workspace (or name it on the command line), or map it in the fluxFleet.repositories setting';
  return `${m.raw} is mapped to ${m.folder}, outside the workspace folders: a repository's own .flux-fleet.yaml may map folders inside them only, so this mapping is not followed. To follow it, ${how}.`;
}

/**
 * Every root is a repository, and so is every folder below one (depth 2) holding `.git` or `.flux-fleet.yaml`.
 * Folders that a `.flux-fleet.yaml` maps a source to become repositories too (transitively), so that their files
 * are read; nothing outside roots and mapped folders is ever read, and mappings leave the roots only as `trust`
 * allows (a refused one is a config-invalid problem on the mapping; one from the settings is listed in `refused`).
 */
/** `parse`: the fleet's one parse of a file text (a `.flux-fleet.yaml` is indexed too). */
export function discoverWorkspace(fs: FileSystem, roots: string[], extraMappings: SourceMapping[] = [], trust: MappingTrust = 'roots', parse: ParseText = parseUnshared): WorkspaceLayout {
  // The area the fleet may read, as real paths (a root or a mapped folder may be reached through a link).
  const area: string[] = [];
  const realOf = (p: string) => fs.realPath(p) ?? p;
  const inArea = (p: string) => {
    const real = realOf(p);
    return area.some((a) => isInside(a, real));
  };
  for (const root of roots) area.push(realOf(root));
  const repos = new Map<string, Repository>();
  const add = (root: string, origin: Repository['origin']) => {
    if (!repos.has(root)) repos.set(root, makeRepository(fs, root, origin, inArea));
  };
  const refused: SourceMapping[] = [];
  const mappings: SourceMapping[] = [];
  for (const m of extraMappings) {
    if (trust === 'none' && !inArea(m.folder)) refused.push(m);
    else {
      mappings.push(m);
      if (fs.exists(m.folder)) area.push(realOf(m.folder));
    }
  }
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
  const configFiles: string[] = [];
  const configProblems: ConfigProblem[] = [];
  const provided: ProvidedDeclaration[] = [];
  const tenants: TenantDeclaration[] = [];
  const providerSamples: ProviderSamples[] = [];
  const readConfigs = new Set<string>();
  /** Mappings of `.flux-fleet.yaml` files not yet inside the area (a later trusted mapping may widen it). */
  let pending: SourceMapping[] = [];
  const problemAt = (m: SourceMapping, message: string) => {
    if (m.declaredIn && !configProblems.some((p) => p.file === m.declaredIn!.file && p.span.start === m.declaredIn!.span.start)) {
      configProblems.push({ ...m.declaredIn, severity: 'warning', message });
    }
  };
  const validator = fleetConfigValidator();
  // Mapped folders can carry their own configuration: follow until nothing new appears.
  for (let changed = true; changed; ) {
    changed = false;
    for (const repo of [...repos.values()]) {
      const file = join(repo.root, CONFIG_FILE_NAME);
      if (readConfigs.has(file)) continue;
      readConfigs.add(file);
      if (!fs.exists(file)) continue;
      if (!inArea(file)) {
        // Not in configFiles: nothing else (locks, quick-fixes) reads it either.
        configProblems.push({ file, span: { start: 0, end: 0 }, severity: 'warning', message: `${file} is a symbolic link to ${realOf(file)}, outside the workspace folders: it is not read.` });
        continue;
      }
      // Sized before it is read, like every file the fleet reads.
      const read = fs.readFileLimited(file, MAX_YAML_BYTES);
      if (read && 'tooLarge' in read) configProblems.push({ file, span: { start: 0, end: 0 }, severity: 'warning', code: 'limit-exceeded', message: `limit exceeded: ${file} is ${read.tooLarge} bytes, more than the ${MAX_YAML_BYTES} bytes read of a file; it is not read.` });
      const text = read && 'text' in read ? read.text : undefined;
      if (text === undefined) continue;
      configFiles.push(file);
      const parsed = parseFleetConfig(file, text, parse(file, text), validator);
      const trusted = trust === 'roots' && roots.includes(repo.root);
      for (const m of parsed.mappings) {
        if (trusted) {
          mappings.push(m);
          if (fs.exists(m.folder)) area.push(realOf(m.folder));
        } else pending.push(m);
      }
      provided.push(...parsed.provided);
      tenants.push(...parsed.tenants);
      providerSamples.push(...parsed.providerSamples);
      configProblems.push(...parsed.problems);
    }
    const outside: SourceMapping[] = [];
    for (const m of pending) (inArea(m.folder) ? mappings : outside).push(m);
    pending = outside;
    for (const m of mappings) {
      if (!fs.exists(m.folder)) {
        problemAt(m, `${m.raw} is mapped to ${m.folder}, which does not exist: clone it there or fix the mapping.`);
        continue;
      }
      if ([...repos.values()].some((r) => isInside(r.root, m.folder))) continue;
      add(m.folder, 'mapped');
      changed = true;
    }
  }
  for (const m of pending) problemAt(m, refusal(m, trust));
  return { repositories: [...repos.values()], mappings, configFiles, configProblems, provided, tenants, providerSamples, refused };
}

/** The innermost repository that contains `path`. */
export function repositoryOf(repos: Repository[], path: string): Repository | undefined {
  let best: Repository | undefined;
  for (const r of repos) {
    if (isInside(r.root, path) && (!best || r.root.length > best.root.length)) best = r;
  }
  return best;
}
