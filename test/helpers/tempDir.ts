// Temporary folders for tests, removed when the test process exits (`node --test` runs each test file in a process
// of its own), so a test run leaves nothing behind in the system's temporary folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

function removeMade(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh folder under the system's temporary folder, by its real path (macOS's /tmp is a link), removed at exit. */
export function tempDir(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  if (made.length === 0) process.once('exit', removeMade);
  made.push(dir);
  return dir;
}
