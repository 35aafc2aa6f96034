// What every bench compares with: the fleet's YAML files as the tree walk sees them, and the `yaml` parse of their
// texts (the floor), warmed on a few hundred files first.
import * as fs from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** Every YAML file under `dir` (.git and node_modules skipped). */
export function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = dir + '/' + e.name;
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') yamlFiles(p, out);
    } else if (e.isFile() && (e.name.endsWith('.yaml') || e.name.endsWith('.yml'))) out.push(p);
  }
  return out;
}

/** Milliseconds to parse the texts with `yaml`, after a warm-up on the first 300. */
export function parseFloorMs(texts: string[]): number {
  for (const text of texts.slice(0, 300)) parseAllDocuments(text, { uniqueKeys: false, strict: false });
  const t = performance.now();
  for (const text of texts) parseAllDocuments(text, { uniqueKeys: false, strict: false });
  return performance.now() - t;
}
