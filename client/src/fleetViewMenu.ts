// The Fleet view's context menu: each node says what it is in its contextValue (words the `when` clauses of
// package.json's `view/item/context` match), and each entry runs one of these commands, which turn the node into
// the arguments of the operation: Add tenant (the cluster), Add app and Move (the folder), Rename (the object's
// name), Show impact (its contexts in the Fleet Impact view), Reveal in the Explorer.
import * as vscode from 'vscode';
import type { FleetView, FleetViewNode } from './fleetView';
import type { ImpactTestApi } from './impact';

/** The menu's commands, by entry (the operations they run are named in OPERATIONS). */
export const MENU_COMMANDS = {
  addTenant: 'fluxFleet.fleet.addTenant',
  addApp: 'fluxFleet.fleet.addApp',
  move: 'fluxFleet.fleet.move',
  rename: 'fluxFleet.fleet.rename',
  showImpact: 'fluxFleet.fleet.showImpact',
  reveal: 'fluxFleet.fleet.revealInExplorer',
} as const;

/** The operations (registered by their own modules, client/src/addCommands.ts and move.ts): what the entries run. */
export const OPERATIONS = { addTenant: 'fluxFleet.addTenant', addApp: 'fluxFleet.addApp', move: 'fluxFleet.move' } as const;

/** Kinds that are one declared object (a rename starts at its name). */
const OBJECTS: ReadonlySet<string> = new Set(['kustomization', 'source', 'resourceSet', 'object', 'helmRelease', 'app']);

/**
 * `fluxFleet <kind> [root] [deploysTenants] [tenant] [folder] [renamable] [contexts] [file]`: the words `when` clauses
 * match with `viewItem =~ /\bword\b/`.
 */
export function contextValueOf(node: FleetViewNode, root: boolean): string {
  const words = ['fluxFleet', node.kind ?? 'node'];
  if (node.notMapped) words.push('notMapped');
  if (root && node.kind === 'kustomization') words.push('root');
  if (node.deploysTenants) words.push('deploysTenants');
  if (node.tenant) words.push('tenant');
  if (node.folderUri && (node.kind === 'kustomization' || node.kind === 'path')) words.push('folder');
  if (node.uri && node.range && OBJECTS.has(node.kind ?? '')) words.push('renamable');
  // A lazy Kustomization has its contexts once evaluated (Show impact evaluates it first).
  if (node.contexts?.length || node.expand) words.push('contexts');
  if (node.uri || node.folderUri) words.push('file');
  return words.join(' ');
}

/** The folder a node stands for: the one it builds (a Kustomization, a path). */
function folderOf(node: FleetViewNode): vscode.Uri | undefined {
  return node.folderUri ? vscode.Uri.parse(node.folderUri) : undefined;
}

/**
 * The operation a menu entry runs on a node, with its arguments: Add tenant preselects the node's cluster (by its
 * folder, which the operation's cluster names end with), Add app goes into the folder the node builds, Move moves it.
 */
export function operationCall(view: Pick<FleetView, 'rootOf'>, entry: 'addTenant' | 'addApp' | 'move', node: FleetViewNode): [string, ...unknown[]] {
  if (entry === 'addTenant') {
    const root = view.rootOf(node);
    const cluster = root.clusterFolderUri ? vscode.Uri.parse(root.clusterFolderUri).fsPath : undefined;
    return [OPERATIONS.addTenant, { cluster }];
  }
  if (entry === 'addApp') return [OPERATIONS.addApp, { to: folderOf(node)?.fsPath }];
  return [OPERATIONS.move, folderOf(node)];
}

export function registerFleetMenu(context: vscode.ExtensionContext, view: FleetView, impact: () => ImpactTestApi | undefined): void {
  context.subscriptions.push(
    // Add tenant: to the node's cluster (a root, or a Kustomization that deploys tenants: its root's cluster).
    vscode.commands.registerCommand(MENU_COMMANDS.addTenant, (node: FleetViewNode) => vscode.commands.executeCommand(...operationCall(view, 'addTenant', node))),
    vscode.commands.registerCommand(MENU_COMMANDS.addApp, (node: FleetViewNode) => vscode.commands.executeCommand(...operationCall(view, 'addApp', node))),
    vscode.commands.registerCommand(MENU_COMMANDS.move, (node: FleetViewNode) => vscode.commands.executeCommand(...operationCall(view, 'move', node))),
    // Rename: the editor's own rename (the language server's prepareRename/rename), at the object's name.
    vscode.commands.registerCommand(MENU_COMMANDS.rename, async (node: FleetViewNode) => {
      if (!node.uri || !node.range) return;
      const r = node.range;
      const selection = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
      await vscode.window.showTextDocument(vscode.Uri.parse(node.uri), { selection, preview: false });
      await vscode.commands.executeCommand('editor.action.rename');
    }),
    // Show impact: the node's contexts in the change impact: the diff of the first changed one, else say none changed.
    vscode.commands.registerCommand(MENU_COMMANDS.showImpact, async (node: FleetViewNode) => {
      await view.resolve(node);
      const current = impact()?.current();
      const keys = new Set(node.contexts ?? []);
      const changed = current?.enabled ? current.contexts.filter((c) => keys.has(c.key)) : [];
      await vscode.commands.executeCommand('fluxFleet.impact.focus');
      if (!current?.enabled) return vscode.window.showInformationMessage('Flux Fleet: the change impact is off (setting fluxFleet.impact.baseline).');
      if (changed.length === 0) return vscode.window.showInformationMessage(`Flux Fleet: no change against ${current.baseline.label} reaches ${node.label}.`);
      const first = changed[0];
      return vscode.commands.executeCommand('fluxFleet.impact.showDiff', { context: { key: first.key, name: first.name, baseline: current.baseline.label } });
    }),
    vscode.commands.registerCommand(MENU_COMMANDS.reveal, (node: FleetViewNode) => {
      const target = node.kind === 'path' ? node.folderUri : (node.uri ?? node.folderUri);
      if (target) return vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(target));
    }),
  );
}
