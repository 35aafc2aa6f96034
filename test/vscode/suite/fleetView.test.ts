// The Fleet view in a real VS Code extension host: the tree the server answers (fluxFleet/fleetTree), as the user
// sees it through the provider the extension registered: labels, descriptions with problem counts, icons (a source
// that is not mapped warns), clicks that open where a node is written, and the filter.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { FluxFleetApi } from '../../../client/src/extension';
import type { FleetViewNode } from '../../../client/src/fleetView';

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

const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');
const iconOf = (item: vscode.TreeItem) => (item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '?');

suite('Fleet view', () => {
  let api: FluxFleetApi;
  let broken: string;
  let platform: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    const folder = (suffix: string) => vscode.workspace.workspaceFolders!.find((w) => w.uri.fsPath.endsWith(path.sep + suffix))!.uri.fsPath;
    broken = folder(path.join('broken', 'platform'));
    platform = folder(path.join('fleet', 'platform'));
    const ext = vscode.extensions.getExtension<FluxFleetApi>('flux-fleet.flux-fleet');
    assert.ok(ext);
    api = await ext.activate();
    assert.ok(api?.fleet, 'activate() returned no Fleet view');
  });

  async function roots(): Promise<FleetViewNode[]> {
    api.fleet.refresh();
    return (await api.fleet.getChildren()) ?? [];
  }

  test('each cluster root with its source, path and Kustomizations; a click opens the Kustomization at its name', async () => {
    const root = await waitFor('the fleet/platform root', async () => (await roots()).find((r) => r.uri && vscode.Uri.parse(r.uri).fsPath === path.join(platform, 'clusters/prod/flux-system/gotk-sync.yaml')));
    const item = api.fleet.getTreeItem(root);
    assert.equal(labelOf(item), 'Kustomization flux-system/flux-system');
    assert.equal(iconOf(item), 'layers');
    const children = (await api.fleet.getChildren(root)).map((c) => labelOf(api.fleet.getTreeItem(c)));
    assert.deepEqual(children, ['source GitRepository flux-system', 'path ./clusters/prod', 'Kustomization flux-system/apps', 'Kustomization flux-system/infra', 'Kustomization flux-system/legacy', 'Kustomization flux-system/tenants']);
    const apps = (await api.fleet.getChildren(root)).find((c) => c.label === 'Kustomization flux-system/apps')!;
    const open = api.fleet.getTreeItem(apps).command!;
    await vscode.commands.executeCommand(open.command, ...(open.arguments ?? []));
    const editor = await waitFor('apps.yaml to open', () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(platform, 'clusters/prod/apps.yaml') && vscode.window.activeTextEditor);
    assert.equal(editor.document.getText(editor.selection), 'apps');
  });

  test('problem counts come from the Problems view; a source that is not mapped warns and says how to map it', async () => {
    const root = await waitFor('the broken/platform root', async () => (await roots()).find((r) => r.uri && vscode.Uri.parse(r.uri).fsPath === path.join(broken, 'clusters/prod/sync.yaml')));
    const kids = await api.fleet.getChildren(root);
    const apps = kids.find((c) => c.label === 'Kustomization flux-system/apps')!;
    await waitFor('a problem count on flux-system/apps (path-not-found)', () => /^\d+ problems? · /.test(String(api.fleet.getTreeItem(apps).description)));
    const elsewhere = kids.find((c) => c.label === 'Kustomization flux-system/elsewhere')!;
    const source = (await api.fleet.getChildren(elsewhere)).find((c) => c.kind === 'source')!;
    const item = api.fleet.getTreeItem(source);
    assert.equal(iconOf(item), 'warning');
    assert.match(String(item.description), /\(not mapped\)/);
    assert.match((item.tooltip as vscode.MarkdownString).value, /not mapped to a local folder/);
  });

  test('the filter keeps the roots that name the text anywhere below them', async () => {
    await vscode.commands.executeCommand('fluxFleet.fleet.filter', 'elsewhere');
    const shown = (await api.fleet.getChildren()).map((r) => vscode.Uri.parse(r.uri!).fsPath);
    assert.deepEqual(shown, [path.join(broken, 'clusters/prod/sync.yaml')]);
    await vscode.commands.executeCommand('fluxFleet.fleet.filter', '');
    assert.ok((await api.fleet.getChildren()).length >= 2);
  });
});
