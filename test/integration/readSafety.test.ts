// The real server on a workspace that tries every way out (test/helpers/hostile.ts): no diagnostic, hover,
// definition, completion, link, lens or log line ever shows a file outside the workspace folders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';
import { hostileWorkspace, MARKER } from '../helpers/hostile';

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

/** Every answer the server gives about every line of every file (hover, definition, completion), and more. */
async function sweep(client: LspClient, files: string[]): Promise<string> {
  const answers: unknown[] = [];
  for (const file of files) {
    const textDocument = { uri: uri(file) };
    const text = fs.readFileSync(file, 'utf8');
    await client.notify('textDocument/didOpen', { textDocument: { ...textDocument, languageId: 'yaml', version: 1, text } });
    answers.push(await client.request('textDocument/documentLink', { textDocument }));
    answers.push(await client.request('textDocument/codeLens', { textDocument }));
    const lines = text.split('\n');
    for (let line = 0; line < lines.length; line++) {
      const at = [lines[line].search(/\S/), lines[line].indexOf(': ') + 3, lines[line].length].filter((c) => c >= 0);
      for (const character of new Set(at)) {
        const position = { line, character };
        answers.push(await client.request('textDocument/hover', { textDocument, position }));
        answers.push(await client.request('textDocument/definition', { textDocument, position }));
        answers.push(await client.request('textDocument/completion', { textDocument, position }));
      }
    }
  }
  return JSON.stringify(answers);
}

for (const trusted of [false, true]) {
  test(`the server never shows a file outside the workspace (${trusted ? 'trusted' : 'untrusted'} workspace)`, async () => {
    const h = hostileWorkspace();
    // A setting mapping outside: followed in a trusted workspace only (workspace settings come with a repository).
    const settings = { repositories: { 'https://github.com/acme/abs': path.join(h.outside, 'dir') } };
    const client = await LspClient.start([h.ws], settings, { initializationOptions: { workspaceTrusted: trusted } });
    try {
      const config = uri(path.join(h.repo, '.flux-fleet.yaml'));
      await client.waitFor(() => (client.diagnostics.get(config) ?? []).some((d) => d.code === 'config-invalid'));
      await client.waitFor(() => client.logs.some((l) => /found \d+ contexts/.test(l)), 20000);
      const answers = await sweep(client, yamlFiles(h.repo));
      const everything = answers + JSON.stringify([...client.diagnostics]) + JSON.stringify(client.logs);
      assert.ok(!everything.includes(MARKER), `the server showed a file outside the workspace: …${everything.slice(Math.max(0, everything.indexOf(MARKER) - 400), everything.indexOf(MARKER) + 100)}…`);
      const codes = (file: string) => (client.diagnostics.get(uri(file)) ?? []).map((d) => d.code);
      assert.deepEqual(codes(path.join(h.repo, 'apps/dir-link/out')), ['outside-root']);
      assert.deepEqual(codes(path.join(h.repo, 'apps/file-link/linked.yaml')), ['outside-root']);
      assert.ok(codes(path.join(h.repo, 'apps/dotdot/kustomization.yaml')).includes('outside-root'));
      // The abs mapping of the settings: the abs source is mapped (trusted) or refused and said so in the log.
      const refusedLog = client.logs.some((l) => /fluxFleet\.repositories maps https:\/\/github\.com\/acme\/abs outside the workspace folders/.test(l));
      assert.equal(refusedLog, !trusted);
    } finally {
      await client.stop();
    }
  });
}
