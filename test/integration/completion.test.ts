// Completion, schema diagnostics and deprecated-api quick-fixes through the real server over stdio, on
// test/fixtures/completion (documents opened with the cursor's text, as an editor sends them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';
import { tempDir } from '../helpers/tempDir';

const dir = path.resolve(__dirname, '../fixtures/completion');
const platform = path.join(dir, 'platform');
const apps = path.join(dir, 'apps');
let client: LspClient;
let scratch: string;
let version = 1;

interface Item {
  label: string;
  kind?: number;
  detail?: string;
  sortText?: string;
  documentation?: { kind: string; value: string };
  insertTextFormat?: number;
  textEdit?: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
  additionalTextEdits?: Array<{ newText: string }>;
}

before(async () => {
  scratch = tempDir('ff-completion-');
  fs.writeFileSync(path.join(scratch, 'old.yaml'), 'apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: GitRepository\nmetadata:\n  name: old\n  namespace: legacy\nspec:\n  interval: 1m\n  gitImplementation: go-git\n  url: https://example.com/old\n');
  fs.writeFileSync(path.join(scratch, 'typo.yaml'), 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  interval: 10 minutes\n  maxHistory: ${MAX}\n  chart:\n    spec:\n      chart: web\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n');
  client = await LspClient.start([platform, apps, scratch], {}, {});
  await client.waitFor(() => client.diagnostics.has(uri(path.join(scratch, 'typo.yaml'))));
});
after(async () => {
  await client?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** Opens `file` with `$0` edited in, asks for completion there, closes it again. */
async function complete(file: string, edit: (text: string) => string, trigger?: string): Promise<Item[]> {
  const original = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const withCursor = edit(original);
  const at = withCursor.indexOf('$0');
  assert.ok(at >= 0);
  const text = withCursor.replace('$0', '');
  const before = text.slice(0, at);
  const position = { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
  await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'yaml', version: version++, text } });
  try {
    const result = await client.request<{ items: Item[] } | Item[]>('textDocument/completion', {
      textDocument: { uri: uri(file) },
      position,
      context: trigger ? { triggerKind: 2, triggerCharacter: trigger } : { triggerKind: 1 },
    });
    const items = Array.isArray(result) ? result : result.items;
    return items.sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label));
  } finally {
    await client.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }
}

const labels = (items: Item[]) => items.map((i) => i.label);

