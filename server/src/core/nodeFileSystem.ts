import * as fs from 'node:fs';
import type { DirEntry, FileSystem } from './fileSystem';
import { decodeText } from './textDecode';

/** Reads the local disk. Never follows anything outside what callers ask for; never throws. */
export class NodeFileSystem implements FileSystem {
  readFile(p: string): string | undefined {
    try {
      return decodeText(fs.readFileSync(p));
    } catch {
      return undefined;
    }
  }

  readBytes(p: string): Uint8Array | undefined {
    try {
      return fs.readFileSync(p);
    } catch {
      return undefined;
    }
  }

  readFileLimited(p: string, maxBytes: number): { text: string } | { tooLarge: number } | undefined {
    let fd: number | undefined;
    try {
      fd = fs.openSync(p, 'r');
      const size = fs.fstatSync(fd).size;
      if (size > maxBytes) return { tooLarge: size };
      const buf = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const n = fs.readSync(fd, buf, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      return { text: decodeText(buf, read) };
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  fileSize(p: string): number | undefined {
    try {
      const st = fs.statSync(p);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  }

  readDir(p: string): DirEntry[] {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(p, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: DirEntry[] = [];
    for (const e of entries) {
      if (e.isSymbolicLink()) {
        let kind: DirEntry['kind'] = 'other';
        try {
          const st = fs.statSync(p + '/' + e.name);
          kind = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
        } catch {
          kind = 'other'; // dangling link
        }
        out.push({ name: e.name, kind, symlink: true });
      } else {
        out.push({ name: e.name, kind: e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other', symlink: false });
      }
    }
    return out;
  }

  realPath(p: string): string | undefined {
    try {
      return fs.realpathSync(p);
    } catch {
      return undefined;
    }
  }

  exists(p: string): boolean {
    return fs.existsSync(p);
  }
}
