// The server bench (scripts/benchServer.ts) waits after each edit for the server's "evaluated" log: its settings must
// reach the server as debug, or an evaluation whose result reads like the last one's is not logged and the bench drops
// the edit as one that never ended (2 of 6 on the synthetic fleet, when it passed `{ fluxFleet: { logLevel } }`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';
import { BENCH_SETTINGS } from '../../scripts/benchServer';

const valuesDir = path.resolve(__dirname, '../fixtures/values');

test('the bench settings log every background evaluation, also one that finds what the last one found', async () => {
  const release = path.join(valuesDir, 'tenant/app/release.yaml');
  const text = fs.readFileSync(release, 'utf8');
  const client = await LspClient.start([path.join(valuesDir, 'platform'), path.join(valuesDir, 'tenant')], BENCH_SETTINGS);
  try {
    const evaluated = () => client.logs.filter((l) => l.includes('flux-fleet: evaluated')).length;
    await client.waitFor(() => evaluated() > 0, 30000);
    await client.notify('textDocument/didOpen', { textDocument: { uri: uri(release), languageId: 'yaml', version: 1, text } });
    // Edits that change no finding, each awaited as the bench awaits its edits: by the log of its evaluation.
    for (let v = 2; v <= 4; v++) {
      const before = evaluated();
      await client.notify('textDocument/didChange', { textDocument: { uri: uri(release), version: v }, contentChanges: [{ text: text + '#'.repeat(v) + '\n' }] });
      await client.waitFor(() => evaluated() > before, 15000).catch(() => assert.fail(`edit ${v}: no "evaluated" log\n${client.logs.join('\n')}`));
    }
  } finally {
    await client.stop();
  }
});
