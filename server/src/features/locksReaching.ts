// The contexts a lock hover reads for one file, with what it needs of each; kept across fleet versions while what
// the walk read is unchanged (hovers come every few ms, and the walk builds up to 60 contexts).
import type { Fleet } from '../core/model';
import type { Resource } from '../core/kustomize/types';
import type { FluxBuild } from '../core/evaluate/fluxBuild';
import { contextsWriting } from '../core/locks/check';
import { evaluatorOf, touches, type Context } from '../core/evaluate/contexts';
import { buildReaching, reachingUnchangedSince } from '../core/evaluate/reach';
import { deployChains } from '../core/deployChains';

export interface ContextReached {
  ctx: Context;
  resources: Resource[];
}

/** What one walk found, and what it read: the parents whose children it read (with their skeletons) and each context's build it looked at. */
interface Walk {
  version: number;
  found: ContextReached[];
  /** Undefined when the walk built whole contexts (contextsWriting): kept for its version only. */
  read?: { parents: Array<{ ctx: Context; skeleton: FluxBuild }>; builds: Array<{ ctx: Context; build: FluxBuild }> };
}

/**
 * The contexts `file` writes into (contextsWriting), each with the resources a question about the file needs: built
 * only as far as the file reaches (core/evaluate/reach.ts: what it wrote, the releases it feeds, their value sources)
 * when only kustomize layers carry its writes; whole builds when Flux's layers may carry them too (the file defines a
 * Flux Kustomization, a ConfigMap or a Secret, or a context's variables come from it).
 */
export function contextsReaching(fleet: Fleet, file: string, limit: number): ContextReached[] {
  const memo = fleet.db.table<string, Walk>('locksReaching');
  const key = `${limit}\0${file}`;
  const hit = memo.get(key);
  if (hit && (hit.version === fleet.version || stillValid(fleet, file, hit))) {
    fleet.db.count('locksReaching.kept');
    hit.version = fleet.version;
    return hit.found;
  }
  const walk = contextsReachingNow(fleet, file, limit);
  memo.set(key, walk);
  return walk.found;
}

/**
 * Whether a walk made at an earlier version would find the same now: no link shape changed (the chains above the
 * file, the roots), the file itself is unchanged, every parent it read children of has the same skeleton (the same
 * children), and every build it looked at is what buildReaching would give again.
 */
function stillValid(fleet: Fleet, file: string, walk: Walk): boolean {
  const { version, read } = walk;
  if (!read || fleet.linkEpoch > version) return false;
  if (fleet.changeCountSince(version) === undefined || fleet.changedAfter(file, version)) return false;
  // Parents first, roots before their children: a child's build is re-checked only under the same parent skeleton.
  for (const p of read.parents) if (p.ctx.skeleton !== p.skeleton) return false;
  return read.builds.every((b) => reachingUnchangedSince(fleet, b.ctx, file, b.build, version));
}

function contextsReachingNow(fleet: Fleet, file: string, limit: number): Walk {
  fleet.db.count('locksReaching.walked');
  const version = fleet.version;
  const whole = (): Walk => ({ version, found: contextsWriting(fleet, file, limit).map((ctx) => ({ ctx, resources: ctx.build.resources })) });
  const facts = fleet.facts.get(file);
  if (!facts || facts.fluxKustomizations.length || facts.resourceSets?.length || facts.objects.some((o) => o.kind === 'ConfigMap' || o.kind === 'Secret')) return whole();
  const chains = deployChains(fleet, file);
  const read: NonNullable<Walk['read']> = { parents: [], builds: [] };
  if (!chains.length) return { version, found: [], read };
  const found: ContextReached[] = [];
  let variablesFromFile = false;
  const parents: Context[] = [];
  evaluatorOf(fleet).chainContexts(
    chains,
    limit,
    (ctx) => {
      const build = buildReaching(fleet, ctx, file);
      read.builds.push({ ctx, build });
      for (const v of build.variables.values()) if (v.from.file === file) variablesFromFile = true;
      if (!touches(fleet.db, build.resources, file)) return false;
      found.push({ ctx, resources: build.resources });
      return true;
    },
    (parent) => parents.push(parent),
  );
  if (variablesFromFile) return whole();
  // Read after the walk: the skeletons the children were read from (current now, so the getter checks nothing).
  for (const ctx of parents) read.parents.push({ ctx, skeleton: ctx.skeleton });
  return { version, found, read };
}
