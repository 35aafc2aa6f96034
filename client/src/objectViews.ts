// Read-only documents the server writes: the rendered output and the effective values of the object under the cursor
// (in the pinned context), and the effective-values table a folded hover links to. Each is asked for again whenever
// the server says the fleet changed (fluxFleet/fleetChanged, sent once typing pauses) or the pin moved, so they update
// as you edit.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** The object views' scheme (YAML documents) and the hover's table (Markdown). */
export const OBJECT_VIEW_SCHEME = 'flux-fleet-view';
const VALUES_TABLE_SCHEME = 'flux-fleet-values';

type Position = { line: number; character: number };
type View = 'rendered' | 'values';
type ObjectHint = { kind: string; name: string; namespace?: string };

const REQUEST: Record<View, string> = { rendered: 'fluxFleet/renderedOutput', values: 'fluxFleet/objectValues' };
const TITLE: Record<View, string> = { rendered: 'rendered', values: 'effective values' };

/** What a view document shows, from its URI's query: the source document, the cursor, which view. */
interface ViewQuery {
  uri: string;
  position: Position;
  view: View;
}

export function registerObjectViews(context: vscode.ExtensionContext, client: LanguageClient): void {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  /** Per view document: the object it follows (the server's first answer names it) and the last text shown. */
  const state = new Map<string, { object?: ObjectHint; text?: string }>();

  const refreshAll = () => {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === OBJECT_VIEW_SCHEME || doc.uri.scheme === VALUES_TABLE_SCHEME) changed.fire(doc.uri);
  };

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(OBJECT_VIEW_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: async (uri) => {
        const q = JSON.parse(uri.query) as ViewQuery;
        const s = state.get(uri.toString()) ?? {};
        state.set(uri.toString(), s);
        try {
          const a = await client.sendRequest<{ text: string; object: ObjectHint } | null>(REQUEST[q.view], { textDocument: { uri: q.uri }, position: q.position, object: s.object });
          if (a) {
            s.object = a.object;
            s.text = a.text;
          }
          return a?.text ?? s.text ?? '# No object at this position any more.\n';
        } catch {
          // Cancelled by a newer edit: the fleet-changed notice that follows asks again.
          return s.text ?? '# Not answered yet: it will be once the fleet is read.\n';
        }
      },
    }),
    // The effective-values table a folded hover links to (Markdown), kept up to date the same way.
    vscode.workspace.registerTextDocumentContentProvider(VALUES_TABLE_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: async (uri) => {
        const [docUri, position] = JSON.parse(uri.query) as [string, Position];
        const text = await client.sendRequest<string | null>('fluxFleet/effectiveValues', { textDocument: { uri: docUri }, position }).then(
          (t) => t,
          () => undefined,
        );
        return text ?? 'No effective value at this position any more.';
      },
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => state.delete(doc.uri.toString())),
    vscode.commands.registerCommand('fluxFleet.showRenderedOutput', (resource?: unknown) => openView('rendered', resource)),
    // From a hover's "show all" link (document URI and position): the value table; from a menu: the object's values.
    vscode.commands.registerCommand('fluxFleet.showEffectiveValues', async (docUri?: unknown, position?: Position) => {
      if (typeof docUri === 'string' && position) return openValuesTable(docUri, position);
      return openView('values', docUri);
    }),
  );
  client.onNotification('fluxFleet/fleetChanged', refreshAll);

  async function openView(view: View, resource: unknown): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const target = resource instanceof vscode.Uri ? resource : editor?.document.uri;
    if (!target || !editor || editor.document.uri.toString() !== target.toString()) {
      void vscode.window.showInformationMessage('Flux Fleet: put the cursor on an object in a YAML file first.');
      return;
    }
    const position = editor.selection.active;
    const name = `${path.basename(target.fsPath)}:${position.line + 1} ${TITLE[view]}.yaml`;
    const query: ViewQuery = { uri: target.toString(), position: { line: position.line, character: position.character }, view };
    const uri = vscode.Uri.from({ scheme: OBJECT_VIEW_SCHEME, path: '/' + name, query: JSON.stringify(query) });
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  async function openValuesTable(docUri: string, position: Position): Promise<void> {
    const name = `${path.basename(vscode.Uri.parse(docUri).fsPath)}:${position.line + 1} effective values.md`;
    const uri = vscode.Uri.from({ scheme: VALUES_TABLE_SCHEME, path: '/' + name, query: JSON.stringify([docUri, position]) });
    await vscode.commands.executeCommand('markdown.showPreview', uri).then(undefined, async () => vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true }));
  }
}
