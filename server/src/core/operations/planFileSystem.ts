// The fleet as it would be after a plan, in memory: a FileSystem over the one the fleet reads, with the plan's edits,
// moves and new files applied. A second Fleet loaded over it answers "what would this operation do": the findings
// after it, and every context's rendered output (the proof that a move changes nothing).
import type { DirEntry, FileSystem } from '../fileSystem';
import type { OperationPlan } from './plan';
import { applyEdits } from './plan';
import { dirname, join, normalize } from '../paths';

/** The text the fleet read for a file (its unsaved text when open in the editor), as plan edits' offsets count it. */
export type TextAsRead = (file: string) => string | undefined;

export class PlanFileSystem implements FileSystem {
  /** Files whose text the plan decides: edited, moved here, or new. */
  private readonly written = new Map<string, string>();
  /** Files the plan moves away. */
  private readonly gone = new Set<string>();
  /** Folders the plan's files add, each with the names it adds. */
  private readonly addedChildren = new Map<string, Map<string, 'file' | 'dir'>>();
  /** Folders holding a file the plan moves away: the only ones that can be gone. */
  private readonly emptied = new Set<string>();
  private readonly goneDirs = new Map<string, boolean>();

  constructor(
    private readonly inner: FileSystem,
    plan: OperationPlan,
    textAsRead: TextAsRead,
  ) {
    const edited = new Map<string, string>();
    for (const file of new Set(plan.edits.map((e) => e.file))) {
      edited.set(file, applyEdits(textAsRead(file) ?? '', plan.edits.filter((e) => e.file === file)));
    }
    for (const [file, text] of edited) this.write(file, text);
    for (const m of plan.moves) {
      const text = edited.get(m.from) ?? textAsRead(m.from) ?? inner.readFile(m.from);
      this.gone.add(normalize(m.from));
      for (let child = normalize(m.from), dir = dirname(child); dir !== child; child = dir, dir = dirname(dir)) this.emptied.add(dir);
      this.written.delete(normalize(m.from));
      if (text !== undefined) this.write(m.to, text);
    }
    for (const c of plan.creates) this.write(c.file, c.text);
  }

  private write(file: string, text: string): void {
    const path = normalize(file);
    this.gone.delete(path);
    this.written.set(path, text);
    let child = path;
    let kind: 'file' | 'dir' = 'file';
    for (let dir = dirname(child); dir !== child; child = dir, dir = dirname(dir), kind = 'dir') {
      const names = this.addedChildren.get(dir) ?? new Map<string, 'file' | 'dir'>();
      names.set(child.slice(dir.length).replace(/^\//, ''), kind);
      this.addedChildren.set(dir, names);
    }
  }

  /** A folder on disk whose every file the plan moves away (a moved folder no longer exists). */
  private dirGone(dir: string): boolean {
    if (!this.emptied.has(dir) || this.addedChildren.has(dir)) return false;
    const known = this.goneDirs.get(dir);
    if (known !== undefined) return known;
    const entries = this.inner.readDir(dir);
    const gone = entries.length > 0 && entries.every((e) => (e.kind === 'dir' ? this.dirGone(join(dir, e.name)) : this.gone.has(join(dir, e.name))));
    this.goneDirs.set(dir, gone);
    return gone;
  }

  /** The file is moved away, or lies in a folder that is. */
  private removed(path: string): boolean {
    if (this.gone.has(path)) return true;
    for (let child = path, dir = dirname(child); dir !== child; child = dir, dir = dirname(dir)) if (this.dirGone(dir)) return true;
    return false;
  }

  readFile(file: string): string | undefined {
    const path = normalize(file);
    const text = this.written.get(path);
    if (text !== undefined) return text;
    return this.removed(path) ? undefined : this.inner.readFile(file);
  }

  readBytes(file: string): Uint8Array | undefined {
    const path = normalize(file);
    const text = this.written.get(path);
    if (text !== undefined) return new TextEncoder().encode(text);
    if (this.removed(path)) return undefined;
    return this.inner.readBytes ? this.inner.readBytes(file) : undefined;
  }

  readFileLimited(file: string, maxBytes: number): { text: string } | { tooLarge: number } | undefined {
    const path = normalize(file);
    const text = this.written.get(path);
    if (text !== undefined) return Buffer.byteLength(text) > maxBytes ? { tooLarge: Buffer.byteLength(text) } : { text };
    return this.removed(path) ? undefined : this.inner.readFileLimited(file, maxBytes);
  }

  fileSize(file: string): number | undefined {
    const path = normalize(file);
    const text = this.written.get(path);
    if (text !== undefined) return Buffer.byteLength(text);
    return this.removed(path) ? undefined : this.inner.fileSize(file);
  }

  readDir(dir: string): DirEntry[] {
    const path = normalize(dir);
    if (this.removed(path) || this.dirGone(path)) return [];
    const entries = this.inner
      .readDir(dir)
      .filter((e) => !(e.kind === 'dir' ? this.dirGone(join(path, e.name)) : this.gone.has(join(path, e.name))));
    const have = new Set(entries.map((e) => e.name));
    for (const [name, kind] of this.addedChildren.get(path) ?? []) if (!have.has(name)) entries.push({ name, kind, symlink: false });
    return entries;
  }

  realPath(file: string): string | undefined {
    const path = normalize(file);
    if (this.written.has(path) || this.addedChildren.has(path)) {
      const inner = this.inner.realPath(file);
      if (inner !== undefined) return inner;
      const parent = dirname(path);
      const real = parent === path ? undefined : this.realPath(parent);
      return real === undefined ? undefined : join(real, path.slice(parent.length).replace(/^\//, ''));
    }
    if (this.removed(path) || this.dirGone(path)) return undefined;
    return this.inner.realPath(file);
  }

  exists(file: string): boolean {
    const path = normalize(file);
    if (this.written.has(path) || this.addedChildren.has(path)) return true;
    if (this.removed(path) || this.dirGone(path)) return false;
    return this.inner.exists(file);
  }
}
