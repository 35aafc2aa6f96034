// The status bar item of the change impact: "3 clusters, 12 objects, 1 deletion" against the baseline; a click
// focuses the Fleet Impact view. Hidden when the comparison is off (`fluxFleet.impact.baseline` empty).
import * as vscode from 'vscode';
import type { FleetImpactWire } from '../../server/src/lsp/impactProtocol';
import { summaryText, worstSeverity } from './impactModel';

export const FOCUS_VIEW_COMMAND = 'fluxFleet.impact.focus';

export function impactStatusItem(): { item: vscode.StatusBarItem; show(impact: FleetImpactWire | undefined): void } {
  const item = vscode.window.createStatusBarItem('fluxFleet.impact', vscode.StatusBarAlignment.Left, 49);
  item.name = 'Flux Fleet Impact';
  item.command = FOCUS_VIEW_COMMAND;
  return {
    item,
    show(impact) {
      if (!impact?.enabled) {
        item.hide();
        return;
      }
      const worst = worstSeverity(impact);
      item.text = `$(${worst === 'error' ? 'error' : worst === 'warning' ? 'warning' : 'diff'}) ${summaryText(impact)}`;
      item.tooltip = `Flux Fleet: the working tree against ${impact.baseline.label} (click to show the Fleet Impact view)`;
      item.backgroundColor = worst === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : worst === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      item.show();
    },
  };
}
