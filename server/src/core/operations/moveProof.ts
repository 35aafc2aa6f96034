// The proof a move offers: every context that reaches a moved or edited file renders the same objects after it, checked
// with the impact engine on the fleet before against the fleet after (in memory). A context whose root moved is matched
// by its identity (its Kustomization's document, moved or not, and its chain), not its folder. The only differences allowed are the fields the move
// itself rewrote: a Flux Kustomization's spec.path / sourceRef / components, a HelmRelease's chart folder and source.
import type { Fleet } from '../model';
import type { OperationPlan } from './plan';
import { affectedPairs, type ContextPair } from '../impact/contextPairs';
import { runSteps } from '../steps';
import { contextImpact } from '../impact/contextImpact';
import type { ChangedFile, FieldChange, ObjectChange } from '../impact/types';
import { contextKey, contextLabel, linkName } from '../evaluate/contextId';
import type { Context } from '../evaluate/contexts';

export type MoveProof = { contexts: number; rewritten: number } | { differs: string };

/** Fields a move rewrites on purpose, per kind (JSON pointers, prefixes). */
const REWRITTEN: Readonly<Record<string, readonly string[]>> = {
  Kustomization: ['/spec/path', '/spec/sourceRef/', '/spec/components/'],
  FluxInstance: ['/spec/sync/path'],
  HelmRelease: ['/spec/chart/spec/chart', '/spec/chart/spec/sourceRef/'],
};

function rewrittenField(o: ObjectChange, f: FieldChange): boolean {
  const flux = o.apiVersion.includes('fluxcd.io') || o.apiVersion.includes('controlplane.io');
  return flux && (REWRITTEN[o.kind] ?? []).some((p) => f.path === p || f.path.startsWith(p) || (p.endsWith('/') && f.path === p.slice(0, -1)));
}

/**
 * A context's identity across the move: its deploying Kustomization's document (the file where it is after the move)
 * and its chain of Kustomizations. Its root folder is left out: a moved root's folder changes.
 */
function identity(c: Context, movedTo: ReadonlyMap<string, string>): string {
  const owner = c.fact.owner;
  return JSON.stringify([movedTo.get(owner.file) ?? owner.file, owner.doc, c.id.chain.map(linkName)]);
}

/** Contexts found on one side only (a moved root's folder changed): matched by their identity when it is unambiguous. */
function pairMoved(pairs: ContextPair[], movedTo: ReadonlyMap<string, string>): ContextPair[] {
  const out = pairs.filter((p) => p.base && p.work);
  const baseOnly = pairs.filter((p) => p.base && !p.work);
  const workOnly = pairs.filter((p) => p.work && !p.base);
  const none = new Map<string, string>();
  for (const b of baseOnly) {
    const key = identity(b.base!, movedTo);
    const same = workOnly.filter((w) => identity(w.work!, none) === key);
    const twins = baseOnly.filter((x) => identity(x.base!, movedTo) === key);
    if (same.length === 1 && twins.length === 1) {
      out.push({ key: b.key, base: b.base, work: same[0].work });
      workOnly.splice(workOnly.indexOf(same[0]), 1);
    } else out.push(b);
  }
  return [...out, ...workOnly];
}

function show(v: unknown): string {
  return v === undefined ? '(none)' : JSON.stringify(v);
}

/** Every context the plan reaches, before against after (the fleet after the plan, loaded in memory). */
export function proveSameRender(before: Fleet, after: Fleet, plan: OperationPlan): MoveProof {
  const changed: ChangedFile[] = [];
  for (const file of new Set(plan.edits.map((e) => e.file))) if (!plan.moves.some((m) => m.from === file)) changed.push({ file, status: 'changed' });
  for (const m of plan.moves) changed.push({ file: m.from, status: 'removed' }, { file: m.to, status: 'added' });
  const pairs = pairMoved(runSteps(affectedPairs(after, before, changed)), new Map(plan.moves.map((m) => [m.from, m.to])));
  const input = { work: after, base: before, changed: new Map(changed.map((c) => [c.file, c])) };
  let rewritten = 0;
  for (const pair of pairs) {
    const id = (pair.base ?? pair.work)!.id;
    if (!pair.base) return { differs: `the context ${contextLabel(pair.work!.id)} would be new after the move` };
    if (!pair.work) return { differs: `the context ${contextLabel(id)} would be gone after the move` };
    const impact = contextImpact(input, { key: contextKey(id), base: pair.base, work: pair.work });
    for (const o of impact?.objects ?? []) {
      const what = `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`;
      if (o.status !== 'changed') return { differs: `in ${contextLabel(id)}, ${what} would be ${o.status === 'added' ? 'added' : 'gone'}` };
      const other = o.fields.find((f) => !rewrittenField(o, f));
      if (other) return { differs: `in ${contextLabel(id)}, ${what} ${other.path} would change: ${show(other.old)} → ${show(other.new)}` };
      rewritten += o.fields.length;
    }
  }
  return { contexts: pairs.length, rewritten };
}
