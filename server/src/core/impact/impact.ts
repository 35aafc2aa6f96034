// The change impact of the working tree against a baseline fleet (issue 15): for every context that reaches a changed
// file, its objects at the baseline against the working tree, with the layer and line that caused each change, and
// the dangers among them merged across contexts (one deletion in three clusters is one danger naming three).
import type { Fleet } from '../model';
import type { CancellationToken as ImpactToken } from '../cancel';
import { runSteps, runStepsAsync, type Steps } from '../steps';
import { contextKey, type ContextId } from '../evaluate/contextId';
import { printResources } from '../kustomize/output';
import { redactResources } from '../redact';
import { affectedPairs, contextById, contextsByKey } from './contextPairs';
import { contextImpact, type ImpactInput } from './contextImpact';
import type { Baseline, ChangedFile, ContextImpact, Danger, FleetImpact } from './types';


const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

function dangerKey(d: Danger): string {
  return JSON.stringify([d.code, d.severity, d.message, d.objects, d.at?.file, d.at?.span?.start, d.at?.baseline]);
}

/** One danger per distinct (code, message, objects, line), naming every context it happens in; most severe first. */
export function mergeDangers(contexts: ContextImpact[]): Danger[] {
  const merged = new Map<string, Danger>();
  for (const c of contexts) {
    for (const d of c.dangers) {
      const k = dangerKey(d);
      const m = merged.get(k);
      if (!m) merged.set(k, { ...d, contexts: [...d.contexts] });
      else if (!m.contexts.some((x) => contextKey(x) === contextKey(c.id))) m.contexts.push(c.id);
    }
  }
  return [...merged.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}

function totals(contexts: ContextImpact[]): FleetImpact['totals'] {
  const t = { contexts: contexts.length, objects: 0, added: 0, removed: 0, changed: 0, deletions: 0 };
  for (const c of contexts) {
    for (const o of c.objects) {
      t.objects++;
      t[o.status]++;
      if (o.status === 'removed' && (c.prune || o.renderedBy !== undefined)) t.deletions++;
    }
  }
  return t;
}

/**
 * The impact in steps (core/steps.ts): a step after each unit of work — a context's children read, a context built
 * on one side, one context compared — so the server answers requests between them.
 */
export function* impactSteps(work: Fleet, base: Fleet, baseline: Baseline, changed: ChangedFile[]): Steps<FleetImpact> {
  const contexts: ContextImpact[] = [];
  if (changed.length) {
    const input: ImpactInput = { work, base, changed: new Map(changed.map((c) => [c.file, c])) };
    for (const pair of yield* affectedPairs(work, base, changed)) {
      // Each side's whole build is a unit of its own (kept by the context: contextImpact reads it again).
      if (pair.base) void pair.base.build;
      yield;
      if (pair.work) void pair.work.build;
      yield;
      const c = contextImpact(input, pair);
      if (c) contexts.push(c);
      yield;
    }
  }
  return { baseline, changedFiles: changed, contexts, dangers: mergeDangers(contexts), totals: totals(contexts) };
}

/** The impact at once (the CLI, tests); cancelled between units of work. */
export function computeImpact(work: Fleet, base: Fleet, baseline: Baseline, changed: ChangedFile[], token?: ImpactToken): FleetImpact {
  return runSteps(impactSteps(work, base, baseline, changed), token);
}

/** The impact giving the event loop a turn between units of work (the server: a hover waits for one unit at most; `turn` as runStepsAsync's). */
export function computeImpactAsync(work: Fleet, base: Fleet, baseline: Baseline, changed: ChangedFile[], token?: ImpactToken, turn?: () => Promise<void>): Promise<FleetImpact> {
  return runStepsAsync(impactSteps(work, base, baseline, changed), token, turn);
}

/**
 * A context's rendered output as `flux-fleet build` prints it, secrets masked (the editor's diff view). With its id
 * (from an impact) only its chain is walked; with the key alone every context is listed to find it.
 */
export function renderContext(fleet: Fleet, key: string, id?: ContextId): string | undefined {
  const c = id && contextKey(id) === key ? contextById(fleet, id) : contextsByKey(fleet).get(key);
  return c && printResources(redactResources(c.build.resources));
}
