// Completions only the fleet model can give: the objects a reference can name (sources visible from the object's
// effective namespace first), folders of the referenced source's repository for a Flux spec.path, files and
// folders next to a kustomization, patch targets from the kustomization's own build, variables in scope with their
// value per context, and Helm values keys from the chart's values.yaml and the layers below the inline values.
import type { Fleet } from '../core/model';
import type { FileFacts } from '../core/facts';
import type { Links } from '../core/link/linker';
import type { Span } from '../core/text';
import type { Provenance } from '../core/kustomize/types';
import type { IndexedObject } from '../core/link/objectIndex';
import type { PathSegment } from '../core/schemas/navigate';
import { basename, dirname, isInside, isKustomizationFileName, isYamlFile, join, KUSTOMIZATION_FILE_NAMES, relative, resolvePath } from '../core/paths';
import { evaluatorOf, filesOf, type Context } from '../core/evaluate/contexts';
import { contextLabels, type ContextId } from '../core/evaluate/contextId';
import { buildReaching } from '../core/evaluate/reach';
import { fleetReader } from '../core/evaluate/fluxBuild';
import { helmReleaseValues } from '../core/evaluate/helmValues';
import { resIdOf } from '../core/kustomize/resid';
import { parsePointer } from '../core/kustomize/provenance';
import { nodePaths } from '../core/locks/inline';
import { deployChains } from './deployChains';
import { displayPath, lineOf } from './describe';
import { dataAt, str } from './completionContext';
import { quoteIfNeeded, type CompletionItem, type CompletionRequest } from './completion';
import { isMasked, MASK, redactValues, shownString } from '../core/redact';
import { layerLabel, stepLayer, type Layer } from '../core/layer';
import { apiGroupOf } from '../core/kube/apiVersion';

const MAX_CONTEXTS = 60;

/**
 * The links to complete against: the current ones when up to date, else the last ones seen. Right after a
 * keystroke the fleet is not linked, and a full re-link (hundreds of ms on a large fleet) is not worth it for a
 * list of names that the keystroke did not change.
 */
export function linksOf(fleet: Fleet): Links {
  return fleet.recentLinks;
}

/**
 * Answers computed from evaluated contexts (variables in scope, effective values) are kept per file while the files
 * they were computed from are unchanged: typing in a values file changes the fleet, not the variables in scope.
 * A dependency is the facts object it was computed from, held weakly: an answer kept for a file completed in long ago
 * must not keep every file it read as it was then (the soak: old facts of edited files, a few MB per thousand edits).
 * A collected facts object is not the current one (that one is alive), so it reads as changed.
 */
interface Memo {
  layout: unknown;
  /**
   * Each file read and its facts then, one after the other in one array: a pair array per file was 64 of the ~100
   * bytes each dependency held (an answer reads some 140 files; the table keeps 64 answers, the soak's growth).
   */
  deps: Array<string | WeakRef<FileFacts> | undefined>;
  value: unknown;
}
function memoized<T>(fleet: Fleet, key: string, compute: () => { value: T; deps: Iterable<string> }): T {
  const m = fleet.db.table<string, Memo>('completionMemo');
  const hit = m.get(key);
  if (hit && hit.layout === fleet.layout && sameDeps(fleet, hit.deps)) return hit.value as T;
  const r = compute();
  const deps: Memo['deps'] = [];
  for (const f of new Set(r.deps)) deps.push(f, weakFacts(fleet.facts.get(f)));
  m.set(key, { layout: fleet.layout, deps, value: r.value });
  return r.value;
}

/** Every file of `deps` has the facts recorded for it. */
function sameDeps(fleet: Fleet, deps: Memo['deps']): boolean {
  for (let i = 0; i < deps.length; i += 2) if (!sameFacts(fleet.facts.get(deps[i] as string), deps[i + 1] as WeakRef<FileFacts> | undefined)) return false;
  return true;
}

/** The file's facts now are the ones recorded (absent then and now, or the same object: a collected one is not). */
function sameFacts(now: FileFacts | undefined, then: WeakRef<FileFacts> | undefined): boolean {
  return then === undefined ? now === undefined : now !== undefined && now === then.deref();
}

function weakFacts(facts: FileFacts | undefined): WeakRef<FileFacts> | undefined {
  return facts && new WeakRef(facts);
}

/** Files a context's answers depend on: the Flux Kustomizations of its chain and where its variables come from. */
function contextDeps(c: Context): string[] {
  const out: string[] = [];
  for (let x: Context | undefined = c; x; x = x.parent) {
    out.push(x.fact.owner.file);
    for (const v of x.skeleton.variables.values()) out.push(v.from.file);
  }
  return out;
}

function pattern(path: PathSegment[]): string {
  return path.map((s) => (typeof s === 'number' ? '*' : s)).join('.');
}


/** The sibling value `key` of the map holding the value being completed. */
function sibling(req: CompletionRequest, key: string): string | undefined {
  return str(dataAt(req.ctx.value, [...req.ctx.path.slice(0, -1), key]));
}

function declaredNamespace(req: CompletionRequest): string | undefined {
  return str(dataAt(req.ctx.value, ['metadata', 'namespace']));
}

/** Namespaces the document's object lands in (a kustomization's `namespace:` above it wins over its own). */
function effectiveNamespaces(req: CompletionRequest): ReadonlySet<string | undefined> {
  return linksOf(req.fleet).namespacesOf(req.file, declaredNamespace(req), req.kind);
}

