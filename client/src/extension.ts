// The thin client: start the bundled language server and turn its lens arguments into VS Code types.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerAddCommands } from './addCommands';
import { registerFleetView, type FleetView } from './fleetView';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerImpact, type ImpactTestApi } from './impact';
import { registerMove } from './move';
import { registerFleetStatus } from './fleetStatus';
import { registerObjectViews } from './objectViews';
import { machineCpus, serverExecArgv } from '../../server/src/nodeOptions';

let client: LanguageClient | undefined;

/** What activate returns: the views' providers and the status bar items, for the extension-host tests. */
export interface FluxFleetApi {
  fleet: FleetView;
  impact: ImpactTestApi;
  /** The fleet's status bar item (repositories, problems, background evaluation). */
  status: vscode.StatusBarItem;
}

export async function activate(context: vscode.ExtensionContext): Promise<FluxFleetApi> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const execArgv = serverExecArgv(machineCpus());
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, args: ['--stdio'], options: { execArgv } },
    debug: { module: serverModule, transport: TransportKind.stdio, args: ['--stdio'], options: { execArgv: [...execArgv, '--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // The server skips its own schema checks (in `auto` mode) when Red Hat's YAML extension does them.
    // An untrusted workspace: no mapping (settings included: workspace settings come with the repository) leaves it.
    // `clientCommands`: what this client asks the user itself (the server writes no placeholder then).
    initializationOptions: { redHatYaml: vscode.extensions.getExtension('redhat.vscode-yaml') !== undefined, workspaceTrusted: vscode.workspace.isTrusted, clientCommands: ['fluxFleet.chooseRepositoryFolder'] },
    // If the server dies anyway, restart it (a few times, then give up) and say so once, not a cascade of popups.
    errorHandler: restartQuietly(),
    // Hovers link "show all" to a command of ours; no other command runs from a hover.
    markdown: { isTrusted: { enabledCommands: ['fluxFleet.showEffectiveValues'] } },
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/Kustomization' },
    ],
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('fluxFleet.showDeployChains', async (uri: string, locations: LocationLike[], chains: Array<{ label: string; location: LocationLike }>) => {
      if (locations.length === 0) {
        void vscode.window.showInformationMessage('No Flux Kustomization deploys this file.');
        return;
      }
      let shown = locations;
      if (chains.length > 1) {
        const pick = await vscode.window.showQuickPick(
          chains.map((c) => ({ label: c.label, location: c.location })),
          { placeHolder: 'Deploy chains (root → … → nearest Kustomization)' },
        );
        if (!pick) return;
        shown = [pick.location];
      }
      const locs = shown.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), toRange(l.range)));
      await vscode.commands.executeCommand('editor.action.peekLocations', vscode.Uri.parse(uri), new vscode.Position(0, 0), locs, 'peek');
    }),
  );

  // "Map <url> to a local folder…": the user picks the clone (likely ones first); the server writes the mapping.
  context.subscriptions.push(
    vscode.commands.registerCommand('fluxFleet.chooseRepositoryFolder', async (key: string, configUri: string, candidateUris: string[]) => {
      const exists = async (u: vscode.Uri) => vscode.workspace.fs.stat(u).then((s) => (s.type & vscode.FileType.Directory) !== 0, () => false);
      const candidates: vscode.Uri[] = [];
      for (const c of candidateUris.map((u) => vscode.Uri.parse(u))) if (await exists(c)) candidates.push(c);
      const browse = { label: '$(folder-opened) Choose a folder…', uri: undefined as vscode.Uri | undefined };
      let folder: vscode.Uri | undefined;
      if (candidates.length) {
        const pick = await vscode.window.showQuickPick([...candidates.map((uri) => ({ label: uri.fsPath, description: 'a clone next to this repository', uri })), browse], { placeHolder: `The local clone of ${key}` });
        if (!pick) return;
        folder = pick.uri;
      }
      if (!folder) {
        const parent = vscode.Uri.joinPath(vscode.Uri.parse(configUri), '..', '..');
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: candidates[0] ?? parent, openLabel: 'Map to this folder', title: `The local clone of ${key}` });
        if (!picked?.length) return;
        folder = picked[0];
      }
      await vscode.commands.executeCommand('fluxFleet.addMapping', key, configUri, folder.toString());
    }),
  );

  client = new LanguageClient('fluxFleet', 'Flux Fleet', serverOptions, clientOptions);
  await client.start();
  let impact: ImpactTestApi | undefined;
  const fleetView = registerFleetView(context, client, () => impact);
  const fleetStatus = registerFleetStatus(context, client);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification('fluxFleet/workspaceTrusted', {})));
  registerMove(context, client);
  registerAddCommands(context, client);
  impact = registerImpact(context, client);
  registerObjectViews(context, client);

  // Pin one context (a chain from a root Flux Kustomization) so hovers answer as deployed there. The server names
  // it by an opaque key (`id`), with the deploying Kustomization (`name`) and the whole chain (`label`) to show.
  type Pin = { id: string; name: string; label: string };
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = 'fluxFleet.pinContext';
  const show = (pin?: Pin) => {
    status.text = `$(layers) ${pin ? pin.name : 'all contexts'}`;
    status.tooltip = pin ? `Flux Fleet: answers as deployed in ${pin.label} (click to change)` : 'Flux Fleet: answers for every context (click to pin one)';
    status.show();
  };
  // A pin saved by an earlier version (a label, not a key) pins nothing.
  const saved = context.workspaceState.get<unknown>('fluxFleet.pinnedContext');
  const pinned = saved && typeof saved === 'object' && typeof (saved as Pin).id === 'string' ? (saved as Pin) : undefined;
  show(pinned);
  if (pinned) void client.sendNotification('fluxFleet/pinContext', { id: pinned.id });
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand('fluxFleet.pinContext', async (id?: string) => {
      const contexts = await client!.sendRequest<Pin[]>('fluxFleet/contexts');
      let pin: Pin | undefined;
      if (id === undefined) {
        const pick = await vscode.window.showQuickPick(
          [{ label: 'All contexts', pin: undefined as Pin | undefined }, ...contexts.map((c) => ({ label: c.name, description: c.label, pin: c }))],
          { placeHolder: 'Pin a context: hovers show values as deployed there' },
        );
        if (!pick) return;
        pin = pick.pin;
      } else pin = contexts.find((c) => c.id === id);
      await context.workspaceState.update('fluxFleet.pinnedContext', pin ? { id: pin.id, name: pin.name, label: pin.label } : undefined);
      await client!.sendNotification('fluxFleet/pinContext', { id: pin?.id });
      show(pin);
    }),
  );
  return { fleet: fleetView, impact, status: fleetStatus };
}

interface LocationLike {
  uri: string;
  range: RangeLike;
}

interface RangeLike {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

function toRange(r: RangeLike): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** Restarts a server that exited, up to 5 times in 3 minutes; one message the first time, one when it gives up. */
function restartQuietly(): ErrorHandler {
  const restarts: number[] = [];
  let told = false;
  return {
    error: () => ({ action: ErrorAction.Continue, handled: true }),
    closed: () => {
      const now = Date.now();
      while (restarts.length && now - restarts[0] > 180_000) restarts.shift();
      restarts.push(now);
      if (restarts.length > 5) {
        return { action: CloseAction.DoNotRestart, message: 'The Flux Fleet language server stopped 5 times in 3 minutes and was not restarted again; its log is in the "Flux Fleet" output.' };
      }
      if (!told) {
        told = true;
        void vscode.window.showWarningMessage('The Flux Fleet language server stopped and was restarted; its log is in the "Flux Fleet" output.');
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
}
