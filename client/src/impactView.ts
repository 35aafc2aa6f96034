// The Fleet Impact tree view: the nodes of impactModel.ts as TreeItems (icons, a click that opens the cause, the
// "Show diff" action on contexts through their contextValue).
import * as vscode from 'vscode';
import type { FleetImpactWire, ImpactCauseWire } from '../../server/src/lsp/impactProtocol';
import { impactNodes, type Icon, type ImpactNode } from './impactModel';

export const OPEN_CAUSE_COMMAND = 'fluxFleet.impact.openCause';

const COLOR: Record<NonNullable<Icon['color']>, string> = {
  error: 'list.errorForeground',
  warning: 'list.warningForeground',
  added: 'gitDecoration.addedResourceForeground',
  removed: 'gitDecoration.deletedResourceForeground',
  modified: 'gitDecoration.modifiedResourceForeground',
};

export class ImpactTree implements vscode.TreeDataProvider<ImpactNode> {
  private roots: ImpactNode[] = [];
  private readonly changed = new vscode.EventEmitter<ImpactNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  show(impact: FleetImpactWire | undefined): void {
    this.roots = impact?.enabled ? impactNodes(impact) : [];
    this.changed.fire(undefined);
  }

  getChildren(node?: ImpactNode): ImpactNode[] {
    return node ? node.children : this.roots;
  }

  getTreeItem(node: ImpactNode): vscode.TreeItem {
    // Clusters and contexts open; an object open when its few changed fields say it all at a glance.
    const open = node.kind === 'cluster' || node.kind === 'context' || (node.kind === 'object' && node.children.length <= 3);
    const expandable = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, expandable);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(COLOR[node.icon.color]) : undefined);
    item.contextValue = node.kind === 'context' ? 'fluxFleetImpactContext' : `fluxFleetImpact${node.kind[0].toUpperCase()}${node.kind.slice(1)}`;
    if (node.open) item.command = { title: 'Open', command: OPEN_CAUSE_COMMAND, arguments: [node.open] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Opens the file of a cause at its range (a cause in the baseline's text: the working file, at its top). */
export async function openCause(cause: ImpactCauseWire): Promise<void> {
  const range = cause.range && new vscode.Range(cause.range.start.line, cause.range.start.character, cause.range.end.line, cause.range.end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(cause.uri), { selection: range, preview: true });
}
