import type { Refusal } from '#contract/refusal';
import type { MemberFunction, MemberRole } from '#contract/workspaces/members';
import { type Commitment, capacityHoldingStatuses } from './commitments';

/**
 * Who may record or cancel which commitment: the row-level rules of the
 * catalogue, decided from the records alone. Each returns why not, or null
 * when the change may go ahead; the service throws it.
 */

/**
 * A commitment is cancelled once, while it still holds capacity (awaiting
 * approval or approved), by whoever recorded it or by a manager or admin. A
 * caller without a membership (never on a member route: access is refused
 * before) may cancel nothing.
 */
export function commitmentCancelRefusal(
  commitment: Pick<Commitment, 'status' | 'recordedBy'>,
  member: { email: string; role: MemberRole } | undefined,
): Refusal | null {
  if (!capacityHoldingStatuses.includes(commitment.status)) {
    return { kind: 'conflict', reason: `The commitment is already ${commitment.status}` };
  }
  if (!member || (member.role === 'rep' && member.email !== commitment.recordedBy)) {
    return { kind: 'forbidden', reason: 'Only whoever recorded a commitment, or a manager, can cancel it' };
  }
  return null;
}

/** A commitment promises a delivery after today, where the workspace works. */
export function commitmentDateRefusal(deliveryDate: string, today: string): Refusal | null {
  return deliveryDate <= today ? { kind: 'invalid', reason: 'The delivery date must be after today' } : null;
}

/**
 * A commitment takes capacity from at most `maxWeeks` weeks: its transaction
 * holds every week it takes from beside the commitment and its lead-time writes.
 */
export function commitmentWeeksRefusal(weeks: number, maxWeeks: number): Refusal | null {
  return weeks > maxWeeks
    ? { kind: 'invalid', reason: `A commitment may take capacity from at most ${maxWeeks} weeks; split it` }
    : null;
}

/**
 * A commitment awaiting approval is approved or declined by a member whose
 * function is operations and whose role is manager or admin, and never by
 * whoever recorded it: the promise is checked by someone other than who made it.
 */
export function commitmentDecisionRefusal(
  commitment: Pick<Commitment, 'status' | 'recordedBy'>,
  member: { email: string; role: MemberRole; function: MemberFunction } | undefined,
): Refusal | null {
  if (member?.function !== 'operations' || member.role === 'rep') {
    const who = member ? `you are a ${member.role} in ${member.function}` : 'you are not a member';
    return {
      kind: 'forbidden',
      reason: `Only an operations manager or admin can approve or decline a commitment; ${who}`,
    };
  }
  if (member.email === commitment.recordedBy) {
    return {
      kind: 'forbidden',
      reason: 'You recorded this commitment, so another operations manager must approve or decline it',
    };
  }
  if (commitment.status !== 'awaiting approval') {
    return { kind: 'conflict', reason: `The commitment is no longer awaiting approval: it is ${commitment.status}` };
  }
  return null;
}
