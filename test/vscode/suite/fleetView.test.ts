// The Fleet view in a real VS Code extension host: the tree the server answers (fluxFleet/fleetTree), as the user
// sees it through the provider the extension registered: labels, descriptions with problem counts, icons (a source
// that is not mapped warns), HelmReleases and Apps, clicks that open where a node is written, the context menu's
// entries and the arguments they pass, the filter (picker, cluster, tenant, text, clear) and the status bar item.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import type { FluxFleetApi } from '../../../client/src/extension';
import type { FleetViewNode } from '../../../client/src/fleetView';
import { MENU_COMMANDS, OPERATIONS, operationCall } from '../../../client/src/fleetViewMenu';

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
  let hub: string;
  let shop: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    const folder = (suffix: string) => vscode.workspace.workspaceFolders!.find((w) => w.uri.fsPath.endsWith(path.sep + suffix))!.uri.fsPath;
    broken = folder(path.join('broken', 'platform'));
    platform = folder(path.join('fleet', 'platform'));
    hub = folder(path.join('fleet-tree', 'hub'));
    shop = folder(path.join('fleet-tree', 'shop'));
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
  const fsPathOf = (n: FleetViewNode) => (n.uri ? vscode.Uri.parse(n.uri).fsPath : '');
  async function rootAt(file: string): Promise<FleetViewNode> {
    return waitFor(`the root in ${file}`, async () => (await roots()).find((r) => fsPathOf(r) === file));
  }
  /** The node of that label under a node, expanding each node on the way as a user does (the tree is lazy). */
  async function below(node: FleetViewNode, label: string): Promise<FleetViewNode> {
    const search = async (n: FleetViewNode): Promise<FleetViewNode | undefined> => {
      if (n.label === label) return n;
      for (const c of await api.fleet.getChildren(n)) {
        const found = await search(c);
        if (found) return found;
      }
      return undefined;
    };
    const found = await search(node);
    assert.ok(found, `${label} not under ${node.label}`);
    return found;
  }

  test('HelmReleases and Apps under the Kustomization whose builds hold them, with chart or catalog; a click opens the release at its name', async () => {
    const root = await rootAt(path.join(platform, 'clusters/prod/flux-system/gotk-sync.yaml'));
    const infra = (await api.fleet.getChildren(root)).find((c) => c.label === 'Kustomization flux-system/infra')!;
    const release = (await api.fleet.getChildren(infra)).find((c) => c.label === 'HelmRelease ingress-nginx/ingress-nginx')!;
    assert.ok(release, 'no HelmRelease under flux-system/infra');
    const item = api.fleet.getTreeItem(release);
    assert.equal(iconOf(item), 'package');
    assert.equal(item.description, 'chart ingress-nginx 4.x from HelmRepository ingress-nginx  platform/infra/ingress/release.yaml:4');
    const tenants = (await api.fleet.getChildren(root)).find((c) => c.label === 'Kustomization flux-system/tenants')!;
    const app = (await api.fleet.getChildren(tenants)).find((c) => c.kind === 'app')!;
    assert.equal(labelOf(api.fleet.getTreeItem(app)), 'App org-acme/hello-world');
    assert.equal(iconOf(api.fleet.getTreeItem(app)), 'extensions');
    assert.match(String(api.fleet.getTreeItem(app).description), /^chart hello-world 1\.0\.0 from catalog giantswarm {2}platform\/tenants\/app-cr\.yaml:4$/);
    // Across repositories, as each cluster renders it: fleet-tree's eu overlay patches the version, us substitutes it.
    const eu = await rootAt(path.join(hub, 'clusters/eu/flux-system/gotk-sync.yaml'));
    const us = await rootAt(path.join(hub, 'clusters/us/flux-system/gotk-sync.yaml'));
    assert.match(String(api.fleet.getTreeItem(await below(eu, 'HelmRelease shop/podinfo')).description), /^chart podinfo 2\.0\.0 from HelmRepository podinfo /);
    assert.match(String(api.fleet.getTreeItem(await below(us, 'HelmRelease shop-us/podinfo')).description), /^chart podinfo 1\.5\.0 from HelmRepository podinfo /);
    const open = item.command!;
    await vscode.commands.executeCommand(open.command, ...(open.arguments ?? []));
    const editor = await waitFor('release.yaml to open', () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(platform, 'infra/ingress/release.yaml') && vscode.window.activeTextEditor);
    assert.equal(editor.document.getText(editor.selection), 'ingress-nginx');
  });

  test('the context menu: each entry shows on the nodes its when clause matches, and passes the cluster or the folder', async () => {
    const manifest = vscode.extensions.getExtension('flux-fleet.flux-fleet')!.packageJSON as { contributes: { menus: Record<string, Array<{ command: string; when: string }>>; commands: Array<{ command: string; title: string }> } };
    const entries = manifest.contributes.menus['view/item/context'].filter((e) => e.when.startsWith('view == fluxFleet.fleet &&'));
    // Each entry has a title, and its when clause is `view == fluxFleet.fleet && viewItem =~ /…/`.
    const menuFor = (node: FleetViewNode) => {
      const value = String(api.fleet.getTreeItem(node).contextValue);
      return entries.filter((e) => new RegExp(/viewItem =~ \/(.*)\/$/.exec(e.when)![1]).test(value)).map((e) => manifest.contributes.commands.find((c) => c.command === e.command)!.title);
    };
    assert.deepEqual(entries.map((e) => e.command).sort(), Object.values(MENU_COMMANDS).sort());
    const eu = await rootAt(path.join(hub, 'clusters/eu/flux-system/gotk-sync.yaml'));
    const tenants = await below(eu, 'Kustomization flux-system/tenants');
    const teamA = await below(eu, 'Kustomization team-a/team-a');
    const release = await below(eu, 'HelmRelease shop/podinfo');
    const overlay = await below(eu, 'path ./overlays/eu');
    const source = await below(eu, 'source GitRepository apps');
    assert.deepEqual(menuFor(eu), ['Add Tenant…', 'Add App…', 'Move…', 'Rename…', 'Show Impact', 'Reveal in Explorer']);
    assert.deepEqual(menuFor(tenants), ['Add Tenant…', 'Add App…', 'Move…', 'Rename…', 'Show Impact', 'Reveal in Explorer']);
    assert.deepEqual(menuFor(teamA), ['Add App…', 'Move…', 'Rename…', 'Show Impact', 'Reveal in Explorer']);
    assert.match(String(api.fleet.getTreeItem(teamA).description), /^tenant team-a · /);
    assert.deepEqual(menuFor(release), ['Rename…', 'Reveal in Explorer']);
    assert.deepEqual(menuFor(overlay), ['Move…', 'Reveal in Explorer']);
    assert.deepEqual(menuFor(source), ['Rename…', 'Reveal in Explorer']);

    // The arguments each entry gives its operation (the operations themselves have their own scenarios).
    const call = (entry: 'addTenant' | 'addApp' | 'move', node: typeof tenants) => {
      const [command, arg] = operationCall(api.fleet, entry, node);
      return [command, arg instanceof vscode.Uri ? arg.fsPath : arg];
    };
    assert.deepEqual(call('addTenant', tenants), [OPERATIONS.addTenant, { cluster: path.join(hub, 'clusters/eu') }]);
    assert.deepEqual(call('addApp', teamA), [OPERATIONS.addApp, { to: path.join(hub, 'team-a') }]);
    assert.deepEqual(call('move', overlay), [OPERATIONS.move, path.join(shop, 'overlays/eu')]);
    for (const c of Object.values(OPERATIONS)) assert.ok((await vscode.commands.getCommands(true)).includes(c), `${c} is registered`);
    // Rename: the editor's rename, at the object's name (the server's prepareRename answers there).
    await vscode.commands.executeCommand(MENU_COMMANDS.rename, release);
    const editor = await waitFor('release.yaml to open at the name', () => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(shop, 'base/podinfo/release.yaml') && vscode.window.activeTextEditor);
    assert.equal(editor.document.getText(editor.selection), 'podinfo');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the filter: a picker of clusters and tenants; a cluster keeps its roots, a tenant its Kustomizations and the way down to them; clear', async () => {
    const eu = await rootAt(path.join(hub, 'clusters/eu/flux-system/gotk-sync.yaml'));
    await vscode.commands.executeCommand('fluxFleet.fleet.filter', { clusterFolder: vscode.Uri.file(path.join(hub, 'clusters/us')) });
    assert.deepEqual((await api.fleet.getChildren()).map(fsPathOf), [path.join(hub, 'clusters/us/flux-system/gotk-sync.yaml')]);
    await vscode.commands.executeCommand('fluxFleet.fleet.filter', { tenant: 'team-a' });
    const shown = await api.fleet.getChildren();
    assert.deepEqual(shown.map(fsPathOf), [fsPathOf(eu)]);
    // The way down: source and path of each Kustomization above, then only the tenant's branch.
    assert.deepEqual(shown[0].children.map((c) => c.label), ['source GitRepository flux-system', 'path ./clusters/eu', 'Kustomization flux-system/tenants']);
    assert.deepEqual(shown[0].children[2].children.map((c) => c.label), ['source GitRepository flux-system', 'path ./tenants/eu', 'Kustomization team-a/team-a']);
    assert.deepEqual(shown[0].children[2].children[2].children.map((c) => c.label), ['source GitRepository flux-system', 'path ./team-a', 'App team-a/hello']);
    await vscode.commands.executeCommand('fluxFleet.fleet.clearFilter');
    assert.ok((await api.fleet.getChildren()).length >= 4);
    // The picker: its first entry is a cluster; choosing it keeps that cluster's roots.
    void vscode.commands.executeCommand('fluxFleet.fleet.filter');
    await new Promise((r) => setTimeout(r, 1500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const filter = await waitFor('a cluster filter from the picker', () => (api.fleet.filter?.type === 'cluster' ? api.fleet.filter : undefined), 10_000);
    const picked = await api.fleet.getChildren();
    assert.ok(picked.length >= 1 && picked.every((r) => r.clusterFolderUri === filter.folderUri), JSON.stringify(picked.map((r) => r.clusterFolderUri)));
    await vscode.commands.executeCommand('fluxFleet.fleet.clearFilter');
    assert.equal(api.fleet.filter, undefined);
  });

  test('the status bar item: repositories and problems as the Problems view counts them; a click focuses the Fleet view', async () => {
    const count = () => {
      let n = 0;
      for (const [, ds] of vscode.languages.getDiagnostics()) n += ds.filter((d) => d.source === 'flux-fleet' && d.severity <= vscode.DiagnosticSeverity.Warning).length;
      return n;
    };
    const item = await waitFor('the status to settle on the counts', () => {
      const m = /^\$\((check|warning|error)\) (\d+) repositories · (\d+) problems?$/.exec(api.status.text);
      return m && Number(m[3]) === count() ? m : undefined;
    });
    assert.ok(Number(item[2]) >= 10, api.status.text);
    assert.match(String(api.status.tooltip), /^Flux Fleet: \d+ repositories, [\d,]+ YAML files; \d+ errors?, \d+ warnings? \(click to show the Fleet view\)$/);
    assert.equal(typeof api.status.command === 'string' ? api.status.command : api.status.command?.command, 'fluxFleet.fleet.focus');
    await vscode.commands.executeCommand('fluxFleet.fleet.focus');
  });
});
