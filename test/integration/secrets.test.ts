// Secrets never leave the engine, through the real server (dist/server.js over stdio): on test/fixtures/secrets (a
// marker planted in every kind of secret source) no hover at any position of any file, no completion, no
// diagnostic and no log message holds a marker or its base64.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, positionOf, uri } from '../helpers/lspClient';
import { leaks, SECRETS_FIXTURE as dir } from '../helpers/secretMarkers';

let client: LspClient;

function filesOf(d: string): string[] {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesOf(path.join(d, e.name)) : [path.join(d, e.name)]));
}

before(async () => {
  client = await LspClient.start([dir]);
  // The evaluated builds (value findings) come in the background: wait until the server says they are done.
  await client.waitFor(() => client.logs.some((l) => /evaluated/.test(l)), 30000);
});
after(async () => client?.stop());

type Hover = { contents: { value: string } } | null;
interface Item {
  label: string;
  detail?: string;
  documentation?: { value: string };
  textEdit?: { newText: string };
  insertText?: string;
}

const hoverText = async (file: string, position: { line: number; character: number }) =>
  (await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(file) }, position }))?.contents.value ?? '';

async function completionText(file: string, position: { line: number; character: number }): Promise<string> {
  const r = await client.request<{ items: Item[] } | Item[] | null>('textDocument/completion', { textDocument: { uri: uri(file) }, position, context: { triggerKind: 1 } });
  const items = !r ? [] : Array.isArray(r) ? r : r.items;
  return JSON.stringify(items);
}

/**
 * Every position of `text` where what is under the cursor can change: the first and last character of each run of
 * word characters, spaces or punctuation, and the end of each line (a hover answers per scalar, key or `${…}`,
 * which these reach; every single character would only ask the same questions again, for seconds).
 */
function positions(text: string): Array<{ line: number; character: number }> {
  const kind = (c: string | undefined) => (c === undefined ? '' : /\w/.test(c) ? 'w' : /\s/.test(c) ? 's' : 'p');
  return text.split('\n').flatMap((l, line) => {
    const out: Array<{ line: number; character: number }> = [];
    for (let i = 0; i <= l.length; i++) if (i === l.length || kind(l[i]) !== kind(l[i - 1]) || kind(l[i]) !== kind(l[i + 1])) out.push({ line, character: i });
    return out;
  });
}

test('hover anywhere in every file of the fixture shows no secret', async () => {
  let hovers = 0;
  for (const file of filesOf(dir)) {
    const all = positions(fs.readFileSync(file, 'utf8'));
    // Asked in batches (the server answers in order): every position, without a round trip each.
    for (let i = 0; i < all.length; i += 1000) {
      const answers = await Promise.all(all.slice(i, i + 1000).map((p) => hoverText(file, p)));
      answers.forEach((md, j) => {
        if (md) hovers++;
        assert.deepEqual(leaks(md), [], `hover at ${path.relative(dir, file)}:${all[i + j].line + 1}:${all[i + j].character + 1} shows a secret:\n${md}`);
      });
    }
  }
  assert.ok(hovers > 300, `hovers answered (${hovers})`);
});

test('hovers say a secret is there, masked: variables, effective values, a DSN with only its secret part masked', async () => {
  const deployment = path.join(dir, 'apps/deployment.yaml');
  const text = fs.readFileSync(deployment, 'utf8');
  assert.match(await hoverText(deployment, positionOf(text, '${DB_PASSWORD}', 3)), /`•••• \(from a Secret, not shown\)` on 1 context .* flux:postBuild\.substituteFrom Secret db-credentials/);
  assert.match(await hoverText(deployment, positionOf(text, '${SOPS_TOKEN}', 3)), /•••• \(from a Secret, not shown\)/);
  assert.match(await hoverText(deployment, positionOf(text, '${COPIED_PASSWORD}', 3)), /•••• \(from a Secret, not shown\)/);
  assert.match(await hoverText(deployment, positionOf(text, '${PUBLIC_HOST}', 3)), /`"db\.example\.com"`/);
  const dsn = await hoverText(deployment, positionOf(text, 'postgres://', 2));
  assert.match(dsn, /`"postgres:\/\/app:••••@db\.example\.com:5432\/app" \(secret parts not shown\)`/);
  const secret = path.join(dir, 'clusters/prod/db-credentials.yaml');
  assert.match(await hoverText(secret, positionOf(fs.readFileSync(secret, 'utf8'), 'MARKER-SECRET-STRINGDATA', 3)), /`stringData\.DB_PASSWORD` of Secret flux-system\/db-credentials\n[^]*\| `•••• \(from a Secret, not shown\)` \|/);
  const values = path.join(dir, 'apps/web-values.yaml');
  assert.match(await hoverText(values, positionOf(fs.readFileSync(values, 'utf8'), 'ENC[', 2)), /`values\.auth\.cipher` of HelmRelease apps\/web/);
});

