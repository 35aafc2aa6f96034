// The server's own watcher (lsp/fallbackWatcher.ts): a folder that a batch created is synced once more when the disk
// has settled, so what Node's recursive watch missed inside it (a folder re-created while still watched as the
// deleted copy, or read mid-copy) is seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { watchRoots } from '../../server/src/lsp/fallbackWatcher';
import { tempDir } from '../helpers/tempDir';

const until = async (pred: () => boolean, ms: number) => {
  for (const t = Date.now(); !pred() && Date.now() - t < ms; ) await new Promise((r) => setTimeout(r, 50));
  return pred();
};

test('a folder created in a batch is synced again once no event came for a second (outermost folder only)', async () => {
  const root = tempDir('ff-watch-');
  const calls: Array<[string, boolean, number]> = [];
  const started = Date.now();
  const stop = watchRoots([root], (p, deleted) => calls.push([path.relative(root, p), deleted, Date.now() - started]));
  try {
    await new Promise((r) => setTimeout(r, 200));
    fs.mkdirSync(path.join(root, 'repo/deploy'), { recursive: true });
    fs.writeFileSync(path.join(root, 'repo/deploy/app.yaml'), 'kind: ConfigMap\n');
    assert.ok(await until(() => calls.some(([p]) => p === 'repo'), 3000), `first batch: ${JSON.stringify(calls)}`);
    const first = calls.length;
    // The settle pass: `repo` once more, not the folders inside it, a second after the last batch.
    assert.ok(await until(() => calls.length > first, 3000), `no settle pass: ${JSON.stringify(calls)}`);
    await new Promise((r) => setTimeout(r, 300));
    const settled = calls.slice(first);
    assert.deepEqual(settled.map(([p, d]) => [p, d]), [['repo', false]]);
    assert.ok(settled[0][2] - calls[first - 1][2] >= 900, `settled too early: ${JSON.stringify(calls)}`);
  } finally {
    stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a ref moved in .git (a commit, a checkout) is reported, the rest of .git is not, and no folder is synced for it', async () => {
  const root = tempDir('ff-watch-git-');
  fs.mkdirSync(path.join(root, '.git/refs/heads'), { recursive: true });
  fs.mkdirSync(path.join(root, '.git/objects/ab'), { recursive: true });
  fs.writeFileSync(path.join(root, '.git/HEAD'), 'ref: refs/heads/main\n');
  const calls: string[] = [];
  const folders: string[] = [];
  const stop = watchRoots([root], (p) => calls.push(path.relative(root, p)), (d) => folders.push(path.relative(root, d)));
  try {
    await new Promise((r) => setTimeout(r, 200));
    fs.writeFileSync(path.join(root, '.git/objects/ab/cdef'), 'blob');
    fs.writeFileSync(path.join(root, '.git/index'), 'index');
    fs.writeFileSync(path.join(root, '.git/refs/heads/main'), '0123456789012345678901234567890123456789\n');
    assert.ok(await until(() => calls.includes('.git/refs/heads/main'), 3000), `the ref: ${JSON.stringify(calls)}`);
    fs.writeFileSync(path.join(root, '.git/HEAD'), 'ref: refs/heads/other\n');
    assert.ok(await until(() => calls.includes('.git/HEAD'), 3000), `HEAD: ${JSON.stringify(calls)}`);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(calls.filter((c) => !/^\.git\/(HEAD|refs\/heads\/main)$/.test(c)), [], 'only refs and HEAD');
    assert.deepEqual(folders, []);
  } finally {
    stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("folders left unwatched because the system's watches are used up (ENOSPC) are not reported as changed", { skip: process.platform === 'darwin' || process.platform === 'win32' ? 'a native recursive watch there' : false }, async () => {
  const root = tempDir('ff-watch-enospc-');
  for (let i = 0; i < 30; i++) fs.mkdirSync(path.join(root, `repo/d${i}/sub`), { recursive: true });
  // (the module object itself: an import's namespace has getters only)
  const nodeFs = require('node:fs') as { watch: typeof fs.watch };
  const watch = nodeFs.watch;
  let made = 0;
  nodeFs.watch = ((...args: unknown[]) => {
    if (++made > 5) throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC', errno: -28, syscall: 'watch' });
    return (watch as (...a: unknown[]) => fs.FSWatcher)(...args);
  }) as typeof fs.watch;
  const calls: string[] = [];
  let stop: (() => void) | undefined;
  try {
    stop = watchRoots([root], (p) => calls.push(path.relative(root, p)));
  } finally {
    nodeFs.watch = watch;
  }
  try {
    // (a report goes out after 100 ms, a settle pass a second later)
    await new Promise((r) => setTimeout(r, 1500));
    // Nothing changed on the disk: syncing each folder not watched (twice) would read it all again for nothing.
    assert.deepEqual(calls, []);
  } finally {
    stop?.();
  }
});
