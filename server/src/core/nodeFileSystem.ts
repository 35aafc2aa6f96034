import * as fs from 'node:fs';
import type { DirEntry, FileSystem } from './fileSystem';
import { decodeText, isPlainUtf8 } from './textDecode';

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

  /** Scratch space the index reads small files into (their text is decoded out of it: nothing keeps it). */
  private scratch = Buffer.allocUnsafe(64 * 1024);

  readFileLimited(p: string, maxBytes: number): { text: string; utf8: boolean } | { tooLarge: number } | undefined {
    let fd: number | undefined;
    try {
      fd = fs.openSync(p, 'r');
      // One read into the scratch buffer holds most files whole (no fstat: its Stats object cost more than the read);
      // a file that fills it is sized first, then read into a buffer of its own.
      let buf = this.scratch;
      let read = 0;
      for (let n = 0; read < buf.length && (n = fs.readSync(fd, buf, read, buf.length - read, read)) > 0; ) read += n;
      if (read === buf.length) {
        const size = fs.fstatSync(fd).size;
        if (size > maxBytes) return { tooLarge: size };
        const whole = Buffer.allocUnsafe(Math.max(size, read));
        buf.copy(whole, 0, 0, read);
        buf = whole;
        for (let n = 0; read < size && (n = fs.readSync(fd, buf, read, size - read, read)) > 0; ) read += n;
      } else if (read > maxBytes) return { tooLarge: read };
      const text = decodeText(buf, read);
      return { text, utf8: isPlainUtf8(buf, read, text) };
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
