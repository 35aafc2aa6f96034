// The change impact's baseline read from .git (core/impact/gitBaseline.ts): Git histories made here with isomorphic-git
// (commits, branches, lightweight and annotated tags, packed and loose objects, a worktree, nested repositories, a
// hand-written pack with deltas), read back at revisions, file by file and folder by folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import git from 'isomorphic-git';
import { NodeFileSystem } from '../../server/src/core/nodeFileSystem';
import type { FileSystem } from '../../server/src/core/fileSystem';
import { discoverWorkspace } from '../../server/src/core/workspace';
import { loadGitBaseline, BaselineCancelled } from '../../server/src/core/impact/gitBaseline';
import { MAX_YAML_BYTES } from '../../server/src/core/indexFile';
import { Fleet } from '../../server/src/core/model';
import { tempDir } from '../helpers/tempDir';

const disk = new NodeFileSystem();
const author = { name: 'Test', email: 'test@example.com', timestamp: 1764547200, timezoneOffset: 0 };

function tmp(): string {
  return tempDir('ff-gitbase-');
}

/** Writes (string) or deletes (null) files under `dir`. */
function write(dir: string, files: Record<string, string | null>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    if (text === null) fs.rmSync(p, { force: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    }
  }
}

/** Writes the files and commits them (deletions too); returns the commit id. */
async function commit(dir: string, files: Record<string, string | null>, message = 'change'): Promise<string> {
  write(dir, files);
  for (const [rel, text] of Object.entries(files)) {
    if (text === null) await git.remove({ fs, dir, filepath: rel });
    else await git.add({ fs, dir, filepath: rel });
  }
  return git.commit({ fs, dir, message, author });
}

async function init(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await git.init({ fs, dir, defaultBranch: 'main' });
}

/** Every object of the repository into one pack (isomorphic-git: packObjects + indexPack), loose copies removed. */
async function packAll(dir: string): Promise<void> {
  const gitdir = path.join(dir, '.git');
  const oids = looseObjects(gitdir);
  const { filename } = await git.packObjects({ fs, dir, oids, write: true });
  await git.indexPack({ fs, dir, filepath: `.git/objects/pack/${filename}` });
  for (const d of fs.readdirSync(path.join(gitdir, 'objects'))) if (/^[0-9a-f]{2}$/.test(d)) fs.rmSync(path.join(gitdir, 'objects', d), { recursive: true });
}

function looseObjects(gitdir: string): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(path.join(gitdir, 'objects'))) {
    if (/^[0-9a-f]{2}$/.test(d)) for (const f of fs.readdirSync(path.join(gitdir, 'objects', d))) out.push(d + f);
  }
  return out;
}

/** Every file under `root` as `rel: text` (links as `rel -> real path`), sorted; `.git` left out. */
function listing(fsys: FileSystem, root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fsys.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      const rel = path.relative(root, p);
      if (e.name === '.git') continue;
      if (e.symlink) out.push(`${rel} -> ${e.kind === 'other' ? '(absent)' : path.relative(root, fsys.realPath(p)!)}`);
      else if (e.kind === 'dir') walk(p);
      else out.push(`${rel}: ${JSON.stringify(fsys.readFile(p))}`);
    }
  };
  walk(root);
  return out.sort();
}

async function baselineOf(roots: string[], rev?: string) {
  const layout = discoverWorkspace(disk, roots);
  return loadGitBaseline(disk, layout, rev);
}

