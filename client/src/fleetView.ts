// The Fleet view: roots → sources → Kustomizations, ResourceSets, HelmReleases and Apps, across repositories, as the
// server's `fluxFleet/fleetTree` answers (the tree `flux-fleet tree` prints). Problem counts are the diagnostics the
// Problems view shows for each Kustomization's document and the folder it builds. The filter keeps one cluster, one
// tenant (the Kustomizations whose contexts build its code, with the way down to them) or the roots naming a text.
// Each node's context menu offers the operations (fleetViewMenu.ts). The tree comes lazy (the server's links only,
// nothing evaluated): a Kustomization's contexts, releases and rendered path are asked for when it is expanded. The
// tenant and text filters read the whole tree (they look below every node), so they ask for it evaluated.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { FleetFiltersWire, FleetTreeParams, FleetViewFillWire, FleetViewNodeWire } from '../../server/src/lsp/fleetViewProtocol';
import { contextValueOf, registerFleetMenu } from './fleetViewMenu';
import type { ImpactTestApi } from './impact';

export type FleetViewNode = FleetViewNodeWire;

export type FleetFilter = { type: 'cluster'; cluster: string; folderUri: string } | { type: 'tenant'; tenant: string; contexts: ReadonlySet<string> } | { type: 'text'; text: string };

const ICONS: Record<string, string> = { kustomization: 'layers', source: 'repo', path: 'folder', resourceSet: 'symbol-array', inputSet: 'symbol-field', object: 'symbol-class', helmRelease: 'package', app: 'extensions' };

export class FleetView implements vscode.TreeDataProvider<FleetViewNode> {
  private readonly changed = new vscode.EventEmitter<FleetViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: FleetViewNode[] | undefined;
  /** Whether `roots` is the evaluated tree (every Kustomization filled), not the lazy one. */
  private whole = false;
  private shown: FleetViewNode[] | undefined;
  private readonly parents = new Map<FleetViewNode, FleetViewNode>();
  /** Expansions asked for, per lazy node (one request each, whoever asks). */
  private readonly filling = new Map<FleetViewNode, Promise<boolean>>();
  filter: FleetFilter | undefined;

  constructor(private readonly client: LanguageClient) {}

  refresh(): void {
    this.roots = undefined;
    this.whole = false;
    this.shown = undefined;
    this.filling.clear();
    this.changed.fire(undefined);
  }

  /** Shows the same tree through another filter (no new request). */
  refilter(): void {
    this.shown = undefined;
    this.changed.fire(undefined);
  }

  async getChildren(node?: FleetViewNode): Promise<FleetViewNode[]> {
    if (node) {
      if (!(await this.resolve(node))) return [];
      return node.children;
    }
    const whole = this.filter !== undefined && this.filter.type !== 'cluster';
    if (!this.roots || (whole && !this.whole)) {
      const params: FleetTreeParams = { lazy: !whole };
      this.roots = await this.client.sendRequest<FleetViewNode[]>('fluxFleet/fleetTree', params);
      this.whole = whole;
      this.shown = undefined;
    }
    if (!this.shown) {
      this.shown = applyFilter(this.roots, this.filter);
      this.parents.clear();
      const walk = (n: FleetViewNode) => n.children.forEach((c) => (this.parents.set(c, n), walk(c)));
      this.shown.forEach(walk);
    }
    return this.shown;
  }

  /**
   * A lazy Kustomization evaluated by the server (its contexts, tenant marks, rendered path and releases written into
   * it); false when the server's tree changed since (the view is refreshed).
   */
  resolve(node: FleetViewNode): Promise<boolean> {
    const id = node.expand;
    if (!id) return Promise.resolve(true);
    let pending = this.filling.get(node);
    if (!pending) {
      pending = this.client.sendRequest<FleetViewFillWire | null>('fluxFleet/fleetTreeNode', { id }).then((fill) => {
        if (!fill) {
          this.refresh();
          return false;
        }
        this.fill(node, fill);
        return true;
      });
      this.filling.set(node, pending);
    }
    return pending;
  }

