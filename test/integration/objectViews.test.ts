// Through the real server: the object views answer, and after an unsaved edit of a layer the server says the fleet
// changed (fluxFleet/fleetChanged, once typing pauses) and the next answer renders the edit. Rename of a variable
// answers one workspace edit across two repositories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, positionOf, uri } from '../helpers/lspClient';
import { materialize } from '../helpers/fixture';
import { FLEET } from '../helpers/objectViewsFleet';

test('rendered output and effective values follow an unsaved edit of a patch (fluxFleet/fleetChanged)', async () => {
  const m = materialize(FLEET);
  const client = await LspClient.start([m.file('repo')]);
  let changes = 0;
  client.conn.onNotification('fluxFleet/fleetChanged', () => void changes++);
  try {
    const web = m.file('repo/apps/base/web.yaml');
    const position = positionOf(fs.readFileSync(web, 'utf8'), 'kind: Deployment');
    const ask = (method: string) => client.request<{ text: string; object: unknown } | null>(method, { textDocument: { uri: uri(web) }, position });
    const first = await ask('fluxFleet/renderedOutput');
    assert.deepEqual(first?.object, { kind: 'Deployment', name: 'web', namespace: 'apps' });
    assert.match(first!.text, /replicas: 3/);
    assert.match((await ask('fluxFleet/objectValues'))!.text, /replicas: 3 # repo\/apps\/prod\/replicas\.yaml:7 \(patches\)/);
    await client.waitFor(() => changes > 0, 10000); // once after the index
    const seen = changes;
    const patch = m.file('repo/apps/prod/replicas.yaml');
    const text = fs.readFileSync(patch, 'utf8');
    await client.notify('textDocument/didOpen', { textDocument: { uri: uri(patch), languageId: 'yaml', version: 1, text } });
    await client.notify('textDocument/didChange', { textDocument: { uri: uri(patch), version: 2 }, contentChanges: [{ text: text.replace('replicas: 3', 'replicas: 4') }] });
    await client.waitFor(() => changes > seen, 10000);
    assert.match((await ask('fluxFleet/renderedOutput'))!.text, /replicas: 4/);
    assert.match((await ask('fluxFleet/objectValues'))!.text, /replicas: 4 # repo\/apps\/prod\/replicas\.yaml:7 \(patches\)/);
  } finally {
    await client.stop();
  }
});

test('rename of a variable through the server: one workspace edit over both repositories; a refusal is an error with the reason', async () => {
  const m = materialize(`
//- platform/.flux-fleet.yaml
repositories:
  https://example.com/apps: ../apps
//- platform/clusters/prod/sync.yaml
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: apps
  namespace: flux-system
spec:
  url: https://example.com/apps
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  prune: true
  sourceRef:
    kind: GitRepository
    name: apps
  postBuild:
    substitute:
      REGION: eu-west-1
//- apps/deploy/app.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app
  namespace: apps
data:
  region: \${REGION:=none}
  bad: \${TEAM}
//- apps/other/x.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  region: \${UNDEPLOYED}
`);
  const client = await LspClient.start([m.file('platform'), m.file('apps')]);
  try {
    const app = m.file('apps/deploy/app.yaml');
    const position = positionOf(fs.readFileSync(app, 'utf8'), 'REGION', 1);
    const prep = await client.request<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri(app) }, position });
    assert.equal(prep.placeholder, 'REGION');
    const edit = await client.request<{ documentChanges: Array<{ textDocument: { uri: string }; edits: Array<{ newText: string }> }> }>('textDocument/rename', { textDocument: { uri: uri(app) }, position, newName: 'AWS_REGION' });
    assert.deepEqual(edit.documentChanges.map((d) => [path.relative(m.dir, new URL(d.textDocument.uri).pathname), d.edits.map((e) => e.newText)]).sort(), [
      ['apps/deploy/app.yaml', ['AWS_REGION']],
      ['platform/clusters/prod/sync.yaml', ['AWS_REGION']],
    ]);
    const x = m.file('apps/other/x.yaml');
    await assert.rejects(client.request('textDocument/prepareRename', { textDocument: { uri: uri(x) }, position: positionOf(fs.readFileSync(x, 'utf8'), 'UNDEPLOYED') }), /No Flux Kustomization the fleet resolves deploys apps\/other\/x\.yaml/);
  } finally {
    await client.stop();
  }
});
