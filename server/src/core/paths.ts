// POSIX path helpers. The core works with absolute, normalised POSIX paths; URIs exist only at the LSP edge.
import * as path from 'node:path';

export const join = path.posix.join;
export const dirname = path.posix.dirname;
export const basename = path.posix.basename;
export const relative = path.posix.relative;
export const resolvePath = path.posix.resolve;
export const normalize = path.posix.normalize;

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
