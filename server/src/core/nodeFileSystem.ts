import { isAscii } from 'node:buffer';
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
    const read = this.readLimited(p, maxBytes);
    return read && 'bytes' in read ? textOf(read.bytes, read.length) : read;
  }

  /**
   * The ASCII files of a run, their bytes one after another (readFilesLimited); grown as a run needs, reused by the next.
   */
  private run = Buffer.allocUnsafe(0);

  /**
   * readFileLimited of a run of files, the texts of the small ASCII ones (most YAML) slices of one string decoded from
   * all their bytes at once. The index keeps every file's text, and a text of its own was a string in the young
   * generation that its scavenges copied and then promoted (the synthetic fleet: 11,000 texts, 3 MB, each copied
   * twice); a run's string past V8's regular object size (128 KB) is a large object, never copied (past Node's
   * external bound, ~1 MB, it is outside the heap), each text a slice of it (a few words). A slice keeps its run's
   * string: a file edited or deleted leaves its bytes there while another text of its run is held (at most the texts
   * the load read, once). ASCII bytes are their latin1, their UTF-8 and their text alike; a file with other bytes (a
   * byte order mark among them) or too large for the scratch buffer is decoded alone, as readFileLimited does.
   */
  readFilesLimited(paths: readonly string[], maxBytes: number, maxChars: number): Array<ReturnType<NodeFileSystem['readFileLimited']>> {
    const out: Array<ReturnType<NodeFileSystem['readFileLimited']>> = [];
    // (where each ASCII file's bytes are in `run`: its index in `out`, start, end)
    const inRun: number[] = [];
    let used = 0;
    for (let i = 0, chars = 0; i < paths.length && chars < maxChars; i++) {
      const read = this.readLimited(paths[i], maxBytes);
      if (!read || !('bytes' in read)) {
        out.push(read);
        continue;
      }
      chars += read.length;
      const bytes = read.bytes.subarray(0, read.length);
      if (read.bytes !== this.scratch || !isAscii(bytes)) {
        out.push(textOf(read.bytes, read.length));
        continue;
      }
      if (used + read.length > this.run.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * this.run.length, used + read.length, 256 * 1024));
        this.run.copy(grown, 0, 0, used);
        this.run = grown;
      }
      bytes.copy(this.run, used);
      inRun.push(out.length, used, used + read.length);
      out.push(undefined);
      used += read.length;
    }
    if (inRun.length) {
      const all = this.run.toString('latin1', 0, used);
      for (let k = 0; k < inRun.length; k += 3) out[inRun[k]] = { text: all.slice(inRun[k + 1], inRun[k + 2]), utf8: true };
    }
    return out;
  }

  /** A file's bytes (the first `length` of `bytes`, which may be the scratch buffer) unless it is larger than `maxBytes`. */
  private readLimited(p: string, maxBytes: number): { bytes: Buffer; length: number } | { tooLarge: number } | undefined {
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
      return { bytes: buf, length: read };
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

/** The text of a file's bytes, and whether they are its plain UTF-8 (FileSystem.readFileLimited). */
function textOf(bytes: Buffer, length: number): { text: string; utf8: boolean } {
  const text = decodeText(bytes, length);
  return { text, utf8: isPlainUtf8(bytes, length, text) };
}
