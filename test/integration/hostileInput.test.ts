// Hostile and half-typed input through the real server: a kustomization.yaml holding nothing kustomize reads (what a
// user has while typing a new one) must not kill the server; it keeps answering hovers and publishing diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, positionOf, uri } from '../helpers/lspClient';
import { tempDir } from '../helpers/tempDir';

function copyFleet(): string {
  const dir = tempDir('ff-hostile-');
  fs.cpSync(path.resolve(__dirname, '../fixtures/fleet'), dir, { recursive: true });
  return dir;
}

test('typing a new kustomization.yaml (empty, a comment, kind alone, a list, NUL bytes) never kills the server', async () => {
  const dir = copyFleet();
  const client = await LspClient.start([path.join(dir, 'platform'), path.join(dir, 'tenant-a')]);
  let exited = false;
  client.proc.on('exit', () => (exited = true));
  try {
    const kustomization = path.join(dir, 'platform/apps/prod/kustomization.yaml');
    const apps = path.join(dir, 'platform/clusters/prod/apps.yaml');
    const appsText = fs.readFileSync(apps, 'utf8');
    const original = fs.readFileSync(kustomization, 'utf8');
    await client.waitFor(() => client.diagnostics.size > 0, 20000);
    await client.notify('textDocument/didOpen', { textDocument: { uri: uri(kustomization), languageId: 'yaml', version: 1, text: original } });
    const texts = ['', '# resources to come\n', 'kind: Kustomization\n', '- a\n', 'resources:\0\n', 'kind: Kustomization\n'];
    let version = 1;
    for (const text of texts) {
      await client.notify('textDocument/didChange', { textDocument: { uri: uri(kustomization), version: ++version }, contentChanges: [{ text }] });
      // The whole-fleet link runs when typing pauses (~200 ms): wait past it, then ask.
      await new Promise((r) => setTimeout(r, 400));
      const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri(apps) }, position: positionOf(appsText, './apps/prod', 3) });
      assert.ok(hover?.contents.value, `hover answered after ${JSON.stringify(text)}`);
      assert.ok(!exited, `server alive after ${JSON.stringify(text)}`);
    }
    // `kind: Kustomization` alone: kustomize's own error, where the user types.
    await client.waitFor(() => (client.diagnostics.get(uri(kustomization)) ?? []).some((d) => d.code === 'kustomize-build-error' && /kustomization\.yaml is empty/.test(d.message)), 20000);
    // The file on disk in UTF-16 (saved by another editor): still alive, still answering.
    await client.notify('textDocument/didClose', { textDocument: { uri: uri(kustomization) } });
    fs.writeFileSync(kustomization, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(original, 'utf16le')]));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(kustomization), type: 2 }] });
    await new Promise((r) => setTimeout(r, 400));
    const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uri(apps) }, position: positionOf(appsText, './apps/prod', 3) });
    assert.ok(hover?.contents.value);
    assert.ok(!exited, 'server alive after a UTF-16 kustomization.yaml');
  } finally {
    await client.stop();
  }
});
