// ResourceSets through the real server over stdio (test/fixtures/operator-fleet): expansion findings published as
// diagnostics at their template lines, hover on `<< inputs.x >>`, completion of input keys after `inputs.` (the `.`
// trigger asks for nothing else), and go-to-definition from a reference to a generated Kustomization to its template.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';

const dir = path.resolve(__dirname, '../fixtures/operator-fleet');
const platform = path.join(dir, 'platform');
const tenants = path.join(platform, 'clusters/prod/tenants');
let client: LspClient;

before(async () => {
  // Both repositories are workspace folders: a repository's own .flux-fleet.yaml maps only inside them.
  client = await LspClient.start([platform, path.join(dir, 'tenants')], {}, {});
  await client.waitFor(() => client.diagnostics.has(uri(path.join(tenants, 'broken.yaml'))));
});
after(async () => {
  await client?.stop();
});

const position = (text: string, offset: number) => {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
};

test('expansion findings are diagnostics at the template, the missing tenant folder named by its input set', async () => {
  const broken = path.join(tenants, 'broken.yaml');
  const inline = path.join(tenants, 'inline.yaml');
  await client.waitFor(() => (client.diagnostics.get(uri(inline)) ?? []).length > 0);
  const codes = (f: string) => (client.diagnostics.get(uri(f)) ?? []).map((d: { code?: unknown; range: { start: { line: number; character: number } } }) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();
  assert.deepEqual(codes(broken), ['template-error 10:7', 'undefined-input 18:18']);
  assert.deepEqual(codes(inline), ['path-not-found 52:15']);
  const [d] = client.diagnostics.get(uri(inline))! as Array<{ message: string }>;
  assert.match(d.message, /input set 1 \(tenant: team-b, role: view\) of ResourceSet flux-system\/teams/);
});

test('hover on << inputs.role >> shows each input set\'s value and where it was set', async () => {
  const inline = path.join(tenants, 'inline.yaml');
  const text = fs.readFileSync(inline, 'utf8');
  const h = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uri(inline) }, position: position(text, text.indexOf('inputs.role') + 8) });
  assert.match(h.contents.value, /\*\*inputs\.role\*\* — ResourceSet flux-system\/teams/);
  assert.match(h.contents.value, /input set 0 \(tenant: team-a, role: admin\): `"admin"` — spec\.inputs at platform\/clusters\/prod\/tenants\/inline\.yaml:9/);
  assert.match(h.contents.value, /input set 1 \(tenant: team-b, role: view\): `"view"`/);
});

test('completion after inputs. lists the input keys; definition of a generated Kustomization leads to its template', async () => {
  const inline = path.join(tenants, 'inline.yaml');
  const text = fs.readFileSync(inline, 'utf8').replace('name: << inputs.role >>', 'name: << inputs. >>');
  await client.notify('textDocument/didOpen', { textDocument: { uri: uri(inline), languageId: 'yaml', version: 1, text } });
  try {
    const result = await client.request<{ items: Array<{ label: string }> }>('textDocument/completion', { textDocument: { uri: uri(inline) }, position: position(text, text.indexOf('inputs. >>') + 7), context: { triggerKind: 2, triggerCharacter: '.' } });
    assert.deepEqual(result.items.map((i) => i.label).sort(), ['provider', 'role', 'tenant']);
    // A `.` elsewhere (a URL) asks for nothing.
    const url = await client.request<{ items: unknown[] }>('textDocument/completion', { textDocument: { uri: uri(inline) }, position: position(text, text.indexOf('github.') + 7), context: { triggerKind: 2, triggerCharacter: '.' } });
    assert.deepEqual(url.items, []);
  } finally {
    await client.notify('textDocument/didClose', { textDocument: { uri: uri(inline) } });
  }
  const wiring = path.join(tenants, 'wiring.yaml');
  const w = fs.readFileSync(wiring, 'utf8');
  const defs = await client.request<Array<{ uri: string; range: { start: { line: number } } }>>('textDocument/definition', { textDocument: { uri: uri(wiring) }, position: position(w, w.indexOf('name: apps') + 7) });
  assert.deepEqual(defs.map((d) => `${path.basename(d.uri)}:${d.range.start.line + 1}`), ['inline.yaml:48']);
});
