// Every lock, required field and extension point of a fleet: inline marks of every YAML file and the rules of every
// `.flux-fleet.yaml`, each resolved to a Lock that knows who may override it. Cached until the fleet changes.
import type { Fleet } from '../model';
import type { Finding } from '../findings';
import { readBounded } from '../fileSystem';
import { MAX_YAML_BYTES } from '../indexFile';
import { isInside, relative } from '../paths';
import { isAtOrUnder, pointer } from '../kustomize/provenance';
import { inlineMarks, mayHaveMarks, nodePaths } from './inline';
import { allowInMatcher, globMatcher, parsePolicy } from './policy';
import type { InlineMark, Lock, PolicyRule, RulePath } from './types';

const VALUES = '/spec/values';

export interface PolicyLock extends Lock {
  rule: PolicyRule;
  rulePath: RulePath;
  /** The pointer of a path without wildcards or selectors (matched without parsing leaves). */
  literal?: string;
  /** The pointer of the path's leading plain keys: leaves outside it cannot match. */
  literalPrefix: string;
}

export interface LockIndex {
  /** The fleet version it was computed or last found unchanged at. */
  version: number;
  /** Inline marks by file (files without marks are absent). */
  marks: Map<string, InlineMark[]>;
  /** The Lock of each mark. */
  markLocks: Map<InlineMark, Lock>;
  /** Policy rules with their Locks (one per path), and matchers for their filters. */
  rules: Array<{
    rule: PolicyRule;
    locks: PolicyLock[];
    matches(kind: string, name: string, namespace: string): boolean;
    /** The rule's kinds filter alone (undefined: any kind), asked before the object's name and namespace are read. */
    selectsKind?: (kind: string) => boolean;
    /** Whether a path of the rule is at, under or above `spec.values` (it can cover a release's effective values). */
    reachesValues: boolean;
  }>;
  problems: Finding[];
  /** Key paths of a marked file's nodes by start offset (lazily). */
  pathsOf(file: string): Map<number, Array<string | number>>;
  /** Whether anything is declared at all (checks are skipped otherwise). */
  empty: boolean;
  /** Whether a marked file is used as a kustomize patch (its marks then reach resources defined elsewhere). */
  markedPatches: boolean;
  /** Whether a mark can reach effective values (one in a values file, or at or under `spec.values`). */
  valueMarks: boolean;
}

/** `spec.chart.spec.version`; list indices as `[0]`, keys with dots as `["a.b"]`. */
export function dottedPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/[.[\]\s"]/.test(seg) || seg === '') out += `[${JSON.stringify(seg)}]`;
    else out += (out ? '.' : '') + seg;
  }
  return out;
}

/** Where a file is, as allowIn globs see it: `repository/path/in/it`. */
export function repoPath(fleet: Fleet, file: string): string | undefined {
  const repo = fleet.repositoryOf(file);
  return repo ? `${repo.name}/${relative(repo.root, file)}` : undefined;
}

/** The fleet's one text of a file: an editor's, else the indexed one (else the disk's: a file the index skipped). */
function textOf(fleet: Fleet, file: string): string | undefined {
  const facts = fleet.facts.get(file);
  return fleet.overlays.get(file) ?? (facts && !facts.skipped ? facts.text : readBounded(fleet.fs, file, MAX_YAML_BYTES));
}


/** A file predicate asked for the same few files again and again (every leaf of every context). */
function memo(f: (file: string) => boolean): (file: string) => boolean {
  const seen = new Map<string, boolean>();
  return (file) => {
    let v = seen.get(file);
    if (v === undefined) seen.set(file, (v = f(file)));
    return v;
  };
}

/**
 * The fleet's lock declarations, kept in its database. After edits of texts that held no mark and hold none (a value
 * typed in a values file) the index is the same and is kept as it is: rescanning every text of a 10,000-file fleet
 * for marks after each keystroke was most of a hover's time. Any other change computes it again.
 */
export function lockIndex(fleet: Fleet): LockIndex {
  const table = fleet.db.table<'fleet', LockIndex>('lockIndex');
  const held = table.get('fleet');
  if (held && (held.version === fleet.version || unchangedSince(fleet, held))) {
    held.version = fleet.version;
    return held;
  }
  if (held) table.reject('fleet');
  return table.set('fleet', computeLockIndex(fleet));
}

/** Whether the changes since `index` was checked leave it as it is: only texts, none a policy file, none marked before or now, the links' answers (includers) the same. */
function unchangedSince(fleet: Fleet, index: LockIndex): boolean {
  if (fleet.linkEpoch > index.version) return false;
  const changed = fleet.changedSince(index.version);
  if (!changed) return false;
  const policies = new Set(fleet.layout.configFiles);
  for (const f of changed) {
    if (index.marks.has(f) || policies.has(f)) return false;
    // Read as computeLockIndex reads it: the indexed text of a file that is not skipped.
    const facts = fleet.facts.get(f);
    if (facts && !facts.skipped && mayHaveMarks(facts.text)) {
      try {
        if (inlineMarks(f, facts.text, fleet.parse(f, facts.text)).length) return false;
      } catch {
        // unparsable: no marks (as computeLockIndex reads it)
      }
    }
  }
  return true;
}

