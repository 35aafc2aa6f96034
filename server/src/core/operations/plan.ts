// A fleet operation's answer as data: everything it would write, before anything is written. Add tenant, add app,
// move and rename answer with a plan or a refusal with the reason, never a half-done change. The CLI prints a plan
// (`--dry-run`) or applies it (apply.ts); the language server turns it into one WorkspaceEdit the editor previews.
import type { Span } from '../text';

/** A replacement in an existing file, as offsets into the text the fleet read (BOM dropped). */
export interface PlanEdit {
  file: string;
  span: Span;
  newText: string;
}

/** A new file. A plan never creates a file that exists: it refuses instead. */
export interface PlanCreate {
  file: string;
  text: string;
}

/** A file moved to another path (a folder moves as its files). Edits name the file by its old path. */
export interface PlanMove {
  from: string;
  to: string;
}

export interface OperationPlan {
  /** What the plan does, in one line ("Add tenant team-c"). */
  title: string;
  edits: PlanEdit[];
  creates: PlanCreate[];
  moves: PlanMove[];
  /** Folders the moves leave empty, deepest first: removed after them (a move of a folder leaves no folder behind). */
  removedFolders?: string[];
  /** What the operation checked or could not ("every context renders the same: 12 contexts"). */
  notes: string[];
}

export type OperationAnswer = OperationPlan | { refused: string };

export function emptyPlan(title: string): OperationPlan {
  return { title, edits: [], creates: [], moves: [], notes: [] };
}

/** A text with the plan's edits for it applied (edits must not overlap). */
export function applyEdits(text: string, edits: readonly PlanEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