test('HEAD, a branch, a remote-tracking branch, lightweight and annotated tags, full and abbreviated ids, ~N: each reads the tree of its commit', async () => {
  const root = tmp();
  await init(root);
  const c1 = await commit(root, { 'deploy/app.yaml': 'replicas: 1\n', 'deploy/old.yaml': 'kind: ConfigMap\n', 'bom.yaml': '\ufeffkind: Namespace\n' }, 'one');
  await git.tag({ fs, dir: root, ref: 'v1' });
  await git.annotatedTag({ fs, dir: root, ref: 'release-1', message: 'first release', tagger: author });
  await git.writeRef({ fs, dir: root, ref: 'refs/remotes/origin/main', value: c1 });
  const c2 = await commit(root, { 'deploy/app.yaml': 'replicas: 2\n', 'deploy/old.yaml': null }, 'two');
  await git.branch({ fs, dir: root, ref: 'feature' });
  await git.checkout({ fs, dir: root, ref: 'feature' });
  const c3 = await commit(root, { 'deploy/app.yaml': 'replicas: 3\n' }, 'three');
  // The working tree moves on: an edit, a new file, a deletion.
  write(root, { 'deploy/app.yaml': 'replicas: 4\n', 'deploy/new.yaml': 'kind: Service\n', 'bom.yaml': null });

  const at = async (rev: string | undefined) => {
    const { fs: b, baseline } = await baselineOf([root], rev);
    return { listing: listing(b, root), commit: baseline.repos[0].commit, note: baseline.repos[0].note, label: baseline.label, b };
  };
  const one = ['bom.yaml: "kind: Namespace\\n"', 'deploy/app.yaml: "replicas: 1\\n"', 'deploy/old.yaml: "kind: ConfigMap\\n"'];
  const two = ['bom.yaml: "kind: Namespace\\n"', 'deploy/app.yaml: "replicas: 2\\n"'];
  const three = ['bom.yaml: "kind: Namespace\\n"', 'deploy/app.yaml: "replicas: 3\\n"'];
  const head = await at(undefined);
  assert.deepEqual([head.label, head.commit, head.note, head.listing], ['HEAD', c3, undefined, three]);
  for (const [rev, commitId, files] of [
    ['HEAD', c3, three],
    ['feature', c3, three],
    ['main', c2, two],
    ['origin/main', c1, one],
    ['v1', c1, one],
    ['release-1', c1, one],
    [c2, c2, two],
    [c1.slice(0, 7), c1, one],
    ['HEAD~1', c2, two],
    ['HEAD~2', c1, one],
    ['feature^', c2, two],
  ] as const) {
    const r = await at(rev);
    assert.deepEqual({ rev, commit: r.commit, note: r.note, listing: r.listing }, { rev, commit: commitId, note: undefined, listing: files });
  }
  // A file deleted since the revision is there; one added since is not.
  const { b } = await at('v1');
  assert.equal(b.readFile(`${root}/deploy/old.yaml`), 'kind: ConfigMap\n');
  assert.equal(b.exists(`${root}/deploy/new.yaml`), false);
  assert.equal(b.readFile(`${root}/deploy/new.yaml`), undefined);
  assert.equal(b.fileSize(`${root}/deploy/app.yaml`), 12);
  assert.deepEqual(b.readFileLimited(`${root}/deploy/app.yaml`, 5), { tooLarge: 12 });
  assert.deepEqual(b.readFileLimited(`${root}/deploy/app.yaml`, 100), { text: 'replicas: 1\n' });
  assert.deepEqual([...b.readBytes!(`${root}/bom.yaml`)!.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'bytes are the blob as stored');
  assert.equal(b.realPath(`${root}/deploy/app.yaml`), `${root}/deploy/app.yaml`);
  assert.equal(b.realPath(`${root}/deploy/new.yaml`), undefined);
  // Outside every repository: the disk.
  assert.equal(b.exists(os.tmpdir()), true);

  const unknown = await at('no-such-branch');
  assert.equal(unknown.commit, undefined);
  assert.equal(unknown.note, 'no-such-branch is not a branch, tag or commit of this repository: compared with its working tree');
  assert.deepEqual(unknown.listing, listing(disk, root), 'an unknown revision is the working tree');
  assert.match((await at('HEAD~9')).note!, /^HEAD~9 goes past the first commit/);
  assert.match((await at('../../etc/passwd')).note!, /is not a revision this tool reads/);
  fs.rmSync(root, { recursive: true, force: true });
});

test('a packed repository, and one mixing packed and loose objects, read like the loose one', async () => {
  const root = tmp();
  await init(root);
  const c1 = await commit(root, { 'a.yaml': 'a: 1\n', 'dir/b.yaml': 'b: 1\n', 'dir/same.yaml': 'a: 1\n' });
  await packAll(root);
  assert.deepEqual(looseObjects(path.join(root, '.git')), [], 'every object is in the pack');
  let { fs: b, baseline } = await baselineOf([root]);
  assert.equal(baseline.repos[0].commit, c1);
  assert.deepEqual(listing(b, root), ['a.yaml: "a: 1\\n"', 'dir/b.yaml: "b: 1\\n"', 'dir/same.yaml: "a: 1\\n"']);
  // A second commit stays loose: HEAD reads loose objects and packed ones, HEAD~1 only packed ones.
  const c2 = await commit(root, { 'dir/b.yaml': 'b: 2\n', 'c.yaml': 'c: 1\n' });
  assert.ok(looseObjects(path.join(root, '.git')).length > 0);
  ({ fs: b, baseline } = await baselineOf([root]));
  assert.equal(baseline.repos[0].commit, c2);
  assert.deepEqual(listing(b, root), ['a.yaml: "a: 1\\n"', 'c.yaml: "c: 1\\n"', 'dir/b.yaml: "b: 2\\n"', 'dir/same.yaml: "a: 1\\n"']);
  ({ fs: b } = await baselineOf([root], c1.slice(0, 5)));
  assert.deepEqual(listing(b, root), ['a.yaml: "a: 1\\n"', 'dir/b.yaml: "b: 1\\n"', 'dir/same.yaml: "a: 1\\n"']);
  fs.rmSync(root, { recursive: true, force: true });
});

/** A pack entry: type and size header, then the zlib stream (a delta's base reference before it). */
function entry(type: number, size: number, data: Buffer, ofs?: number, ref?: string): Buffer {
  const head: number[] = [];
  let byte = (type << 4) | (size & 15);
  let rest = size >> 4;
  while (rest) {
    head.push(byte | 0x80);
    byte = rest & 0x7f;
    rest >>= 7;
  }
  head.push(byte);
  if (ofs !== undefined) {
    const bytes = [ofs & 0x7f];
    for (let n = ofs >> 7; n; n >>= 7) bytes.unshift(0x80 | (--n & 0x7f));
    head.push(...bytes);
  }
  return Buffer.concat([Buffer.from(head), ref ? Buffer.from(ref, 'hex') : Buffer.alloc(0), deflateSync(data)]);
}
const varint = (n: number) => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>= 7;
  } while (n);
  return out;
};
/** A delta: copy the base's first `keep` bytes, then insert `tail`. */
const delta = (base: Buffer, keep: number, tail: string) => Buffer.from([...varint(base.length), ...varint(keep + tail.length), 0x90, keep, tail.length, ...Buffer.from(tail)]);
const blobId = (b: Buffer) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

