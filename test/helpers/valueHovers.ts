// The value hovers of a whole file, as one comparable string: every `step` characters (tests comparing a fleet's
// answers with a fresh fleet's, or before and after a change).
import { effectiveValueHover } from '../../server/src/features/effectiveValues';
import type { Fleet } from '../../server/src/core/model';

export function valueHovers(fleet: Fleet, file: string, step: number): string {
  const text = fleet.overlays.get(file) ?? fleet.facts.get(file)?.text ?? '';
  const out: string[] = [];
  for (let offset = 0; offset < text.length; offset += step) out.push(effectiveValueHover(fleet, file, offset)?.markdown ?? '');
  return out.join('\n');
}
