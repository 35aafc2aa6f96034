// Value-hover measurements shared by `npm run bench` and `npm run bench:hover`: positions on HelmRelease values
// (inline and values files), timed first in a file, again, and after an edit elsewhere.
import type { Fleet } from '../server/src/core/model';
import { effectiveValueHover } from '../server/src/features/effectiveValues';

export interface Position { file: string; offset: number }

/** Where a person hovers to see an effective value: replicaCount, tag, memory, cpu, host in release/values files. */
export function valuePositions(fleet: Fleet): Position[] {
  const out: Position[] = [];
  for (const facts of fleet.facts.values()) {
    if (!/\/(release|values)[^/]*\.yaml$/.test(facts.file)) continue;
    for (const m of facts.text.matchAll(/^\s+(replicaCount|tag|memory|cpu|host): /gm)) out.push({ file: facts.file, offset: m.index! + m[0].length + 1 });
  }
  return out;
}

/** Wall time by default; `useCpuClock` times by this process's CPU time instead (a machine shared with other work). */
let clock = (): number => performance.now();
export function useCpuClock(): void {
  clock = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
}

function timed(fleet: Fleet, p: Position): { ms: number; answered: boolean } {
  const t = clock();
  const h = effectiveValueHover(fleet, p.file, p.offset);
  return { ms: clock() - t, answered: h !== undefined };
}

/** Each position once, in order: split into the first hover in its file and hovers in a file hovered before. */
export function hoverEach(fleet: Fleet, positions: Position[]): { first: number[]; again: number[]; answered: number } {
  const first: number[] = [];
  const again: number[] = [];
  const seen = new Set<string>();
  let answered = 0;
  for (const p of positions) {
    const r = timed(fleet, p);
    if (r.answered) answered++;
    (seen.has(p.file) ? again : first).push(r.ms);
    seen.add(p.file);
  }
  return { first, again, answered };
}

/**
 * Typing elsewhere, then hovering a spot hovered before the edit: one character inserted into another values file
 * (the fleet re-links, not timed, as the server does when typing pauses), the hover timed, the edit undone.
 */
export function hoverAfterEdits(fleet: Fleet, positions: Position[], edits: Position[], n = 40): number[] {
  const out: number[] = [];
  for (let i = 0; i < n && positions.length && edits.length; i++) {
    const p = positions[i % positions.length];
    const edit = edits[(i * 37) % edits.length];
    if (edit.file === p.file) continue;
    effectiveValueHover(fleet, p.file, p.offset);
    const text = fleet.facts.get(edit.file)!.text;
    fleet.setOverlay(edit.file, text.slice(0, edit.offset) + '9' + text.slice(edit.offset));
    void fleet.links;
    out.push(timed(fleet, p).ms);
    fleet.clearOverlay(edit.file);
  }
  void fleet.links;
  return out;
}
