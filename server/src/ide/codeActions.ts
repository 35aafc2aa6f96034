// Quick-fixes for the diagnostics a client sends back: each finding code to the feature that repairs it. The
// answers are core data (edits as offsets, files to create or delete); the LSP layer makes WorkspaceEdits of them.
import type { Fleet } from '../core/model';
import type { FindingCode, FixData } from '../core/findings';
import type { Span } from '../core/text';
import { codeActionsFor, type FolderChoice, type TextEdit } from '../features/codeActions';
import { deprecatedApiFixes } from '../features/deprecatedApi';
import { lockCodeActions } from '../features/locks';

export type { FolderChoice, TextEdit };
export { mappingEdit } from '../features/codeActions';

export interface QuickFix {
  title: string;
  preferred?: boolean;
  /** Files to create (empty) before the edits, and to delete after them. */
  createFiles: string[];
  edits: TextEdit[];
  deleteFiles: string[];
  /** The edits write a placeholder the user should choose (see FolderChoice). */
  choose?: FolderChoice;
}

/** A diagnostic as the client returns it: our code, the span it covers, and the data it carried. */
export interface DiagnosticRef {
  code: string;
  span: Span;
  data?: unknown;
}

export function quickFixes(fleet: Fleet, file: string, diagnostic: DiagnosticRef): QuickFix[] {
  const code = diagnostic.code as FindingCode;
  if (code === 'locked-field' || code === 'redundant-override') {
    return lockCodeActions(fleet, { file, span: diagnostic.span, code }).map((a) => ({ title: a.title, preferred: a.preferred, createFiles: [], edits: a.edits, deleteFiles: a.deleteFiles }));
  }
  if (code === 'deprecated-api') {
    return deprecatedApiFixes(fleet, file, diagnostic.span).map((a) => ({ title: a.title, preferred: a.preferred, createFiles: a.createFiles ?? [], edits: a.edits, deleteFiles: [] }));
  }
  if (!diagnostic.data) return [];
  return codeActionsFor(fleet, { file, span: diagnostic.span, code, data: diagnostic.data as FixData }).map((a) => ({ title: a.title, preferred: a.preferred, createFiles: a.createFiles, edits: a.edits, deleteFiles: [], ...(a.choose ? { choose: a.choose } : {}) }));
}