export function fleetCompletions(req: CompletionRequest): CompletionItem[] {
  const { ctx } = req;
  const p = pattern(ctx.path);
  const group = apiGroupOf(req.apiVersion ?? '');
  const kustomizeFile = isKustomizationFileName(basename(req.file)) && (req.apiVersion === undefined || group === 'kustomize.config.k8s.io');
  if (ctx.mode === 'key') {
    if (req.kind === 'HelmRelease' && group === 'helm.toolkit.fluxcd.io' && ctx.path[0] === 'spec' && ctx.path[1] === 'values') return helmValuesKeys(req, ctx.path.slice(2));
    return [];
  }
  if (kustomizeFile) return kustomizeValueCompletions(req, p);
  if (group === 'kustomize.toolkit.fluxcd.io' && req.kind === 'Kustomization') {
    switch (p) {
      case 'spec.sourceRef.name':
        return objectItems(req, [sibling(req, 'kind') ?? 'GitRepository'], 'source');
      case 'spec.dependsOn.*.name':
        return objectItems(req, ['Kustomization'], 'dependsOn', { sameGroup: 'kustomize.toolkit.fluxcd.io' });
      case 'spec.postBuild.substituteFrom.*.name':
        return objectItems(req, [sibling(req, 'kind') ?? 'ConfigMap'], 'substituteFrom');
      case 'spec.decryption.secretRef.name':
      case 'spec.kubeConfig.secretRef.name':
        return objectItems(req, ['Secret'], 'secret');
      case 'spec.path':
        return fluxPathItems(req);
      case 'spec.components.*':
        return fluxComponentItems(req);
      case 'spec.targetNamespace':
        return namespaceItems(req);
    }
    return [];
  }
  if (group === 'helm.toolkit.fluxcd.io' && req.kind === 'HelmRelease') {
    switch (p) {
      case 'spec.chart.spec.sourceRef.name':
        return objectItems(req, [sibling(req, 'kind') ?? 'HelmRepository'], 'source');
      case 'spec.chartRef.name':
        return objectItems(req, sibling(req, 'kind') ? [sibling(req, 'kind')!] : ['OCIRepository', 'HelmChart'], 'source');
      case 'spec.valuesFrom.*.name':
        return objectItems(req, [sibling(req, 'kind') ?? 'ConfigMap'], 'valuesFrom');
      case 'spec.dependsOn.*.name':
        return objectItems(req, ['HelmRelease'], 'dependsOn');
      case 'spec.chart.spec.chart':
        return chartFolderItems(req);
      case 'spec.targetNamespace':
      case 'spec.storageNamespace':
        return namespaceItems(req);
    }
    if (ctx.path[0] === 'spec' && ctx.path[1] === 'values') return helmValuesValues(req, ctx.path.slice(2));
    return [];
  }
  if (group === 'source.toolkit.fluxcd.io' && req.kind === 'HelmChart' && p === 'spec.sourceRef.name') return objectItems(req, [sibling(req, 'kind') ?? 'HelmRepository'], 'source');
  if (group === 'image.toolkit.fluxcd.io') {
    if (p === 'spec.imageRepositoryRef.name') return objectItems(req, ['ImageRepository'], 'reference');
    if (p === 'spec.sourceRef.name') return objectItems(req, [sibling(req, 'kind') ?? 'GitRepository'], 'source');
  }
  if (group === 'notification.toolkit.fluxcd.io') {
    if (p === 'spec.providerRef.name') return objectItems(req, ['Provider'], 'reference');
    if (p === 'spec.eventSources.*.name' || p === 'spec.resources.*.name') {
      const k = sibling(req, 'kind');
      return k ? objectItems(req, [k], 'reference', { allowWildcard: true }) : [];
    }
  }
  if (group === 'application.giantswarm.io' && req.kind === 'App') {
    if (p === 'spec.catalog') return objectItems(req, ['Catalog'], 'reference', { anyNamespace: true });
    if (/^spec\.(config|userConfig)\.configMap\.name$/.test(p)) return objectItems(req, ['ConfigMap'], 'config', { explicitNamespace: sibling(req, 'namespace') });
    if (/^spec\.(config|userConfig)\.secret\.name$/.test(p)) return objectItems(req, ['Secret'], 'config', { explicitNamespace: sibling(req, 'namespace') });
    if (p === 'spec.extraConfigs.*.name') return objectItems(req, [(sibling(req, 'kind') ?? 'configMap').toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap'], 'config', { explicitNamespace: sibling(req, 'namespace') });
  }
  if (p === 'metadata.namespace') return namespaceItems(req);
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Object references

function where(fleet: Fleet, file: string, span: Span): string {
  return `${displayPath(fleet, file)}:${lineOf(fleet, file, span.start)}`;
}

/**
 * Where an object's name is written (`repo/path:line`), kept per fact while the layout and the facts of its file are
 * the ones it was read from: a list of names asks for the same few thousand objects on every keystroke.
 */
function whereObject(fleet: Fleet, fact: IndexedObject['fact']): string {
  const file = fact.owner.file;
  const table = fleet.db.weak<IndexedObject['fact'], { layout: unknown; facts: FileFacts | undefined; text: string }>('completionWhere');
  const facts = fleet.facts.get(file);
  const hit = table.get(fact);
  if (hit && hit.layout === fleet.layout && hit.facts === facts) return hit.text;
  return table.set(fact, { layout: fleet.layout, facts, text: where(fleet, file, fact.nameSpan) }).text;
}

/**
 * The candidates of `kinds` nearest to `file` first (the longest common path prefix), ties in index order: the
 * order of a stable sort by that prefix, made by bucketing (one prefix length per distinct file).
 */
function nearestFirst(links: Links, kinds: string[], file: string): IndexedObject[] {
  const byNear = new Map<string, number>();
  const buckets: IndexedObject[][] = [];
  for (const k of kinds) {
    for (const o of links.objects.ofKind(k)) {
      const owner = o.fact.owner.file;
      let n = byNear.get(owner);
      if (n === undefined) byNear.set(owner, (n = near(file, owner)));
      (buckets[n] ??= []).push(o);
    }
  }
  const out: IndexedObject[] = [];
  for (let n = buckets.length - 1; n >= 0; n--) if (buckets[n]) for (const c of buckets[n]) out.push(c);
  return out;
}

function objectItems(
  req: CompletionRequest,
  kinds: string[],
  role: 'source' | 'dependsOn' | 'substituteFrom' | 'valuesFrom' | 'secret' | 'reference' | 'config',
  opts: { sameGroup?: string; allowWildcard?: boolean; anyNamespace?: boolean; explicitNamespace?: string } = {},
): CompletionItem[] {
  const { fleet, ctx } = req;
  const links = linksOf(fleet);
  const explicit = opts.explicitNamespace ?? sibling(req, 'namespace');
  const mine = explicit !== undefined ? new Set<string | undefined>([explicit]) : effectiveNamespaces(req);
  const selfName = str(dataAt(ctx.value, ['metadata', 'name']));
  const items: CompletionItem[] = [];
  // Completion keeps the first item of each label (completion.ts dedupe): a name offered once is not made again
  // (a fleet of 60 clusters names its ConfigMaps alike in every namespace).
  const offered = new Set<string>();
  // The copy in this repository, nearest in the folder tree, first (every cluster repo has a flux-system).
  for (const o of nearestFirst(links, kinds, req.file)) {
    if (offered.has(o.fact.name)) continue;
    if (opts.sameGroup && !o.fact.apiVersion.startsWith(opts.sameGroup + '/')) continue;
    if (o.fact.name === selfName && kinds.includes(req.kind ?? '') && o.fact.owner.file === req.file) continue;
    if (o.fact.name.includes('${') && !opts.allowWildcard) continue;
    offered.add(o.fact.name);
    const namespaces = [...o.namespaces];
    const visible = opts.anyNamespace || namespaces.some((n) => n === undefined || mine.has(n) || mine.has(undefined) || n.includes('${'));
    const ns = namespaces.find((n) => n !== undefined);
    const nsText = namespaces.filter(Boolean).join(', ') || 'namespace not set';
    const docLines = [`**${o.fact.kind}** \`${ns ? ns + '/' : ''}${o.fact.name}\`${o.fact.generated ? ' (generated by a kustomize generator)' : ''}`, '', `Defined in \`${whereObject(fleet, o.fact)}\`.`];
    if (role === 'source') {
      const r = links.rootOf(o.fact.kind, o.fact.name, ns, req.file);
      const sf = fleet.facts.get(o.fact.owner.file)?.sources.find((s) => s.owner.doc === o.fact.owner.doc);
      if (sf?.url) docLines.push('', `URL: \`${sf.url.value}\`${sf.branch ? `, branch \`${sf.branch}\`` : ''}`);
      docLines.push('', r.root ? `Content: \`${displayPath(fleet, r.root.folder)}\` (${r.root.via})` : 'Not mapped to a local folder.');
    }
    const item: CompletionItem = {
      label: o.fact.name,
      kind: 'reference',
      detail: `${o.fact.kind} in ${nsText}${visible ? '' : ' (another namespace)'}`,
      documentation: docLines.join('\n'),
      insertText: ctx.quote ? o.fact.name : quoteIfNeeded(o.fact.name),
      span: ctx.span,
      sortText: `${visible ? '0' : '1'}${o.fact.name}`,
    };
    if (!visible && ns && explicit === undefined) {
      item.additionalEdits = namespaceLine(req, ns);
      if (item.additionalEdits) item.detail += ` — adds namespace: ${ns}`;
    }
    items.push(item);
  }
  return items;
}

function near(file: string, other: string): number {
  let i = 0;
  const n = Math.min(file.length, other.length);
  while (i < n && file.charCodeAt(i) === other.charCodeAt(i)) i++;
  return i;
}

/** A `namespace: x` line after the line of the name being completed, at the name key's column. */
function namespaceLine(req: CompletionRequest, ns: string): CompletionItem['additionalEdits'] {
  const { ctx } = req;
  const eol = ctx.text.indexOf('\n', ctx.offset);
  const at = eol < 0 ? ctx.text.length : eol;
  return [{ span: { start: at, end: at }, newText: `\n${' '.repeat(ctx.keyColumn)}namespace: ${ns}` }];
}

function namespaceItems(req: CompletionRequest): CompletionItem[] {
  const names = new Set<string>();
  for (const o of linksOf(req.fleet).objects.ofKind('Namespace')) if (!o.fact.name.includes('${')) names.add(o.fact.name);
  return [...names].sort().map((n) => ({ label: n, kind: 'reference' as const, detail: 'Namespace', span: req.ctx.span, sortText: `0${n}`, insertText: quoteIfNeeded(n) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Paths

type Want = 'resources' | 'components' | 'dir' | 'file' | 'yaml-file' | 'chart';

interface FolderQuery {
  /** What relative values are relative to. */
  base: string;
  /** Nothing outside this folder is offered (the repository, or the source's root). */
  scope: string;
  want: Want;
  /** Spell values `./x` (Flux paths) rather than `x`. */
  dot: boolean;
  /** Values already listed next to this one (resolved against base). */
  taken?: Set<string>;
}

function kustomizationIn(fleet: Fleet, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) {
    const f = join(dir, n);
    if (fleet.tree.isFile(f)) return f;
  }
  return undefined;
}

function folderItems(req: CompletionRequest, q: FolderQuery): CompletionItem[] {
  const { fleet, ctx } = req;
  const typed = ctx.prefix;
  const slash = typed.lastIndexOf('/');
  const dirPart = slash >= 0 ? typed.slice(0, slash + 1) : '';
  const dir = resolvePath(q.base, dirPart.replace(/^\.\//, '') || '.');
  if (!isInside(q.scope, dir) || !fleet.tree.isDir(dir)) return [];
  const spell = (name: string) => (dirPart === '' && q.dot ? './' : dirPart) + name;
  const out: CompletionItem[] = [];
  const nav = (name: string, why: string) =>
    out.push({ label: spell(name) + '/', kind: 'folder', detail: why, span: ctx.span, sortText: `3${name}`, retrigger: true, filterText: spell(name) + '/' });
  if (dirPart === '' || /(^|\/)\.\.\/$/.test(dirPart)) {
    const up = resolvePath(dir, '..');
    if (up !== dir && isInside(q.scope, up) && !q.dot) out.push({ label: dirPart + '../', kind: 'folder', detail: displayPath(fleet, up), span: ctx.span, sortText: '4..', retrigger: true });
  }
  for (const name of fleet.tree.list(dir).sort()) {
    if (name.startsWith('.')) continue;
    const full = join(dir, name);
    if (q.taken?.has(full) || full === req.file || (q.want !== 'dir' && full === dirname(req.file))) continue;
    if (fleet.tree.isDir(full)) {
      const k = kustomizationIn(fleet, full);
      const kind = k ? fleet.facts.get(k)?.kustomize?.kind ?? 'Kustomization' : undefined;
      const rel = displayPath(fleet, full);
      if (q.want === 'resources' && k && kind !== 'Component') out.push(final(name, 'folder', `kustomization (${relative(dirname(req.file), full) || '.'})`, `Folder with a kustomization: \`${rel}\``, 0));
      else if (q.want === 'components' && kind === 'Component') out.push(final(name, 'folder', 'kustomize Component', `Component: \`${rel}\``, 0));
      else if (q.want === 'dir') out.push(final(name, 'folder', k ? 'kustomization.yaml' : `Flux generates a kustomization (${yamlCount(fleet, full)} YAML files)`, `\`${rel}\``, k ? 0 : 1));
      else if (q.want === 'chart' && fleet.tree.isFile(join(full, 'Chart.yaml'))) out.push(final(name, 'folder', 'Helm chart', `Chart: \`${rel}\``, 0));
      else nav(name, rel);
      continue;
    }
    if (isKustomizationFileName(name)) continue;
    if (q.want === 'resources' || q.want === 'yaml-file') {
      if (isYamlFile(name)) out.push(final(name, 'file', summary(fleet, full), `\`${displayPath(fleet, full)}\``, 1));
    } else if (q.want === 'file') out.push(final(name, 'file', undefined, `\`${displayPath(fleet, full)}\``, 1));
  }
  return out;

  function final(name: string, kind: 'file' | 'folder', detail: string | undefined, documentation: string, order: number): CompletionItem {
    const label = spell(name);
    return { label, kind, detail, documentation, span: ctx.span, sortText: `${order}${name}`, insertText: ctx.quote ? label : quoteIfNeeded(label), filterText: label };
  }
}

function yamlCount(fleet: Fleet, dir: string): number {
  let n = 0;
  const walk = (d: string, depth: number) => {
    if (depth > 6 || n > 999) return;
    for (const e of fleet.tree.list(d)) {
      const p = join(d, e);
      if (fleet.tree.isDir(p)) walk(p, depth + 1);
      else if (isYamlFile(e)) n++;
    }
  };
  walk(dir, 0);
  return n;
}

/** `Deployment web, Service web` for a manifest file. */
function summary(fleet: Fleet, file: string): string | undefined {
  const objs = fleet.facts.get(file)?.objects ?? [];
  if (!objs.length) return undefined;
  const s = objs.slice(0, 3).map((o) => `${o.kind} ${o.name}`).join(', ');
  return objs.length > 3 ? `${s}, …` : s;
}

/** Values already in the list holding the value being completed (so they are not offered twice). */
function takenPaths(req: CompletionRequest, base: string, pick?: (entry: unknown) => unknown): Set<string> {
  const list = dataAt(req.ctx.value, req.ctx.path.slice(0, typeof req.ctx.path[req.ctx.path.length - 1] === 'number' ? -1 : -2));
  const out = new Set<string>();
  if (Array.isArray(list)) {
    for (const e of list) {
      const v = str(pick ? pick(e) : e);
      if (v) out.add(resolvePath(base, v));
    }
  }
  return out;
}

function kustomizeValueCompletions(req: CompletionRequest, p: string): CompletionItem[] {
  const { fleet, file } = req;
  const base = dirname(file);
  const scope = fleet.repositoryOf(file)?.root ?? base;
  const q = (want: Want, taken?: Set<string>): CompletionItem[] => folderItems(req, { base, scope, want, dot: false, taken });
  switch (p) {
    case 'resources.*':
      return q('resources', takenPaths(req, base));
    case 'bases.*':
      return q('resources', takenPaths(req, base));
    case 'components.*':
      return q('components', takenPaths(req, base));
    case 'crds.*':
    case 'patchesStrategicMerge.*':
      return q('yaml-file', takenPaths(req, base));
    case 'configurations.*':
    case 'generators.*':
    case 'transformers.*':
    case 'patches.*.path':
    case 'patchesJson6902.*.path':
    case 'replacements.*.path':
    case 'helmCharts.*.valuesFile':
    case 'openapi.path':
      return q(p.endsWith('.*') || p.startsWith('patches') || p.startsWith('replacements') ? 'yaml-file' : 'file');
    case 'configMapGenerator.*.files.*':
    case 'secretGenerator.*.files.*':
    case 'configMapGenerator.*.envs.*':
    case 'secretGenerator.*.envs.*':
    case 'configMapGenerator.*.env':
    case 'secretGenerator.*.env':
      return q('file');
    case 'patches.*.target.kind':
    case 'patchesJson6902.*.target.kind':
    case 'replicas.*.name':
    case 'images.*.name':
      return p.endsWith('target.kind') ? buildKinds(req) : p === 'replicas.*.name' ? buildNames(req, 'Deployment') : [];
    case 'patches.*.target.name':
    case 'patchesJson6902.*.target.name':
      return buildNames(req, sibling(req, 'kind'));
    case 'namespace':
      return namespaceItems(req);
  }
  return [];
}

// Objects of the kustomization's own build (what a patch target can select): its resources, followed down.
function buildObjects(req: CompletionRequest): Array<{ kind: string; name: string; file: string }> {
  const { fleet } = req;
  const out: Array<{ kind: string; name: string; file: string }> = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || seen.size > 2000) return;
    seen.add(file);
    const facts = fleet.facts.get(file);
    if (!facts) return;
    for (const o of facts.objects) out.push({ kind: o.kind, name: o.name, file });
    for (const g of facts.kustomize?.generated ?? []) out.push({ kind: g.kind, name: g.name, file });
    for (const p of facts.kustomize?.paths ?? []) {
      if (p.role !== 'resources' && p.role !== 'bases' && p.role !== 'components') continue;
      const target = resolvePath(p.baseDir, p.value);
      if (fleet.tree.isFile(target)) visit(target);
      else {
        const k = kustomizationIn(fleet, target);
        if (k) visit(k);
      }
    }
  };
  visit(req.file);
  return out;
}

function buildKinds(req: CompletionRequest): CompletionItem[] {
  const counts = new Map<string, number>();
  for (const o of buildObjects(req)) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return [...counts].sort().map(([k, n]) => ({ label: k, kind: 'value' as const, detail: `${n} in this build`, span: req.ctx.span, sortText: `0${k}` }));
}

function buildNames(req: CompletionRequest, kind: string | undefined): CompletionItem[] {
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const o of buildObjects(req)) {
    if (kind && o.kind !== kind) continue;
    if (seen.has(o.name)) continue;
    seen.add(o.name);
    out.push({ label: o.name, kind: 'reference', detail: `${o.kind} (${displayPath(req.fleet, o.file)})`, span: req.ctx.span, sortText: `0${o.name}`, insertText: quoteIfNeeded(o.name) });
  }
  return out;
}

/** The local root of the document's sourceRef (resolved like the linker does). */
function sourceRoot(req: CompletionRequest, refPath: string[]) {
  const ref = dataAt(req.ctx.value, refPath) as Record<string, unknown> | undefined;
  const name = str(ref?.name);
  if (!name) return undefined;
  const kind = str(ref?.kind) ?? 'GitRepository';
  const ns = str(ref?.namespace) ?? [...effectiveNamespaces(req)].find((n) => n !== undefined) ?? declaredNamespace(req);
  return linksOf(req.fleet).rootOf(kind, name, ns, req.file).root;
}

function fluxPathItems(req: CompletionRequest): CompletionItem[] {
  const root = sourceRoot(req, ['spec', 'sourceRef']);
  if (!root) return [];
  return folderItems(req, { base: root.folder, scope: root.folder, want: 'dir', dot: true });
}

function fluxComponentItems(req: CompletionRequest): CompletionItem[] {
  const root = sourceRoot(req, ['spec', 'sourceRef']);
  if (!root) return [];
  const path = (str(dataAt(req.ctx.value, ['spec', 'path'])) ?? './').replace(/^\.?\/+/, '');
  const base = resolvePath(root.folder, path || '.');
  return folderItems(req, { base, scope: root.folder, want: 'components', dot: false, taken: takenPaths(req, base) });
}

function chartFolderItems(req: CompletionRequest): CompletionItem[] {
  const kind = str(dataAt(req.ctx.value, ['spec', 'chart', 'spec', 'sourceRef', 'kind'])) ?? 'HelmRepository';
  if (kind === 'HelmRepository') return [];
  const root = sourceRoot(req, ['spec', 'chart', 'spec', 'sourceRef']);
  if (!root) return [];
  return folderItems(req, { base: root.folder, scope: root.folder, want: 'chart', dot: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Variables and values from evaluated contexts

/**
 * Contexts along the static deploy chains of `file` (root → … → its nearest deployer). Unlike
 * Evaluator.contextsFor this does not scan every build for the file's provenance (hundreds of ms on a file deployed
 * to 60 clusters): for names in scope the chain is what matters.
 */
function contextsOf(fleet: Fleet, file: string): Context[] {
  return evaluatorOf(fleet).chainContexts(deployChains(fleet, file), MAX_CONTEXTS);
}


interface VariableUse {
  context: ContextId;
  shown: string;
  /** Where the value was written: the skeleton's own provenance, told as text only when completion shows it (a
   *  memo of 60 contexts' variables held a text per use, 80 KB per file the soak completed in). */
  from: Provenance;
}

/** Variables of every context that deploys `file`, by name (memoized while their sources are unchanged). */
function variablesInScope(fleet: Fleet, file: string): { contexts: number; byName: Map<string, VariableUse[]> } {
  return memoized(fleet, `vars\u0000${file}`, () => {
    // Variables are the same in a context's skeleton as in its whole build: no whole build is made for them.
    const contexts = contextsOf(fleet, file).filter((c) => c.skeleton.substitutes);
    const byName = new Map<string, VariableUse[]>();
    for (const c of contexts) {
      for (const [name, val] of c.skeleton.variables) {
        const list = byName.get(name) ?? [];
        const shown = shownString(val.value, val.secret);
        list.push({ context: c.id, shown: shown !== val.value ? `${MASK} (from a Secret)` : JSON.stringify(val.value), from: val.from });
        byName.set(name, list);
      }
    }
    return { value: { contexts: contexts.length, byName }, deps: contexts.flatMap(contextDeps) };
  });
}

export function variableCompletions(req: CompletionRequest): CompletionItem[] {
  const v = req.ctx.variable!;
  const { contexts: total, byName } = variablesInScope(req.fleet, req.file);
  const fleet = req.fleet;
  const told = new Map<Provenance, string>();
  const fromText = (p: Provenance): string => {
    let t = told.get(p);
    if (t === undefined) {
      const where = p.span ? `${displayPath(fleet, p.file)}:${lineOf(fleet, p.file, p.span.start)}` : displayPath(fleet, p.file);
      told.set(p, (t = `${layerLabel(p.layer)} at \`${where}\``));
    }
    return t;
  };
  const out: CompletionItem[] = [];
  for (const [name, uses] of byName) {
    const groups = new Map<string, typeof uses>();
    for (const u of uses) groups.set(`${u.shown}|${fromText(u.from)}`, [...(groups.get(`${u.shown}|${fromText(u.from)}`) ?? []), u]);
    const distinct = new Set(uses.map((u) => u.shown));
    const lines = [`**\${${name}}** in ${uses.length} of ${total} context${total === 1 ? '' : 's'}`, ''];
    const label = contextLabels(uses.map((u) => u.context));
    for (const g of [...groups.values()].sort((a, b) => b.length - a.length)) {
      const ctxs = g.map((u) => label(u.context));
      lines.push(`- \`${g[0].shown}\` on ${ctxs.slice(0, 3).join(', ')}${ctxs.length > 3 ? `, … (${ctxs.length})` : ''} — ${fromText(g[0].from)}`);
    }
    if (uses.length < total) lines.push('', `Undefined in ${total - uses.length} context${total - uses.length === 1 ? '' : 's'}.`);
    out.push({
      label: name,
      kind: 'variable',
      detail: distinct.size === 1 ? `= ${[...distinct][0]}` : `${distinct.size} values`,
      documentation: lines.join('\n'),
      insertText: v.closed ? name : `${name}}`,
      span: v.span,
      sortText: `${uses.length === total ? '0' : '1'}${name}`,
    });
  }
  return out;
}


interface ValueSource {
  value: unknown;
  label: string;
}

/** The chart's values.yaml of the HelmRelease at the cursor, when its chart source is a local folder. */
function chartValuesFile(req: CompletionRequest): string | undefined {
  const chartSpec = dataAt(req.ctx.value, ['spec', 'chart', 'spec']) as Record<string, unknown> | undefined;
  const kind = str((chartSpec?.sourceRef as Record<string, unknown> | undefined)?.kind);
  const chart = str(chartSpec?.chart);
  if (!chart || !kind || kind === 'HelmRepository') return undefined;
  const root = sourceRoot(req, ['spec', 'chart', 'spec', 'sourceRef']);
  return root && join(resolvePath(root.folder, chart.replace(/^\.?\/+/, '') || '.'), 'values.yaml');
}

/** What sits at `rest` under the HelmRelease's values: the chart's defaults, then each context's effective values. */
function helmValuesAt(req: CompletionRequest, rest: PathSegment[]): ValueSource[] {
  const { fleet, file, ctx } = req;
  const out: ValueSource[] = [];
  const chartValues = chartValuesFile(req);
  const text = chartValues && fleetReader(fleet)(chartValues);
  if (text !== undefined && text !== '') {
    try {
      out.push({ value: dataAt(fleet.parse(chartValues!, text).single().doc.toJS(), rest), label: 'chart default' });
    } catch {
      /* a broken values.yaml offers nothing */
    }
  }
  const name = str(dataAt(ctx.value, ['metadata', 'name']));
  for (const e of effectiveValuesOf(fleet, file, name)) out.push({ value: dataAt(e.values, rest), label: e.label });
  return out;
}

/** A file without a kind that writes into a release's values (the chart's values.yaml), with its root's place. */
export interface ValuesSourceFile {
  file: string;
  prefix: string[];
  layer: Layer;
}

/**
 * The files without a kind that write into the values of the HelmRelease at the cursor (its chart's values.yaml, a
 * values file fed through `valuesFrom`), where their roots land: the same sources a values file's feeds carry
 * (their lock marks shape the completion of inline `spec.values`). The chart's values.yaml is found from
 * `spec.chart` too, for a release no context deploys yet.
 */
export function releaseValueSources(req: CompletionRequest): ValuesSourceFile[] {
  const out = new Map<string, ValuesSourceFile>();
  for (const e of effectiveValuesOf(req.fleet, req.file, str(dataAt(req.ctx.value, ['metadata', 'name'])))) for (const s of e.sources) if (!out.has(s.file)) out.set(s.file, s);
  const chartValues = chartValuesFile(req);
  if (chartValues && !out.has(chartValues) && req.fleet.facts.has(chartValues)) out.set(chartValues, { file: chartValues, prefix: [], layer: stepLayer('chart-defaults') });
  return [...out.values()];
}

/**
 * Files without a kind (other than `except`) that write into values with provenance `prov`, with the place of
 * their root (from where their writes land).
 */
function kindlessSources(fleet: Fleet, paths: Map<string, Map<number, Array<string | number>>>, prov: Map<string, ReadonlyArray<{ file: string; span?: Span; layer: Layer; secret?: boolean }>>, except: string): Map<string, ValuesSourceFile> {
  const sources = new Map<string, ValuesSourceFile>();
  for (const [ptr, stack] of prov) {
    for (const w of stack) {
      // A file a Secret holds (a secretGenerator's values file) is never read out into completion.
      if (!w.span || w.secret || w.file === except || sources.has(w.file) || fleet.facts.get(w.file)?.objects.length !== 0) continue;
      const p = rootPrefix(fleet, paths, w.file, w.span.start, ptr);
      if (p) sources.set(w.file, { file: w.file, prefix: p, layer: w.layer });
    }
  }
  return sources;
}

/**
 * The effective values of the HelmRelease `name` of `file` in each context that deploys it. Memoized while the
 * chain and the values' sources other than the file itself are unchanged: the keys offered while typing in the
 * release come from the layers below it, which the typing does not change.
 */
function effectiveValuesOf(fleet: Fleet, file: string, name: string | undefined): Array<{ label: string; values: unknown; sources: ValuesSourceFile[] }> {
  return memoized(fleet, `values\u0000${file}\u0000${name ?? ''}`, () => {
    const out: Array<{ label: string; values: unknown; sources: ValuesSourceFile[] }> = [];
    const deps: string[] = [];
    const paths = new Map<string, Map<number, Array<string | number>>>();
    const contexts = contextsOf(fleet, file);
    const label = contextLabels(contexts.map((c) => c.id));
    for (const c of contexts) {
      const built = buildReaching(fleet, c, file).resources;
      const hr = built.find((r) => r.obj.kind === 'HelmRelease' && r.origin.file === file && (name === undefined || name.includes('${') || resIdOf(r.obj).name === name));
      if (!hr) continue;
      const values = helmReleaseValues(fleet, hr, built);
      // Offered keys show their values: secret ones masked (core/redact.ts).
      out.push({ label: label(c.id), values: redactValues(values.values, values.prov), sources: [...kindlessSources(fleet, paths, values.prov, file).values()] });
      deps.push(...contextDeps(c));
      for (const stack of values.prov.values()) for (const w of stack) if (w.file !== file) deps.push(w.file);
    }
    return { value: out, deps };
  });
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'null' : s.length > 60 ? s.slice(0, 57) + '…' : s;
}

function helmValuesKeys(req: CompletionRequest, rest: PathSegment[]): CompletionItem[] {
  return valuesKeyItems(req, dataAt(req.ctx.value, ['spec', 'values', ...rest]), helmValuesAt(req, rest));
}

/** Keys the value sources hold below the cursor that the document does not write yet (`present`). */
function valuesKeyItems(req: CompletionRequest, present: unknown, sources: ValueSource[]): CompletionItem[] {
  const { ctx } = req;
  const written = new Set(present && typeof present === 'object' ? Object.keys(present) : []);
  const keys = new Map<string, Array<{ label: string; value: unknown }>>();
  for (const src of sources) {
    if (!src.value || typeof src.value !== 'object' || Array.isArray(src.value)) continue;
    for (const [k, v] of Object.entries(src.value as Record<string, unknown>)) {
      if (written.has(k)) continue;
      keys.set(k, [...(keys.get(k) ?? []), { label: src.label, value: v }]);
    }
  }
  return [...keys].map(([k, vs]) => {
    const isMap = vs.some((x) => x.value && typeof x.value === 'object' && !Array.isArray(x.value));
    const isList = vs.some((x) => Array.isArray(x.value));
    const lines = [`**${k}**`, '', ...vs.slice(0, 8).map((x) => `- ${x.label}: \`${show(x.value)}\``)];
    const below = '\n' + ' '.repeat(ctx.keyColumn + 2);
    return {
      label: k,
      kind: 'property' as const,
      detail: vs[0].label === 'chart default' ? `chart default ${show(vs[0].value)}` : `effective ${show(vs[0].value)}`,
      documentation: lines.join('\n'),
      insertText: isMap ? `${k}:${below}$0` : isList ? `${k}:${below}- $0` : `${k}: $0`,
      snippet: true,
      span: ctx.span,
      sortText: `0${k}`,
    };
  });
}

function helmValuesValues(req: CompletionRequest, rest: PathSegment[]): CompletionItem[] {
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const src of helmValuesAt(req, rest)) {
    const v = src.value;
    // A masked secret is no value to insert.
    if (v === undefined || (v !== null && typeof v === 'object') || isMasked(v as string)) continue;
    const label = String(v);
    if (seen.has(label)) continue;
    seen.add(label);
    out.push({ label, kind: 'value', detail: src.label, span: req.ctx.span, sortText: `0${out.length}`, insertText: typeof v === 'string' ? quoteIfNeeded(label) : label });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Values files: a file without a kind that reaches HelmReleases through `valuesFrom`

/** A HelmRelease a values file feeds, in one context. */
export interface ValuesFeed {
  release: { kind: string; name: string; namespace?: string };
  context: string;
  /** Where the file's root lands in the release's values (a `targetPath`, a ConfigMap key: usually `[]`). */
  prefix: string[];
  /** The release's effective values. */
  values: unknown;
  /** Other files without a kind that write into these values (the chart's values.yaml), with their root's place. */
  sources: ValuesSourceFile[];
}

/** Where the root of `file` lands in a values tree: from a write of the file at `pointer` (its node's path in the file). */
function rootPrefix(fleet: Fleet, paths: Map<string, Map<number, Array<string | number>>>, file: string, start: number, pointer: string): string[] | undefined {
  let p = paths.get(file);
  const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? '';
  if (!p) paths.set(file, (p = nodePaths(text, fleet.parse(file, text))));
  const inFile = p.get(start);
  if (!inFile) return undefined;
  const segs = parsePointer(pointer);
  if (inFile.length > segs.length || !inFile.every((x, i) => String(x) === segs[segs.length - inFile.length + i])) return undefined;
  return segs.slice(0, segs.length - inFile.length);
}

/**
 * The HelmReleases `file` feeds through `valuesFrom` (a generated or written ConfigMap/Secret holding it), in the
 * contexts that deploy it: the same evaluation the values-key completion of a release uses, read the other way
 * (the file's writes in the release's effective values say where its root lands). Memoized like effectiveValuesOf.
 */
export function valuesFeeds(fleet: Fleet, file: string): ValuesFeed[] {
  return memoized(fleet, `feeds\u0000${file}`, () => {
    const out: ValuesFeed[] = [];
    const deps: string[] = [];
    const paths = new Map<string, Map<number, Array<string | number>>>();
    const facts = fleet.facts.get(file);
    if (!facts || facts.objects.length) return { value: out, deps: [file] };
    const contexts = contextsOf(fleet, file);
    const label = contextLabels(contexts.map((c) => c.id));
    for (const c of contexts) {
      const built = buildReaching(fleet, c, file).resources;
      const holding = built.filter((r) => (r.obj.kind === 'ConfigMap' || r.obj.kind === 'Secret') && filesOf(fleet.db, r).has(file));
      const holders = new Set(holding.map((r) => `${r.obj.kind}/${resIdOf(r.obj).name}`));
      if (!holders.size) continue;
      for (const hr of built) {
        if (hr.obj.kind !== 'HelmRelease') continue;
        const from = ((hr.obj.spec as { valuesFrom?: unknown } | undefined)?.valuesFrom ?? []) as Array<{ kind?: string; name?: string }>;
        if (!Array.isArray(from) || !from.some((e) => e && holders.has(`${e.kind ?? 'ConfigMap'}/${e.name}`))) continue;
        const values = helmReleaseValues(fleet, hr, built);
        let prefix: string[] | undefined;
        for (const [ptr, stack] of values.prov) for (const w of stack) if (w.span && w.file === file) prefix ??= rootPrefix(fleet, paths, file, w.span.start, ptr);
        if (!prefix) continue;
        const id = resIdOf(hr.obj);
        out.push({ release: { kind: id.kind, name: id.name, namespace: id.namespace }, context: label(c.id), prefix, values: redactValues(values.values, values.prov), sources: [...kindlessSources(fleet, paths, values.prov, file).values()] });
        deps.push(...contextDeps(c));
        for (const stack of values.prov.values()) for (const w of stack) if (w.file !== file) deps.push(w.file);
        // The release itself (its valuesFrom, targetPath) and whatever generates the ConfigMaps that hold the file.
        for (const r of [hr, ...holding]) for (const f of filesOf(fleet.db, r)) if (f !== file) deps.push(f);
      }
    }
    return { value: out, deps };
  });
}

/**
 * Keys for a values file: what the files below it (the chart's values.yaml) and the effective values of the
 * releases it feeds hold below the cursor.
 */
export function valuesFileKeys(req: CompletionRequest, feeds: ValuesFeed[]): CompletionItem[] {
  const { fleet, ctx } = req;
  const out: ValueSource[] = [];
  const seen = new Set<string>();
  for (const f of feeds) {
    const full = [...f.prefix, ...ctx.path.map(String)];
    for (const src of f.sources) {
      if (seen.has(src.file) || src.prefix.length > full.length || !src.prefix.every((p, i) => p === full[i])) continue;
      seen.add(src.file);
      const text = fleet.overlays.get(src.file) ?? fleet.facts.get(src.file)?.text;
      try {
        if (text) out.push({ value: dataAt(fleet.parse(src.file, text).single().doc.toJS(), full.slice(src.prefix.length)), label: src.layer.step === 'chart-defaults' ? 'chart default' : displayPath(fleet, src.file) });
      } catch {
        /* a broken values file offers nothing */
      }
    }
  }
  for (const f of feeds) out.push({ value: dataAt(f.values, [...f.prefix, ...ctx.path]), label: `${f.release.name} on ${f.context}` });
  return valuesKeyItems(req, dataAt(ctx.value, ctx.path), out);
}