test('completion offers no secret: variables, HelmRelease values keys and values, everywhere in the fixture', async () => {
  // Every line's start, end and each word of every file.
  for (const file of filesOf(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const at = lines.flatMap((l, line) => [0, l.length, ...[...l.matchAll(/[\w$-]+/g)].map((m) => m.index! + 1)].map((character) => ({ line, character })));
    const answers = await Promise.all(at.map((p) => completionText(file, p)));
    answers.forEach((items, i) => assert.deepEqual(leaks(items), [], `completion at ${path.relative(dir, file)}:${at[i].line + 1}:${at[i].character + 1} shows a secret:\n${items}`));
  }
});

test('completion while typing: ${ offers the variables with masked values; values keys and values never hold a secret', async () => {
  const deployment = path.join(dir, 'apps/deployment.yaml');
  const release = path.join(dir, 'apps/release.yaml');
  const webValues = path.join(dir, 'apps/web-values.yaml');
  let version = 1;
  const typed = async (file: string, edit: (text: string) => string): Promise<Item[]> => {
    const withCursor = edit(fs.readFileSync(file, 'utf8'));
    const at = withCursor.indexOf('$0');
    const text = withCursor.replace('$0', '');
    const before = text.slice(0, at);
    await client.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'yaml', version: version++, text } });
    try {
      const position = { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
      const r = await client.request<{ items: Item[] } | Item[]>('textDocument/completion', { textDocument: { uri: uri(file) }, position, context: { triggerKind: 1 } });
      return Array.isArray(r) ? r : r.items;
    } finally {
      await client.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
    }
  };
  const vars = await typed(deployment, (t) => t.replace('value: ${PUBLIC_HOST}', 'value: ${$0'));
  assert.deepEqual(leaks(JSON.stringify(vars)), []);
  const password = vars.find((i) => i.label === 'DB_PASSWORD')!;
  assert.equal(password.detail, '= •••• (from a Secret)');
  assert.ok(vars.find((i) => i.label === 'SMTP_PASSWORD') && vars.find((i) => i.label === 'API_TOKEN') && vars.find((i) => i.label === 'COPIED_PASSWORD'));
  assert.equal(vars.find((i) => i.label === 'PUBLIC_HOST')!.detail, '= "db.example.com"');
  for (const i of vars.filter((x) => /PASSWORD|TOKEN|SETTINGS/.test(x.label))) assert.match(i.detail ?? '', /^= •••• \(from a Secret\)$/, i.label);
  // Keys under spec.values.auth come from the Secret-fed layers: offered, their values masked.
  const keys = await typed(release, (t) => t.replace('    database:\n', '    auth:\n      $0\n    database:\n'));
  assert.deepEqual(leaks(JSON.stringify(keys)), []);
  for (const key of ['password', 'token', 'cipher']) assert.match(keys.find((k) => k.label === key)?.documentation?.value ?? '', /: `"••••"`/, key);
  // A value position: a masked secret is never offered to insert.
  const offered = await typed(release, (t) => t.replace('    database:\n', '    auth:\n      password: $0\n    database:\n'));
  assert.deepEqual(leaks(JSON.stringify(offered)), []);
  assert.ok(!offered.some((i) => i.label.includes('••••')), JSON.stringify(offered));
  // A values file fed to the release: keys of the other layers, secret ones masked.
  const fileKeys = await typed(webValues, (t) => t.replace('auth:\n', 'auth:\n  $0\n'));
  assert.deepEqual(leaks(JSON.stringify(fileKeys)), []);
});

test('no diagnostic and no log message holds a secret', () => {
  for (const [u, ds] of client.diagnostics) assert.deepEqual(leaks(JSON.stringify(ds)), [], u);
  assert.ok(client.logs.length > 0);
  for (const l of client.logs) assert.deepEqual(leaks(l), [], l);
});

test('locked secrets and failing builds (test/fixtures/secrets-errors): hovers, diagnostics, code actions and logs show none', async () => {
  const errorsDir = path.resolve(dir, '../../secrets-errors/platform');
  const other = await LspClient.start([errorsDir]);
  try {
    await other.waitFor(() => other.logs.some((l) => /evaluated/.test(l)), 30000);
    const codes = () => [...other.diagnostics.values()].flat().map((d) => String((d as { code?: unknown }).code));
    await other.waitFor(() => codes().filter((c) => c === 'kustomize-build-error').length === 2 && codes().filter((c) => c === 'locked-field').length === 2, 30000);
    for (const [u, ds] of other.diagnostics) {
      assert.deepEqual(leaks(JSON.stringify(ds)), [], u);
      for (const d of ds as Array<{ range: unknown }>) {
        const actions = await other.request<unknown[]>('textDocument/codeAction', { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } });
        assert.deepEqual(leaks(JSON.stringify(actions)), [], `code actions at ${u}: ${JSON.stringify(actions)}`);
      }
    }
    for (const file of filesOf(errorsDir).filter((f) => /\.ya?ml$/.test(f))) {
      const all = positions(fs.readFileSync(file, 'utf8'));
      const answers = await Promise.all(all.map((position) => other.request<Hover>('textDocument/hover', { textDocument: { uri: uri(file) }, position })));
      answers.forEach((h, i) => assert.deepEqual(leaks(h?.contents.value ?? ''), [], `hover at ${path.relative(errorsDir, file)}:${all[i].line + 1}:${all[i].character + 1}:\n${h?.contents.value}`));
    }
    for (const l of other.logs) assert.deepEqual(leaks(l), [], l);
  } finally {
    await other.stop();
  }
});
