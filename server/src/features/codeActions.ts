// Quick-fixes for broken references. Each is a minimal edit: the offending value replaced (its quotes kept), a file
// created (with the line ends of the file that asks for it), or one line inserted into `.flux-fleet.yaml` (its
// comments, formatting and line ends untouched: core/yamlEdit).
import { distance } from 'fastest-levenshtein';
import type { Fleet } from '../core/model';
import type { Finding, FixData } from '../core/findings';
import type { Span } from '../core/text';
import { CONFIG_FILE_NAME } from '../core/fleetConfig';
import { dirname, isInside, isYamlFile, join, relative, resolvePath, KUSTOMIZATION_FILE_NAMES } from '../core/paths';
import { addRepositoryMapping, newFleetConfig } from '../core/yamlEdit/fleetConfig';
import { lineEndOf } from '../core/yamlEdit/source';
import { requoteLike } from '../core/yamlEdit/scalar';

export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface CodeAction {
  title: string;
  /** Files to create first (empty), then edits to apply. */
  createFiles: string[];
  edits: TextEdit[];
  preferred?: boolean;
  /**
   * The edit holds a placeholder only the user can fill (a local folder): a client that can ask (VS Code's folder
   * picker) asks instead of writing it; any other opens the file at the placeholder after the edit.
   */
  choose?: FolderChoice;
}

/** "Which local folder holds this repository?": the mapping to write once the user has chosen. */
export interface FolderChoice {
  key: string;
  configFile: string;
  /** Folders to offer first (the likely clones); they need not exist. */
  candidates: string[];
  /** The text the fallback edit writes where the folder goes. */
  placeholder: string;
}

const MAX_SUGGESTIONS = 3;

export function codeActionsFor(fleet: Fleet, finding: Pick<Finding, 'file' | 'span' | 'code' | 'data'>): CodeAction[] {
  const data = finding.data;
  if (!data) return [];
  switch (data.fix) {
    case 'path':
      return pathFixes(fleet, finding, data);
    case 'source':
      return sourceFixes(fleet, finding, data);
    case 'map':
      return mapFixes(fleet, finding.file, data);
  }
}

function textOf(fleet: Fleet, file: string): string | undefined {
  return fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? (fleet.fs.exists(file) ? fleet.fs.readFile(file) : undefined);
}

/** The edit that puts `value` where the finding's scalar is, quoted as it was. */
function replaceValue(fleet: Fleet, finding: Pick<Finding, 'file' | 'span'>, value: string): TextEdit {
  const old = textOf(fleet, finding.file)?.slice(finding.span.start, finding.span.end) ?? '';
  return { file: finding.file, span: finding.span, newText: requoteLike(old, value) };
}

function pathFixes(fleet: Fleet, finding: Pick<Finding, 'file' | 'span'>, data: Extract<FixData, { fix: 'path' }>): CodeAction[] {
  const actions: CodeAction[] = [];
  const repo = fleet.repositoryOf(data.baseDir);
  const scope = repo?.root ?? data.baseDir;
  const dotted = data.value.startsWith('./');
  const candidates: string[] = [];
  const wantsDir = data.expect !== 'file';
  const wantsFile = data.expect === 'file' || data.expect === 'file-or-dir';
  const kustomizationOf = (d: string) => KUSTOMIZATION_FILE_NAMES.some((n) => fleet.tree.isFile(join(d, n)));
  if (wantsDir) {
    for (const d of fleet.tree.allDirs()) {
      if (!isInside(scope, d) || d.includes('/.git')) continue;
      if (data.expect !== 'dir' && !kustomizationOf(d)) continue;
      if (data.expect === 'component-dir') {
        const k = KUSTOMIZATION_FILE_NAMES.map((n) => join(d, n)).find((f) => fleet.tree.isFile(f));
        if (!k || fleet.facts.get(k)?.kustomize?.kind !== 'Component') continue;
      }
      candidates.push(d);
    }
  }
  if (wantsFile) {
    for (const f of fleet.tree.allFiles()) {
      if (!isInside(scope, f)) continue;
      if (data.expect === 'file-or-dir' && !isYamlFile(f)) continue;
      candidates.push(f);
    }
  }
  const spelled = (target: string) => {
    const r = relative(data.baseDir, target) || '.';
    return dotted && !r.startsWith('..') ? './' + r : r;
  };
  const scored = candidates
    .map((c) => ({ text: spelled(c), d: 0 }))
    .map((c) => ({ ...c, d: distance(c.text, data.value) }))
    .filter((c) => c.text !== data.value && c.d <= Math.max(3, Math.ceil(data.value.length / 2)))
    .sort((a, b) => a.d - b.d || a.text.localeCompare(b.text))
    .slice(0, MAX_SUGGESTIONS);
  scored.forEach((c, i) => actions.push({ title: `Change to '${c.text}'`, createFiles: [], edits: [replaceValue(fleet, finding, c.text)], preferred: i === 0 && c.d <= 2 }));
  // `- webb.yaml` names a file: never offer a folder `webb.yaml/` with a kustomization in it. The file itself is
  // offered only when no existing file is close (then the misspelling is the likelier meaning).
  const namesFile = wantsFile && isYamlFile(data.value);
  if (namesFile && !scored.length && !/^[a-z]+:\/\//i.test(data.value)) {
    const file = resolvePath(data.baseDir, data.value);
    if (isInside(scope, file) && !fleet.tree.isDir(file)) actions.push({ title: `Create ${relative(fleet.repositoryOf(file)?.root ?? data.baseDir, file)}`, createFiles: [file], edits: [] });
  }
  if (wantsDir && !namesFile && !/^[a-z]+:\/\//i.test(data.value)) {
    const folder = resolvePath(data.baseDir, data.value);
    if (isInside(scope, folder) && !fleet.tree.isFile(folder)) {
      const file = join(folder, 'kustomization.yaml');
      const kind = data.expect === 'component-dir' ? 'Component' : 'Kustomization';
      const apiVersion = kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
      actions.push({
        title: `Create ${relative(fleet.repositoryOf(folder)?.root ?? data.baseDir, file)}`,
        createFiles: [file],
        edits: [{ file, span: { start: 0, end: 0 }, newText: `apiVersion: ${apiVersion}\nkind: ${kind}\nresources: []\n`.replace(/\n/g, lineEndOf(textOf(fleet, finding.file))) }],
      });
    }
  }
  return actions;
}

