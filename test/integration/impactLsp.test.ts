// The change impact through the language server (in-process, over streams): a Git repository made here, an unsaved
// edit that mistypes a prune: true Kustomization's spec.path, and what the client gets: `fluxFleet/impactChanged`,
// the same answer from `fluxFleet/impact`, the `prune-deletes` diagnostic with the file's others, the rendered pair,
// and the setting `fluxFleet.impact.baseline` turning it off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { startServer } from '../../server/src/lsp/server';
import type { FleetImpactWire, RenderedPairWire } from '../../server/src/lsp/impactProtocol';
import { commitEverything } from '../helpers/gitHistory';
import { tempDir } from '../helpers/tempDir';

const FIXTURE = path.resolve(__dirname, '../fixtures/impact-editor/fleet');

interface Diag {
  code?: string;
  severity?: number;
  message: string;
  range: { start: { line: number; character: number } };
  relatedInformation?: Array<{ location: { uri: string }; message: string }>;
}

async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('an unsaved typo in a prune: true spec.path: impactChanged, fluxFleet/impact, the prune-deletes diagnostic, the rendered pair; an empty baseline turns it off', async () => {
  const dir = tempDir('flux-fleet-impact-lsp-');
  const fleet = path.join(dir, 'fleet');
  fs.cpSync(FIXTURE, fleet, { recursive: true });
  await commitEverything(fleet);

  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const impacts: FleetImpactWire[] = [];
  const diagnostics = new Map<string, Diag[]>();
  let settings: Record<string, unknown> = { impact: { baseline: 'HEAD' } };
  client.onNotification('window/logMessage', () => {});
  client.onNotification('fluxFleet/impactChanged', (p: FleetImpactWire) => void impacts.push(p));
  client.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diag[] }) => void diagnostics.set(p.uri, p.diagnostics));
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  try {
    await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } }, workspaceFolders: [{ uri: pathToFileURL(fleet).href, name: 'fleet' }] });
    await client.sendNotification('initialized', {});

    // Nothing edited: the impact is empty, and says what it compared with.
    const clean = await until('the first impact', () => impacts[0]);
    assert.equal(clean.enabled, true);
    assert.equal(clean.baseline.label, 'HEAD');
    assert.deepEqual([clean.contexts, clean.dangers, clean.totals.objects], [[], [], 0]);

    // The edit, unsaved: the editor's text differs from the disk and from HEAD.
    const file = path.join(fleet, 'clusters/prod/apps.yaml');
    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8').replace('path: ./apps/prod', 'path: ./apps/prdo');
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const changed = await until('an impact with the deletion', () => impacts.find((i) => i.contexts.length > 0));

    assert.deepEqual(changed.changedFiles, [{ uri, status: 'changed' }]);
    // The cluster's root sees the Kustomization's spec.path change; the Kustomization's own context loses everything.
    assert.deepEqual(
      changed.contexts.map((c) => [c.cluster, c.name, c.status, c.prune, c.objects.map((o) => `${o.status} ${o.kind} ${o.namespace ?? ''}/${o.name}`)]),
      [
        ['fleet/clusters/prod/flux-system', 'flux-system/flux-system', 'changed', true, ['changed Kustomization flux-system/apps']],
        ['fleet/clusters/prod/flux-system', 'flux-system/apps', 'changed', true, ['removed Deployment shop/web', 'removed Namespace /shop']],
      ],
    );
    const field = changed.contexts[0].objects[0].fields[0];
    assert.deepEqual(field, { path: '/spec/path', old: './apps/prod', new: './apps/prdo', cause: { uri, range: { start: { line: 7, character: 8 }, end: { line: 7, character: 19 } }, layer: 'resource' } });
    assert.deepEqual(changed.totals, { contexts: 2, objects: 3, added: 0, removed: 2, changed: 1, deletions: 2 });
    const danger = changed.dangers.find((d) => d.code === 'prune-deletes');
    assert.ok(danger, JSON.stringify(changed.dangers));
    assert.equal(danger.severity, 'error'); // it deletes a Namespace
    assert.deepEqual(danger.contexts, [changed.contexts[1].key]);
    assert.deepEqual(danger.at?.uri, uri);
    assert.equal(danger.at?.range?.start.line, 7); // `  path: ./apps/prdo`

    // The request answers the same impact.
    const asked = await client.sendRequest<FleetImpactWire>('fluxFleet/impact', {});
    assert.deepEqual(asked, impacts[impacts.length - 1]);

    // The diagnostic, with the file's others (path-not-found on the same value).
    const diags = await until('prune-deletes on apps.yaml', () => (diagnostics.get(uri)?.some((d) => d.code === 'prune-deletes') ? diagnostics.get(uri) : undefined));
    const prune = diags.find((d) => d.code === 'prune-deletes')!;
    assert.equal(prune.severity, 1);
    assert.equal(prune.range.start.line, 7);
    assert.match(prune.message, /Namespace shop/);
    assert.match(prune.message, /Deployment shop\/web/);
    assert.match(prune.message, /clusters\/prod/);
    assert.deepEqual(
      prune.relatedInformation?.map((r) => [path.relative(fleet, new URL(r.location.uri).pathname), r.message]),
      [['apps/base/namespace.yaml', 'deleted: Namespace shop'], ['apps/base/deployment.yaml', 'deleted: Deployment shop/web']],
    );
    assert.ok(diags.some((d) => d.code === 'path-not-found'), `the file's own findings stay: ${diags.map((d) => d.code).join(', ')}`);

    // The rendered output at HEAD and now (the working build has nothing: the folder does not exist).
    const pair = await client.sendRequest<RenderedPairWire>('fluxFleet/renderedPair', { key: changed.contexts[1].key });
    assert.match(pair.base ?? '', /kind: Namespace\nmetadata:\n {2}name: shop/);
    assert.doesNotMatch(pair.work ?? '', /kind: Namespace/);

    // Undo the edit: no impact, no prune-deletes.
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fs.readFileSync(file, 'utf8') }] });
    await until('the impact to empty again', () => (impacts[impacts.length - 1].contexts.length === 0 ? true : undefined));
    await until('prune-deletes to clear', () => (diagnostics.get(uri)?.some((d) => d.code === 'prune-deletes') ? undefined : true));

    // An empty baseline setting: no comparison at all.
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
    await until('the deletion again', () => (impacts[impacts.length - 1].contexts.length > 0 ? true : undefined));

    // Committed (the typo saved and committed, HEAD moves): the editor's text is HEAD's, nothing changes.
    fs.writeFileSync(file, text);
    await commitEverything(fleet, 'the typo, committed');
    const head = pathToFileURL(path.join(fleet, '.git/refs/heads/main')).href;
    await client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: head, type: 2 }, { uri, type: 2 }] });
    await until('the impact to follow HEAD', () => (impacts[impacts.length - 1].contexts.length === 0 ? true : undefined));
    settings = { impact: { baseline: '' } };
    await client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const off = await until('the impact to turn off', () => (impacts[impacts.length - 1].enabled ? undefined : impacts[impacts.length - 1]));
    assert.deepEqual([off.contexts, off.totals.objects], [[], 0]);
    await until('prune-deletes to clear once off', () => (diagnostics.get(uri)?.some((d) => d.code === 'prune-deletes') ? undefined : true));
    await client.sendRequest('shutdown');
  } finally {
    client.dispose();
    server.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