function computeLockIndex(fleet: Fleet): LockIndex {
  const marks = new Map<string, InlineMark[]>();
  // (forEach: this runs once per fleet version, mostly unoptimized, where a Map's iterator made an entry pair and a
  // result per file of the fleet)
  fleet.facts.forEach((facts, file) => {
    if (facts.skipped || !mayHaveMarks(facts.text)) return;
    try {
      const found = inlineMarks(file, facts.text, fleet.parse(file, facts.text));
      if (found.length) marks.set(file, found);
    } catch {
      // unparsable text: the yaml-syntax finding says so
    }
  });
  const sameRepository = (declaredIn: string) => {
    const root = fleet.repositoryOf(declaredIn)?.root;
    return memo((file: string) => (root ? fleet.repositoryOf(file)?.root === root : file === declaredIn));
  };
  const markLocks = new Map<InlineMark, Lock>();
  for (const list of marks.values()) {
    for (const mark of list) {
      const repo = fleet.repositoryOf(mark.file);
      markLocks.set(mark, {
        id: `inline:${mark.file}:${mark.keySpan.start}`,
        kind: mark.kind,
        origin: 'inline',
        file: mark.file,
        span: mark.keySpan,
        reason: mark.reason,
        path: dottedPath(mark.path),
        repositoryRoot: repo?.root,
        repositoryName: repo?.name,
        allowIn: repo ? [`${repo.name}/**`] : [mark.file],
        allows: sameRepository(mark.file),
        mark,
      });
    }
  }
  const rules: LockIndex['rules'] = [];
  const problems: Finding[] = [];
  for (const file of fleet.layout.configFiles) {
    const text = textOf(fleet, file);
    if (text === undefined) continue;
    const parsed = parsePolicy(file, text, fleet.parse(file, text));
    for (const p of parsed.problems) problems.push({ file: p.file, span: p.span, severity: 'warning', code: 'config-invalid', message: p.message });
    const repo = fleet.repositoryOf(file);
    for (const rule of parsed.rules) {
      const allowIn = rule.allowIn ?? (repo ? [`${repo.name}/**`] : []);
      const allowMatch = rule.allowIn ? allowInMatcher(rule.allowIn) : undefined;
      const allows = allowMatch
        ? memo((f: string) => {
            const rp = repoPath(fleet, f);
            return rp !== undefined && allowMatch(rp);
          })
        : sameRepository(file);
      const locks: PolicyLock[] = rule.paths.map((p) => ({
        ...compiled(p),
        id: `policy:${file}:${p.span.start}`,
        kind: rule.kind,
        origin: 'policy',
        file,
        span: p.span,
        reason: rule.reason,
        path: p.raw,
        repositoryRoot: repo?.root,
        repositoryName: repo?.name,
        allowIn,
        allows,
        rule,
        rulePath: p,
      }));
      // Each filter memoized on its own (a Map per filter, one entry per distinct kind, name or namespace asked): asked
      // for every resource of every context, a key string per question was a large share of the check's garbage, and
      // a map per kind and name (the product of the three) most of what the lock pass kept to its end.
      const kinds = memoized(globMatcher(rule.kinds));
      const names = memoized(globMatcher(rule.names));
      const namespaces = memoized(globMatcher(rule.namespaces));
      rules.push({
        rule,
        locks,
        reachesValues: locks.some((l) => isAtOrUnder(l.literalPrefix, VALUES) || isAtOrUnder(VALUES, l.literalPrefix)),
        matches: (kind, name, namespace) => (!kinds || kinds(kind)) && (!names || names(name)) && (!namespaces || namespaces(namespace)),
        selectsKind: kinds,
      });
    }
  }
  const paths = new Map<string, Map<number, Array<string | number>>>();
  const index: LockIndex = {
    version: fleet.version,
    marks,
    markLocks,
    rules,
    problems,
    empty: marks.size === 0 && rules.length === 0,
    valueMarks: [...marks].some(([f, list]) => !fleet.facts.get(f)?.objects.length || list.some((m) => isValuesPath(m.path))),
    markedPatches: [...marks.keys()].some((f) => (fleet.links.includers.get(f) ?? []).some((i) => i.type === 'kustomize' && /^patches/.test(i.role))),
    pathsOf: (file) => {
      let p = paths.get(file);
      const text = fleet.facts.get(file)?.text ?? '';
      if (!p) paths.set(file, (p = nodePaths(text, fleet.parse(file, text))));
      return p;
    },
  };
  return index;
}

/** A string predicate answering each distinct string once (undefined stays undefined: no filter). */
function memoized(test: ((s: string) => boolean) | undefined): ((s: string) => boolean) | undefined {
  if (!test) return undefined;
  const seen = new Map<string, boolean>();
  return (s) => {
    let m = seen.get(s);
    if (m === undefined) seen.set(s, (m = test(s)));
    return m;
  };
}

/** `spec`, `spec.values` or below it. */
function isValuesPath(path: ReadonlyArray<string | number>): boolean {
  return (path.length === 0 || path[0] === 'spec') && (path.length < 2 || path[1] === 'values');
}

function compiled(p: RulePath): { literal?: string; literalPrefix: string } {
  const keys: string[] = [];
  for (const seg of p.segments) {
    if (!('key' in seg)) break;
    keys.push(seg.key);
  }
  const literalPrefix = pointer(keys);
  return keys.length === p.segments.length ? { literal: literalPrefix, literalPrefix } : { literalPrefix };
}

/** Whether `file` lies in the repository (or mapped folder) rooted at `root`. */
export function inRepository(fleet: Fleet, root: string | undefined, file: string): boolean {
  return !!root && isInside(root, file) && fleet.repositoryOf(file)?.root === root;
}
