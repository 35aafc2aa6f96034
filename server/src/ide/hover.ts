// Hover, in the order a person wants the answers: where a reference leads; a ${VAR}'s value per context; else the
// schema's description of a key, the lock on the field above its effective value (a pinned context narrows the values).
import type { Fleet } from '../core/model';
import type { Span } from '../core/text';
import { hover as referenceHover } from '../features/hover';
import { variableHover } from '../features/variableHover';
import { effectiveValueHover } from '../features/effectiveValues';
import { lockHover } from '../features/locks';
import { keyHover } from '../features/keyHover';
import { NO_LIMITS } from '../features/valueTable';
import { generatedHover, inputHover } from '../features/resourceSetInputs';
import { throwIfCancelled, type CancellationToken } from './cancel';

export interface HoverAnswer {
  span: Span;
  markdown: string;
  /** The effective values were folded: the effective-values document (effectiveValuesDocument) shows them all. */
  folded?: boolean;
}

export function hover(fleet: Fleet, file: string, offset: number, options: { pinnedContext?: string; token?: CancellationToken } = {}): HoverAnswer | undefined {
  const quick = inputHover(fleet, file, offset) ?? generatedHover(fleet, file, offset) ?? referenceHover(fleet, file, offset) ?? variableHover(fleet, file, offset);
  if (quick) return quick;
  throwIfCancelled(options.token);
  // On a key: what the field is (its schema), then the lock and the effective value as on its value.
  const key = keyHover(fleet, file, offset);
  const lock = lockHover(fleet, file, offset);
  throwIfCancelled(options.token);
  return joinHovers(key, lock, effectiveValueHover(fleet, file, offset, options.pinnedContext));
}

/** Every effective value at the offset, unfolded: the document the hover's "show all" opens. */
export function effectiveValuesDocument(fleet: Fleet, file: string, offset: number, options: { pinnedContext?: string } = {}): string | undefined {
  return effectiveValueHover(fleet, file, offset, options.pinnedContext, NO_LIMITS)?.markdown;
}

/** A lock hover above the effective value, separated by a rule. */
function joinHovers(...hs: Array<HoverAnswer | undefined>): HoverAnswer | undefined {
  const xs = hs.filter((h): h is HoverAnswer => !!h);
  return xs.length ? { span: xs[0].span, markdown: xs.map((h) => h.markdown).join('\n\n---\n\n'), folded: xs.some((h) => h.folded) } : undefined;
}
