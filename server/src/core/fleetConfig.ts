// `.flux-fleet.yaml`: explicit source → local folder mappings. Explicit mapping wins over discovery.
import { parseDocument, isMap, isScalar } from 'yaml';
import { gitRepoKey, ociRepoKey } from './sourceUrl';
import { dirname, resolvePath } from './paths';
import type { Span } from './text';

export const CONFIG_FILE_NAME = '.flux-fleet.yaml';

export type MappingKey =
  | { type: 'git'; repoKey: string; branch?: string }
  | { type: 'oci'; key: string }
  | { type: 'object'; kind: string; namespace: string; name: string };

export interface SourceMapping {
  raw: string;
  key: MappingKey;
  /** Absolute local folder the source's root maps to. */
  folder: string;
  /** Where the mapping was declared (undefined for editor settings). */
  declaredIn?: { file: string; span: Span };
}

export function parseMappingKey(raw: string): MappingKey | undefined {
  const key = raw.trim();
  // `Kind/namespace/name`; namespace `*` matches a source object of that kind and name in any namespace.
  const obj = /^([A-Za-z]+)\/([^/\s]+)\/([^/\s]+)$/.exec(key);
  if (obj && !key.includes('.') && !key.includes(':')) return { type: 'object', kind: obj[1], namespace: obj[2], name: obj[3] };
  if (/^oci:\/\//i.test(key)) {
    const k = ociRepoKey(key);
    return k ? { type: 'oci', key: k } : undefined;
  }
  const hash = key.lastIndexOf('#');
  const url = hash >= 0 ? key.slice(0, hash) : key;
  const branch = hash >= 0 ? key.slice(hash + 1) : undefined;
  const repoKey = gitRepoKey(url);
  return repoKey ? { type: 'git', repoKey, branch: branch || undefined } : undefined;
}

export interface ConfigProblem {
  file: string;
  span: Span;
  message: string;
  severity: 'error' | 'warning';
}

/** Parses a `.flux-fleet.yaml`; folders are resolved relative to the file. */
export function parseFleetConfig(file: string, text: string): { mappings: SourceMapping[]; problems: ConfigProblem[] } {
  const mappings: SourceMapping[] = [];
  const problems: ConfigProblem[] = [];
  const doc = parseDocument(text);
  for (const e of doc.errors) problems.push({ file, span: { start: e.pos[0], end: e.pos[1] }, message: e.message.split('\n')[0], severity: 'error' });
  const repos = isMap(doc.contents) ? doc.contents.get('repositories', true) : undefined;
  if (!isMap(repos)) return { mappings, problems };
  for (const pair of repos.items) {
    if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
    const raw = String(pair.key.value);
    const span = { start: pair.key.range?.[0] ?? 0, end: pair.key.range?.[1] ?? 0 };
    const key = parseMappingKey(raw);
    if (!key) {
      problems.push({ file, span, message: `Not a Git URL, oci:// URL or Kind/namespace/name: ${raw}`, severity: 'error' });
      continue;
    }
    mappings.push({ raw, key, folder: resolvePath(dirname(file), String(pair.value.value)), declaredIn: { file, span } });
  }
  return { mappings, problems };
}
