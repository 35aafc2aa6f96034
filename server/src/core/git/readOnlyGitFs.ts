// The file system isomorphic-git reads a repository's Git folders through: read-only, confined to those folders, over
// the core's FileSystem (so the core still touches the disk only through it). isomorphic-git never follows
// `objects/info/alternates`; here nothing outside the folders is reachable at all: a path is resolved folder by folder
// from the Git folder (each listing read once), and an entry that is a symbolic link is followed only when its real
// path stays inside one of the folders. Anything else reads as absent (ENOENT), so a crafted `.git` can point nowhere.
import type { PromiseFsClient } from 'isomorphic-git';
import type { DirEntry, FileSystem } from '../fileSystem';
import { basename, dirname, isInside, join } from '../paths';

/** Packfiles are read whole (isomorphic-git indexes into them): a larger one is refused. */
export const MAX_GIT_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * What a failed call throws: isomorphic-git reads only `code` (ENOENT: absent). A plain object, not an Error: every
 * object read first looks for a loose file, and capturing a stack for each of those misses costs more than the read.
 */
interface GitFsError {
  code: 'ENOENT' | 'ENOTDIR' | 'EFBIG' | 'EROFS';
  message: string;
}
const fail = (code: GitFsError['code'], path: string): GitFsError => ({ code, message: `${code}: ${path}` });

interface Stat {
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  size: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
  uid: number;
  gid: number;
  dev: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

function stat(kind: 'file' | 'dir', size: number): Stat {
  return {
    type: kind,
    mode: kind === 'dir' ? 0o40755 : 0o100644,
    size,
    ino: 0,
    mtimeMs: 0,
    ctimeMs: 0,
    uid: 0,
    gid: 0,
    dev: 0,
    isFile: () => kind === 'file',
    isDirectory: () => kind === 'dir',
    isSymbolicLink: () => false,
  };
}

/** The `fs` isomorphic-git is given (its `promises` API). Writes throw EROFS. */
export class ReadOnlyGitFs implements PromiseFsClient {
  /** Paths that were asked for and lead outside the folders (a link out of `.git`): not read. */
  readonly refused = new Set<string>();
  private readonly listings = new Map<string, Map<string, DirEntry> | undefined>();
  private readonly reals = new Map<string, string | undefined>();
  readonly promises: PromiseFsClient['promises'];

  /**
   * `folders`: the Git folders as isomorphic-git is told them (gitdir, a worktree's folder), each with its real path;
   * only paths below one of them are read.
   */
  constructor(
    private readonly disk: FileSystem,
    private readonly folders: Array<{ path: string; real: string }>,
    private readonly maxBytes = MAX_GIT_FILE_BYTES,
  ) {
    const readOnly = async (path?: string) => {
      throw fail('EROFS', String(path));
    };
    this.promises = {
      readFile: async (path?: string, options?: unknown) => this.readFile(String(path), options),
      readdir: async (path?: string) => this.readdir(String(path)),
      stat: async (path?: string) => this.stat(String(path)),
      lstat: async (path?: string) => this.stat(String(path)),
      readlink: async (path?: string) => {
        throw fail('ENOENT', String(path));
      },
      writeFile: readOnly,
      mkdir: readOnly,
      rmdir: readOnly,
      unlink: readOnly,
      symlink: readOnly,
    };
  }

  /** The names in a folder of the Git folders, or undefined (absent, refused). */
  namesSync(path: string): string[] | undefined {
    try {
      return this.readdir(path);
    } catch {
      return undefined;
    }
  }

  /** A file's bytes inside the Git folders, or undefined (absent, refused, larger than the bound). */
  bytesSync(path: string): Uint8Array | undefined {
    try {
      return this.readFile(path, undefined) as Uint8Array;
    } catch {
      return undefined;
    }
  }

  /** The real path of `path` when it lies inside a folder, resolved from the folder down (listings memoized). */
  private real(path: string): string | undefined {
    if (this.reals.has(path)) return this.reals.get(path);
    let real: string | undefined;
    const folder = this.folders.find((f) => f.path === path);
    if (folder) real = folder.real;
    else if (this.folders.some((f) => isInside(f.path, path)) && !/(^|\/)\.\.?(\/|$)/.test(path.slice(1))) {
      const parent = this.real(dirname(path));
      const entry = parent === undefined ? undefined : this.list(parent)?.get(basename(path));
      if (entry && !entry.symlink) real = join(parent!, entry.name);
      else if (entry) {
        const target = this.disk.realPath(join(parent!, entry.name));
        if (target !== undefined && this.folders.some((f) => isInside(f.real, target))) real = target;
        else this.refused.add(path);
      }
    }
    this.reals.set(path, real);
    return real;
  }

  /** A folder's entries by name (by real path, read once: the Git folders do not change while a baseline loads). */
  private list(real: string): Map<string, DirEntry> | undefined {
    if (this.listings.has(real)) return this.listings.get(real);
    const entries = this.disk.fileSize(real) === undefined && this.disk.exists(real) ? new Map(this.disk.readDir(real).map((e) => [e.name, e])) : undefined;
    this.listings.set(real, entries);
    return entries;
  }

  private kind(real: string): 'file' | 'dir' | undefined {
    if (this.folders.some((f) => f.real === real)) return 'dir';
    const entry = this.list(dirname(real))?.get(basename(real));
    if (entry?.kind === 'file' || entry?.kind === 'dir') return entry.kind;
    if (entry?.symlink) {
      const size = this.disk.fileSize(real);
      return size !== undefined ? 'file' : this.disk.exists(real) ? 'dir' : undefined;
    }
    return undefined;
  }

  private readFile(path: string, options: unknown): Uint8Array | string {
    const real = this.real(path);
    if (real === undefined || this.kind(real) !== 'file') throw fail('ENOENT', path);
    const size = this.disk.fileSize(real);
    if (size === undefined) throw fail('ENOENT', path);
    if (size > this.maxBytes) throw fail('EFBIG', path);
    const bytes = this.disk.readBytes?.(real);
    if (bytes === undefined) throw fail('ENOENT', path);
    const encoding = typeof options === 'string' ? options : (options as { encoding?: string } | undefined)?.encoding;
    return encoding === 'utf8' ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : bytes;
  }

  private readdir(path: string): string[] {
    const real = this.real(path);
    const kind = real === undefined ? undefined : this.kind(real);
    if (kind === 'file') throw fail('ENOTDIR', path);
    const entries = real === undefined ? undefined : this.list(real);
    if (!entries) throw fail('ENOENT', path);
    return [...entries.keys()];
  }

  private stat(path: string): Stat {
    const real = this.real(path);
    const kind = real === undefined ? undefined : this.kind(real);
    if (kind === undefined) throw fail('ENOENT', path);
    return stat(kind, kind === 'file' ? this.disk.fileSize(real!) ?? 0 : 0);
  }
}