test('a pack with deltas (OFS_DELTA, REF_DELTA, a chain) as git writes them: the files are the deltas applied', async () => {
  const root = tmp();
  await init(root);
  const gitdir = path.join(root, '.git');
  const base = Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  level: info\n');
  const keep = base.indexOf('  level');
  const v2 = Buffer.concat([base.subarray(0, keep), Buffer.from('  level: debug\n')]);
  const v3 = Buffer.concat([v2.subarray(0, keep), Buffer.from('  level: warn\n')]);
  const byRef = Buffer.concat([base.subarray(0, keep), Buffer.from('  level: error\n')]);
  const e1 = entry(3, base.length, base);
  // Offsets count from the pack's start (12 header bytes); each delta names its base by the distance back.
  const o1 = 12;
  const o2 = o1 + e1.length;
  const d2 = delta(base, keep, '  level: debug\n');
  const E2 = entry(6, d2.length, d2, o2 - o1);
  const o3 = o2 + E2.length;
  const d3 = delta(v2, keep, '  level: warn\n');
  const E3 = entry(6, d3.length, d3, o3 - o2);
  const d4 = delta(base, keep, '  level: error\n');
  const E4 = entry(7, d4.length, d4, undefined, blobId(base));
  const body = Buffer.concat([Buffer.from('PACK'), Buffer.from([0, 0, 0, 2, 0, 0, 0, 4]), e1, E2, E3, E4]);
  const pack = Buffer.concat([body, createHash('sha1').update(body).digest()]);
  const name = `pack-${createHash('sha1').update(body).digest('hex')}`;
  fs.mkdirSync(path.join(gitdir, 'objects/pack'), { recursive: true });
  fs.writeFileSync(path.join(gitdir, 'objects/pack', `${name}.pack`), pack);
  await git.indexPack({ fs, dir: root, filepath: `.git/objects/pack/${name}.pack` });
  // The tree and the commit are loose; the blobs only in the pack.
  const tree = await git.writeTree({
    fs,
    gitdir,
    tree: [
      { mode: '100644', path: 'base.yaml', oid: blobId(base), type: 'blob' },
      { mode: '100644', path: 'ofs.yaml', oid: blobId(v2), type: 'blob' },
      { mode: '100644', path: 'chain.yaml', oid: blobId(v3), type: 'blob' },
      { mode: '100644', path: 'ref.yaml', oid: blobId(byRef), type: 'blob' },
    ],
  });
  const c = await git.writeCommit({ fs, gitdir, commit: { message: 'deltas\n', tree, parent: [], author, committer: author } });
  await git.writeRef({ fs, gitdir, ref: 'refs/heads/main', value: c, force: true });
  const { fs: b, baseline } = await baselineOf([root]);
  assert.equal(baseline.repos[0].note, undefined);
  assert.equal(b.readFile(`${root}/base.yaml`), base.toString());
  assert.equal(b.readFile(`${root}/ofs.yaml`), v2.toString());
  assert.equal(b.readFile(`${root}/chain.yaml`), v3.toString());
  assert.equal(b.readFile(`${root}/ref.yaml`), byRef.toString());
  fs.rmSync(root, { recursive: true, force: true });
});

