// Add tenant / add app: input boxes and pickers, then the server's WorkspaceEdit applied through workspace.applyEdit,
// whose change annotations ask for confirmation: VS Code opens its refactor preview before anything is written. A
// refusal (the server's error) is shown with its reason. Both commands take a pre-filled argument (the Fleet view's
// node: a cluster or tenant to start from, a folder). Add app asks for each value the base requires, with its reason.
import * as vscode from 'vscode';
import type { LanguageClient, WorkspaceEdit as ProtocolWorkspaceEdit } from 'vscode-languageclient/node';
import { applyOperationEdit } from './operationEdit';
import { ADD_APP_REQUEST, ADD_APP_REQUIRED_REQUEST, ADD_CHOICES_REQUEST, ADD_TENANT_REQUEST, type AddChoices, type RequiredValue } from '../../server/src/lsp/addProtocol';

/** What a caller may pre-fill (all optional; the rest is asked). */
export interface AddTenantArgs {
  name?: string;
  repoUrl?: string;
  folder?: string;
  clusters?: string[];
  /** A cluster to preselect: its name, or its folder (the Fleet view's node). */
  cluster?: string;
  /** false: apply without the refactor preview (a caller that has shown the plan itself, tests). */
  preview?: boolean;
}

export interface AddAppArgs {
  name?: string;
  base?: string;
  /** The folder that lists the apps (a tenant's or cluster's). */
  to?: string;
  /** Values of required keys given already (`ingress.host` → `web.example.com`): the others are asked. */
  values?: Record<string, string>;
  preview?: boolean;
  /** What asks for a required value (showInputBox unless given: a caller with its own answers, tests). */
  input?: (options: vscode.InputBoxOptions) => Thenable<string | undefined>;
}

const uriOf = (p: string) => (p.includes('://') ? p : vscode.Uri.file(p).toString());

async function applyAnswer(client: LanguageClient, method: string, params: unknown, what: string, preview = true): Promise<boolean> {
  try {
    const edit = await client.sendRequest<ProtocolWorkspaceEdit | null>(method, params);
    if (!edit) return false;
    return await applyOperationEdit(client, edit, preview);
  } catch (e) {
    void vscode.window.showErrorMessage(`Flux Fleet: ${what} refused: ${String((e as Error)?.message ?? e)}`);
    return false;
  }
}

async function pickFolder(title: string, given?: string): Promise<string | undefined> {
  if (given) return given;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title, openLabel: 'Select' });
  return picked?.[0]?.fsPath;
}

export function registerAddCommands(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('fluxFleet.addTenant', async (args: AddTenantArgs = {}) => {
      const choices = await client.sendRequest<AddChoices>(ADD_CHOICES_REQUEST, {});
      const name = args.name ?? (await vscode.window.showInputBox({ title: 'Add tenant: name', prompt: `Like the existing tenants (${choices.tenants.join(', ') || 'none'})`, validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'a DNS label: lower-case letters, digits and -') }));
      if (!name) return false;
      const repoUrl = args.repoUrl ?? (await vscode.window.showInputBox({ title: `Add tenant ${name}: repository URL`, placeHolder: 'https://github.com/org/team-repo' }));
      if (!repoUrl) return false;
      const folder = await pickFolder(`Add tenant ${name}: the repository's local folder`, args.folder);
      if (!folder) return false;
      let clusters = args.clusters;
      if (!clusters) {
        const picks = await vscode.window.showQuickPick(
          // The Fleet view names its cluster by its folder: a cluster's name is that folder's tail (prod, clusters/prod).
          // Clusters of repositories of one name go by their folders: shown relative to the workspace.
          choices.clusters.map((c) => ({ label: c.startsWith('/') ? vscode.workspace.asRelativePath(c, true) : c, value: c, picked: c === args.cluster || !!args.cluster?.replace(/\\/g, '/').endsWith('/' + c) })),
          { canPickMany: true, title: `Add tenant ${name}: the clusters it goes to` },
        );
        if (!picks?.length) return false;
        clusters = picks.map((p) => p.value);
      }
      return applyAnswer(client, ADD_TENANT_REQUEST, { name, repoUrl, folderUri: uriOf(folder), clusters }, 'add tenant', args.preview);
    }),
    vscode.commands.registerCommand('fluxFleet.addApp', async (given: AddAppArgs & { folderUri?: string } = {}) => {
      // From a Fleet view node (a Kustomization or path): the folder it builds is where the app goes.
      const args: AddAppArgs = { ...given, to: given.to ?? (given.folderUri ? vscode.Uri.parse(given.folderUri).fsPath : undefined) };
      const to = await pickFolder('Add app: the folder that lists the apps (a tenant or cluster)', args.to);
      if (!to) return false;
      const base = await pickFolder('Add app: the base in the platform repository', args.base);
      if (!base) return false;
      const name = args.name ?? (await vscode.window.showInputBox({ title: 'Add app: name', validateInput: (v) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v) ? undefined : 'a DNS label: lower-case letters, digits and -') }));
      if (!name) return false;
      // Each key the base requires, with the reason it is required: the server refuses a plan without them.
      const values: Record<string, string> = { ...args.values };
      const required = await client.sendRequest<RequiredValue[]>(ADD_APP_REQUIRED_REQUEST, { baseUri: uriOf(base) });
      const ask = args.input ?? ((o: vscode.InputBoxOptions) => vscode.window.showInputBox(o));
      for (const r of required) {
        if (values[r.key]) continue;
        const v = await ask({ title: `Add app ${name}: ${r.key} (required)`, prompt: r.reason ? `Required: ${r.reason}` : `The base ${base.split(/[\\/]/).pop()} requires it`, ignoreFocusOut: true, validateInput: (x) => (x.trim() ? undefined : `${r.key} is required`) });
        if (v === undefined || !v.trim()) return false;
        values[r.key] = v;
      }
      return applyAnswer(client, ADD_APP_REQUEST, { name, baseUri: uriOf(base), toUri: uriOf(to), values }, 'add app', args.preview);
    }),
  );
}
