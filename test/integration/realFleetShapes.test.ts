// Shapes of real public fleets through the real server over stdio (test/fixtures/real-shapes): a child Kustomization's
// spec.path with a variable its parent substitutes is decided per context, in diagnostics, hover and definition.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, positionOf, uri } from '../helpers/lspClient';

const dir = path.resolve(__dirname, '../fixtures/real-shapes');
const web = path.join(dir, 'fleet/tenants/web.yaml');
const apps = path.join(dir, 'fleet/tenants/apps.yaml');
let client: LspClient;

before(async () => {
  client = await LspClient.start([path.join(dir, 'fleet'), path.join(dir, 'apps')]);
  // The per-context finding comes from the evaluated builds, after the link findings.
  await client.waitFor(() => (client.diagnostics.get(uri(web)) ?? []).some((d) => d.code === 'path-not-found'));
});
after(async () => client?.stop());

test('a variable spec.path: only the context whose folder is missing is reported, at the path', () => {
  const d = client.diagnostics.get(uri(web)) ?? [];
  assert.deepEqual(d.map((x) => `${x.code} ${x.range.start.line + 1}`), ['path-not-found 8']);
  assert.match(d[0].message, /becomes '\.\/web\/prod' in context .*prod.*which does not exist in apps/);
  assert.doesNotMatch(d[0].message, /staging/);
  assert.deepEqual(client.diagnostics.get(uri(apps)) ?? [], []);
});

test('hover and definition on a variable spec.path name each context and its folder', async () => {
  const text = fs.readFileSync(apps, 'utf8');
  const position = positionOf(text, '${ENVIRONMENT}', 3);
  const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uri(apps) }, position });
  assert.match(h.contents.value, /prod.*`\.\/apps\/prod` → `apps\/apps\/prod`/);
  assert.match(h.contents.value, /staging.*`\.\/apps\/staging` → `apps\/apps\/staging`/);
  const defs = await client.request<Array<{ uri: string }>>('textDocument/definition', { textDocument: { uri: uri(apps) }, position });
  assert.deepEqual(defs.map((l) => l.uri).sort(), [uri(path.join(dir, 'apps/apps/prod/kustomization.yaml')), uri(path.join(dir, 'apps/apps/staging/kustomization.yaml'))]);
});

test('document symbols (the Outline): each document of a file, and a kustomization file by field', async () => {
  const syms = await client.request<Array<{ name: string; children?: Array<{ name: string; children?: Array<{ name: string }> }> }>>('textDocument/documentSymbol', { textDocument: { uri: uri(path.join(dir, 'fleet/clusters/prod/flux-system.yaml')) } });
  assert.deepEqual(syms.map((s) => s.name), ['GitRepository flux-system/flux-system', 'Kustomization flux-system/tenants']);
  const k = await client.request<Array<{ name: string; children?: Array<{ name: string; children?: Array<{ name: string }> }> }>>('textDocument/documentSymbol', { textDocument: { uri: uri(path.join(dir, 'apps/apps/prod/kustomization.yaml')) } });
  assert.deepEqual(k.map((s) => s.name), ['Kustomization']);
  assert.deepEqual(k[0].children?.map((c) => `${c.name}: ${c.children?.map((x) => x.name).join(', ')}`), ['resources: config.yaml']);
});
