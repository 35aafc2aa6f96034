// What a source's artifact holds of its folder, by source-controller's rules (fluxcd/pkg/sourceignore and the
// reconcilers that call it):
// - GitRepository, and OCIRepository unless its layer is copied as is: every `.sourceignore` of the tree (outside
//   `.git`), each relative to its own folder, deeper ones after their parents', then `spec.ignore` (relative to the
//   root) last, so it wins. VCS files (`.git/`, `.gitignore`, `.gitmodules`, `.gitattributes`) are always excluded;
//   the other defaults (images, archives, CI files, `.sops.yaml`, …) only while there is no pattern at all: one line
//   in any `.sourceignore` or in `spec.ignore` drops them (storage.SourceIgnoreFilter).
// - Bucket: the bucket's root `.sourceignore` and `spec.ignore` only, no defaults and no VCS patterns; the
//   `.sourceignore` object itself is never downloaded.
// - Anything else (an ExternalArtifact, an OCI layer copied as is): everything.
// Patterns are matched one path at a time (core/link/ignorePattern.ts): a folder is in the artifact while it or
// anything below it is.
import type { Fleet } from '../model';
import type { ObjectFact, SourceFact } from '../facts';
import { isInside, join, relative, relativeFrom } from '../paths';
import { matchPattern, parsePattern, patternLines, type IgnorePattern } from './ignorePattern';

