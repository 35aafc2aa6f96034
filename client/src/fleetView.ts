// The Fleet view: roots → sources → Kustomizations, ResourceSets and their objects, across repositories, as the
// server's `fluxFleet/fleetTree` answers (the tree `flux-fleet tree` prints). Problem counts are the diagnostics the
// Problems view shows for each Kustomization's document and the folder it builds; a filter keeps the roots that
// name a text anywhere in their subtree (a cluster's folder, a tenant).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

interface RangeLike {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface FleetViewNode {
  label: string;
  detail?: string;
  kind?: 'kustomization' | 'source' | 'path' | 'resourceSet' | 'inputSet' | 'object';
  notMapped?: boolean;
  uri?: string;
  range?: RangeLike;
  docRange?: RangeLike;
  folderUri?: string;
  children: FleetViewNode[];
}

const ICONS: Record<string, string> = { kustomization: 'layers', source: 'repo', path: 'folder', resourceSet: 'symbol-array', inputSet: 'symbol-field', object: 'symbol-class' };

export class FleetView implements vscode.TreeDataProvider<FleetViewNode> {
  private readonly changed = new vscode.EventEmitter<FleetViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: FleetViewNode[] | undefined;
  filter = '';

  constructor(private readonly client: LanguageClient) {}

  refresh(): void {
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  async getChildren(node?: FleetViewNode): Promise<FleetViewNode[]> {
    if (node) return node.children;
    this.roots ??= await this.client.sendRequest<FleetViewNode[]>('fluxFleet/fleetTree');
    const needle = this.filter.toLowerCase();
    return needle ? this.roots.filter((r) => matches(r, needle)) : this.roots;
  }

  getTreeItem(node: FleetViewNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const problems = problemsOf(node);
    item.description = [problems ? `${problems} problem${problems === 1 ? '' : 's'}` : '', node.detail ?? ''].filter(Boolean).join(' · ');
    item.iconPath = node.notMapped ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon(ICONS[node.kind ?? ''] ?? 'circle-outline');
    item.contextValue = `fluxFleet.${node.kind ?? 'node'}${node.notMapped ? '.notMapped' : ''}`;
    item.tooltip = node.notMapped
      ? new vscode.MarkdownString(`**${node.label}** is not mapped to a local folder: nothing it holds can be checked.\n\nMap it in \`.flux-fleet.yaml\` (\`repositories:\`) or the \`fluxFleet.repositories\` setting; the quick-fix on its \`source-not-mapped\` finding does it for you.`)
      : `${node.label}${node.detail ? `\n${node.detail}` : ''}`;
    if (node.uri && node.range) {
      const r = node.range;
      item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(node.uri), { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) }] };
    }
    return item;
  }
}

/** A root is shown when it or anything under it names the text (its cluster's folder, a tenant's Kustomization). */
function matches(node: FleetViewNode, needle: string): boolean {
  return `${node.label} ${node.detail ?? ''}`.toLowerCase().includes(needle) || node.children.some((c) => matches(c, needle));
}

/** Errors and warnings in a Kustomization's document and under the folder it builds (what the Problems view lists). */
function problemsOf(node: FleetViewNode): number {
  if (node.kind !== 'kustomization' || !node.uri) return 0;
  const own = vscode.Uri.parse(node.uri).toString();
  const folder = node.folderUri ? vscode.Uri.parse(node.folderUri).toString() + '/' : undefined;
  const doc = node.docRange;
  let n = 0;
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    const u = uri.toString();
    const serious = diags.filter((d) => d.source === 'flux-fleet' && d.severity <= vscode.DiagnosticSeverity.Warning);
    if (folder && u.startsWith(folder)) n += serious.length;
    else if (u === own) n += serious.filter((d) => !doc || (d.range.start.line >= doc.start.line && d.range.start.line <= doc.end.line)).length;
  }
  return n;
}

/** Registers the view, its refresh and filter commands, and refreshes it when diagnostics change (debounced). */
export function registerFleetView(context: vscode.ExtensionContext, client: LanguageClient): FleetView {
  const view = new FleetView(client);
  const tree = vscode.window.createTreeView('fluxFleet.fleet', { treeDataProvider: view, showCollapseAll: true });
  let timer: NodeJS.Timeout | undefined;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => view.refresh(), 1000);
  };
  context.subscriptions.push(
    tree,
    vscode.languages.onDidChangeDiagnostics(later),
    vscode.workspace.onDidSaveTextDocument(later),
    vscode.commands.registerCommand('fluxFleet.fleet.refresh', () => view.refresh()),
    vscode.commands.registerCommand('fluxFleet.fleet.filter', async (text?: string) => {
      const value = text ?? (await vscode.window.showInputBox({ prompt: 'Show the roots whose name or folder holds this text (a cluster, a tenant)', value: view.filter }));
      if (value === undefined) return;
      view.filter = value.trim();
      tree.description = view.filter ? `filter: ${view.filter}` : undefined;
      view.refresh();
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
  return view;
}
