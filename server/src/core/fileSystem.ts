// The core reads files only through this interface, so features stay pure and tests can substitute it.

export interface DirEntry {
  name: string;
  kind: 'file' | 'dir' | 'other';
  /** The entry is a symbolic link (kind tells what it points to). */
  symlink: boolean;
}

export interface FileSystem {
  /** A file's text (core/textDecode.ts: UTF-16 with a BOM decoded, a UTF-8 BOM dropped, as kubectl and editors read). */
  readFile(path: string): string | undefined;
  /** The file's bytes (generator inputs: valid UTF-8 is text, anything else binary data). */
  readBytes?(path: string): Uint8Array | undefined;
  /**
   * Reads a file unless it is larger than `maxBytes` (one open, one stat: the index's hot path). `utf8`: the file's
   * bytes are exactly the UTF-8 encoding of `text` (valid UTF-8, no byte order mark), so they need not be read again
   * as bytes (a generator input that is an indexed YAML file: Fleet.readAuxBytes).
   */
  readFileLimited(path: string, maxBytes: number): { text: string; utf8?: boolean } | { tooLarge: number } | undefined;
  /**
   * readFileLimited of each of `paths` in order, stopping once the texts read reach `maxChars` (a prefix: the cold
   * index reads a run of files before indexing them). Where the texts are kept (every indexed file's), an
   * implementation may give them as parts of one string (NodeFileSystem: see there).
   */
  readFilesLimited?(paths: readonly string[], maxBytes: number, maxChars: number): Array<ReturnType<FileSystem['readFileLimited']>>;
  /** Size in bytes, or undefined when the file does not exist. */
  fileSize(path: string): number | undefined;
  readDir(path: string): DirEntry[];
  realPath(path: string): string | undefined;
  exists(path: string): boolean;
}

/** A file's text unless it is absent or larger than `maxBytes` (sized before it is read: never the whole of a huge file). */
export function readBounded(fs: FileSystem, path: string, maxBytes: number): string | undefined {
  const read = fs.readFileLimited(path, maxBytes);
  return read && 'text' in read ? read.text : undefined;
}
