// An operation's WorkspaceEdit from the server (move, add tenant, add app), applied as a refactoring: its change
// annotations ask for confirmation, so VS Code opens its refactor preview; a caller that has shown the plan itself
// (the tests) may skip the preview.
import * as vscode from 'vscode';
import type { LanguageClient, WorkspaceEdit as ProtocolWorkspaceEdit } from 'vscode-languageclient/node';

export async function applyOperationEdit(client: LanguageClient, edit: ProtocolWorkspaceEdit, preview = true): Promise<boolean> {
  if (!preview) for (const a of Object.values(edit.changeAnnotations ?? {})) a.needsConfirmation = false;
  return vscode.workspace.applyEdit(await client.protocol2CodeConverter.asWorkspaceEdit(edit), { isRefactoring: true });
}