test('a worktree (.git file): HEAD is the worktree\'s own branch, objects come from the common folder, inside or outside the workspace', async () => {
  const ws = tmp();
  const main = path.join(ws, 'main');
  await init(main);
  await commit(main, { 'app.yaml': 'on: main\n' });
  await git.branch({ fs, dir: main, ref: 'feature' });
  await git.checkout({ fs, dir: main, ref: 'feature' });
  const onFeature = await commit(main, { 'app.yaml': 'on: feature\n' });
  await git.checkout({ fs, dir: main, ref: 'main' });
  // `git worktree add ../wt feature`, by hand: the worktree's folder in the common folder names its `.git` back.
  const wt = path.join(ws, 'wt');
  const wtGit = path.join(main, '.git/worktrees/wt');
  write(wtGit, { HEAD: 'ref: refs/heads/feature\n', commondir: '../..\n', gitdir: `${wt}/.git\n` });
  write(wt, { '.git': `gitdir: ${wtGit}\n`, 'app.yaml': 'on: feature, edited\n' });
  for (const roots of [[ws], [wt]]) {
    const { fs: b, baseline } = await baselineOf(roots);
    const repo = baseline.repos.find((r) => r.root === wt)!;
    assert.deepEqual([repo.commit, repo.note], [onFeature, undefined], `roots ${roots}`);
    assert.equal(b.readFile(`${wt}/app.yaml`), 'on: feature\n');
    assert.equal(b.readFile(`${wt}/.git`), `gitdir: ${wtGit}\n`, '.git comes from the disk');
  }
  // A gitdir outside the workspace that is no worktree naming this one back is not read.
  const other = path.join(ws, 'other');
  write(other, { '.git': `gitdir: ${path.join(main, '.git')}\n`, 'app.yaml': 'mine\n' });
  const { fs: b, baseline } = await baselineOf([other]);
  assert.match(baseline.repos[0].note!, /^its \.git is not read/);
  assert.equal(b.readFile(`${other}/app.yaml`), 'mine\n');
  fs.rmSync(ws, { recursive: true, force: true });
});

test('two repositories, the revision known in one: the other is its working tree, and says why', async () => {
  const ws = tmp();
  await init(path.join(ws, 'a'));
  await init(path.join(ws, 'b'));
  const a1 = await commit(path.join(ws, 'a'), { 'x.yaml': 'a: tagged\n' });
  await git.tag({ fs, dir: path.join(ws, 'a'), ref: 'v1' });
  await commit(path.join(ws, 'a'), { 'x.yaml': 'a: later\n' });
  await commit(path.join(ws, 'b'), { 'x.yaml': 'b: committed\n' });
  write(ws, { 'a/x.yaml': 'a: edited\n', 'b/x.yaml': 'b: edited\n', 'loose.yaml': 'no repository\n' });
  const { fs: b, baseline } = await baselineOf([ws], 'v1');
  assert.deepEqual(
    baseline.repos.map((r) => [path.relative(ws, r.root), r.rev, r.commit, r.note]),
    [
      ['', 'v1', undefined, 'no .git: compared with its working tree'],
      ['a', 'v1', a1, undefined],
      ['b', 'v1', undefined, 'v1 is not a branch, tag or commit of this repository: compared with its working tree'],
    ],
  );
  assert.equal(b.readFile(`${ws}/a/x.yaml`), 'a: tagged\n');
  assert.equal(b.readFile(`${ws}/b/x.yaml`), 'b: edited\n');
  assert.equal(b.readFile(`${ws}/loose.yaml`), 'no repository\n');
  fs.rmSync(ws, { recursive: true, force: true });
});

