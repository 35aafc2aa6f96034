// TEMPORARY shim of the s5-impact facade (server/src/ide/impact.ts) while it is being written: same signatures,
// no comparison. Removed when that branch is merged.
import type { Fleet } from '../core/model';
import type { FleetImpact } from '../core/impact/types';
import type { Finding } from '../core/findings';
import type { CancellationToken } from './cancel';

export async function impact(work: Fleet, spec: { rev?: string; baseDir?: string }, _token?: CancellationToken): Promise<FleetImpact> {
  void work;
  return { baseline: { label: spec.rev ?? 'HEAD', repos: [] }, changedFiles: [], contexts: [], dangers: [], totals: { contexts: 0, objects: 0, added: 0, removed: 0, changed: 0, deletions: 0 } };
}

export async function renderedPair(work: Fleet, spec: { rev?: string; baseDir?: string }, contextKey: string): Promise<{ base?: string; work?: string }> {
  void work;
  void spec;
  void contextKey;
  return {};
}

export function pruneDeleteFindings(impact: FleetImpact): Finding[] {
  void impact;
  return [];
}
