// Contexts (a chain from a root Flux Kustomization down to a build): listed for the client's "pin a context"
// picker, and found ahead of the first question in the background.
import type { Fleet } from '../core/model';
import { allContexts, evaluatorOf, type Context } from '../core/evaluate/contexts';
import { contextKey, contextLabel, deployerName } from '../core/evaluate/contextId';
import { rootKustomizations } from '../core/deployChains';
import { runSteps, runStepsPaced, type Steps } from '../core/steps';
import { placesIndexSteps } from '../core/link/relink';

export interface ContextSummary {
  /** contextKey: what the client pins (opaque; hovers compare it whole). */
  id: string;
  /** The whole context as users read it (`repo/clusters/prod: flux-system/flux-system > flux-system/apps`). */
  label: string;
  /** The Kustomization that deploys, `namespace/name`. */
  name: string;
  file: string;
}

export function contexts(fleet: Fleet): ContextSummary[] {
  return allContexts(fleet, rootKustomizations(fleet)).map((c) => ({ id: contextKey(c.id), label: contextLabel(c.id), name: deployerName(c.id), file: c.fact.owner.file }));
}

/**
 * Finds every context once (at most `limit`), in slices: the skeletons (and the kustomize builds of their folders)
 * that the first hover or completion in any file would otherwise make while the user waits. Stops when `pause`
 * says the fleet moved on (contexts outlive text edits, and are checked again lazily). Returns how many.
 */
export async function warmContexts(fleet: Fleet, pause: () => Promise<boolean>, limit = 5000, found?: (seen: number) => void): Promise<number | undefined> {
  return runStepsPaced(warmSteps(fleet, limit, found), pause, WARM_SLICE_MS);
}

/** warmContexts at once, without yielding (scripts measuring what the server's warm-up keeps). */
export function warmContextsNow(fleet: Fleet, limit = 5000): number {
  return runSteps(warmSteps(fleet, limit));
}

/** How long finding contexts works before it lets requests in. */
const WARM_SLICE_MS = 8;

function* warmSteps(fleet: Fleet, limit: number, found?: (seen: number) => void): Steps<number> {
  const ev = evaluatorOf(fleet);
  // What the first edit's relink needs (see evaluateFleetSteps), before the contexts.
  yield* placesIndexSteps(fleet.links);
  const queue: Context[] = [];
  for (const r of rootKustomizations(fleet)) {
    const c = ev.root(r);
    if (c) queue.push(c);
    yield;
  }
  let seen = 0;
  while (queue.length && seen < limit) {
    const c = queue.shift()!;
    queue.push(...ev.childrenOf(c));
    if (++seen % 4 === 0) found?.(seen);
    yield;
  }
  return seen;
}
