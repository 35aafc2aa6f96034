// An operation's plan as one LSP WorkspaceEdit: new files, moves and edits under the plan's change annotation. VS Code
// opens its refactor preview when any change asks for confirmation, and shows each such change unticked (Apply would
// then write nothing until the user ticks every one): so the plan's changes do not ask, and one empty insert under a
// "review" annotation does. The preview opens with every change of the plan ticked; the empty insert writes nothing
// whether ticked or not.
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceEdit, ChangeAnnotation } from 'vscode-languageserver/node';
import type * as ide from '../ide';
import { pathToUri } from './convert';
import { rangeIn } from './edits';

export function planToWorkspaceEdit(fl: ide.Fleet, plan: ide.OperationPlan, documents: TextDocuments<TextDocument>): WorkspaceEdit {
  const annotationId = 'fluxFleet.operation';
  const review = 'fluxFleet.review';
  const changeAnnotations: Record<string, ChangeAnnotation> = {
    [annotationId]: { label: plan.title, needsConfirmation: false, description: plan.notes.join(' · ') || undefined },
    [review]: { label: `Review: ${plan.title}`, needsConfirmation: true, description: 'opens this preview; writes nothing' },
  };
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  // Edits name files by the paths the fleet read, so they come before the moves.
  const byFile = new Map<string, ide.PlanEdit[]>();
  for (const e of plan.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const open = documents.get(pathToUri(file));
    documentChanges.push({
      textDocument: { uri: pathToUri(file), version: open?.version ?? null },
      edits: [
        ...edits.map((e) => ({ range: rangeIn(fl, file, e.span, open), newText: e.newText, annotationId })),
        ...(documentChanges.length ? [] : [{ range: zero, newText: '', annotationId: review }]),
      ],
    });
  }
  for (const m of plan.moves) documentChanges.push({ kind: 'rename', oldUri: pathToUri(m.from), newUri: pathToUri(m.to), options: { overwrite: false }, annotationId });
  // Deepest first and never recursive: a folder holding anything the plan did not move stays.
  for (const d of plan.removedFolders ?? []) documentChanges.push({ kind: 'delete', uri: pathToUri(d), options: { recursive: false, ignoreIfNotExists: true }, annotationId });
  for (const c of plan.creates) {
    documentChanges.push({ kind: 'create', uri: pathToUri(c.file), options: { overwrite: false, ignoreIfExists: false }, annotationId });
    documentChanges.push({
      textDocument: { uri: pathToUri(c.file), version: null },
      edits: [{ range: zero, newText: c.text, annotationId }, ...(reviewed(documentChanges) ? [] : [{ range: zero, newText: '', annotationId: review }])],
    });
  }
  // A plan of moves only: the review insert goes into the first moved file, at its new path.
  if (!reviewed(documentChanges) && plan.moves.length) documentChanges.push({ textDocument: { uri: pathToUri(plan.moves[0].to), version: null }, edits: [{ range: zero, newText: '', annotationId: review }] });
  return { documentChanges, changeAnnotations };
}

function reviewed(changes: NonNullable<WorkspaceEdit['documentChanges']>): boolean {
  return changes.some((c) => 'edits' in c && c.edits.some((e) => 'annotationId' in e && e.annotationId === 'fluxFleet.review'));
}
