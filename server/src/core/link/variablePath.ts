// A Flux `spec.path` holding `${VAR}` is decided per context, after the parent's postBuild substitution: only the
// evaluation knows its folder. The linker still needs to know which files such a Kustomization may deploy (deploy
// chains, code lenses, which contexts to evaluate for a file): every folder the pattern can match. Contexts then
// filter by what their builds really contain, so this over-approximation never becomes a finding.
import type { FileTree } from '../fileTree';
import { join } from '../paths';

/** `${NAME}`, `${NAME:=default}`, `${NAME:-default}` and the other bash-like forms Flux accepts. */
const VARIABLE = /(?<!\$)\$\{[^}]*\}/;

export function hasVariable(path: string): boolean {
  return VARIABLE.test(path);
}

/** One regular expression per path segment: literal text, with each variable matching any name part. */
function segmentPattern(segment: string): RegExp | string {
  if (!VARIABLE.test(segment)) return segment;
  const parts = segment.split(/((?<!\$)\$\{[^}]*\})/);
  const source = parts.map((p, i) => (i % 2 ? '[^/]*' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`);
}

/** Folders under `root` that `path` (relative, with variables) can name, at most `limit` of them, sorted. */
export function foldersMatching(tree: FileTree, root: string, path: string, limit = 64): string[] {
  const segments = path.split('/').filter((s) => s && s !== '.');
  let level = [root];
  for (const s of segments) {
    const pattern = segmentPattern(s);
    const next: string[] = [];
    for (const dir of level) {
      if (typeof pattern === 'string') {
        const p = pattern === '..' ? undefined : join(dir, pattern);
        if (p && tree.isDir(p)) next.push(p);
        continue;
      }
      for (const name of tree.list(dir).sort()) {
        const p = join(dir, name);
        if (pattern.test(name) && tree.isDir(p) && !name.startsWith('.')) next.push(p);
      }
    }
    level = next.slice(0, limit);
    if (!level.length) break;
  }
  return segments.length ? level : [];
}
