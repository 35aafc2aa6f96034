// Files changed outside the editor: through the client's watcher, or the server's own when the client has none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, uri } from '../helpers/lspClient';
import { tempDir } from '../helpers/tempDir';

function copyBroken(): string {
  const dir = tempDir('ff-disk-');
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

/** The diagnostics once they stop changing (the background evaluation included), without empty entries. */
async function settled(client: LspClient): Promise<string> {
  let last = '';
  for (let stable = 0; stable < 4; ) {
    await new Promise((r) => setTimeout(r, 300));
    const now = JSON.stringify([...client.diagnostics].filter(([, d]) => d.length).sort(([a], [b]) => a.localeCompare(b)));
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

/**
 * The client's diagnostics come to equal `want` (a fresh server's) within a deadline: on a busy machine a change can
 * reach the diagnostics later than one quiet `settled` window (so a window alone is no proof of staleness); a stale
 * server never gets there.
 */
async function converges(client: LspClient, want: string, what: string): Promise<void> {
  const deadline = Date.now() + 20000;
  let now = await settled(client);
  while (now !== want && Date.now() < deadline) now = await settled(client);
  assert.equal(now, want, what);
}

for (const watchedFiles of [true, false]) {
  test(`a repository deleted and re-created, a folder renamed and back: the server equals a fresh one (${watchedFiles ? 'client watcher' : 'server fallback watcher'})`, async () => {
    const dir = tempDir('ff-churn-');
    fs.cpSync(path.resolve(__dirname, '../fixtures/fleet'), dir, { recursive: true });
    const client = await LspClient.start([dir], {}, { watchedFiles });
    const tell = async (changes: Array<[string, 1 | 2 | 3]>) => {
      if (watchedFiles) await client.notify('workspace/didChangeWatchedFiles', { changes: changes.map(([p, type]) => ({ uri: uri(p), type })) });
    };
    const fresh = async () => {
      const other = await LspClient.start([dir], {}, { watchedFiles });
      try {
        await other.waitFor(() => other.logs.some((l) => /found \d+ contexts/.test(l)), 20000);
        return await settled(other);
      } finally {
        await other.stop();
      }
    };
    try {
      await client.waitFor(() => client.logs.some((l) => /found \d+ contexts/.test(l)), 20000);
      const initial = await settled(client);
      assert.notEqual(initial, '[]');
      const tenant = path.join(dir, 'tenant-a');
      const saved = path.join(tempDir('ff-churn-saved-'), 'tenant-a');
      fs.cpSync(tenant, saved, { recursive: true });
      fs.rmSync(tenant, { recursive: true });
      await tell([[tenant, 3]]);
      await converges(client, await fresh(), 'after the repository was deleted');
      fs.cpSync(saved, tenant, { recursive: true });
      await tell([[tenant, 1]]);
      await converges(client, await fresh(), 'after it was re-created');
      const apps = path.join(dir, 'platform/apps');
      fs.renameSync(apps, apps + '-renamed');
      await tell([[apps, 3], [apps + '-renamed', 1]]);
      await converges(client, await fresh(), 'after the rename');
      fs.rmSync(path.join(apps + '-renamed', 'prod'), { recursive: true });
      fs.renameSync(apps + '-renamed', apps);
      await tell([[apps + '-renamed', 3], [apps, 1]]);
      await converges(client, await fresh(), 'after the rename back');
    } finally {
      await client.stop();
    }
  });
}