test('the server advertises completion with its trigger characters', async () => {
  // A second initialize is not allowed; the capability shows in that the requests below are answered.
  const items = await complete(path.join(platform, 'clusters/prod/apps.yaml'), (t) => t.replace('    kind: GitRepository', '    kind: $0'), ' ');
  assert.deepEqual(labels(items), ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact']);
  assert.equal(items[0].kind, 20 /* EnumMember */);
});

test('sourceRef name: visible sources first, the other namespace adds a namespace line', async () => {
  const items = await complete(path.join(platform, 'clusters/prod/apps.yaml'), (t) => t.replace('    name: apps\n  postBuild', '    name: $0\n  postBuild'), ' ');
  assert.deepEqual(labels(items), ['apps', 'flux-system', 'old', 'team-b']);
  assert.equal(items[0].kind, 18 /* Reference */);
  assert.equal(items[0].documentation?.kind, 'markdown');
  assert.deepEqual(items[3].additionalTextEdits?.map((e) => e.newText), ['\n    namespace: team-b']);
  assert.deepEqual(items[0].textEdit?.range, { start: { line: 13, character: 10 }, end: { line: 13, character: 10 } });
});

test('spec.path: folders of the apps repository (the source), after a /', async () => {
  const items = await complete(path.join(platform, 'clusters/prod/apps.yaml'), (t) => t.replace('path: ./deploy/prod', 'path: ./deploy/$0'), '/');
  assert.deepEqual(labels(items), ['./deploy/base', './deploy/prod', './deploy/staging']);
  assert.equal(items[0].kind, 19 /* Folder */);
  assert.deepEqual(items[0].textEdit?.range, { start: { line: 9, character: 8 }, end: { line: 9, character: 17 } });
});

test('kustomization components: only Component folders', async () => {
  const items = await complete(path.join(apps, 'deploy/prod/kustomization.yaml'), (t) => t.replace('  - ../../components/monitoring', '  - ../../components/$0'), '/');
  assert.deepEqual(labels(items), ['../../components/logging', '../../components/monitoring']);
});

test('${ lists the variables in scope with their value per context', async () => {
  const items = await complete(path.join(apps, 'deploy/base/release.yaml'), (t) => t.replace('    env: ${env}', '    env: ${$0'), '{');
  assert.deepEqual(labels(items), ['cluster_name', 'env', 'region', 'replicas']);
  const env = items.find((i) => i.label === 'env')!;
  assert.equal(env.kind, 6 /* Variable */);
  assert.equal(env.detail, '= "production"');
  assert.equal(env.textEdit?.newText, 'env}');
  assert.match(env.documentation!.value, /flux-system\/apps/);
});

test('schema keys: required first; plain text for a client without snippet support', async () => {
  const items = await complete(path.join(platform, 'clusters/prod/new.yaml'), () => 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec:\n  $0\n');
  assert.deepEqual(labels(items).slice(0, 3), ['interval', 'prune', 'sourceRef']);
  const prune = items.find((i) => i.label === 'prune')!;
  assert.equal(prune.insertTextFormat, 1, 'the test client did not announce snippet support: plain text');
  assert.equal(prune.textEdit?.newText, 'prune: true');
});

test('HelmRelease values keys from the chart and the valuesFrom layers', async () => {
  const items = await complete(path.join(apps, 'deploy/base/release.yaml'), (t) => t.replace('    env: ${env}', '    env: ${env}\n    $0'));
  assert.deepEqual(labels(items), ['image', 'ingress', 'resources', 'service']);
});

test('schema diagnostics on the offending value; ${VAR} is not one', async () => {
  const ds = client.diagnostics.get(uri(path.join(scratch, 'typo.yaml')))!.filter((d) => d.code === 'schema');
  assert.deepEqual(ds.map((d) => [d.range.start.line, d.range.start.character, d.severity]), [[5, 12, 1]]);
  assert.match(ds[0].message, /not a duration/);
});

test('deprecated-api: a warning on the apiVersion and the upgrade quick-fix', async () => {
  const file = path.join(scratch, 'old.yaml');
  const d = client.diagnostics.get(uri(file))!.find((x) => x.code === 'deprecated-api')!;
  assert.ok(d, 'a deprecated-api diagnostic');
  assert.equal(d.severity, 2);
  assert.deepEqual([d.range.start.line, d.range.start.character], [0, 12]);
  const actions = await client.request<Array<{ title: string; edit: { documentChanges: Array<{ edits: Array<{ newText: string }> }> } }>>('textDocument/codeAction', {
    textDocument: { uri: uri(file) },
    range: d.range,
    context: { diagnostics: [d] },
  });
  assert.deepEqual(actions.map((a) => a.title), ['Upgrade to source.toolkit.fluxcd.io/v1']);
  assert.deepEqual(actions[0].edit.documentChanges[0].edits.map((e) => e.newText), ['source.toolkit.fluxcd.io/v1', '']);
});

test('the completion fixture itself has no flux-fleet diagnostics (once the edited buffers are closed)', async () => {
  const found = () => [...client.diagnostics.entries()].filter(([u]) => u.startsWith(uri(dir))).flatMap(([u, ds]) => ds.map((d) => `${path.relative(dir, new URL(u).pathname)}: ${d.code} ${d.message}`));
  await client.waitFor(() => found().length === 0).catch(() => undefined);
  assert.deepEqual(found(), []);
});
