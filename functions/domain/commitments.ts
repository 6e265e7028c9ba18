import type { MemberRole } from './members';
import type { PromiseBand } from './promise';

/**
 * A commitment a rep made to a customer after a promise check. It holds the
 * capacity it took per week, so cancelling gives back exactly that.
 */
export const commitmentStatuses = ['active', 'cancelled'] as const;
export type CommitmentStatus = (typeof commitmentStatuses)[number];

export interface Commitment {
  id: string;
  workspaceId: string;
  itemId: string;
  itemCode: string;
  reference: string;
  quantity: number;
  deliveryDate: string;
  /** The band the check gave when the commitment was recorded. */
  answer: PromiseBand;
  thresholdCycleId: string;
  thresholdVersion: number;
  allocation: Array<{ week: string; quantity: number }>;
  status: CommitmentStatus;
  recordedBy: string;
  recordedByName: string;
  createdAt: string;
  cancelledBy: string | null;
  cancelledAt: string | null;
  updatedAt: string;
  version: number;
}

/** Why this member may not cancel the commitment, or null when they may: its recorder, or any manager or admin. */
export function cancelRefusal(
  commitment: Pick<Commitment, 'status' | 'recordedBy'>,
  member: { email: string; role: MemberRole },
) {
  if (commitment.status === 'cancelled') return { status: 409 as const, message: 'The commitment is already cancelled' };
  if (member.role === 'rep' && member.email !== commitment.recordedBy) {
    return { status: 403 as const, message: 'Only whoever recorded a commitment, or a manager, can cancel it' };
  }
  return null;
}
