// `.flux-fleet.yaml`: explicit source → local folder mappings. Explicit mapping wins over discovery.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseYaml } from './yamlParse';
import type { ParsedText } from './parsedText';
import { gitRepoKey, ociRepoKey } from './sourceUrl';
import { dirname, resolvePath } from './paths';
import type { Span } from './text';
import { nodeToJsonV2 } from './resourceSet/source';
import type { JsonObject } from './kustomize/types';
import type { ProviderSamples } from './resourceSet/inputs';
import { fleetConfigSchemaProblems, type FleetConfigValidator } from './schemas/fleetConfigSchema';

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
  /** A limit of this tool, not a mistake in the file (default: config-invalid). */
  code?: 'limit-exceeded';
}

/**
 * Objects the platform says the cluster makes (an operator the fleet cannot see): references to them are not
 * missing, and variables only they could hold are unknown, not undefined.
 *
 *   provided:
 *     - kinds: [Secret]                 # globs; at least one of kinds and names
 *       names: ["*-konfiguration"]
 *       namespaces: ["*"]               # default: any
 *       reason: made by konfigure-operator from Konfiguration CRs
 */
export interface ProvidedDeclaration {
  file: string;
  span: Span;
  kinds?: string[];
  names?: string[];
  namespaces?: string[];
  reason?: string;
}

const PROVIDED_FIELDS = ['kinds', 'names', 'namespaces', 'reason'];

function spanOfNode(n: Node | null | undefined): Span {
  return n?.range ? { start: n.range[0], end: n.range[1] } : { start: 0, end: 0 };
}

function globList(node: Node, file: string, field: string, problems: ConfigProblem[]): string[] | undefined {
  if (isScalar(node) && typeof node.value === 'string' && node.value) return [node.value];
  if (!isSeq(node) || !node.items.length) {
    problems.push({ file, span: spanOfNode(node), message: `provided: ${field} must be a non-empty list of globs`, severity: 'error' });
    return undefined;
  }
  const out: string[] = [];
  for (const item of node.items as Node[]) {
    if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') && String(item.value)) out.push(String(item.value));
    else problems.push({ file, span: spanOfNode(item), message: `provided: each entry of ${field} must be a glob (a string)`, severity: 'error' });
  }
  return out.length ? out : undefined;
}

function parseProvided(file: string, node: Node | null | undefined, problems: ConfigProblem[]): ProvidedDeclaration[] {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    problems.push({ file, span: spanOfNode(node), message: 'provided: must be a list of entries ({kinds, names, namespaces, reason})', severity: 'error' });
    return [];
  }
  const out: ProvidedDeclaration[] = [];
  for (const item of node.items as Node[]) {
    if (!isMap(item)) {
      problems.push({ file, span: spanOfNode(item), message: 'provided: each entry must be a map with kinds: and/or names:', severity: 'error' });
      continue;
    }
    let bad = false;
    for (const pair of item.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!PROVIDED_FIELDS.includes(k)) {
        problems.push({ file, span: spanOfNode(pair.key as Node), message: `provided: unknown field ${k} (expected ${PROVIDED_FIELDS.join(', ')})`, severity: 'error' });
        bad = true;
      }
    }
    const get = (f: string) => item.get(f, true) as Node | undefined;
    const list = (f: string) => {
      const n = get(f);
      if (n === undefined) return undefined;
      const l = globList(n, file, f, problems);
      if (!l) bad = true;
      return l;
    };
    const decl: ProvidedDeclaration = { file, span: spanOfNode(item), kinds: list('kinds'), names: list('names'), namespaces: list('namespaces') };
    const reason = get('reason');
    if (reason !== undefined) {
      if (isScalar(reason) && typeof reason.value === 'string') decl.reason = reason.value;
      else {
        problems.push({ file, span: spanOfNode(reason), message: 'provided: reason must be a string', severity: 'error' });
        bad = true;
      }
    }
    if (get('kinds') === undefined && get('names') === undefined) {
      problems.push({ file, span: spanOfNode(item), message: 'provided: an entry needs kinds: or names: (globs), else it would hide every missing reference', severity: 'error' });
      bad = true;
    }
    if (!bad) out.push(decl);
  }
  return out;
}

/**
 * A tenant the platform declares: its code is what Flux builds from its repositories or folders, and it may write
 * only into its namespaces.
 *
 *   tenants:
 *     - name: team-a
 *       repositories: [https://github.com/org/team-a]   # Git URLs (`#branch` optional) or oci:// URLs
 *       paths: [tenants/team-a]                         # folders, relative to this file
 *       namespaces: [team-a]
 */
