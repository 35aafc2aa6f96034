// The change impact in VS Code (issue 15): the Fleet Impact view, its status bar item and the diff editor, fed by
// the server's `fluxFleet/impactChanged` notification (and one `fluxFleet/impact` request at start).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { IMPACT_CHANGED, IMPACT_REQUEST, type FleetImpactWire, type ImpactCauseWire } from '../../server/src/lsp/impactProtocol';
import type { ImpactNode } from './impactModel';
import { ImpactTree, OPEN_CAUSE_COMMAND, openCause } from './impactView';
import { FOCUS_VIEW_COMMAND, impactStatusItem } from './impactStatus';
import { RenderedOutputProvider, SCHEME, SHOW_DIFF_COMMAND, showDiff } from './impactDiff';

export const VIEW_ID = 'fluxFleetImpact';

/** What the extension-host tests read (the view's provider and the status bar item); nothing else uses it. */
export interface ImpactTestApi {
  tree: vscode.TreeDataProvider<ImpactNode>;
  status: vscode.StatusBarItem;
  /** The last impact shown. */
  current(): FleetImpactWire | undefined;
}

export function registerImpact(context: vscode.ExtensionContext, client: LanguageClient): ImpactTestApi {
  const tree = new ImpactTree();
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const status = impactStatusItem();
  const rendered = new RenderedOutputProvider(() => client);
  let current: FleetImpactWire | undefined;
  // Versions start again when the server restarts or reloads the fleet: only the first request's late answer is
  // ignored, once a notification came.
  let notified = false;

  const show = (impact: FleetImpactWire) => {
    current = impact;
    tree.show(impact);
    status.show(impact);
    view.message = !impact.enabled ? 'The comparison is off (setting fluxFleet.impact.baseline).' : impact.contexts.length === 0 ? `No change against ${impact.baseline.label}.` : `Against ${impact.baseline.label}: ${impact.changedFiles.length} changed ${impact.changedFiles.length === 1 ? 'file' : 'files'}.`;
    rendered.refresh();
  };

  context.subscriptions.push(
    tree,
    view,
    status.item,
    rendered,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, rendered),
    client.onNotification(IMPACT_CHANGED, (impact: FleetImpactWire) => {
      notified = true;
      show(impact);
    }),
    vscode.commands.registerCommand(FOCUS_VIEW_COMMAND, () => vscode.commands.executeCommand(`${VIEW_ID}.focus`)),
    vscode.commands.registerCommand(OPEN_CAUSE_COMMAND, (cause: ImpactCauseWire) => openCause(cause)),
    vscode.commands.registerCommand(SHOW_DIFF_COMMAND, (node?: ImpactNode) => {
      const ctx = node?.context ?? view.selection.find((n) => n.context)?.context;
      if (!ctx) return vscode.window.showInformationMessage('Select a context in the Fleet Impact view to compare its rendered output.');
      return showDiff(ctx);
    }),
  );
  void client.sendRequest<FleetImpactWire>(IMPACT_REQUEST).then((impact) => notified || show(impact), () => undefined);
  return { tree, status: status.item, current: () => current };
}