function sourceFixes(fleet: Fleet, finding: Pick<Finding, 'file' | 'span'>, data: Extract<FixData, { fix: 'source' }>): CodeAction[] {
  const names = new Set<string>();
  for (const kind of data.kinds) {
    for (const o of fleet.links.objects.ofKind(kind)) {
      if (data.namespace === undefined || o.namespaces.has(data.namespace) || o.namespaces.has(undefined)) names.add(o.fact.name);
    }
  }
  return [...names]
    .map((n) => ({ n, d: distance(n, data.name) }))
    .filter((c) => c.n !== data.name && c.d <= Math.max(3, Math.ceil(data.name.length / 2)))
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, MAX_SUGGESTIONS)
    .map((c, i) => ({ title: `Change to '${c.n}'`, createFiles: [], edits: [replaceValue(fleet, finding, c.n)], preferred: i === 0 }));
}

/** Repositories nothing maps a source to yet: the likely local copies of an unmapped URL. */
function unmappedRepositories(fleet: Fleet): string[] {
  const mapped = new Set(fleet.layout.mappings.map((m) => m.folder));
  return fleet.repositories.filter((r) => !mapped.has(r.root) && !r.originKey && r.origin !== 'workspace-folder').map((r) => r.root);
}

function mapFixes(fleet: Fleet, fromFile: string, data: Extract<FixData, { fix: 'map' }>): CodeAction[] {
  const configFile = join(data.repositoryOfFile, CONFIG_FILE_NAME);
  const folders = unmappedRepositories(fleet).filter((f) => f !== data.repositoryOfFile);
  const choices = folders.length ? folders.slice(0, 5) : [undefined];
  return choices.map((folder) => {
    const value = folder ? relative(data.repositoryOfFile, folder) || '.' : PLACEHOLDER;
    const title = folder ? `Map ${data.key} to ${value}` : `Map ${data.key} to a local folder…`;
    const choose = folder ? undefined : { key: data.key, configFile, candidates: likelyClones(data.repositoryOfFile, data.key), placeholder: PLACEHOLDER };
    return { title, ...insertMapping(fleet, configFile, data.key, value, fromFile), ...(choose ? { choose } : {}) };
  });
}

const PLACEHOLDER = '../path/to/local/clone';

/** Where a clone of `key` would sit beside this repository (`../tenant` for `…/acme/tenant.git`): named, never read. */
function likelyClones(repository: string, key: string): string[] {
  const name = key.replace(/#.*$/, '').replace(/\/+$/, '').replace(/\.git$/, '').split(/[/:]/).pop();
  return name ? [join(dirname(repository), name)] : [];
}

/** The edit that maps `key` to the chosen `folder` (relative to the repository of the config file). */
export function mappingEdit(fleet: Fleet, configFile: string, key: string, folder: string): { createFiles: string[]; edits: TextEdit[] } {
  return insertMapping(fleet, configFile, key, relative(dirname(configFile), folder) || '.');
}

/** One new `key: value` entry under `repositories:`, creating the file (line ends like `fromFile`) or the map when missing. */
export function insertMapping(fleet: Fleet, configFile: string, key: string, value: string, fromFile?: string): { createFiles: string[]; edits: TextEdit[] } {
  const text = fleet.overlays.get(configFile) ?? (fleet.fs.exists(configFile) ? fleet.fs.readFile(configFile) : undefined);
  if (text === undefined) {
    const eol = lineEndOf(fromFile === undefined ? undefined : textOf(fleet, fromFile));
    return { createFiles: [configFile], edits: [{ file: configFile, span: { start: 0, end: 0 }, newText: newFleetConfig(key, value).replace(/\n/g, eol) }] };
  }
  return { createFiles: [], edits: addRepositoryMapping(text, key, value).map((e) => ({ file: configFile, ...e })) };
}
