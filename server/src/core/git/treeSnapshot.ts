// A commit's tree read whole into memory: every folder, file and symbolic link, with the files' bytes (a file larger
// than the bound keeps only its size, like a working file the fleet will not read). The baseline file system serves
// the fleet's synchronous reads from it.
import type { ObjectReader } from './objects';
import type { GitObject } from './packStore';
import { throwIfCancelled, type CancellationToken as Cancellation } from '../cancel';
import { nextTurn } from '../steps';

export interface SnapshotFile {
  size: number;
  /** Absent when the file is larger than the bound (reads report it as too large; it is never decoded). */
  bytes?: Uint8Array;
}

export type SnapshotEntry = { name: string; type: 'file' | 'dir' | 'link' | 'gitlink' };

export interface TreeSnapshot {
  /** Folders by path relative to the repository root (`''` the root, `a/b`), with their entries. */
  dirs: Map<string, SnapshotEntry[]>;
  files: Map<string, SnapshotFile>;
  /** Symbolic links (mode 120000) → the target as written. */
  links: Map<string, string>;
  /** Submodule entries (mode 160000): folders of another repository, not in this tree. */
  gitlinks: Set<string>;
}

/** Names git itself refuses to check out (a crafted tree may hold them): never served. */
const UNSAFE_NAME = /^(\.|\.\.|\.git)$|\/|\\|\0/i;
/** Objects read between two looks at the cancellation token. */
const BATCH = 256;
/** A symbolic link's target is a path: a longer one is none the tree can hold. */
const MAX_LINK_TARGET = 4096;

export async function readTreeSnapshot(objects: ObjectReader, commit: string, maxFileBytes: number, token?: Cancellation): Promise<TreeSnapshot> {
  const bytesOf = (o: GitObject, oid: string, want: GitObject['type']): Uint8Array => {
    if (o.type !== want) throw new Error(`object ${oid} is a ${o.type}, not a ${want}`);
    return o.bytes;
  };
  // Packed objects are read without a promise each (a tree is thousands of them); loose ones through isomorphic-git.
  const read = (oid: string, want: GitObject['type']): Uint8Array | Promise<Uint8Array> => {
    const packed = objects.packed(oid);
    return packed ? bytesOf(packed, oid, want) : objects.read(oid).then((o) => bytesOf(o, oid, want));
  };
  const header = text(await read(commit, 'commit'), 0, 46);
  const root = /^tree ([0-9a-f]{40})\n/.exec(header)?.[1];
  if (!root) throw new Error(`commit ${commit} names no tree`);
  const snapshot: TreeSnapshot = { dirs: new Map(), files: new Map(), links: new Map(), gitlinks: new Set() };
  /** Blob id → the file read (identical files are read once). */
  const blobs = new Map<string, SnapshotFile>();
  const trees: Array<{ oid: string; path: string }> = [{ oid: root, path: '' }];
  let reads = 0;
  for (let i = 0; i < trees.length; i++) {
    const { oid, path } = trees[i];
    const entries: SnapshotEntry[] = [];
    for (const e of parseTree(await read(oid, 'tree'), oid)) {
      if (++reads % BATCH === 0) {
        // Packed objects are read synchronously: a turn of the event loop lets the server answer meanwhile.
        await nextTurn();
        throwIfCancelled(token);
      }
      if (UNSAFE_NAME.test(e.name)) continue;
      const p = path ? `${path}/${e.name}` : e.name;
      if (e.mode === '40000') {
        entries.push({ name: e.name, type: 'dir' });
        trees.push({ oid: e.oid, path: p });
      } else if (e.mode === '160000') {
        entries.push({ name: e.name, type: 'gitlink' });
        snapshot.gitlinks.add(p);
      } else if (e.mode === '120000') {
        const bytes = await read(e.oid, 'blob');
        entries.push({ name: e.name, type: 'link' });
        snapshot.links.set(p, bytes.length <= MAX_LINK_TARGET ? text(bytes, 0, bytes.length) : '');
      } else {
        let file = blobs.get(e.oid);
        if (!file) {
          const got = read(e.oid, 'blob');
          const bytes = got instanceof Uint8Array ? got : await got;
          file = bytes.length > maxFileBytes ? { size: bytes.length } : { size: bytes.length, bytes };
          blobs.set(e.oid, file);
        }
        entries.push({ name: e.name, type: 'file' });
        snapshot.files.set(p, file);
      }
    }
    snapshot.dirs.set(path, entries);
  }
  return snapshot;
}

/** A tree object's entries: `<mode> <name>\0<20-byte id>`, repeated. */
function parseTree(bytes: Uint8Array, oid: string): Array<{ mode: string; name: string; oid: string }> {
  const out: Array<{ mode: string; name: string; oid: string }> = [];
  let pos = 0;
  while (pos < bytes.length) {
    const space = bytes.indexOf(0x20, pos);
    const nul = space < 0 ? -1 : bytes.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > bytes.length) throw new Error(`tree ${oid} is malformed`);
    out.push({ mode: text(bytes, pos, space), name: text(bytes, space + 1, nul), oid: hex(bytes, nul + 1) });
    pos = nul + 21;
  }
  return out;
}

function text(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(end, bytes.length) - start).toString('utf8');
}

function hex(bytes: Uint8Array, start: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, 20).toString('hex');
}
