// The Git baseline figure of `npm run bench` (issue 15: "reading the baseline from .git packfiles within 1.5x the time
// of reading the same files from disk"). A copy of the synthetic fleet (.bench/git-fleet) is made into Git
// repositories, one per repository folder, each with one commit whose objects are all in a packfile (written with
// isomorphic-git: blobs, trees and the commit as objects, then packObjects + indexPack, loose objects removed). Then:
// loadGitBaseline of HEAD against reading the same files from disk with NodeFileSystem (a walk reading every file).
// Standalone: `npm run bench:git [-- --force]`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import git from 'isomorphic-git';
import { ensureFleet, DEFAULT_OPTIONS, GENERATOR_VERSION } from './synth-fleet';
import { NodeFileSystem } from '../server/src/core/nodeFileSystem';
import type { FileSystem } from '../server/src/core/fileSystem';
import { discoverWorkspace } from '../server/src/core/workspace';
import { loadGitBaseline } from '../server/src/core/impact/gitBaseline';
import { MAX_YAML_BYTES } from '../server/src/core/indexFile';

export const GIT_FLEET_DIR = path.resolve(__dirname, '../.bench/git-fleet');
const STAMP = '.git-fleet.json';
const STAMP_VERSION = 1;
const AUTHOR = { name: 'Bench', email: 'bench@example.com', timestamp: 1764547200, timezoneOffset: 0 };

type TreeEntry = { mode: string; path: string; oid: string; type: 'blob' | 'tree' };

/** Writes `dir`'s files as objects of the repository at `gitdir`; returns the tree's id (every object id into `oids`). */
async function writeFolder(dir: string, gitdir: string, oids: string[]): Promise<string> {
  const entries: TreeEntry[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) entries.push({ mode: '040000', path: e.name, oid: await writeFolder(p, gitdir, oids), type: 'tree' });
    else if (e.isFile()) {
      const oid = await git.writeBlob({ fs, gitdir, blob: fs.readFileSync(p) });
      oids.push(oid);
      entries.push({ mode: '100644', path: e.name, oid, type: 'blob' });
    }
  }
  const oid = await git.writeTree({ fs, gitdir, tree: entries });
  oids.push(oid);
  return oid;
}

/** Makes `repoDir` a Git repository with one commit of all its files, every object in one packfile. */
async function commitPacked(repoDir: string): Promise<void> {
  const gitdir = path.join(repoDir, '.git');
  await git.init({ fs, dir: repoDir, defaultBranch: 'main' });
  const oids: string[] = [];
  const tree = await writeFolder(repoDir, gitdir, oids);
  const commit = await git.writeCommit({ fs, gitdir, commit: { message: 'synthetic fleet\n', tree, parent: [], author: AUTHOR, committer: AUTHOR } });
  oids.push(commit);
  await git.writeRef({ fs, gitdir, ref: 'refs/heads/main', value: commit, force: true });
  const { filename } = await git.packObjects({ fs, gitdir, oids: [...new Set(oids)], write: true });
  await git.indexPack({ fs, dir: repoDir, gitdir, filepath: path.relative(repoDir, path.join(gitdir, 'objects/pack', filename)) });
  for (const d of fs.readdirSync(path.join(gitdir, 'objects'))) if (/^[0-9a-f]{2}$/.test(d)) fs.rmSync(path.join(gitdir, 'objects', d), { recursive: true });
}

