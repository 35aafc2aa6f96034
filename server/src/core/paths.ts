// POSIX path helpers. The core works with absolute, normalised POSIX paths; URIs exist only at the LSP edge.
import { keptString } from './keptString';
import * as path from 'node:path';

export const join = path.posix.join;
export const dirname = path.posix.dirname;
export const basename = path.posix.basename;
export const normalize = path.posix.normalize;

/** A path with an empty, `.` or `..` element (or a trailing `/`): one that normalising would change. */
const UNNORMAL = /(^|\/)\.{0,2}(\/|$)/;

/**
 * path.posix.resolve; the common case (an absolute, normalised folder and a plain relative path, as kustomization
 * entries are written) joined as is: every entry of every folder build resolves its path, and resolve normalises the
 * whole path again character by character each time.
 */
export function resolvePath(...paths: string[]): string {
  if (paths.length === 2) {
    const [from, to] = paths;
    if (from.charCodeAt(0) === 47 && to.charCodeAt(0) !== 47 && !UNNORMAL.test(to) && !UNNORMAL.test(from.slice(1))) return keptString(from + '/' + to);
  }
  return path.posix.resolve(...paths);
}

/**
 * path.posix.relative; a normalised absolute path inside a normalised absolute folder is its tail (the common case: a
 * file of a repository, for messages and keys), without path.posix.relative resolving both paths again.
 */
export function relative(from: string, to: string): string {
  const n = from.length;
  if (from.charCodeAt(0) === 47 && to.charCodeAt(n) === 47 && to.startsWith(from) && !UNNORMAL.test(from.slice(1)) && !UNNORMAL.test(to.slice(n + 1))) return to.slice(n + 1);
  return path.posix.relative(from, to);
}

/** `relative(root, p)` for many paths `p` of one root: the root's own part of its shortcut's test made once. */
export function relativeFrom(root: string): (p: string) => string {
  const n = root.length;
  const plain = root.charCodeAt(0) === 47 && !UNNORMAL.test(root.slice(1));
  return (p) => (plain && p.charCodeAt(n) === 47 && p.startsWith(root) && !UNNORMAL.test(p.slice(n + 1)) ? p.slice(n + 1) : relative(root, p));
}

export function isInside(parent: string, child: string): boolean {
  if (parent === child) return true;
  const p = parent.endsWith('/') ? parent : parent + '/';
  return child.startsWith(p);
}

export function isYamlFile(p: string): boolean {
  return p.endsWith('.yaml') || p.endsWith('.yml');
}

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomizationFileName(name: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(name);
}

/** Display form of a path relative to a base, `./`-prefixed like Flux paths are usually written. */
export function toDotRelative(from: string, to: string): string {
  const r = relative(from, to);
  if (r === '') return './';
  return r.startsWith('..') ? r : './' + r;
}
