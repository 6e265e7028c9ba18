import type { Commitment } from '#contract/catalogue/commitments';
import { log } from '#functions/kernel/logger';

/** Something that happened to a commitment that someone should hear about. */
export type CommitmentEvent =
  | { kind: 'approval requested'; notify: 'operations approvers'; commitment: Commitment }
  | { kind: 'commitment approved' | 'commitment declined'; notify: string; commitment: Commitment }
  | { kind: 'approval withdrawn'; notify: 'operations approvers'; commitment: Commitment };

/**
 * What a change to a commitment means for the people around it: an approval
 * to ask for, a decision to tell the rep, a request withdrawn. Pure; the one
 * place where notifications hook in.
 */
export function commitmentEvents(before: Commitment | null, after: Commitment): CommitmentEvent[] {
  const was = before?.status ?? null;
  if (after.status === was) return [];
  if (after.status === 'awaiting approval')
    return [{ kind: 'approval requested', notify: 'operations approvers', commitment: after }];
  if (was !== 'awaiting approval') return [];
  if (after.status === 'approved') return [{ kind: 'commitment approved', notify: after.recordedBy, commitment: after }];
  if (after.status === 'declined') return [{ kind: 'commitment declined', notify: after.recordedBy, commitment: after }];
  return [{ kind: 'approval withdrawn', notify: 'operations approvers', commitment: after }];
}

/** Called once a change is stored, with what it means (see `commitmentEvents`); today they are logged. */
export function announceCommitmentEvents(events: CommitmentEvent[]): CommitmentEvent[] {
  for (const event of events) {
    log.info('Commitment event', {
      kind: event.kind,
      notify: event.notify,
      workspaceId: event.commitment.workspaceId,
      commitmentId: event.commitment.id,
    });
  }
  return events;
}