export interface TenantDeclaration {
  file: string;
  span: Span;
  name: string;
  repositories: Array<{ raw: string; key: MappingKey }>;
  /** Absolute folders. */
  paths: string[];
  namespaces: string[];
}

const TENANT_FIELDS = ['name', 'repositories', 'paths', 'namespaces'];

function stringList(node: Node, file: string, what: string, problems: ConfigProblem[]): string[] | undefined {
  if (isScalar(node) && typeof node.value === 'string' && node.value) return [node.value];
  if (!isSeq(node)) {
    problems.push({ file, span: spanOfNode(node), message: `tenants: ${what} must be a list of strings`, severity: 'error' });
    return undefined;
  }
  const out: string[] = [];
  for (const item of node.items as Node[]) {
    if (isScalar(item) && typeof item.value === 'string' && item.value) out.push(item.value);
    else problems.push({ file, span: spanOfNode(item), message: `tenants: each entry of ${what} must be a non-empty string`, severity: 'error' });
  }
  return out;
}

function parseTenants(file: string, node: Node | null | undefined, problems: ConfigProblem[]): TenantDeclaration[] {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    problems.push({ file, span: spanOfNode(node), message: 'tenants: must be a list of entries ({name, repositories, paths, namespaces})', severity: 'error' });
    return [];
  }
  const out: TenantDeclaration[] = [];
  const names = new Set<string>();
  for (const item of node.items as Node[]) {
    if (!isMap(item)) {
      problems.push({ file, span: spanOfNode(item), message: 'tenants: each entry must be a map with name:, namespaces: and repositories: or paths:', severity: 'error' });
      continue;
    }
    let bad = false;
    for (const pair of item.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!TENANT_FIELDS.includes(k)) {
        problems.push({ file, span: spanOfNode(pair.key as Node), message: `tenants: unknown field ${k} (expected ${TENANT_FIELDS.join(', ')})`, severity: 'error' });
        bad = true;
      }
    }
    const get = (f: string) => item.get(f, true) as Node | undefined;
    const nameNode = get('name');
    const name = nameNode && isScalar(nameNode) && typeof nameNode.value === 'string' && nameNode.value ? nameNode.value : undefined;
    if (!name) {
      problems.push({ file, span: spanOfNode(nameNode ?? item), message: 'tenants: an entry needs a name (a string)', severity: 'error' });
      bad = true;
    } else if (names.has(name)) {
      problems.push({ file, span: spanOfNode(nameNode), message: `tenants: ${name} is declared twice`, severity: 'error' });
      bad = true;
    }
    const list = (f: string) => {
      const n = get(f);
      if (n === undefined) return [];
      const l = stringList(n, file, f, problems);
      if (!l) bad = true;
      return l ?? [];
    };
    const repositories: TenantDeclaration['repositories'] = [];
    const reposNode = get('repositories');
    const rawRepositories = list('repositories');
    for (const raw of rawRepositories) {
      const key = parseMappingKey(raw);
      if (key && key.type !== 'object') repositories.push({ raw, key });
      else {
        const at = isSeq(reposNode) ? (reposNode.items as Node[]).find((n) => isScalar(n) && n.value === raw) : reposNode;
        problems.push({ file, span: spanOfNode(at ?? item), message: `tenants: not a Git or oci:// URL: ${raw}`, severity: 'error' });
        bad = true;
      }
    }
    const paths = list('paths').map((p) => resolvePath(dirname(file), p));
    const namespaces = list('namespaces');
    if (!rawRepositories.length && !paths.length) {
      problems.push({ file, span: spanOfNode(nameNode ?? item), message: `tenants: ${name ?? 'an entry'} needs repositories: or paths: (what Flux builds from them is the tenant's code)`, severity: 'error' });
      bad = true;
    }
    if (!namespaces.length) {
      problems.push({ file, span: spanOfNode(nameNode ?? item), message: `tenants: ${name ?? 'an entry'} needs namespaces: (where its code may write)`, severity: 'error' });
      bad = true;
    }
    if (name) names.add(name);
    if (!bad && name) out.push({ file, span: spanOfNode(nameNode), name, repositories, paths, namespaces });
  }
  return out;
}

/**
 * Sample inputs for ResourceSetInputProviders that query a service (GitHub/GitLab pull requests, OCI tags…), which
 * cannot be asked offline: ResourceSets that read them are expanded with these.
 *
 *   providerSamples:
 *     apps/github-prs:                  # namespace/name of the provider
 *       - id: "42"
 *         branch: feature-x
 */
