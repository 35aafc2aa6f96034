// What a move is (a path and its new place) and the edits it collects: one edit per place, a second different edit at
// the same place refuses the move (two readings of one text would need two values).
import type { Fleet } from '../model';
import type { Span } from '../text';
import { computeLineStarts, offsetToLineCol } from '../text';
import { isInside, relative } from '../paths';
import type { PlanEdit } from './plan';
import { plainOrQuoted } from '../yamlEdit/scalar';

/** A file or folder and where it goes (absolute POSIX paths). */
export interface Move {
  from: string;
  to: string;
}

/** Where a path is after the move: moved with it when inside `from`, else where it was. */
export function movedPath(move: Move, p: string): string {
  return isInside(move.from, p) ? move.to + p.slice(move.from.length) : p;
}

/** Thrown inside the move's analysis; the operation answers `{ refused: message }`. */
export class MoveRefused extends Error {}

export function refuse(message: string): never {
  throw new MoveRefused(message);
}

/** The fleet's text of a file: the editor's, else the indexed one, else the disk's. */
export function textOf(fleet: Fleet, file: string): string | undefined {
  return fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? fleet.fs.readFile(file);
}

/** `repo/path/file.yaml:12` for messages. */
export function where(fleet: Fleet, file: string, span?: Span): string {
  const repo = fleet.repositoryOf(file);
  const shown = repo ? `${repo.name}/${relative(repo.root, file)}` : file;
  if (!span) return shown;
  const text = textOf(fleet, file) ?? '';
  return `${shown}:${offsetToLineCol(computeLineStarts(text), span.start).line + 1}`;
}

/**
 * The keys (canonical Git URLs) the repository holding `path` is known by: its origin, and every `.flux-fleet.yaml`
 * mapping of its root. A source or remote base with one of them that the linker could not map names this repository
 * at a revision the workspace does not hold.
 */
export function repositoryKeys(fleet: Fleet, path: string): Set<string> {
  const repo = fleet.repositoryOf(path);
  const keys = new Set<string>();
  if (!repo) return keys;
  if (repo.originKey) keys.add(repo.originKey);
  for (const m of fleet.layout.mappings) if (m.key.type === 'git' && m.folder === repo.root) keys.add(m.key.repoKey);
  return keys;
}

export class MoveEdits {
  private readonly byPlace = new Map<string, PlanEdit & { why: string }>();

  constructor(private readonly fleet: Fleet) {}

  /**
   * Replaces the scalar at `span` (its quotes included or not) whose value is `value` with `newValue`. The text there
   * must be the value as written: a value a template or a variable builds is refused by the caller's `what`.
   */
  scalar(file: string, span: Span, value: string, newValue: string, what: string): void {
    const text = textOf(this.fleet, file) ?? '';
    let s = span;
    const raw = text.slice(s.start, s.end);
    const quote = raw[0];
    if ((quote === '"' || quote === "'") && raw.length >= 2 && raw.endsWith(quote)) s = { start: s.start + 1, end: s.end - 1 };
    const written = text.slice(s.start, s.end);
    if (newValue === value && written === value) return;
    if (written !== value) refuse(`${where(this.fleet, file, span)}: ${what} is written as '${written}', which is not the path it means ('${value}'): rewrite it by hand.`);
    const plain = s === span;
    const newText = plain && plainOrQuoted(newValue) !== newValue ? JSON.stringify(newValue) : newValue;
    this.add({ file, span: s, newText }, what);
  }

  add(edit: PlanEdit, why: string): void {
    const key = `${edit.file}:${edit.span.start}:${edit.span.end}`;
    const had = this.byPlace.get(key);
    if (had && had.newText !== edit.newText) refuse(`${where(this.fleet, edit.file, edit.span)} is read in two ways (${had.why}; ${why}) that would need different values: it cannot follow the move.`);
    this.byPlace.set(key, { ...edit, why });
  }

  list(): PlanEdit[] {
    return [...this.byPlace.values()].map(({ file, span, newText }) => ({ file, span, newText })).sort((a, b) => a.file.localeCompare(b.file) || a.span.start - b.span.start);
  }
}

/** A relative path's new text in the style of the old one: `./` kept where it was written, a trailing `/` kept. */
export function relativeLike(old: string, fromDir: string, target: string): string {
  let rel = relative(fromDir, target) || '.';
  if (old.startsWith('./') && !rel.startsWith('..') && rel !== '.') rel = './' + rel;
  if (old.endsWith('/') && !rel.endsWith('/')) rel += '/';
  return rel;
}
