// Locked fields through the real server over stdio, on test/fixtures/locks: a tenant patch that removes a locked
// field (diagnostic, quick-fix, hover), and lock-aware completion in a values file that has no kind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri, type Diagnostic } from '../helpers/lspClient';

const dir = path.resolve(__dirname, '../fixtures/locks');
const folders = ['platform', 'tenant-a', 'tenant-b'].map((f) => path.join(dir, f));
const retries = path.join(dir, 'tenant-a/apps/web/retries-ops.yaml');
const drift = path.join(dir, 'tenant-b/apps/drift-patch.yaml');
let client: LspClient;
let version = 1;

interface Item {
  label: string;
  detail?: string;
  sortText?: string;
}
interface Action {
  title: string;
  edit?: { documentChanges?: Array<{ textDocument?: { uri: string }; edits?: Array<{ range: Diagnostic['range']; newText: string }> }> };
}

const lockedField = (file: string) => (client.diagnostics.get(uri(file)) ?? []).filter((d) => d.code === 'locked-field');

before(async () => {
  client = await LspClient.start(folders);
  // Lock findings come from the evaluated builds, after the link findings.
  await client.waitFor(() => lockedField(retries).length > 0 && lockedField(drift).length === 2, 30000);
});
after(async () => {
  await client?.stop();
});

test('a JSON 6902 remove and a strategic-merge null of locked fields: locked-field errors at the removing lines', () => {
  const [ops] = lockedField(retries);
  assert.equal(ops.severity, 1);
  assert.deepEqual([ops.range.start, ops.range.end], [{ line: 1, character: 2 }, { line: 2, character: 41 }]);
  assert.match(ops.message, /^spec\.install\.remediation\.retries is locked \(failed installs are retried the platform's way\): this patch removes this locked field \(the locked value 3;/);
  assert.ok(ops.relatedInformation?.some((r) => r.location.uri === uri(path.join(dir, 'platform/bases/web/helmrelease.yaml'))));
  assert.deepEqual(
    lockedField(drift).map((d) => [d.range.start.line, d.range.start.character]).sort((a, b) => a[0] - b[0]),
    [
      [6, 10],
      [9, 14],
    ],
  );
});

test('quick-fix on a removal: only "Remove this override", which deletes the operation', async () => {
  const [d] = lockedField(retries);
  const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri: uri(retries) }, range: d.range, context: { diagnostics: [d] } });
  assert.deepEqual(actions.map((a) => a.title), ['Remove this override']);
  const edits = actions[0].edit?.documentChanges?.flatMap((c) => c.edits ?? []) ?? [];
  assert.deepEqual(edits, [{ range: { start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }, newText: '' }]);
});

test('hover on a removal of a locked field: the lock, its reason and where it is declared', async () => {
  const h = await client.request<{ contents: { kind: string; value: string }; range: Diagnostic['range'] } | null>('textDocument/hover', { textDocument: { uri: uri(drift) }, position: { line: 9, character: 8 } });
  assert.match(h?.contents.value ?? '', /^\*\*🔒 Locked field\*\* `spec\.install\.remediation\.retries` — failed installs are retried the platform's way\n- declared by `# fleet:locked` at `platform\/bases\/web\/helmrelease\.yaml:23`/);
  assert.match(h!.contents.value, /this patch removes `spec\.install\.remediation`, and this field with it/);
  assert.deepEqual(h!.range, { start: { line: 9, character: 6 }, end: { line: 9, character: 20 } });
});

/** Completion at `$0` of `file` edited as an editor would send it. */
async function complete(file: string, edit: (text: string) => string): Promise<Item[]> {
  const withCursor = edit(fs.readFileSync(file, 'utf8'));
  const at = withCursor.indexOf('$0');
  assert.ok(at >= 0);
  const text = withCursor.replace('$0', '');
  const before = text.slice(0, at);
  const position = { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
  await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'yaml', version: version++, text } });
  try {
    const result = await client.request<{ items: Item[] } | Item[]>('textDocument/completion', { textDocument: { uri: uri(file) }, position, context: { triggerKind: 1 } });
    const items = Array.isArray(result) ? result : result.items;
    return items.sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  } finally {
    await client.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }
}

test('completion in a tenant values file: locked keys left out, required ones first', async () => {
  const values = path.join(dir, 'tenant-a/apps/web/values.yaml');
  const root = await complete(values, (t) => t.replace('owner: team-a\n', '$0\n'));
  assert.deepEqual(root.map((i) => i.label), ['owner', 'podLabels', 'resources']); // not `cluster` (locked)
  assert.match(root[0].detail ?? '', /required by the platform/);
  const image = await complete(values, (t) => t.replace('  tag: 1.4.0\n', '  tag: 1.4.0\n  $0\n'));
  assert.deepEqual(image.map((i) => i.label), ['repository']); // not `registry` (locked)
  const ingress = await complete(values, (t) => t.replace('  host: web.a.example\n', '  $0\n'));
  assert.deepEqual(ingress.map((i) => i.label), ['host', 'internal', 'public']);
});
