// "Show diff" on a context of the Fleet Impact view: VS Code's diff editor between the context's rendered output at
// the baseline and in the working tree, both read-only documents of a content provider that asks the server
// (`fluxFleet/renderedPair`). Open diffs follow the impact as it changes.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RENDERED_PAIR_REQUEST, type RenderedPairParams, type RenderedPairWire } from '../../server/src/lsp/impactProtocol';

export const SCHEME = 'flux-fleet-impact';
export const SHOW_DIFF_COMMAND = 'fluxFleet.impact.showDiff';

export class RenderedOutputProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const key = q.get('key') ?? '';
    const side = q.get('side') === 'base' ? 'base' : 'work';
    const pair = await this.client()?.sendRequest<RenderedPairWire>(RENDERED_PAIR_REQUEST, { key } satisfies RenderedPairParams, token);
    const text = pair?.[side];
    return text ?? `# This context does not exist ${side === 'base' ? 'at the baseline' : 'in the working tree'}.\n`;
  }

  /** The impact changed: the documents of open diffs are read again. */
  refresh(): void {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === SCHEME) this.changed.fire(doc.uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function renderedUri(key: string, name: string, side: 'base' | 'work'): vscode.Uri {
  // The path names the document in tabs (and gives it the YAML language); the query says what to render.
  const file = `${name.replace(/[^\w.-]+/g, '_')}.${side === 'base' ? 'baseline' : 'working'}.yaml`;
  return vscode.Uri.from({ scheme: SCHEME, path: `/${file}`, query: new URLSearchParams({ key, side }).toString() });
}

export async function showDiff(context: { key: string; name: string; baseline: string }): Promise<void> {
  await vscode.commands.executeCommand('vscode.diff', renderedUri(context.key, context.name, 'base'), renderedUri(context.key, context.name, 'work'), `${context.name}: ${context.baseline} ↔ working tree`, { preview: true });
}
