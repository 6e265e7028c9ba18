import type { Refusal } from '#contract/refusal';
import type { MemberRole } from '#contract/workspaces/members';
import { type IssueStatus, type Occurrence, statusChangeRefusal } from './misalignment';
import { voteRefusal } from './ranking';

/**
 * Who may do what to one issue, occurrence or vote: the row-level rules of
 * the misalignment area, decided from the records alone. Each returns why
 * not, or null when the change may go ahead; the service throws it.
 */

/** Moving an issue to another status follows its allowed transitions (see `statusChangeRefusal`). */
export function issueStatusRefusal(from: IssueStatus, to: IssueStatus): Refusal | null {
  const reason = statusChangeRefusal(from, to);
  return reason ? { kind: 'conflict', reason } : null;
}

/**
 * An occurrence is corrected by whoever reported it, or by a manager or
 * admin. A caller without a membership (never on a member route: access is
 * refused before) may correct nothing.
 */
export function occurrenceCorrectionRefusal(
  occurrence: Pick<Occurrence, 'reporter'>,
  caller: { email: string },
  member: { role: MemberRole } | undefined,
): Refusal | null {
  if (member && (occurrence.reporter === caller.email || member.role !== 'rep')) return null;
  return { kind: 'forbidden', reason: 'Only the person who reported an occurrence, or a manager, may correct it' };
}

/** A manager's votes in a cycle: whole numbers, each issue once, at most the model's votes per manager. */
export function votesRefusal(allocations: Array<{ issueId: string; votes: number }>, limit: number): Refusal | null {
  const reason = voteRefusal(allocations, limit);
  return reason ? { kind: 'invalid', reason, field: 'body.allocations' } : null;
}
