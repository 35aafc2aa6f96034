// The server does not outlive its editor: when the client's end of stdin closes (the editor quit or crashed), the
// process exits, even while it is busy with the fleet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient } from '../helpers/lspClient';

test('the server exits when its stdin closes', async () => {
  const client = await LspClient.start([path.resolve(__dirname, '../fixtures/fleet/platform'), path.resolve(__dirname, '../fixtures/fleet/tenant-a')]);
  const exited = new Promise<number | null>((resolve) => client.proc.on('exit', (code) => resolve(code)));
  client.proc.stdin!.end();
  const code = await Promise.race([exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 5000))]);
  assert.notEqual(code, 'still running');
  client.conn.dispose();
});