test('nested repositories: the innermost owns its files, a folder without .git inside one is read from its tree, .flux-fleet.yaml and submodules come from the disk', async () => {
  const outer = tmp();
  await init(outer);
  // A stale copy of the inner repository's file in the outer tree: never served (inner owns the path).
  await commit(outer, { 'apps/inner/app.yaml': 'stale copy\n', 'tenant/.flux-fleet.yaml': 'repositories: {}\n', 'tenant/t.yaml': 't: committed\n', '.flux-fleet.yaml': 'repositories: {}\n', 'top.yaml': 'top: 1\n' });
  fs.rmSync(path.join(outer, 'apps'), { recursive: true });
  const inner = path.join(outer, 'apps/inner');
  await init(inner);
  const i1 = await commit(inner, { 'app.yaml': 'inner: committed\n' });
  write(inner, { 'app.yaml': 'inner: edited\n' });
  write(outer, { 'tenant/t.yaml': 't: edited\n', '.flux-fleet.yaml': '# edited config\nrepositories: {}\n' });
  // A submodule entry (gitlink) in the outer tree: its folder is another repository's, read from the disk.
  const gitdir = path.join(outer, '.git');
  const head = await git.resolveRef({ fs, gitdir, ref: 'HEAD' });
  const { commit: parsed } = await git.readCommit({ fs, gitdir, oid: head });
  const { tree } = await git.readTree({ fs, gitdir, oid: parsed.tree });
  const withSub = await git.writeTree({ fs, gitdir, tree: [...tree.filter((e) => e.path !== 'apps'), { mode: '160000', path: 'sub', oid: i1, type: 'commit' }] });
  const c = await git.writeCommit({ fs, gitdir, commit: { message: 'submodule\n', tree: withSub, parent: [head], author, committer: author } });
  await git.writeRef({ fs, gitdir, ref: 'refs/heads/main', value: c, force: true });
  write(outer, { 'sub/s.yaml': 's: on disk\n' });

  const { fs: b, baseline } = await baselineOf([outer]);
  assert.deepEqual(
    baseline.repos.map((r) => [path.relative(outer, r.root), r.commit, r.note]).sort(),
    [
      ['', c, undefined],
      ['apps/inner', i1, undefined],
      ['tenant', c, `no .git of its own: read from ${path.basename(outer)}'s tree at HEAD`],
    ],
  );
  assert.deepEqual(listing(b, outer), [
    '.flux-fleet.yaml: "# edited config\\nrepositories: {}\\n"',
    'apps/inner/app.yaml: "inner: committed\\n"',
    'sub/s.yaml: "s: on disk\\n"',
    'tenant/.flux-fleet.yaml: "repositories: {}\\n"',
    'tenant/t.yaml: "t: committed\\n"',
    'top.yaml: "top: 1\\n"',
  ]);
  // The outer tree has no `apps` folder: it is there because it leads to a repository.
  assert.deepEqual(b.readDir(`${outer}/apps`), [{ name: 'inner', kind: 'dir', symlink: false }]);
  assert.equal(b.exists(`${outer}/apps`), true);
  // A second Fleet over the baseline discovers the same repositories and indexes the files as they were.
  const fleet = new Fleet(b, { roots: [outer] });
  fleet.load();
  assert.deepEqual(fleet.repositories.map((r) => path.relative(outer, r.root)).sort(), ['', 'apps/inner', 'tenant']);
  assert.deepEqual([...fleet.facts.keys()].map((f) => path.relative(outer, f)).sort(), ['.flux-fleet.yaml', 'apps/inner/app.yaml', 'sub/s.yaml', 'tenant/.flux-fleet.yaml', 'tenant/t.yaml', 'top.yaml']);
  fs.rmSync(outer, { recursive: true, force: true });
});

test('symbolic links in the tree resolve within the tree; one leading out of it is absent', async () => {
  const root = tmp();
  await init(root);
  write(root, { 'v2/app.yaml': 'version: 2\n' });
  fs.symlinkSync('v2', path.join(root, 'current'));
  fs.symlinkSync('../../etc', path.join(root, 'escape'));
  fs.symlinkSync('v2/app.yaml', path.join(root, 'app.yaml'));
  for (const f of ['v2/app.yaml', 'current', 'escape', 'app.yaml']) await git.add({ fs, dir: root, filepath: f });
  await git.commit({ fs, dir: root, message: 'links', author });
  const { fs: b } = await baselineOf([root]);
  assert.deepEqual(listing(b, root), ['app.yaml -> v2/app.yaml', 'current -> v2', 'escape -> (absent)', 'v2/app.yaml: "version: 2\\n"']);
  assert.equal(b.readFile(`${root}/current/app.yaml`), 'version: 2\n');
  assert.equal(b.realPath(`${root}/current/app.yaml`), `${root}/v2/app.yaml`);
  assert.equal(b.exists(`${root}/escape`), false);
  assert.equal(b.readDir(`${root}/escape`).length, 0);
  fs.rmSync(root, { recursive: true, force: true });
});