  private fill(node: FleetViewNode, fill: FleetViewFillWire): void {
    const marks = (n: FleetViewNode, m: { contexts?: string[]; tenant?: string; deploysTenants?: boolean }) => Object.assign(n, { contexts: m.contexts, tenant: m.tenant, deploysTenants: m.deploysTenants });
    marks(node, fill);
    delete node.expand;
    const path = node.children.find((c) => c.kind === 'path');
    if (path && fill.pathDetail !== undefined) path.detail = fill.pathDetail;
    const kids = (n: FleetViewNode): FleetViewNode[] => n.children.flatMap((c) => (c.kind === 'kustomization' ? [c] : c.kind === 'resourceSet' || c.kind === 'inputSet' ? kids(c) : []));
    for (const k of kids(node)) if (k.expand && fill.kids[k.expand]) marks(k, fill.kids[k.expand]);
    node.children.push(...fill.releases);
    for (const r of fill.releases) this.parents.set(r, node);
    // Its menu and its tenant mark change with what the evaluation found.
    this.changed.fire(node);
  }

  getParent(node: FleetViewNode): FleetViewNode | undefined {
    return this.parents.get(node);
  }

  /** The root above a node (itself for a root): its cluster. */
  rootOf(node: FleetViewNode): FleetViewNode {
    let n = node;
    for (let p = this.parents.get(n); p; p = this.parents.get(n)) n = p;
    return n;
  }

  getTreeItem(node: FleetViewNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, node.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const problems = problemsOf(node);
    item.description = [problems ? `${problems} problem${problems === 1 ? '' : 's'}` : '', node.tenant ? `tenant ${node.tenant}` : '', node.detail ?? ''].filter(Boolean).join(' · ');
    item.iconPath = node.notMapped ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon(ICONS[node.kind ?? ''] ?? 'circle-outline');
    item.contextValue = contextValueOf(node, !this.parents.has(node));
    item.tooltip = node.notMapped
      ? new vscode.MarkdownString(`**${node.label}** is not mapped to a local folder: nothing it holds can be checked.\n\nMap it in \`.flux-fleet.yaml\` (\`repositories:\`) or the \`fluxFleet.repositories\` setting; the quick-fix on its \`source-not-mapped\` finding does it for you.`)
      : `${node.label}${node.detail ? `\n${node.detail}` : ''}${node.cluster ? `\ncluster ${node.cluster}` : ''}`;
    if (node.uri && node.range) {
      const r = node.range;
      item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(node.uri), { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) }] };
    }
    return item;
  }
}

/** The roots a filter keeps (copies where a tenant's filter prunes what is not its own). */
export function applyFilter(roots: FleetViewNode[], filter: FleetFilter | undefined): FleetViewNode[] {
  if (!filter) return roots;
  if (filter.type === 'cluster') return roots.filter((r) => r.clusterFolderUri === filter.folderUri);
  if (filter.type === 'text') {
    const needle = filter.text.toLowerCase();
    return roots.filter((r) => matches(r, needle));
  }
  // A tenant: its Kustomizations with all below them; above them, the way down (sources and paths kept for context).
  const own = (n: FleetViewNode) => (n.contexts ?? []).some((k) => filter.contexts.has(k));
  const prune = (n: FleetViewNode): FleetViewNode | undefined => {
    if (own(n)) return n;
    const kept = n.children.flatMap((c) => (c.kind === 'kustomization' || c.kind === 'resourceSet' || c.kind === 'inputSet' ? (prune(c) ?? []) : []));
    if (kept.length === 0) return undefined;
    return { ...n, children: [...n.children.filter((c) => c.kind === 'source' || c.kind === 'path'), ...kept] };
  };
  return roots.flatMap((r) => prune(r) ?? []);
}