function parseProviderSamples(file: string, node: Node | null | undefined, problems: ConfigProblem[]): ProviderSamples[] {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node)) {
    problems.push({ file, span: spanOfNode(node), message: 'providerSamples: must be a map of namespace/name (a ResourceSetInputProvider) to a list of input maps', severity: 'error' });
    return [];
  }
  const out: ProviderSamples[] = [];
  for (const pair of node.items) {
    const keyNode = pair.key as Node;
    const raw = isScalar(keyNode) ? String(keyNode.value) : '';
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(raw);
    if (!m) {
      problems.push({ file, span: spanOfNode(keyNode), message: `providerSamples: ${raw || 'a key'} must be namespace/name of a ResourceSetInputProvider`, severity: 'error' });
      continue;
    }
    const list = pair.value as Node | null;
    if (!isSeq(list)) {
      problems.push({ file, span: list ? spanOfNode(list) : spanOfNode(keyNode), message: `providerSamples: ${raw} must be a list of input maps (one per input set the provider would export)`, severity: 'error' });
      continue;
    }
    const inputs: ProviderSamples['inputs'] = [];
    for (const item of list.items as Node[]) {
      if (!isMap(item)) {
        problems.push({ file, span: spanOfNode(item), message: `providerSamples: each input of ${raw} must be a map (the values templates read as inputs.*)`, severity: 'error' });
        continue;
      }
      const spans = new Map<string, { key?: Span; value: Span; node: Node }>();
      inputs.push({ values: nodeToJsonV2(item, '', spans) as JsonObject, file, spans });
    }
    out.push({ namespace: m[1], name: m[2], inputs });
  }
  return out;
}

/** Parses a `.flux-fleet.yaml`; folders are resolved relative to the file. */
export function parseFleetConfig(file: string, text: string, parsed?: ParsedText, validator?: FleetConfigValidator): { mappings: SourceMapping[]; provided: ProvidedDeclaration[]; tenants: TenantDeclaration[]; providerSamples: ProviderSamples[]; problems: ConfigProblem[] } {
  const mappings: SourceMapping[] = [];
  const problems: ConfigProblem[] = [];
  const doc = parsed ? parsed.single().doc : parseYaml(text);
  for (const e of doc.errors) problems.push({ file, span: { start: e.pos[0], end: e.pos[1] }, message: e.message.split('\n')[0], severity: 'error' });
  for (const p of fleetConfigSchemaProblems(doc, (k) => parseMappingKey(k) !== undefined && /[:/]/.test(k), validator)) problems.push({ file, ...p, severity: 'error' });
  const provided = isMap(doc.contents) ? parseProvided(file, doc.contents.get('provided', true) as Node | undefined, problems) : [];
  const tenants = isMap(doc.contents) ? parseTenants(file, doc.contents.get('tenants', true) as Node | undefined, problems) : [];
  const providerSamples = isMap(doc.contents) ? parseProviderSamples(file, doc.contents.get('providerSamples', true) as Node | undefined, problems) : [];
  const repos = isMap(doc.contents) ? doc.contents.get('repositories', true) : undefined;
  if (!isMap(repos)) return { mappings, provided, tenants, providerSamples, problems };
  for (const pair of repos.items) {
    if (!isScalar(pair.key)) continue;
    const raw = String(pair.key.value);
    const span = { start: pair.key.range?.[0] ?? 0, end: pair.key.range?.[1] ?? 0 };
    const key = parseMappingKey(raw);
    if (!key) {
      problems.push({ file, span, message: `Not a Git URL, oci:// URL or Kind/namespace/name: ${raw}`, severity: 'error' });
      continue;
    }
    // A folder is a path: `~`, an empty value, true or a map would otherwise become a folder named "null" (or worse).
    const folder = isScalar(pair.value) && (typeof pair.value.value === 'string' || typeof pair.value.value === 'number') ? String(pair.value.value) : '';
    if (!isScalar(pair.value) || folder === '') {
      const at = (pair.value as Node | null)?.range ? spanOfNode(pair.value as Node) : span;
      problems.push({ file, span: at, message: `repositories: the folder of ${raw} must be a path (a string), not ${!pair.value ? 'nothing' : isScalar(pair.value) ? JSON.stringify(pair.value.value ?? null) : 'a collection'}`, severity: 'error' });
      continue;
    }
    mappings.push({ raw, key, folder: resolvePath(dirname(file), folder), declaredIn: { file, span } });
  }
  return { mappings, provided, tenants, providerSamples, problems };
}
