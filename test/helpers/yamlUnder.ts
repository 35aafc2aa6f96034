// The YAML files of a folder for tests that compare two readings of every real file (fixtures, corpora, the synthetic
// fleet): .git and node_modules skipped, files of 1 MB or more left out, an even sample when there are too many.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every YAML file under `dir` (at most `max`, evenly sampled when more). */
export function yamlUnder(dir: string, max = Infinity): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules') walk(p);
      else if (e.isFile() && /\.ya?ml$/.test(e.name) && fs.statSync(p).size < 1_000_000) out.push(p);
    }
  };
  walk(dir);
  if (out.length <= max) return out;
  const step = out.length / max;
  return Array.from({ length: max }, (_, i) => out[Math.floor(i * step)]);
}
