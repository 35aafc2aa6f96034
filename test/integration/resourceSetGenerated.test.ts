// Objects a ResourceSet generates, through the real server over stdio (test/fixtures/operator-generated): schema
// problems of a generated object are diagnostics at the template line, the required-owner lock on a generated
// HelmRelease is one at the line naming it, and the hover on a template's values line shows the generated releases'
// effective values per input set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';

const platform = path.resolve(__dirname, '../fixtures/operator-generated/platform');
const apps = path.join(platform, 'clusters/prod/apps.yaml');
const config = path.join(platform, 'clusters/prod/config.yaml');
let client: LspClient;

type Diagnostic = { code?: unknown; message: string; range: { start: { line: number; character: number } } };
const codes = (f: string) => ((client.diagnostics.get(uri(f)) ?? []) as Diagnostic[]).map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();

before(async () => {
  client = await LspClient.start([platform], {}, {});
  await client.waitFor(() => codes(apps).includes('missing-required 27:13'));
});
after(async () => {
  await client?.stop();
});

const position = (text: string, offset: number) => {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
};

test('schema problems of generated objects and the lock on a generated release are diagnostics at the template lines', async () => {
  await client.waitFor(() => codes(config).length > 0);
  assert.deepEqual(codes(config), ['object-not-found 26:13', 'schema 41:19']);
  assert.deepEqual(codes(apps), ['missing-required 27:13', 'schema 31:7']);
  const d = (client.diagnostics.get(uri(config))! as Diagnostic[]).find((x) => x.code === 'schema')!;
  assert.match(d.message, /spec\.interval: must be a string, not an integer \(5\) .*\(input set 0 \(tenant: team-a\) of ResourceSet flux-system\/config\)$/);
});

test('hover on a generated HelmRelease value shows its effective value per input set, set by the ResourceSet', async () => {
  const text = fs.readFileSync(apps, 'utf8');
  const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uri(apps) }, position: position(text, text.indexOf('enabled: true') + 10) });
  assert.match(h.contents.value, /`values\.ingress\.enabled` of HelmRelease team-a\/podinfo, HelmRelease team-b\/podinfo/);
  assert.match(h.contents.value, /spec\.values \(ResourceSet flux-system\/apps, input set 0 \(tenant: team-a, replicas: 2\)\) · `platform\/clusters\/prod\/apps\.yaml:44`/);
});
