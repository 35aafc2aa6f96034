// "Map <url> to a local folder…" through the real server (issue 16): never a placeholder written behind the user's
// back. A client with the folder-picker command (VS Code) gets that command and no edit; any other client gets the
// edit and a command that opens `.flux-fleet.yaml` at the placeholder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';
import { tempDir } from '../helpers/tempDir';

function fleetWithUnmappedSource(): string {
  const dir = tempDir('unmapped-');
  const repo = path.join(dir, 'repo');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.writeFileSync(path.join(repo, '.git/config'), '[remote "origin"]\n\turl = https://github.com/acme/repo\n');
  fs.writeFileSync(
    path.join(repo, 'sync.yaml'),
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  url: oci://ghcr.io/acme/apps\n---\n' +
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./\n  prune: true\n  sourceRef:\n    kind: OCIRepository\n    name: apps\n',
  );
  return repo;
}

async function mapAction(client: LspClient, repo: string) {
  const file = path.join(repo, 'sync.yaml');
  await client.waitFor(() => (client.diagnostics.get(uri(file)) ?? []).some((d) => d.code === 'source-not-mapped'));
  const diagnostics = client.diagnostics.get(uri(file))!.filter((d) => d.code === 'source-not-mapped');
  const actions = await client.request<Array<{ title: string; edit?: unknown; command?: { command: string; arguments: unknown[] } }>>('textDocument/codeAction', {
    textDocument: { uri: uri(file) },
    range: diagnostics[0].range,
    context: { diagnostics },
  });
  const action = actions.find((a) => a.title === 'Map oci://ghcr.io/acme/apps to a local folder…');
  assert.ok(action, JSON.stringify(actions));
  return action!;
}

test('VS Code (the folder-picker command): the action asks, writes nothing; the chosen folder is then mapped', async () => {
  const repo = fleetWithUnmappedSource();
  const client = await LspClient.start([repo], {}, { initializationOptions: { clientCommands: ['fluxFleet.chooseRepositoryFolder'] } });
  try {
    const action = await mapAction(client, repo);
    assert.equal(action.edit, undefined);
    assert.equal(action.command!.command, 'fluxFleet.chooseRepositoryFolder');
    assert.deepEqual(action.command!.arguments, ['oci://ghcr.io/acme/apps', uri(path.join(repo, '.flux-fleet.yaml')), [uri(path.join(path.dirname(repo), 'apps'))]]);
    await client.request('workspace/executeCommand', { command: 'fluxFleet.addMapping', arguments: ['oci://ghcr.io/acme/apps', uri(path.join(repo, '.flux-fleet.yaml')), uri(path.join(path.dirname(repo), 'apps-clone'))] });
    assert.equal(client.applied.length, 1);
    const changes = (client.applied[0] as { edit: { documentChanges: Array<{ kind?: string; uri?: string; edits?: Array<{ newText: string }> }> } }).edit.documentChanges;
    assert.deepEqual(changes[0], { kind: 'create', uri: uri(path.join(repo, '.flux-fleet.yaml')) });
    assert.equal(changes[1].edits![0].newText, 'repositories:\n  oci://ghcr.io/acme/apps: ../apps-clone\n');
  } finally {
    await client.stop();
    fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  }
});

test('any other client: the edit writes the placeholder and its command opens .flux-fleet.yaml there', async () => {
  const repo = fleetWithUnmappedSource();
  const client = await LspClient.start([repo]);
  try {
    const action = await mapAction(client, repo);
    assert.ok(action.edit);
    assert.deepEqual(action.command, { title: 'Show the placeholder', command: 'fluxFleet.revealPlaceholder', arguments: [uri(path.join(repo, '.flux-fleet.yaml')), '../path/to/local/clone'] });
    // The client applied the edit; then runs the command.
    fs.writeFileSync(path.join(repo, '.flux-fleet.yaml'), 'repositories:\n  oci://ghcr.io/acme/apps: ../path/to/local/clone\n');
    await client.request('workspace/executeCommand', action.command);
    assert.deepEqual(client.shown, [{ uri: uri(path.join(repo, '.flux-fleet.yaml')), takeFocus: true, selection: { start: { line: 1, character: 27 }, end: { line: 1, character: 49 } } }]);
  } finally {
    await client.stop();
    fs.rmSync(path.dirname(repo), { recursive: true, force: true });
  }
});
