// What the CLI prints about a fleet and its findings: positions as lines and columns, repositories as a person counts
// them, findings as SARIF.
import type { Fleet } from '../core/model';
import { computeLineStarts, offsetToLineCol } from '../core/text';

export { toSarif } from '../core/locks/sarif';

/** 0-based line and character of an offset; files that are not YAML (a dashboard JSON) from their text. */
export function lineColOf(fleet: Fleet, file: string, offset: number): { line: number; character: number } {
  const starts = fleet.facts.get(file)?.lineStarts ?? computeLineStarts(fleet.readAuxFile(file) ?? '');
  return offsetToLineCol(starts, offset);
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
