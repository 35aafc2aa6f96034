// `.flux-fleet.yaml` entries a move must rewrite: `repositories:` folders and `tenants[].paths` (relative to the file),
// and lock `allowIn` globs (`repository/path/**`): a glob whose literal part names the moved path follows it, and every
// file must be allowed after the move exactly where it was before (else the move is refused).
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { Fleet } from '../model';
import { dirname, isInside, relative, resolvePath } from '../paths';
import { allowInMatcher } from '../locks/policy';
import { MoveEdits, movedPath, refuse, relativeLike, textOf, where, type Move } from './moveEdits';

export function fleetConfigEntries(fleet: Fleet, move: Move, edits: MoveEdits): void {
  for (const m of fleet.layout.mappings) {
    if (!m.declaredIn && isInside(move.from, m.folder)) {
      refuse(`The fluxFleet.repositories setting maps ${m.raw} to ${m.folder}, which the move changes: change the setting by hand.`);
    }
  }
  for (const file of fleet.layout.configFiles) {
    const text = textOf(fleet, file);
    if (text === undefined) continue;
    const doc = fleet.parse(file, text).single().doc;
    if (doc.errors.length || !isMap(doc.contents)) continue;
    const root = doc.contents;
    const repos = root.get('repositories', true) as Node | undefined;
    if (isMap(repos)) for (const pair of repos.items as Pair<Node, Node>[]) folderValue(fleet, move, edits, file, pair.value, `the mapping of ${isScalar(pair.key) ? String(pair.key.value) : '?'}`);
    const tenants = root.get('tenants', true) as Node | undefined;
    for (const t of isSeq(tenants) ? (tenants.items as Node[]) : []) {
      const paths = isMap(t) ? (t.get('paths', true) as Node | undefined) : undefined;
      for (const p of isSeq(paths) ? (paths.items as Node[]) : paths ? [paths] : []) folderValue(fleet, move, edits, file, p, 'a tenant path');
    }
    const locks = root.get('locks', true) as Node | undefined;
    for (const rule of isSeq(locks) ? (locks.items as Node[]) : []) {
      const allow = isMap(rule) ? (rule.get('allowIn', true) as Node | undefined) : undefined;
      const items = (isSeq(allow) ? (allow.items as Node[]) : allow ? [allow] : []).filter((n): n is Scalar => isScalar(n) && typeof n.value === 'string' && !!n.range);
      if (items.length) allowInGlobs(fleet, move, edits, file, items);
    }
  }
}

/** A folder written relative to the config file (or absolute). */
function folderValue(fleet: Fleet, move: Move, edits: MoveEdits, file: string, node: Node | null | undefined, what: string): void {
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
  const value = node.value;
  const base = dirname(file);
  const target = resolvePath(base, value);
  const newBase = movedPath(move, base);
  const newTarget = movedPath(move, target);
  if (resolvePath(newBase, value) === newTarget) return;
  edits.scalar(file, { start: node.range[0], end: node.range[1] }, value, value.startsWith('/') ? newTarget : relativeLike(value, newBase, newTarget), `${what} ('${value}')`);
}

/** `repository/path` as allowIn globs see a path (locks/index.ts repoPath). */
function repoPathOf(fleet: Fleet, p: string): string | undefined {
  const repo = fleet.repositoryOf(p);
  return repo ? `${repo.name}/${relative(repo.root, p)}` : undefined;
}

function allowInGlobs(fleet: Fleet, move: Move, edits: MoveEdits, file: string, items: Scalar[]): void {
  const from = repoPathOf(fleet, move.from);
  const to = repoPathOf(fleet, move.to);
  if (!from || !to) return;
  const before = items.map((n) => String(n.value));
  const after = before.map((g) => {
    const t = g.trim().replace(/^\.?\//, '');
    return t === from || t.startsWith(from + '/') ? to + t.slice(from.length) : g;
  });
  const oldMatch = allowInMatcher(before);
  const newMatch = allowInMatcher(after);
  // Every file the fleet holds is allowed after the move exactly where it was allowed before.
  for (const f of fleet.tree.allFiles()) {
    const was = repoPathOf(fleet, f);
    const now = repoPathOf(fleet, movedPath(move, f));
    if (was === undefined || now === undefined) continue;
    if (oldMatch(was) !== newMatch(now)) {
      refuse(`${where(fleet, file, { start: items[0].range![0], end: items[0].range![1] })}: the lock's allowIn [${before.join(', ')}] ${oldMatch(was) ? 'allows' : 'does not allow'} overrides in ${was}, and after the move would ${newMatch(now) ? 'allow' : 'not allow'} them in ${now}: change it by hand.`);
    }
  }
  items.forEach((n, i) => {
    if (after[i] !== before[i]) edits.scalar(file, { start: n.range![0], end: n.range![1] }, before[i], after[i], `the lock's allowIn '${before[i]}'`);
  });
}
