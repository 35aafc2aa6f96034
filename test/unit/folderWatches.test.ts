// lsp/folderWatches.ts: a recursive watch made of one watch per folder (Linux), not Node's own there, which opens a
// watch and stats each file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { watchFolders } from '../../server/src/lsp/folderWatches';
import { tempDir } from '../helpers/tempDir';

const until = async (pred: () => boolean, ms: number) => {
  for (const t = Date.now(); !pred() && Date.now() - t < ms; ) await new Promise((r) => setTimeout(r, 50));
  return pred();
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('one watch per folder, none per file, none in skipped folders', () => {
  const root = tempDir('ff-folders-');
  for (const d of ['a/b', 'a/c', 'node_modules/x']) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(root, `a/b/f${i}.yaml`), 'kind: ConfigMap\n');
  fs.symlinkSync(path.join(root, 'a'), path.join(root, 'link'));
  const watched: string[] = [];
  // Counted on the module object itself (an import's namespace has getters only): watchFolders' calls and, were it
  // Node's recursive watch, that one's (it calls the same fs.watch for every file).
  const nodeFs = require('node:fs') as { watch: typeof fs.watch };
  const watch = nodeFs.watch;
  nodeFs.watch = ((p: string, ...rest: unknown[]) => {
    watched.push(path.relative(root, p));
    return (watch as (...a: unknown[]) => fs.FSWatcher)(p, ...rest);
  }) as typeof fs.watch;
  let w: { close(): void } | undefined;
  try {
    w = watchFolders(root, (rel) => /(^|\/)node_modules(\/|$)/.test(rel), () => {}, () => {});
  } finally {
    nodeFs.watch = watch;
    w?.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  // (the symbolic link is not followed: its target is watched where it is)
  assert.deepEqual(watched.sort(), ['', 'a', 'a/b', 'a/c']);
});

test('changes deep inside, a folder created later, a folder deleted and made again: each reported', async () => {
  const root = tempDir('ff-folders-ev-');
  fs.mkdirSync(path.join(root, 'repo/deploy'), { recursive: true });
  fs.writeFileSync(path.join(root, 'repo/deploy/app.yaml'), 'kind: ConfigMap\n');
  const events: string[] = [];
  const errors: string[] = [];
  const w = watchFolders(root, () => false, (rel) => events.push(rel), (e) => errors.push(String(e.path)));
  try {
    fs.writeFileSync(path.join(root, 'repo/deploy/app.yaml'), 'kind: Secret\n');
    assert.ok(await until(() => events.includes('repo/deploy/app.yaml'), 3000), `a file written: ${JSON.stringify(events)}`);

    fs.mkdirSync(path.join(root, 'repo/new'));
    assert.ok(await until(() => events.includes('repo/new'), 3000), `a folder created: ${JSON.stringify(events)}`);
    await pause(100); // (its watch is made when its event comes)
    fs.writeFileSync(path.join(root, 'repo/new/x.yaml'), 'a: 1\n');
    assert.ok(await until(() => events.includes('repo/new/x.yaml'), 3000), `a file in the new folder: ${JSON.stringify(events)}`);

    fs.rmSync(path.join(root, 'repo/deploy'), { recursive: true });
    assert.ok(await until(() => events.includes('repo/deploy'), 3000), `a folder deleted: ${JSON.stringify(events)}`);
    await pause(100);
    // Made again at the same path: watched again, not taken for the deleted one's watch.
    fs.mkdirSync(path.join(root, 'repo/deploy'));
    await until(() => events.filter((e) => e === 'repo/deploy').length >= 2, 3000);
    await pause(100);
    events.length = 0;
    fs.writeFileSync(path.join(root, 'repo/deploy/again.yaml'), 'a: 1\n');
    assert.ok(await until(() => events.includes('repo/deploy/again.yaml'), 3000), `a file in the folder made again: ${JSON.stringify(events)}`);
    assert.ok(events.every((e) => !e.endsWith('deploy/deploy')), `no event under a path that does not exist: ${JSON.stringify(events)}`);
    assert.deepEqual(errors, []);
  } finally {
    w.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a folder replaced at its path in one go (deleted or moved away, then made again) is watched again, the moved one under its new name only', async () => {
  const root = tempDir('ff-folders-replaced-');
  fs.mkdirSync(path.join(root, 'repo/deploy/sub'), { recursive: true });
  fs.mkdirSync(path.join(root, 'repo/apps'), { recursive: true });
  const events: string[] = [];
  const w = watchFolders(root, () => false, (rel) => events.push(rel), () => {});
  try {
    // (as a generator that writes its output folder anew does: no event is handled in between)
    fs.rmSync(path.join(root, 'repo/deploy'), { recursive: true });
    fs.mkdirSync(path.join(root, 'repo/deploy/sub'), { recursive: true });
    // moved away and made again (a checkout that keeps the old tree aside)
    fs.renameSync(path.join(root, 'repo/apps'), path.join(root, 'repo/apps-old'));
    fs.mkdirSync(path.join(root, 'repo/apps'));
    assert.ok(await until(() => events.includes('repo/deploy') && events.includes('repo/apps-old'), 3000), JSON.stringify(events));
    await pause(300);
    events.length = 0;
    fs.writeFileSync(path.join(root, 'repo/deploy/sub/x.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(root, 'repo/apps/y.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(root, 'repo/apps-old/z.yaml'), 'a: 1\n');
    const expected = ['repo/deploy/sub/x.yaml', 'repo/apps/y.yaml', 'repo/apps-old/z.yaml'];
    await until(() => expected.every((e) => events.includes(e)), 3000);
    await pause(200);
    assert.deepEqual(expected.filter((e) => !events.includes(e)), [], `every change seen: ${JSON.stringify(events)}`);
    // (the moved folder's old watch, were it kept, reports its changes under the path it left)
    assert.ok(!events.includes('repo/apps/z.yaml'), `nothing under the path a folder left: ${JSON.stringify(events)}`);
  } finally {
    w.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
