// A repository's objects by id: from its packfiles (packStore.ts, synchronous and fast), else through isomorphic-git
// (loose objects, and a packed delta whose base is loose). Both read through the confined, read-only GitFs.
import git from 'isomorphic-git';
import type { GitRepoHandle } from './repoHandle';
import { PackStore, type GitObject, type ObjectType } from './packStore';

export class ObjectReader {
  private packs: PackStore | undefined;

  constructor(private readonly repo: GitRepoHandle) {}

  /** The object when it is packed (no promise: a whole tree is thousands of these). */
  packed(oid: string): GitObject | undefined {
    this.packs ??= PackStore.open(this.repo.fs, this.repo.gitdir);
    return this.packs.read(oid);
  }

  async read(oid: string): Promise<GitObject> {
    const packed = this.packed(oid);
    if (packed) return packed;
    const { fs, gitdir, cache } = this.repo;
    const loose = await git.readObject({ fs, gitdir, oid, format: 'content', cache });
    return { type: loose.type as ObjectType, bytes: loose.object as Uint8Array };
  }
}
