// What the server tells the user besides answers (issue 16): a quiet log, one message for a folder without Flux, and
// the effective-values document a folded hover links to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspClient, positionOf, uri } from '../helpers/lspClient';
import { tempDir } from '../helpers/tempDir';

const valuesDir = path.resolve(__dirname, '../fixtures/values');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the log is quiet: an evaluation that finds what the last one found is not logged again (logLevel debug logs each)', async () => {
  const release = path.join(valuesDir, 'tenant/app/release.yaml');
  const text = fs.readFileSync(release, 'utf8');
  for (const logLevel of ['info', 'debug']) {
    const client = await LspClient.start([path.join(valuesDir, 'platform'), path.join(valuesDir, 'tenant')], { logLevel });
    try {
      const evaluated = () => client.logs.filter((l) => /evaluated/.test(l)).length;
      await client.waitFor(() => evaluated() > 0, 30000);
      await client.notify('textDocument/didOpen', { textDocument: { uri: uri(release), languageId: 'yaml', version: 1, text } });
      // Three keystrokes that change no finding, each after the server evaluated the last one.
      for (let v = 2; v <= 4; v++) {
        await client.notify('textDocument/didChange', { textDocument: { uri: uri(release), version: v }, contentChanges: [{ text: text + '#'.repeat(v) + '\n' }] });
        await sleep(1500);
      }
      if (logLevel === 'info') assert.equal(evaluated(), 1, client.logs.join('\n'));
      else assert.ok(evaluated() >= 3, client.logs.join('\n'));
    } finally {
      await client.stop();
    }
  }
});

test('a folder with no Flux configuration: one message, with the fix', async () => {
  const dir = tempDir('no-flux-');
  fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicaCount: 1\n');
  fs.writeFileSync(path.join(dir, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
  const client = await LspClient.start([dir]);
  try {
    await client.waitFor(() => client.messages.length > 0, 10000);
    await client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [] } });
    await sleep(500);
    assert.equal(client.messages.length, 1);
    assert.match(client.messages[0], /^Flux Fleet found no Flux configuration in .*no-flux-.*: no Flux Kustomization, source, HelmRelease or kustomization\.yaml\. Open the folder of your fleet repository/);
    assert.match(client.messages[0], /\.flux-fleet\.yaml `repositories:`/);
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const fleet = await LspClient.start([path.join(valuesDir, 'platform'), path.join(valuesDir, 'tenant')]);
  try {
    await fleet.waitFor(() => fleet.logs.some((l) => /indexed/.test(l)), 10000);
    await sleep(300);
    assert.deepEqual(fleet.messages, []);
  } finally {
    await fleet.stop();
  }
});

test('a folded hover links "show all" (VS Code) to the effective-values document the server answers unfolded', async () => {
  const m = path.join(os.tmpdir(), `big-fleet-${process.pid}`);
  fs.rmSync(m, { recursive: true, force: true });
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(m, rel)), { recursive: true });
    fs.writeFileSync(path.join(m, rel), text);
  };
  write('.flux-fleet.yaml', 'repositories:\n  https://github.com/acme/big: .\n');
  write('clusters/prod/sync.yaml', 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  url: https://github.com/acme/big\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n');
  const names = ['one', 'two', 'three', 'four', 'five'];
  write('apps/kustomization.yaml', `namespace: default\nresources:\n${names.map((n) => `  - ${n}.yaml`).join('\n')}\n`);
  for (const n of names) write(`apps/${n}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n`);
  const client = await LspClient.start([m], {}, { clientName: 'Visual Studio Code' });
  try {
    const file = path.join(m, 'apps/kustomization.yaml');
    const position = positionOf(fs.readFileSync(file, 'utf8'), 'default', 2);
    const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uri(file) }, position });
    const link = /\[Show all effective values\]\(command:fluxFleet\.showEffectiveValues\?([^)]+)\)$/.exec(h.contents.value);
    assert.ok(link, h.contents.value);
    assert.deepEqual(JSON.parse(decodeURIComponent(link![1])), [uri(file), position]);
    assert.match(h.contents.value, /\+2 more/);
    const all = await client.request<string>('fluxFleet/effectiveValues', { textDocument: { uri: uri(file) }, position });
    for (const n of names) assert.match(all, new RegExp(`ConfigMap default/${n}\\b`));
    assert.doesNotMatch(all, /more|Show all/);
  } finally {
    await client.stop();
    fs.rmSync(m, { recursive: true, force: true });
  }
});
