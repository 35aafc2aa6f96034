// An operation's plan as one LSP WorkspaceEdit: new files, moves and edits, each under a change annotation that asks
// for confirmation, so VS Code opens its refactor preview before anything is written.
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceEdit, ChangeAnnotation } from 'vscode-languageserver/node';
import type * as ide from '../ide';
import { pathToUri } from './convert';
import { rangeIn } from './edits';

export function planToWorkspaceEdit(fl: ide.Fleet, plan: ide.OperationPlan, documents: TextDocuments<TextDocument>): WorkspaceEdit {
  const annotationId = 'fluxFleet.operation';
  const changeAnnotations: Record<string, ChangeAnnotation> = {
    [annotationId]: { label: plan.title, needsConfirmation: true, description: plan.notes.join(' · ') || undefined },
  };
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  // Edits name files by the paths the fleet read, so they come before the moves.
  const byFile = new Map<string, ide.PlanEdit[]>();
  for (const e of plan.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const open = documents.get(pathToUri(file));
    documentChanges.push({
      textDocument: { uri: pathToUri(file), version: open?.version ?? null },
      edits: edits.map((e) => ({ range: rangeIn(fl, file, e.span, open), newText: e.newText, annotationId })),
    });
  }
  for (const m of plan.moves) documentChanges.push({ kind: 'rename', oldUri: pathToUri(m.from), newUri: pathToUri(m.to), options: { overwrite: false }, annotationId });
  // Deepest first and never recursive: a folder holding anything the plan did not move stays.
  for (const d of plan.removedFolders ?? []) documentChanges.push({ kind: 'delete', uri: pathToUri(d), options: { recursive: false, ignoreIfNotExists: true }, annotationId });
  for (const c of plan.creates) {
    documentChanges.push({ kind: 'create', uri: pathToUri(c.file), options: { overwrite: false, ignoreIfExists: false }, annotationId });
    documentChanges.push({
      textDocument: { uri: pathToUri(c.file), version: null },
      edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.text, annotationId }],
    });
  }
  return { documentChanges, changeAnnotations };
}