/** A root is shown when it or anything under it names the text (its cluster's folder, a tenant's Kustomization). */
function matches(node: FleetViewNode, needle: string): boolean {
  return `${node.label} ${node.detail ?? ''} ${node.cluster ?? ''}`.toLowerCase().includes(needle) || node.children.some((c) => matches(c, needle));
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

function filterLabel(f: FleetFilter | undefined): string | undefined {
  if (!f) return undefined;
  return f.type === 'cluster' ? `cluster ${f.cluster}` : f.type === 'tenant' ? `tenant ${f.tenant}` : `filter: ${f.text}`;
}

/** What the filter command takes from a test or a keybinding: a cluster (its folder), a tenant, a text ('' clears). */
export type FilterArgument = string | { clusterFolder: vscode.Uri } | { tenant: string };

/** Registers the view, its refresh and filter commands and its context menu; refreshes when diagnostics change (debounced). */
export function registerFleetView(context: vscode.ExtensionContext, client: LanguageClient, impact: () => ImpactTestApi | undefined): FleetView {
  const view = new FleetView(client);
  const tree = vscode.window.createTreeView('fluxFleet.fleet', { treeDataProvider: view, showCollapseAll: true });
  let timer: NodeJS.Timeout | undefined;
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => view.refresh(), 1000);
  };
  const setFilter = async (f: FleetFilter | undefined) => {
    view.filter = f;
    tree.description = filterLabel(f);
    await vscode.commands.executeCommand('setContext', 'fluxFleet.fleet.filtered', f !== undefined);
    view.refilter();
  };
  const tenantFilter = async (name: string): Promise<FleetFilter | undefined> => {
    const filters = await client.sendRequest<FleetFiltersWire>('fluxFleet/fleetFilters');
    const t = filters.tenants.find((x) => x.name === name);
    if (!t) {
      void vscode.window.showInformationMessage(`Flux Fleet: no tenant named ${name} in this fleet.`);
      return undefined;
    }
    return { type: 'tenant', tenant: t.name, contexts: new Set(t.contexts) };
  };
  context.subscriptions.push(
    tree,
    vscode.languages.onDidChangeDiagnostics(later),
    vscode.workspace.onDidSaveTextDocument(later),
    vscode.commands.registerCommand('fluxFleet.fleet.refresh', () => view.refresh()),
    vscode.commands.registerCommand('fluxFleet.fleet.clearFilter', () => setFilter(undefined)),
    vscode.commands.registerCommand('fluxFleet.fleet.filter', async (arg?: FilterArgument) => {
      if (typeof arg === 'string') return setFilter(arg.trim() ? { type: 'text', text: arg.trim() } : undefined);
      if (arg && 'clusterFolder' in arg) {
        const filters = await client.sendRequest<FleetFiltersWire>('fluxFleet/fleetFilters');
        const c = filters.clusters.find((x) => vscode.Uri.parse(x.folderUri).toString() === arg.clusterFolder.toString());
        return setFilter(c ? { type: 'cluster', cluster: c.label, folderUri: c.folderUri } : undefined);
      }
      if (arg && 'tenant' in arg) return setFilter(await tenantFilter(arg.tenant));
      // The picker: every cluster and tenant of the fleet, a text, and clearing.
      const filters = await vscode.window.withProgress({ location: { viewId: 'fluxFleet.fleet' } }, () => client.sendRequest<FleetFiltersWire>('fluxFleet/fleetFilters'));
      type Pick = vscode.QuickPickItem & { filter?: FleetFilter; text?: true; clear?: true };
      // Two repositories of the same folder name have clusters of the same name: their folders tell them apart.
      const ambiguous = new Set(filters.clusters.map((c) => c.label).filter((l, i, all) => all.indexOf(l) !== i));
      const items: Pick[] = [
        ...(view.filter ? [{ label: '$(clear-all) Clear the filter', description: filterLabel(view.filter), clear: true as const }] : []),
        { label: 'Clusters', kind: vscode.QuickPickItemKind.Separator },
        ...filters.clusters.map((c): Pick => ({ label: `$(server-environment) ${c.label}`, description: ambiguous.has(c.label) ? vscode.workspace.asRelativePath(vscode.Uri.parse(c.folderUri), true) : 'cluster', filter: { type: 'cluster', cluster: c.label, folderUri: c.folderUri } })),
        { label: 'Tenants', kind: vscode.QuickPickItemKind.Separator },
        ...filters.tenants.map((t): Pick => ({ label: `$(organization) ${t.name}`, description: `tenant · ${t.contexts.length} context${t.contexts.length === 1 ? '' : 's'}`, filter: { type: 'tenant', tenant: t.name, contexts: new Set(t.contexts) } })),
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: '$(search) Text…', description: 'the roots that name a text anywhere below them', text: true },
      ];
      const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Show one cluster or one tenant of the fleet' });
      if (!pick) return;
      if (pick.clear) return setFilter(undefined);
      if (pick.filter) return setFilter(pick.filter);
      const text = await vscode.window.showInputBox({ prompt: 'Show the roots whose name or folder holds this text', value: view.filter?.type === 'text' ? view.filter.text : '' });
      if (text !== undefined) return setFilter(text.trim() ? { type: 'text', text: text.trim() } : undefined);
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
  registerFleetMenu(context, view, impact);
  return view;
}
