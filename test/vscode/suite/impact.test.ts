// Fleet Impact in a real VS Code extension host: the workspace folder impact-editor/fleet becomes a Git repository
// here (isomorphic-git: init, add, commit), then a prune: true Kustomization's spec.path is mistyped without saving.
// Asserted: the Fleet Impact view's items (through the provider the extension registered), the status bar text,
// the prune-deletes diagnostic, and the diff editor of the context's rendered output.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { FluxFleetApi } from '../../../client/src/extension';
import type { ImpactNode } from '../../../client/src/impactModel';
import { commitEverything } from '../../helpers/gitHistory';

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code));

/** The view as the user sees it: each item's label, description and icon, children indented. */
async function viewLines(tree: vscode.TreeDataProvider<ImpactNode>, parent?: ImpactNode, depth = 0): Promise<string[]> {
  const out: string[] = [];
  for (const node of (await tree.getChildren(parent)) ?? []) {
    const item = await tree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : item.label?.label;
    const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '?';
    out.push(`${'  '.repeat(depth)}${label} — ${item.description ?? ''} [${icon}]${item.contextValue === 'fluxFleetImpactContext' ? ' (Show diff)' : ''}`);
    out.push(...(await viewLines(tree, node, depth + 1)));
  }
  return out;
}

suite('Fleet Impact: an unsaved edit that deletes a namespace', () => {
  let api: FluxFleetApi;
  let fleet: string;
  let doc: vscode.TextDocument;

  suiteSetup(async function () {
    this.timeout(120_000);
    const f = vscode.workspace.workspaceFolders?.find((w) => w.uri.fsPath.endsWith(path.join('impact-editor', 'fleet')));
    assert.ok(f, 'the workspace folder impact-editor/fleet is not open');
    fleet = f.uri.fsPath;
    await commitEverything(fleet);
    const ext = vscode.extensions.getExtension<FluxFleetApi>('flux-fleet.flux-fleet');
    assert.ok(ext);
    api = await ext.activate();
    assert.ok(api?.impact, 'activate() returned no impact API');
    doc = await vscode.workspace.openTextDocument(path.join(fleet, 'clusters/prod/apps.yaml'));
    await vscode.window.showTextDocument(doc);
    // The server compares with HEAD once it has indexed: nothing changed yet.
    await waitFor('an impact with no change', () => api.impact.current()?.enabled && api.impact.current()?.contexts.length === 0, 90_000);
  });

  suiteTeardown(async () => {
    if (doc?.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  test('mistyping spec.path (unsaved): the view, the status bar, the prune-deletes diagnostic, the diff', async () => {
    const at = doc.getText().indexOf('./apps/prod');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + './apps/prod'.length)), './apps/prdo');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    assert.equal(doc.isDirty, true);

    const impact = await waitFor('the impact of the edit', () => {
      const i = api.impact.current();
      return i && i.contexts.length > 0 ? i : undefined;
    });
    const danger = impact.dangers.find((d) => d.code === 'prune-deletes');
    assert.ok(danger, JSON.stringify(impact.dangers));
    const pathChanged = impact.dangers.find((d) => d.code === 'path-changed');
    assert.ok(pathChanged, JSON.stringify(impact.dangers));
    assert.deepEqual(await viewLines(api.impact.tree), [
      'fleet/clusters/prod/flux-system — 2 contexts, 3 objects, 2 dangers [error]',
      '  flux-system/flux-system — ~1 · prune [layers] (Show diff)',
      '    Kustomization flux-system/apps — 1 field [diff-modified]',
      '      /spec/path — "./apps/prod" → "./apps/prdo" · resource [symbol-field]',
      '  flux-system/apps — −2 · prune [error] (Show diff)',
      `    ${danger.message} — prune-deletes [error]`,
      `    ${pathChanged.message} — path-changed [warning]`,
      '    Deployment shop/web — removed · prune-deletes [error]',
      '    Namespace shop — removed · prune-deletes [error]',
    ]);
    assert.equal(api.impact.status.text, '$(error) 1 cluster, 3 objects, 2 deletions');
    assert.equal(api.impact.status.command, 'fluxFleet.impact.focus');

    const diag = await waitFor('a prune-deletes diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((d) => codeOf(d) === 'prune-deletes'));
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diag.range.start.line, 7);
    assert.match(diag.message, /Namespace shop/);
    assert.match(diag.message, /clusters\/prod/);
    assert.ok((diag.relatedInformation ?? []).length > 0, 'no related information');

    // "Show diff" on the context: VS Code's diff editor, baseline ↔ working tree, read-only documents.
    const [cluster] = (await api.impact.tree.getChildren()) ?? [];
    const context = ((await api.impact.tree.getChildren(cluster)) ?? [])[1];
    assert.equal(context?.label, 'flux-system/apps');
    await vscode.commands.executeCommand('fluxFleet.impact.showDiff', context);
    const tab = await waitFor('a diff editor', () => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    });
    assert.equal(tab.original.scheme, 'flux-fleet-impact');
    const base = await vscode.workspace.openTextDocument(tab.original);
    const work = await vscode.workspace.openTextDocument(tab.modified);
    assert.match(base.getText(), /kind: Namespace\nmetadata:\n {2}name: shop/);
    assert.doesNotMatch(work.getText(), /kind: Namespace/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Undo: no change, no diagnostic.
    assert.equal(doc.isDirty, true, 'the edit was saved (it must stay unsaved)');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the impact to empty', () => api.impact.current()?.contexts.length === 0).catch((e: Error) => {
      const now = api.impact.current();
      throw new Error(`${e.message}; the document is ${doc.isDirty ? 'dirty' : 'saved'}, the impact (version ${now?.version}) changes ${now?.changedFiles.map((f) => f.uri).join(', ')}`);
    });
    await waitFor('prune-deletes to clear', () => !vscode.languages.getDiagnostics(doc.uri).some((d) => codeOf(d) === 'prune-deletes'));
    assert.equal(api.impact.status.text, '$(diff) no changes');
  });
});
