// `fluxFleet/move` through the language server (in-process, over streams): the plan as one WorkspaceEdit — renamed
// files and reference edits under one annotation that asks for the editor's preview, with the proof in its
// description — and a refused move as an error carrying the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import { startServer } from '../../server/src/lsp/server';
import { tempDir } from '../helpers/tempDir';

test('fluxFleet/move answers a WorkspaceEdit with the renames and the rewritten references; onto an existing folder, an error with the reason', async () => {
  const dir = tempDir('ff-move-lsp-');
  fs.cpSync(path.resolve(__dirname, '../fixtures/fleet'), dir, { recursive: true });
  const platform = path.join(dir, 'platform');
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onNotification('window/logMessage', () => {});
  client.onNotification('textDocument/publishDiagnostics', () => {});
  client.onNotification(() => {});
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.onRequest('client/registerCapability', () => null);
  client.onRequest(() => null);
  client.listen();
  const folders = ['platform', 'tenant-a', 'tenant-b'].map((f) => path.join(dir, f));
  await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })) });
  await client.sendNotification('initialized', {});
  const uri = (rel: string) => pathToFileURL(path.join(platform, rel)).href;
  const rel = (u: string) => path.relative(platform, fileURLToPath(u));
  try {
    const edit = await client.sendRequest<WorkspaceEdit>('fluxFleet/move', { from: uri('components/monitoring'), to: uri('components/observability') });
    const renames: string[] = [];
    const edits: string[] = [];
    for (const c of edit.documentChanges ?? []) {
      if ('kind' in c && c.kind === 'rename') renames.push(`${rel(c.oldUri)} → ${rel(c.newUri)}`);
      else if ('kind' in c && c.kind === 'delete') renames.push(`delete ${rel(c.uri)} (recursive: ${c.options?.recursive})`);
      else if ('textDocument' in c) for (const e of c.edits as TextEdit[]) edits.push(`${rel(c.textDocument.uri)}:${e.range.start.line + 1}: ${e.newText}`);
    }
    assert.deepEqual(renames, [
      'components/monitoring/kustomization.yaml → components/observability/kustomization.yaml',
      'components/monitoring/servicemonitor.yaml → components/observability/servicemonitor.yaml',
      'delete components/monitoring (recursive: false)',
    ]);
    // The plan's edits, and one empty insert under the review annotation: it alone asks for confirmation, so VS
    // Code opens its preview with every change of the plan ticked.
    assert.deepEqual(edits.sort(), ['apps/prod/kustomization.yaml:1: ', 'apps/prod/kustomization.yaml:8: ../../components/observability', 'clusters/prod/infra.yaml:14: ../components/observability']);
    const note = edit.changeAnnotations?.['fluxFleet.operation'];
    assert.equal(note?.needsConfirmation, false);
    assert.equal(edit.changeAnnotations?.['fluxFleet.review']?.needsConfirmation, true);
    assert.match(note?.description ?? '', /every context renders the same: 3 contexts .* no new finding/);
    await assert.rejects(client.sendRequest('fluxFleet/move', { from: uri('components/monitoring'), to: uri('apps/prod') }), /apps\/prod exists: a move never overwrites/);
    // Nothing was written: the server only plans.
    assert.ok(fs.existsSync(path.join(platform, 'components/monitoring/kustomization.yaml')));
  } finally {
    await client.sendRequest('shutdown');
    client.dispose();
    server.dispose();
  }
});