/** The synthetic fleet with each repository folder a packed Git repository (made once, stamped). */
export async function ensureGitFleet(force = false): Promise<{ dir: string; repos: number; generated: boolean; ms: number }> {
  const t0 = performance.now();
  const gen = ensureFleet(GIT_FLEET_DIR, DEFAULT_OPTIONS, force);
  const stamp = JSON.stringify({ version: STAMP_VERSION, generator: GENERATOR_VERSION, ...DEFAULT_OPTIONS });
  const stampFile = path.join(GIT_FLEET_DIR, STAMP);
  const repoDirs = fs.readdirSync(GIT_FLEET_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(GIT_FLEET_DIR, e.name));
  if (!gen.generated && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return { dir: GIT_FLEET_DIR, repos: repoDirs.length, generated: false, ms: 0 };
  for (const d of repoDirs) {
    fs.rmSync(path.join(d, '.git'), { recursive: true, force: true });
    await commitPacked(d);
  }
  fs.writeFileSync(stampFile, stamp);
  return { dir: GIT_FLEET_DIR, repos: repoDirs.length, generated: true, ms: performance.now() - t0 };
}

/** Reads every file under `root` as the fleet does (a walk, each file sized then read), skipping `.git`. */
function readEveryFile(fsys: FileSystem, root: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    for (const e of fsys.readDir(queue[i])) {
      const p = `${queue[i]}/${e.name}`;
      if (e.name === '.git' || e.symlink) continue;
      if (e.kind === 'dir') queue.push(p);
      else if (e.kind === 'file') {
        const read = fsys.readFileLimited(p, MAX_YAML_BYTES);
        if (read && 'text' in read) (files++, (bytes += read.text.length));
      }
    }
  }
  return { files, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r1 = (x: number) => Math.round(x * 10) / 10;

export interface GitBaselineFigure {
  repos: number;
  files: number;
  packMb: number;
  diskMs: number;
  /** loadGitBaseline alone (every tree and blob of every repository into memory). */
  loadMs: number;
  /** loadGitBaseline, then the same walk and reads over the baseline file system. */
  loadAndReadMs: number;
  ratio: number;
  target: number;
  setupMs: number;
}

/** Median of `runs` timed runs after one untimed one (each side warm: page cache, compiled code). */
export async function measureGitBaseline(runs = 3, force = false): Promise<GitBaselineFigure> {
  const made = await ensureGitFleet(force);
  const disk = new NodeFileSystem();
  const root = made.dir.split(path.sep).join('/');
  const layout = discoverWorkspace(disk, [root]);
  const diskRuns: number[] = [];
  const loadRuns: number[] = [];
  const bothRuns: number[] = [];
  let files = 0;
  for (let i = 0; i <= runs; i++) {
    let t = performance.now();
    const fromDisk = readEveryFile(disk, root);
    const diskMs = performance.now() - t;
    t = performance.now();
    const { fs: baseline, baseline: info } = await loadGitBaseline(disk, layout, 'HEAD');
    const loadMs = performance.now() - t;
    const fromGit = readEveryFile(baseline, root);
    const bothMs = performance.now() - t;
    const unread = info.repos.filter((r) => r.note && !r.note.startsWith('no .git'));
    if (unread.length || fromGit.files !== fromDisk.files || fromGit.bytes !== fromDisk.bytes) {
      throw new Error(`the baseline differs from the working tree: ${fromGit.files} files (${fromGit.bytes} chars) read from Git, ${fromDisk.files} (${fromDisk.bytes}) from disk; ${unread.map((r) => `${r.root}: ${r.note}`).join('; ')}`);
    }
    files = fromDisk.files;
    if (i === 0) continue;
    diskRuns.push(diskMs);
    loadRuns.push(loadMs);
    bothRuns.push(bothMs);
  }
  let packBytes = 0;
  for (const r of layout.repositories) {
    const pack = path.join(r.root, '.git/objects/pack');
    if (fs.existsSync(pack)) for (const f of fs.readdirSync(pack)) packBytes += fs.statSync(path.join(pack, f)).size;
  }
  const diskMs = median(diskRuns);
  const loadAndReadMs = median(bothRuns);
  return {
    repos: layout.repositories.filter((r) => fs.existsSync(path.join(r.root, '.git'))).length,
    files,
    packMb: r1(packBytes / 1048576),
    diskMs: r1(diskMs),
    loadMs: r1(median(loadRuns)),
    loadAndReadMs: r1(loadAndReadMs),
    ratio: Math.round((loadAndReadMs / diskMs) * 100) / 100,
    target: 1.5,
    setupMs: Math.round(made.ms),
  };
}

export function describeGitBaseline(g: GitBaselineFigure): string {
  return `${g.files} files of ${g.repos} packed repositories (${g.packMb} MB of packs): ${g.loadAndReadMs} ms from .git (load ${g.loadMs} ms) vs ${g.diskMs} ms from disk = ${g.ratio}x (target ≤ ${g.target}x)`;
}

if (require.main === module) {
  void measureGitBaseline(3, process.argv.includes('--force')).then((g) => {
    if (g.setupMs) console.log(`made the packed repositories in ${g.setupMs} ms`);
    console.log(`Git baseline: ${describeGitBaseline(g)}`);
    if (process.argv.includes('--json')) console.log(JSON.stringify(g));
  });
}
