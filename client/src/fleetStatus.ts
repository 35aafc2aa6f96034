// The fleet's status bar item: "3 repositories · 2 problems", "indexing…" while the fleet is read and "evaluating
// 812/2580 contexts…" while the server evaluates in the background (its `fluxFleet/status`); a click focuses the
// Fleet view. Problems are the errors and warnings of ours the Problems view lists. Distinct from the change
// impact's item (what an edit changes) and the pinned context's (which context hovers answer for).
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { FleetStatusWire } from '../../server/src/lsp/fleetStatus';

export const FOCUS_FLEET_VIEW = 'fluxFleet.fleet.focus';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Errors and warnings of flux-fleet in every file (what the Problems view shows of ours). */
export function problemCounts(): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const [, diags] of vscode.languages.getDiagnostics()) {
    for (const d of diags) {
      if (d.source !== 'flux-fleet') continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
    }
  }
  return { errors, warnings };
}

export function statusText(s: FleetStatusWire | undefined, problems: { errors: number; warnings: number }): { text: string; tooltip: string } {
  const click = '(click to show the Fleet view)';
  if (!s || s.indexing) return { text: '$(sync~spin) Flux Fleet: indexing…', tooltip: `Flux Fleet is reading the workspace folders ${click}` };
  const repos = plural(s.repositories, 'repository', 'repositories');
  const total = problems.errors + problems.warnings;
  const counts = `${repos} · ${plural(total, 'problem')}`;
  const detail = `Flux Fleet: ${repos}, ${plural(s.files, 'YAML file')}; ${plural(problems.errors, 'error')}, ${plural(problems.warnings, 'warning')}`;
  if (s.evaluating) return { text: `$(sync~spin) ${repos} · evaluating ${s.evaluating.done}/${s.evaluating.total} contexts…`, tooltip: `${detail}; evaluating ${s.evaluating.total} contexts in the background (${s.evaluating.done} done) ${click}` };
  return { text: `$(${problems.errors ? 'error' : problems.warnings ? 'warning' : 'check'}) ${counts}`, tooltip: `${detail} ${click}` };
}

export function registerFleetStatus(context: vscode.ExtensionContext, client: LanguageClient): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('fluxFleet.status', vscode.StatusBarAlignment.Left, 51);
  item.name = 'Flux Fleet';
  item.command = FOCUS_FLEET_VIEW;
  let last: FleetStatusWire | undefined;
  let timer: NodeJS.Timeout | undefined;
  const show = () => {
    const { text, tooltip } = statusText(last, problemCounts());
    item.text = text;
    item.tooltip = tooltip;
    item.show();
  };
  show();
  context.subscriptions.push(
    item,
    client.onNotification('fluxFleet/status', (s: FleetStatusWire) => {
      last = s;
      show();
    }),
    // Diagnostics arrive file by file: count once they settle.
    vscode.languages.onDidChangeDiagnostics(() => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(show, 300);
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
  void client.sendRequest<FleetStatusWire>('fluxFleet/status').then((s) => {
    last ??= s;
    show();
  }, () => undefined);
  return item;
}
