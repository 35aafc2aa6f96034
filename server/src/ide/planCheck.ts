// What an operation's plan would do to the fleet's findings, checked before the plan is offered: it is loaded in memory
// (core/operations/fleetAfter.ts) and checked as `flux-fleet check` would, and the findings it adds are named. A file the
// plan moves keeps its findings' identity under its new path; spans are compared by line text, since edits shift them.
import type { Fleet } from '../core/model';
import type { Finding } from '../core/findings';
import type { OperationPlan } from '../core/operations/plan';
import { fleetAfter, textAsRead } from '../core/operations/fleetAfter';
import { check, type CheckOptions } from './diagnostics';
import { basename, dirname } from '../core/paths';
import type { CancellationToken } from './cancel';

const DEFAULTS: CheckOptions = { strictSubstitution: false, schema: true };

/** A finding's identity across the plan: code, file (moved files by their new path), message and the text it points at. */
function identity(f: Finding, text: string | undefined, movedTo: ReadonlyMap<string, string>): string {
  const file = movedTo.get(f.file) ?? f.file;
  return JSON.stringify([f.code, file, movedPaths(f.message, movedTo), text?.slice(f.span.start, f.span.end) ?? '']);
}

/**
 * A message as it would read after the moves: the paths it names (a moved file, or a folder the moves carry along) by
 * their new places, so a finding that only moved with its files is not taken for a new one.
 */
function movedPaths(message: string, movedTo: ReadonlyMap<string, string>): string {
  if (!movedTo.size) return message;
  const pairs = new Map(movedTo);
  for (const [from, to] of movedTo) {
    // The folders it moved with: up to the one whose name changed (or that went elsewhere).
    for (let a = dirname(from), b = dirname(to); a !== b && a !== dirname(a); a = dirname(a), b = dirname(b)) {
      pairs.set(a, b);
      if (basename(a) !== basename(b)) break;
    }
  }
  let out = message;
  for (const [from, to] of [...pairs].sort((x, y) => y[0].length - x[0].length)) out = out.split(from).join(to);
  return out;
}

/** The findings the fleet would have after the plan and has not now (the fleet after it, for further checks). */
export function findingsAddedBy(fleet: Fleet, plan: OperationPlan, options: CheckOptions = DEFAULTS, token?: CancellationToken): { added: Finding[]; after: Fleet } {
  const after = fleetAfter(fleet, plan);
  const movedTo = new Map(plan.moves.map((m) => [m.from, m.to]));
  const before = new Set(check(fleet, options, token).map((f) => identity(f, textAsRead(fleet, f.file), movedTo)));
  const added = check(after, options, token).filter((f) => !before.has(identity(f, textAsRead(after, f.file), new Map())));
  return { added, after };
}
