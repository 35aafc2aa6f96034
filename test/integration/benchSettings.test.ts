// The server bench (scripts/benchServer.ts) waits after each edit for the server's "evaluated" log: its settings must
// reach the server as debug, or an evaluation whose result reads like the last one's is not logged and the bench drops
// the edit as one that never ended (2 of 6 on the synthetic fleet, when it passed `{ fluxFleet: { logLevel } }`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';
import { BENCH_SETTINGS } from '../../scripts/benchServer';
import { machineCpus, serverExecArgv } from '../../server/src/nodeOptions';

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

// The bench measures the process the editor runs: the server gets the node options the VS Code client passes it
// (nodeOptions.ts), and node takes them (an option it does not know stops it before it answers).
test('the bench and test client start the server with the node options the VS Code client passes', async () => {
  const client = await LspClient.start([path.join(valuesDir, 'platform')]);
  try {
    const args = fs.readFileSync(`/proc/${client.proc.pid}/cmdline`, 'utf8').split('\0');
    const wanted = serverExecArgv(machineCpus());
    assert.ok(wanted.some((a) => a.startsWith('--v8-pool-size=')));
    for (const a of wanted) assert.ok(args.indexOf(a) >= 0 && args.indexOf(a) < args.findIndex((x) => x.endsWith('server.js')), `${a} before the script in ${args.join(' ')}`);
    // It answered initialize (start awaits it) and runs.
    assert.equal(client.proc.exitCode, null);
  } finally {
    await client.stop();
  }
});
