// What the CLI prints about a fleet and its findings: positions as lines and columns, repositories as a person counts
// them, findings as SARIF.
import type { Fleet } from '../core/model';
import { computeLineStarts, offsetToLineCol } from '../core/text';

export { toSarif } from '../core/locks/sarif';

/** Line starts of a file: from the index when it is YAML, else from its text (a dashboard JSON a generator reads). */
export function lineStartsOf(fleet: Fleet, file: string): number[] {
  const facts = fleet.facts.get(file);
  if (facts) return facts.lineStarts;
  return computeLineStarts(fleet.overlays.get(file) ?? fleet.readAuxFile(file) ?? '');
}

/** 0-based line and character of an offset. */
export function lineColOf(fleet: Fleet, file: string, offset: number): { line: number; character: number } {
  return offsetToLineCol(lineStartsOf(fleet, file), offset);
}

/**
 * Repositories as a person counts them: a folder given on the command line that only holds repositories (and
 * perhaps a .flux-fleet.yaml mapping them) is not one more.
 */
export function repositoryCount(fleet: Fleet): number {
  const owning = new Set<string>();
  for (const file of fleet.facts.keys()) {
    if (file.endsWith('/.flux-fleet.yaml')) continue;
    const r = fleet.repositoryOf(file);
    if (r) owning.add(r.root);
  }
  return fleet.repositories.filter((r) => r.origin !== 'workspace-folder' || r.originUrl || owning.has(r.root)).length;
}
