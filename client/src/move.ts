// The Move command (issue 16): a folder (or file) of the fleet to a new place, every reference following in one
// workspace edit the server plans (`fluxFleet/move`) and VS Code previews (its refactor preview) before writing.
// From the explorer's context menu: the target folder is picked, then the name there. Callable with arguments (the
// Fleet view, tests): `fluxFleet.move(from, to?, { preview })`.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkspaceEdit as ProtocolWorkspaceEdit } from 'vscode-languageclient/node';
import { applyOperationEdit } from './operationEdit';

export interface MoveResult {
  applied: boolean;
  /** The server's reason when it refused. */
  refused?: string;
  /** What the edit does: renamed files (old → new) and edited files, as paths. */
  renames?: Array<[string, string]>;
  edited?: string[];
}

type UriLike = vscode.Uri | string | { fsPath?: string; folderUri?: string; uri?: string };

function toUri(x: UriLike | undefined): vscode.Uri | undefined {
  if (!x) return undefined;
  if (x instanceof vscode.Uri) return x;
  if (typeof x === 'string') return x.includes('://') || x.startsWith('file:') ? vscode.Uri.parse(x) : vscode.Uri.file(x);
  // A Fleet view node: its folder, else the file it is written in.
  if (x.folderUri) return vscode.Uri.parse(x.folderUri);
  if (x.uri) return vscode.Uri.parse(x.uri);
  return x.fsPath ? vscode.Uri.file(x.fsPath) : undefined;
}

export function registerMove(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('fluxFleet.move', async (fromArg?: UriLike, toArg?: UriLike, options?: { preview?: boolean }): Promise<MoveResult> => {
      let from = toUri(fromArg);
      if (!from) {
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: false, openLabel: 'Move…', title: 'Flux Fleet: the folder or file to move' });
        if (!picked?.length) return { applied: false };
        from = picked[0];
      }
      let to = toUri(toArg);
      if (!to) {
        const parent = vscode.Uri.joinPath(from, '..');
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: parent, openLabel: 'Move here', title: `Move ${path.basename(from.fsPath)} into…` });
        if (!picked?.length) return { applied: false };
        const name = await vscode.window.showInputBox({ prompt: `The name of ${path.basename(from.fsPath)} in ${picked[0].fsPath}`, value: path.basename(from.fsPath), validateInput: (v) => (!v || /[\\/]/.test(v) ? 'A name, without slashes' : undefined) });
        if (!name) return { applied: false };
        to = vscode.Uri.joinPath(picked[0], name);
      }
      let edit: ProtocolWorkspaceEdit;
      try {
        edit = await client.sendRequest<ProtocolWorkspaceEdit>('fluxFleet/move', { from: from.toString(), to: to.toString() });
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        void vscode.window.showErrorMessage(`Flux Fleet: move refused: ${reason}`);
        return { applied: false, refused: reason };
      }
      const renames: Array<[string, string]> = [];
      const edited: string[] = [];
      for (const c of edit.documentChanges ?? []) {
        if ('kind' in c && c.kind === 'rename') renames.push([vscode.Uri.parse(c.oldUri).fsPath, vscode.Uri.parse(c.newUri).fsPath]);
        else if ('textDocument' in c) edited.push(vscode.Uri.parse(c.textDocument.uri).fsPath);
      }
      const applied = await applyOperationEdit(client, edit, options?.preview !== false);
      return { applied, renames, edited };
    }),
  );
}