test('a blob larger than the bound is sized, never decoded', async () => {
  const root = tmp();
  await init(root);
  const big = 'x: ' + 'y'.repeat(MAX_YAML_BYTES) + '\n';
  await commit(root, { 'big.yaml': big, 'small.yaml': 'a: 1\n' });
  const { fs: b } = await baselineOf([root]);
  assert.equal(b.fileSize(`${root}/big.yaml`), big.length);
  assert.deepEqual(b.readFileLimited(`${root}/big.yaml`, MAX_YAML_BYTES), { tooLarge: big.length });
  assert.equal(b.readFile(`${root}/big.yaml`), undefined);
  assert.equal(b.readFile(`${root}/small.yaml`), 'a: 1\n');
  fs.rmSync(root, { recursive: true, force: true });
});

test('Git data leading outside the workspace is refused: objects/info/alternates, a linked objects folder', async () => {
  const ws = tmp();
  const outside = tmp();
  // The objects live in a repository outside the workspace.
  await init(outside);
  const foreign = await commit(outside, { 'x.yaml': 'foreign\n' });
  const repo = path.join(ws, 'repo');
  await init(repo);
  write(repo, { 'x.yaml': 'working tree\n', '.git/objects/info/alternates': `${outside}/.git/objects\n` });
  await git.writeRef({ fs, dir: repo, ref: 'refs/heads/main', value: foreign, force: true });
  let { fs: b, baseline } = await baselineOf([ws]);
  let note = baseline.repos.find((r) => r.root === repo)!.note!;
  assert.match(note, /objects\/info\/alternates is not followed/);
  assert.match(note, /compared with its working tree$/);
  assert.equal(b.readFile(`${repo}/x.yaml`), 'working tree\n');
  // The same objects through a symbolic link out of .git: not followed either.
  fs.rmSync(path.join(repo, '.git/objects/info/alternates'));
  fs.rmSync(path.join(repo, '.git/objects'), { recursive: true });
  fs.symlinkSync(path.join(outside, '.git/objects'), path.join(repo, '.git/objects'));
  ({ fs: b, baseline } = await baselineOf([ws]));
  note = baseline.repos.find((r) => r.root === repo)!.note!;
  assert.match(note, /\(objects is a link out of the Git folder, not followed\): compared with its working tree$/);
  assert.equal(baseline.repos.find((r) => r.root === repo)!.commit, undefined);
  assert.equal(b.readFile(`${repo}/x.yaml`), 'working tree\n');
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

test('a cancelled load stops between repositories', async () => {
  const root = tmp();
  await init(root);
  await commit(root, { 'a.yaml': 'a: 1\n' });
  const layout = discoverWorkspace(disk, [root]);
  await assert.rejects(loadGitBaseline(disk, layout, 'HEAD', { isCancellationRequested: true }), BaselineCancelled);
  fs.rmSync(root, { recursive: true, force: true });
});

test('a workspace reached through a symbolic link: the baseline answers real paths as the disk does, and a Fleet over it reads the configuration', async () => {
  const real = tmp();
  const link = `${tmp()}/ws`;
  fs.symlinkSync(real, link);
  await init(real);
  await commit(real, { '.flux-fleet.yaml': 'repositories: {}\n', 'apps/app.yaml': 'kind: ConfigMap\nmetadata: {name: committed}\n' });
  write(real, { 'apps/app.yaml': 'kind: ConfigMap\nmetadata: {name: edited}\n' });
  const { fs: b, baseline } = await baselineOf([link]);
  assert.equal(baseline.repos[0].note, undefined);
  assert.equal(b.realPath(link), real);
  assert.equal(b.realPath(`${link}/apps/app.yaml`), `${real}/apps/app.yaml`);
  const fleet = new Fleet(b, { roots: [link] });
  fleet.load();
  assert.deepEqual(fleet.layout.configFiles, [`${link}/.flux-fleet.yaml`], 'the configuration is inside the workspace');
  assert.deepEqual(fleet.layout.configProblems, []);
  assert.equal(fleet.facts.get(`${link}/apps/app.yaml`)?.text, 'kind: ConfigMap\nmetadata: {name: committed}\n');
  fs.rmSync(real, { recursive: true, force: true });
  fs.rmSync(path.dirname(link), { recursive: true, force: true });
});
