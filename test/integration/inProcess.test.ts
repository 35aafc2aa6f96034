// The language server in-process (lsp/server.ts startServer over in-memory streams): nothing runs at import time,
// so a test can wire it to its own transport. Also: a request the client cancels is answered with RequestCancelled
// or its result, and the server goes on answering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import { CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { startServer } from '../../server/src/lsp/server';

const dir = path.resolve(__dirname, '../fixtures/real-shapes');

test('the server runs in-process over streams: hover and definition on a variable spec.path; a cancelled request does not stop it', async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onNotification('window/logMessage', () => {});
  client.onNotification('textDocument/publishDiagnostics', () => {});
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  const folders = ['fleet', 'apps'].map((f) => path.join(dir, f));
  await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })) });
  await client.sendNotification('initialized', {});
  const file = path.join(dir, 'fleet/tenants/apps.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf('${ENVIRONMENT}') + 3;
  const position = { line: text.slice(0, at).split('\n').length - 1, character: at - text.lastIndexOf('\n', at - 1) - 1 };
  const params = { textDocument: { uri: pathToFileURL(file).href }, position };

  const cancelled = new CancellationTokenSource();
  const first = client.sendRequest('textDocument/hover', params, cancelled.token).then(
    () => 'answered',
    (e: { code?: number }) => (e.code === -32800 ? 'cancelled' : `failed ${e.code}`),
  );
  cancelled.cancel();
  assert.match(await first, /^(answered|cancelled)$/);

  const h = await client.sendRequest<{ contents: { value: string } }>('textDocument/hover', params);
  assert.match(h.contents.value, /`\.\/apps\/prod` → `apps\/apps\/prod`/);
  const defs = await client.sendRequest<Array<{ uri: string }>>('textDocument/definition', params);
  assert.equal(defs.length, 2);
  await client.sendRequest('shutdown');
  client.dispose();
  server.dispose();
});
