// For clients without workspace/didChangeWatchedFiles (Neovim 0.7, some others): watch the workspace folders
// ourselves so files created, changed or deleted outside the editor are still seen. Read-only; debounced.
import * as fs from 'node:fs';

const IGNORED = /(^|\/)(\.git|node_modules)(\/|$)/;

/**
 * `onFolder`: the folders holding changed paths, after their changes: Node's recursive watch on Linux misses events
 * (a folder renamed back is reported under its new name only), so the caller compares their entries with the disk.
 */
export function watchRoots(roots: string[], onChange: (path: string, deleted: boolean) => void, onFolder: (dir: string) => void = () => {}): () => void {
  const watchers: fs.FSWatcher[] = [];
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const folders = new Set<string>();
    for (const p of pending) {
      onChange(p, !fs.existsSync(p));
      // Every folder from the changed path up to its root: a folder created whole (a repository cloned back) may be
      // reported only through the files inside it.
      const root = roots.find((r) => p.startsWith(r + '/'));
      for (let d = p.slice(0, p.lastIndexOf('/')); root && d.length >= root.length; d = d.slice(0, d.lastIndexOf('/'))) folders.add(d);
    }
    pending.clear();
    for (const d of folders) if (fs.existsSync(d)) onFolder(d);
  };
  const changed = (p: string) => {
    pending.add(p);
    timer ??= setTimeout(flush, 100);
  };
  for (const root of roots) {
    try {
      const w = fs.watch(root, { recursive: true }, (_event, name) => {
        if (!name) return;
        const rel = String(name).split('\\').join('/');
        if (IGNORED.test(rel)) return;
        changed(`${root}/${rel}`);
      });
      // Node's recursive watch on Linux reports an error (ENOENT) when a folder goes while it lists it (a repository
      // deleted by another process) and watches on: closing here would leave every later change unseen. What it was
      // listing is compared with the disk instead (its events there may be missing).
      w.on('error', (e: NodeJS.ErrnoException) => {
        if (e.path?.startsWith(root + '/')) changed(e.path);
      });
      watchers.push(w);
    } catch {
      // Recursive watching is unavailable here: edits in the editor and saves are still seen.
    }
  }
  return () => {
    for (const w of watchers) w.close();
    if (timer) clearTimeout(timer);
  };
}