export const IGNORE_FILE = '.sourceignore';
const VCS = ['.git/', '.gitignore', '.gitmodules', '.gitattributes'];
const DEFAULTS = [
  ...['*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip'],
  ...['.github/', '.circleci/', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml', 'cloudbuild.yaml', 'codeship-services.yml', 'codeship-steps.yml'],
  ...['**/.goreleaser.yml', '**/.sops.yaml', '**/.flux.yaml'],
];

/** How a source makes its artifact from its folder. */
export interface ArtifactRules {
  mode: 'archive' | 'bucket' | 'all';
  /** `spec.ignore`, when the source object sets it. */
  ignore?: string;
}

/** The rules of a source by its kind and (when it is an object in Git) what its document sets. */
export function artifactRules(kind: string, source?: SourceFact): ArtifactRules {
  const ignore = source?.ignore !== undefined ? { ignore: source.ignore } : {};
  if (kind === 'GitRepository') return { mode: 'archive', ...ignore };
  if (kind === 'OCIRepository') return source?.layerOperation === 'copy' ? { mode: 'all' } : { mode: 'archive', ...ignore };
  if (kind === 'Bucket') return { mode: 'bucket', ...ignore };
  return { mode: 'all' };
}

/** A source object's rules from the fleet's facts (its own document, or the ResourceSet that generates it). */
export function artifactRulesOf(fleet: Fleet, kind: string, source?: ObjectFact): ArtifactRules {
  const sf = source && (source.generatedBy ? source.generatedBy.source : fleet.facts.get(source.owner.file)?.sources.find((s) => s.owner.doc === source.owner.doc));
  return artifactRules(source?.kind ?? kind, sf);
}

export interface ArtifactFilter {
  /** Names the rules: two filters of one key give the same answers at one fleet version. */
  readonly key: string;
  /** Whether a file (or a folder's own entry) of the source's folder is left out of the artifact. */
  excluded(path: string, isDir?: boolean): boolean;
  /** Whether a folder exists in the artifact: its own entry, or anything below it. */
  hasFolder(dir: string): boolean;
  /** The `.sourceignore` files the rules were read from. */
  readonly files: readonly string[];
  /** No pattern excludes anything (a source that archives everything). */
  readonly empty: boolean;
}

/** The filter of a source root under `rules`, kept in the fleet's database while the structure and every `.sourceignore` are the same. */
export function artifactFilter(fleet: Fleet, root: string, rules: ArtifactRules = { mode: 'archive' }): ArtifactFilter {
  const key = `${rules.mode}\0${root}\0${rules.ignore ?? '\u0000none'}`;
  const table = fleet.db.table<string, { epoch: number; filter: ArtifactFilter }>('artifactFilter');
  const hit = table.get(key);
  if (hit && hit.epoch === fleet.linkEpoch) return hit.filter;
  const filter = makeFilter(fleet, root, rules, key);
  table.set(key, { epoch: fleet.linkEpoch, filter });
  return filter;
}

/** A `.sourceignore`'s text as builds would read it (an editor's unsaved text first). */
function ignoreText(fleet: Fleet, file: string): string | undefined {
  return fleet.overlays.get(file) ?? fleet.readAuxFile(file);
}

/**
 * Every `.sourceignore` inside `root`. The fleet's files are scanned for them once per link epoch, not once per source
 * root: a fleet's source roots grow with its files (a tenant each), and a scan each made the check quadratic.
 */
function ignoreFilesUnder(fleet: Fleet, root: string): string[] {
  const table = fleet.db.table<'', { epoch: number; files: string[] }>('sourceIgnoreFiles');
  let all = table.get('');
  if (!all || all.epoch !== fleet.linkEpoch) {
    const suffix = '/' + IGNORE_FILE;
    const files: string[] = [];
    for (const f of fleet.tree.allFiles()) if (f.endsWith(suffix)) files.push(f);
    all = { epoch: fleet.linkEpoch, files };
    table.set('', all);
  }
  return all.files.filter((f) => isInside(root, f));
}

/** A filter's patterns as written (each line with the folder its `.sourceignore` is in), in order, with the mode. */
function patternsKey(mode: ArtifactRules['mode'], lines: Array<[domain: string[], line: string]>): string {
  return JSON.stringify([mode, lines]);
}

/**
 * What patterns decide of a path relative to their root (a file's and a folder's answers apart), shared by the filters
 * of every source root with the same patterns: the same relative paths come again under many roots (a tenant's
 * repository each, under Flux's defaults). The synthetic fleet's whole check asked its 40 filters 11,544 paths,
 * 1,609 of them distinct relative paths: go-git's matcher ran every pattern against each of the 11,544.
 */
function answersByRelativePath(fleet: Fleet, patterns: string): { files: Map<string, boolean>; dirs: Map<string, boolean> } {
  return fleet.db.table<string, { files: Map<string, boolean>; dirs: Map<string, boolean> }>('ignoreAnswers').getOrMake(patterns, () => ({ files: new Map(), dirs: new Map() }));
}

function makeFilter(fleet: Fleet, root: string, rules: ArtifactRules, key: string): ArtifactFilter {
  const files: string[] = [];
  // Each pattern as written: its line, and the folder of its `.sourceignore` (relative to the root).
  const written: Array<[domain: string[], line: string]> = [];
  if (rules.mode !== 'all') {
    const found =
      rules.mode === 'bucket'
        ? fleet.tree.isFile(join(root, IGNORE_FILE)) ? [join(root, IGNORE_FILE)] : []
        : ignoreFilesUnder(fleet, root);
    // Parents before their subfolders (the loader's depth-first order), so deeper files win.
    found.sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
    for (const f of found) {
      const text = ignoreText(fleet, f);
      if (text === undefined) continue;
      files.push(f);
      const rel = relative(root, f.slice(0, -IGNORE_FILE.length - 1));
      const domain = rel === '' ? [] : rel.split('/');
      for (const line of patternLines(text)) written.push([domain, line]);
    }
    for (const line of patternLines(rules.ignore ?? '')) written.push([[], line]);
  }
  const top = (p: string): [string[], string] => [[], p];
  const allWritten = rules.mode === 'all' ? [] : rules.mode === 'bucket' ? written : [...VCS.map(top), ...(written.length ? [] : DEFAULTS.map(top)), ...written];
  const all: IgnorePattern[] = allWritten.map(([domain, line]) => parsePattern(line, domain));
  const byRelative = answersByRelativePath(fleet, patternsKey(rules.mode, allWritten));
  /** What the patterns decide of a path relative to the root: the last pattern that matches it, else kept. */
  const decide = (rel: string, isDir: boolean): boolean => {
    // The bucket's own `.sourceignore` is never downloaded; its keys are decided as files.
    if (rules.mode === 'bucket' && rel === IGNORE_FILE) return true;
    const elements = rel.split('/');
    for (let i = all.length - 1; i >= 0; i--) {
      const r = matchPattern(all[i], elements, rules.mode === 'bucket' ? false : isDir);
      if (r) return r === 'exclude';
    }
    return false;
  };
  // Answers by path, files and folders apart (no key made per question: every read of every build asks).
  const fileAnswers = new Map<string, boolean>();
  const dirAnswers = new Map<string, boolean>();
  // (the root as a folder prefix, and its own tests for `relative`, made once: isInside and relative made them for
  // each new path a build read)
  const under = root.endsWith('/') ? root : root + '/';
  const relativeToRoot = relativeFrom(root);
  const excluded = (path: string, isDir = false): boolean => {
    const answers = isDir ? dirAnswers : fileAnswers;
    let out = answers.get(path);
    if (out === undefined) {
      if (path === root || !path.startsWith(under)) return false;
      const rel = relativeToRoot(path);
      const decided = isDir ? byRelative.dirs : byRelative.files;
      out = decided.get(rel);
      if (out === undefined) decided.set(rel, (out = decide(rel, isDir)));
      answers.set(path, out);
    }
    return out;
  };
  const hasFolder = (dir: string): boolean => {
    if (!fleet.tree.isDir(dir)) return false;
    if (all.length === 0 || !isInside(root, dir) || dir === root) return true;
    if (rules.mode !== 'bucket' && !excluded(dir, true)) return true;
    // Left out as a folder: it exists still when a file below it is in the artifact (`!` brings one back).
    const walk = (d: string, depth: number): boolean => {
      if (depth > 48) return false;
      for (const name of fleet.tree.list(d)) {
        const p = join(d, name);
        if (fleet.tree.isDir(p)) {
          if ((rules.mode !== 'bucket' && !excluded(p, true)) || walk(p, depth + 1)) return true;
        } else if (!excluded(p)) return true;
      }
      return false;
    };
    return walk(dir, 0);
  };
  return { key, excluded, hasFolder, files, empty: all.length === 0 && rules.mode !== 'bucket' };
}
