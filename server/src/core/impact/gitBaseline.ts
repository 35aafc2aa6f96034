// The baseline of the change impact read from `.git` (issue 15): each repository of the layout at a revision (HEAD, a
// branch, a remote-tracking branch, a tag, a commit id), read with isomorphic-git — never by running git, never over
// the network — into memory, and served as a FileSystem at the working tree's own paths (baselineFileSystem.ts), so a
// second Fleet loaded over it is the fleet at that revision.
import type { FileSystem } from '../fileSystem';
import type { WorkspaceLayout } from '../workspace';
import type { Baseline, BaselineRepo } from './types';
import { MAX_YAML_BYTES } from '../indexFile';
import { isInside, relative } from '../paths';
import { openRepository, type GitRepoHandle } from '../git/repoHandle';
import { message, resolveRevision } from '../git/revision';
import { readTreeSnapshot } from '../git/treeSnapshot';
import { ObjectReader } from '../git/objects';
import { Cancelled, throwIfCancelled, type CancellationToken as Cancellation } from '../cancel';
import { BaselineFileSystem, type SnapshotRepo } from './baselineFileSystem';

export type { Cancellation };
/** A cancelled load throws the core's Cancelled (the name tests and callers know it by). */
export { Cancelled as BaselineCancelled };

/**
 * Reads every repository of `layout` at `rev` (default HEAD). A repository where `rev` does not resolve, whose `.git`
 * is not read, or without `.git` is served from its working tree, and its BaselineRepo.note says why; a repository
 * without `.git` of its own inside one that is read is served from that one's tree. Throws BaselineCancelled when
 * `token` is cancelled (checked between repositories and between batches of trees and files).
 */
export async function loadGitBaseline(disk: FileSystem, layout: WorkspaceLayout, rev = 'HEAD', token?: Cancellation): Promise<{ fs: FileSystem; baseline: Baseline }> {
  // The area the fleet reads, as discoverWorkspace decides it: every repository and mapped folder, by real path.
  const area = layout.repositories.map((r) => disk.realPath(r.root) ?? r.root);
  const mayRead = (p: string) => {
    const real = disk.realPath(p) ?? p;
    return area.some((a) => isInside(a, real));
  };
  const repos = new Map<string, BaselineRepo>();
  const snapshots = new Map<string, SnapshotRepo>();
  const withoutGit = new Set<string>();
  for (const repository of layout.repositories) {
    throwIfCancelled(token);
    const { root } = repository;
    const entry: BaselineRepo = { root, rev };
    repos.set(root, entry);
    const opened = openRepository(disk, root, mayRead);
    if ('none' in opened) {
      withoutGit.add(root);
      entry.note = opened.none;
      continue;
    }
    if ('refused' in opened) {
      entry.note = opened.refused;
      continue;
    }
    const { repo } = opened;
    try {
      const objects = new ObjectReader(repo);
      const resolved = await resolveRevision(repo, objects, rev);
      if ('error' in resolved) {
        entry.note = `${resolved.error}${hints(repo)}: compared with its working tree`;
        continue;
      }
      entry.commit = resolved.commit;
      const tree = await readTreeSnapshot(objects, resolved.commit, MAX_YAML_BYTES, token);
      snapshots.set(root, { root, realRoot: disk.realPath(root) ?? root, tree });
    } catch (e) {
      if (e instanceof Cancelled) throw e;
      delete entry.commit;
      entry.note = `its commit at ${rev} cannot be read (${message(e)})${hints(repo)}: compared with its working tree`;
    }
  }
  // A repository without `.git` inside one read from Git (a folder with its own `.flux-fleet.yaml`): its files are
  // that repository's, at that revision.
  const roots = layout.repositories.map(({ root }) => {
    if (snapshots.has(root)) return { root, snapshot: snapshots.get(root) };
    if (!withoutGit.has(root)) return { root };
    const outer = layout.repositories
      .filter((r) => r.root !== root && isInside(r.root, root) && !withoutGit.has(r.root))
      .sort((a, b) => b.root.length - a.root.length)[0];
    const snapshot = outer && snapshots.get(outer.root);
    if (outer && snapshot) {
      const entry = repos.get(root)!;
      entry.commit = repos.get(outer.root)!.commit;
      entry.note = `no .git of its own: read from ${outer.name}'s tree at ${rev}`;
    }
    return { root, snapshot };
  });
  return { fs: new BaselineFileSystem(disk, roots), baseline: { label: rev, repos: [...repos.values()] } };
}

/** Why objects may be missing: Git data stored elsewhere, which is never read (it may be anywhere on the machine). */
function hints(repo: GitRepoHandle): string {
  const out: string[] = [];
  // isomorphic-git never reads objects/info/alternates.
  if (repo.alternates) out.push('its objects/info/alternates is not followed: objects stored elsewhere are not read');
  const refused = [...repo.fs.refused].map((p) => relative(repo.gitdir, p) || '.');
  if (refused.length) out.push(`${refused.slice(0, 3).join(', ')} ${refused.length === 1 ? 'is a link' : 'are links'} out of the Git folder, not followed`);
  return out.map((h) => ` (${h})`).join('');
}
