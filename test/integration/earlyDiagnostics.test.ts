// Issue 12: the first diagnostics of an open file within 1.5x the parse floor. The server indexes the open files
// first and publishes what they alone decide (a kustomization file's missing path, as the editor holds the text)
// before it indexes the rest; nothing it publishes then is withdrawn by the whole index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { startServer } from '../../server/src/lsp/server';
import { materialize } from '../helpers/fixture';

test('open files are indexed first: a kustomization\'s missing path is published before the rest of the fleet is indexed, and stays', async () => {
  const m = materialize(`//- fleet/apps/kustomization.yaml
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - config.yaml
//- fleet/apps/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  a: "1"
//- fleet/clusters/prod/source.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: fleet
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/example/fleet
//- fleet/clusters/prod/apps.yaml
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: fleet
`);
  const root = m.file('fleet');
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const events: string[] = [];
  const published = new Map<string, Array<{ code: string; message: string; range: unknown }>>();
  client.onNotification('window/logMessage', (p: { message: string }) => void (/YAML files indexed/.test(p.message) && events.push('indexed')));
  client.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Array<{ code: string; message: string; range: unknown }> }) => {
    events.push(`${path.relative(root, new URL(p.uri).pathname)}: ${p.diagnostics.map((d) => d.code).join(',')}`);
    published.set(p.uri, p.diagnostics);
  });
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'fleet' }] });
  // Opened before the index: the editor's text lists a file that does not exist (the disk's does not).
  const kustomization = m.file('fleet/apps/kustomization.yaml');
  const edited = fs.readFileSync(m.file('fleet/apps/kustomization.yaml'), 'utf8').replace('resources:\n', 'resources:\n  - not-there.yaml\n');
  const flux = m.file('fleet/clusters/prod/apps.yaml');
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(kustomization).href, languageId: 'yaml', version: 1, text: edited } });
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(flux).href, languageId: 'yaml', version: 1, text: fs.readFileSync(m.file('fleet/clusters/prod/apps.yaml'), 'utf8') } });
  await client.sendNotification('initialized', {});
  const until = Date.now() + 30_000;
  while (!events.includes('indexed') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 500));
  // Before the index: the missing path, and nothing for the Flux Kustomization (its source is in a file not indexed yet).
  assert.deepEqual(events.slice(0, events.indexOf('indexed')), ['apps/kustomization.yaml: path-not-found']);
  const final = published.get(pathToFileURL(kustomization).href) ?? [];
  assert.deepEqual(final.map((d) => d.code), ['path-not-found']);
  assert.match(final[0].message, /not-there\.yaml/);
  await client.sendRequest('shutdown');
  client.dispose();
  server.dispose();
});
