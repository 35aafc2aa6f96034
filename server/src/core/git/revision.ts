// A revision → the commit it names, as `git rev-parse REV^{commit}` does for the forms a baseline is asked in: HEAD,
// a branch, a remote-tracking branch (`origin/main`), a tag (annotated ones peeled), a full or abbreviated commit id,
// each optionally followed by `~N` / `^N` (parents). Read with isomorphic-git through the repository's GitFs.
import git from 'isomorphic-git';
import type { GitRepoHandle } from './repoHandle';
import type { ObjectReader } from './objects';

export type Resolved = { commit: string } | { error: string };

/** Characters git allows in a ref name (a subset; enough for what people type) and the suffixes understood. */
const REVISION = /^([A-Za-z0-9][A-Za-z0-9._/-]*|@)((?:~\d*|\^\d*)*)$/;
const FULL_OID = /^[0-9a-f]{40}$/;
const SHORT_OID = /^[0-9a-f]{4,39}$/;

export async function resolveRevision(repo: GitRepoHandle, objects: ObjectReader, rev: string): Promise<Resolved> {
  const m = REVISION.exec(rev);
  const base = m?.[1];
  if (!m || !base || /\.\.|\/\/|\/$|\.lock(\/|$)|\.$/.test(base)) return { error: `${rev} is not a revision this tool reads (a branch, tag, commit id or HEAD, optionally with ~N or ^N)` };
  const oid = await resolveBase(repo, base === '@' ? 'HEAD' : base);
  if ('error' in oid) return oid;
  let commit = await peelToCommit(objects, oid.commit);
  if ('error' in commit) return { error: `${base} ${commit.error}` };
  for (const [, op, digits] of m[2].matchAll(/([~^])(\d*)/g)) {
    const n = digits === '' ? 1 : Number(digits);
    const parents = async (c: string): Promise<string[]> => [...headerOf((await objects.read(c)).bytes).matchAll(/^parent ([0-9a-f]{40})$/gm)].map((p) => p[1]);
    if (op === '~') {
      for (let i = 0; i < n; i++) {
        const first: string | undefined = (await parents(commit.commit))[0];
        if (!first) return { error: `${rev} goes past the first commit of this repository` };
        commit = { commit: first };
      }
    } else if (n > 0) {
      const nth: string | undefined = (await parents(commit.commit))[n - 1];
      if (!nth) return { error: `${rev}: the commit has no parent ${n}` };
      commit = { commit: nth };
    }
  }
  return commit;
}

/** A ref or object id → the object it names (not yet peeled). Refs win over abbreviated ids, as in git. */
async function resolveBase(repo: GitRepoHandle, base: string): Promise<Resolved> {
  if (FULL_OID.test(base)) return { commit: base };
  try {
    if (base === 'HEAD' && repo.worktreeDir) {
      // A worktree's HEAD is its own; the branch it names lives in the common folder.
      const head = String(await repo.fs.promises.readFile(`${repo.worktreeDir}/HEAD`, 'utf8')).trim();
      return { commit: await git.resolveRef({ fs: repo.fs, gitdir: repo.gitdir, ref: head.startsWith('ref: ') ? head.slice(5).trim() : head }) };
    }
    return { commit: await git.resolveRef({ fs: repo.fs, gitdir: repo.gitdir, ref: base }) };
  } catch (e) {
    if (!isNotFound(e)) return { error: `${base}: ${message(e)}` };
  }
  if (SHORT_OID.test(base)) {
    try {
      return { commit: await git.expandOid({ fs: repo.fs, gitdir: repo.gitdir, oid: base, cache: repo.cache }) };
    } catch (e) {
      if ((e as { code?: string }).code === 'AmbiguousError') return { error: `${base} is an abbreviated id of several objects here: give more digits` };
      if (!isNotFound(e)) return { error: `${base}: ${message(e)}` };
    }
  }
  return { error: `${base} is not a branch, tag or commit of this repository` };
}

/** Annotated tags → the commit they tag. */
async function peelToCommit(objects: ObjectReader, oid: string): Promise<Resolved> {
  for (let depth = 0; depth < 16; depth++) {
    let read;
    try {
      read = await objects.read(oid);
    } catch (e) {
      return { error: isNotFound(e) ? `names object ${oid}, which is not in this repository` : `cannot be read: ${message(e)}` };
    }
    if (read.type === 'commit') return { commit: oid };
    const tagged = read.type === 'tag' && /^object ([0-9a-f]{40})$/m.exec(headerOf(read.bytes));
    if (!tagged) return { error: `names a ${read.type}, not a commit` };
    oid = tagged[1];
  }
  return { error: 'is a chain of tags too long to follow' };
}

/** A commit's or tag's header lines (before the first blank line). */
function headerOf(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const end = text.indexOf('\n\n');
  return end < 0 ? text : text.slice(0, end);
}

export function isNotFound(e: unknown): boolean {
  return (e as { code?: string })?.code === 'NotFoundError';
}

export function message(e: unknown): string {
  const text = (e as { message?: unknown } | undefined)?.message;
  return typeof text === 'string' ? text : String(e);
}
