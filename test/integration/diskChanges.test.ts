// Files changed outside the editor: through the client's watcher, or the server's own when the client has none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';

function copyBroken(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ff-disk-')));
  fs.cpSync(path.resolve(__dirname, '../fixtures/broken'), dir, { recursive: true });
  return dir;
}

for (const watchedFiles of [true, false]) {
  test(`a folder created on disk clears path-not-found (${watchedFiles ? 'client watcher' : 'server fallback watcher'})`, async () => {
    const dir = copyBroken();
    const client = await LspClient.start([dir], {}, { watchedFiles });
    try {
      const file = uri(path.join(dir, 'platform/clusters/prod/path-not-found.yaml'));
      await client.waitFor(() => (client.diagnostics.get(file) ?? []).some((d) => d.code === 'path-not-found'));
      const created = path.join(dir, 'platform/apps/prdo');
      fs.mkdirSync(created);
      fs.writeFileSync(path.join(created, 'kustomization.yaml'), 'resources: [cm.yaml]\n');
      fs.writeFileSync(path.join(created, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
      if (watchedFiles) {
        await client.notify('workspace/didChangeWatchedFiles', {
          changes: ['kustomization.yaml', 'cm.yaml'].map((n) => ({ uri: uri(path.join(created, n)), type: 1 })),
        });
      }
      await client.waitFor(() => (client.diagnostics.get(file) ?? []).length === 0);
    } finally {
      await client.stop();
    }
  });
}
