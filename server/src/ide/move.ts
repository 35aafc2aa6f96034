// Move on the facade (CLI `flux-fleet move`, LSP `fluxFleet/move`): the core's plan with its render proof, then the
// check that it adds no finding (ide/planCheck.ts). Either a plan the caller previews or applies, or the reason why not.
import type { Fleet } from '../core/model';
import type { OperationAnswer } from '../core/operations/plan';
import { planMove, type MoveOptions } from '../core/operations/move';
import { findingsAddedBy } from './planCheck';
import { lineColOf } from './summary';
import { relative } from '../core/paths';
import type { CancellationToken } from './cancel';

export interface MoveCheckOptions extends MoveOptions {
  /** Skip the whole-fleet check for added findings (it evaluates every context twice). */
  noFindingsCheck?: boolean;
  token?: CancellationToken;
}

export function move(fleet: Fleet, from: string, to: string, options: MoveCheckOptions = {}): OperationAnswer {
  const answer = planMove(fleet, from, to, options);
  if ('refused' in answer || options.noFindingsCheck) return answer;
  const { added, after } = findingsAddedBy(fleet, answer, undefined, options.token);
  if (added.length) {
    const f = added[0];
    const at = lineColOf(after, f.file, f.span.start);
    const repo = after.repositoryOf(f.file);
    const shown = repo ? `${repo.name}/${relative(repo.root, f.file)}` : f.file;
    return { refused: `The move would add ${added.length} finding${added.length === 1 ? '' : 's'}, first ${shown}:${at.line + 1}: ${f.code} ${f.message}` };
  }
  answer.notes.push('no new finding');
  return answer;
}
