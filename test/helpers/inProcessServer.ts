// The language server in-process over streams (lsp/server.ts startServer), with a client that records what it is
// sent: progress, the fleet status, logs; the tests ask it requests.
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { startServer } from '../../server/src/lsp/server';
import type { FleetStatusWire } from '../../server/src/lsp/fleetStatus';

export interface Progress {
  token: string;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number };
}

/** `workDoneProgress`: the client's capability; `'never answers'`: it has it, but never answers a create request. */
export async function serveInProcess(folders: string[], initializationOptions: Record<string, unknown>, workDoneProgress: boolean | 'never answers' = true) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server);
  const client: MessageConnection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const created: string[] = [];
  const progress: Progress[] = [];
  const statuses: FleetStatusWire[] = [];
  const logs: string[] = [];
  client.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
  client.onNotification('textDocument/publishDiagnostics', () => {});
  client.onNotification('fluxFleet/status', (s: FleetStatusWire) => void statuses.push(s));
  client.onNotification('$/progress', (p: Progress) => void progress.push(p));
  client.onRequest('window/workDoneProgress/create', (p: { token: string }) => (workDoneProgress === 'never answers' ? new Promise(() => {}) : void created.push(p.token)));
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    capabilities: { window: { workDoneProgress: workDoneProgress !== false } },
    initializationOptions,
    workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
  });
  await client.sendNotification('initialized', {});
  const waitFor = async (what: string, p: () => boolean, ms = 30000) => {
    const until = Date.now() + ms;
    while (!p()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    await client.sendRequest('shutdown');
    client.dispose();
    server.dispose();
  };
  return { client, created, progress, statuses, logs, waitFor, stop };
}
