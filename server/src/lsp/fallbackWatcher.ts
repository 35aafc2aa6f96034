// For clients without workspace/didChangeWatchedFiles (Neovim 0.7, some others): watch the workspace folders
// ourselves so files created, changed or deleted outside the editor are still seen. Read-only; debounced.
import * as fs from 'node:fs';
import { watchFolders, type FolderWatches } from './folderWatches';

const IGNORED = /(^|\/)(\.git|node_modules)(\/|$)/;
/** What a commit, checkout or fetch moves in a repository's .git: the change impact's baseline follows them. */
const GIT_REFS = /(^|\/)\.git\/(HEAD|packed-refs|refs\/.+)$/;
/** The folders of .git that hold them (watched one by one where the watch is a watch per folder: folderWatches.ts). */
const GIT_FOLDERS = /(^|\/)\.git(\/refs(\/.+)?)?$/;
/**
 * Where `fs.watch(root, { recursive: true })` is the system's own (FSEvents, ReadDirectoryChangesW). Elsewhere Node
 * writes it in JavaScript with a watch and a stat per file: there a watch per folder is ours (folderWatches.ts).
 */
const NATIVE_RECURSIVE_WATCH = process.platform === 'darwin' || process.platform === 'win32';

/**
 * `onFolder`: the folders holding changed paths, after their changes: Node's recursive watch on Linux misses events
 * (a folder renamed back is reported under its new name only), so the caller compares their entries with the disk.
 */
export function watchRoots(roots: string[], onChange: (path: string, deleted: boolean) => void, onFolder: (dir: string) => void = () => {}): () => void {
  const watchers: Array<fs.FSWatcher | FolderWatches> = [];
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let settle: NodeJS.Timeout | undefined;
  /** Folders a batch created or changed whole, synced once more when the disk has settled (see flush). */
  const unsettled = new Set<string>();
  const isFolder = (p: string) => {
    try {
      return fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const flush = () => {
    timer = undefined;
    const folders = new Set<string>();
    for (const p of pending) if (!p.includes('/.git/') && isFolder(p)) unsettled.add(p);
    for (const p of pending) {
      onChange(p, !fs.existsSync(p));
      if (p.includes('/.git/')) continue; // a ref moved: no folder of the fleet changed
      // Every folder from the changed path up to its root: a folder created whole (a repository cloned back) may be
      // reported only through the files inside it.
      const root = roots.find((r) => p.startsWith(r + '/'));
      for (let d = p.slice(0, p.lastIndexOf('/')); root && d.length >= root.length; d = d.slice(0, d.lastIndexOf('/'))) folders.add(d);
    }
    pending.clear();
    for (const d of folders) if (fs.existsSync(d)) onFolder(d);
    // A folder deleted and re-created (a repository cloned back, `git checkout` of a tree) may still be watched as the
    // deleted copy, and may have been read mid-copy: once no event came for a second, each such folder is synced
    // again from the disk (replaced whole), so what the watcher missed inside it is seen.
    if (settle) clearTimeout(settle);
    if (unsettled.size) {
      settle = setTimeout(() => {
        settle = undefined;
        // The outermost ones only: syncing a folder replaces everything inside it.
        const again = [...unsettled].sort();
        unsettled.clear();
        const outer = again.filter((d, i) => !again.slice(0, i).some((o) => d.startsWith(o + '/')));
        for (const d of outer) if (isFolder(d)) onChange(d, false);
      }, 1000);
    }
  };
  const changed = (p: string) => {
    pending.add(p);
    timer ??= setTimeout(flush, 100);
  };
  for (const root of roots) {
    const onName = (name: string) => {
      const rel = name.split('\\').join('/');
      if (IGNORED.test(rel) && !GIT_REFS.test(rel)) return;
      changed(`${root}/${rel}`);
    };
    // A watch reports an error (ENOENT) when a folder goes while it is listed (a repository deleted by another
    // process) and watches on: closing here would leave every later change unseen. What it was listing is compared
    // with the disk instead (its events there may be missing).
    // (Not when the system's watches are used up, ENOSPC: nothing changed there, and each folder folderWatches.ts
    // could not watch, reported changed, was synced twice, read from the disk again for nothing.)
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOSPC' && e.path?.startsWith(root + '/')) changed(e.path);
    };
    if (!NATIVE_RECURSIVE_WATCH) {
      watchers.push(watchFolders(root, (rel) => IGNORED.test(rel) && !GIT_FOLDERS.test(rel), onName, onError));
      continue;
    }
    try {
      const w = fs.watch(root, { recursive: true }, (_event, name) => {
        if (name) onName(String(name));
      });
      w.on('error', onError);
      watchers.push(w);
    } catch {
      // Recursive watching is unavailable here: edits in the editor and saves are still seen.
    }
  }
  return () => {
    for (const w of watchers) w.close();
    if (timer) clearTimeout(timer);
    if (settle) clearTimeout(settle);
  };
}
