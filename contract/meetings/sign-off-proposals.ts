import { normaliseEmail } from '#contract/workspaces/members';
import {
  type DecisionEffect,
  type Meeting,
  meetingStateLabels,
  type OutcomeBase,
  outcomeRefusal,
  type SignOffProposal,
} from './meetings';

/**
 * A meeting's decision proposes a threshold sign-off; each named signer
 * confirms it from their own session. These rules say who is still awaited,
 * when a proposal lapses, and what one person may confirm.
 */
const sameEmail = (a: string, b: string) => normaliseEmail(a) === normaliseEmail(b);

/** Named signers of a proposed sign-off who have not confirmed it yet. */
export function awaitingConfirmation(proposal: Pick<SignOffProposal, 'signers' | 'confirmedBy'>): string[] {
  const confirmed = proposal.confirmedBy ?? [];
  return proposal.signers.filter((signer) => !confirmed.some((confirmation) => sameEmail(confirmation.email, signer)));
}

/**
 * Whether a proposed sign-off is confirmed by every named signer, still
 * awaiting confirmations, or lapsed: the meeting closed after the decision
 * was recorded with a confirmation missing. A lapsed proposal stays lapsed
 * when an admin reopens the meeting (`closedAt` is kept).
 */
export function proposalState(
  proposal: Pick<SignOffProposal, 'signers' | 'confirmedBy'>,
  decision: Pick<OutcomeBase, 'recordedAt'>,
  meeting: Pick<Meeting, 'closedAt'>,
): 'confirmed' | 'awaiting' | 'lapsed' {
  if (awaitingConfirmation(proposal).length === 0) return 'confirmed';
  return meeting.closedAt !== null && meeting.closedAt >= decision.recordedAt ? 'lapsed' : 'awaiting';
}

/**
 * The proposal of `decision` that `email` is asked to confirm now, or why
 * there is none: only a named signer confirms, only their own sign-off, and
 * only while the meeting that proposed it is in progress and has not closed
 * since.
 */
export function confirmationFor(
  meeting: Pick<Meeting, 'state' | 'closedAt'>,
  decision: Pick<OutcomeBase, 'recordedAt'> & { effects: DecisionEffect[] },
  email: string,
): { proposal: SignOffProposal; index: number } | { status: 403 | 404 | 409; message: string } {
  const proposals = decision.effects.flatMap((effect, index) =>
    effect.kind === 'thresholdSignOff' ? [{ proposal: effect, index }] : [],
  );
  if (proposals.length === 0) return { status: 404, message: 'This decision proposes no sign-off' };
  const named = proposals.filter(({ proposal }) => proposal.signers.some((signer) => sameEmail(signer, email)));
  if (named.length === 0) {
    return { status: 403, message: 'Only the signers the decision names confirm its sign-off; nobody signs for anyone else' };
  }
  const waiting = named.find(({ proposal }) => awaitingConfirmation(proposal).some((signer) => sameEmail(signer, email)));
  if (!waiting) return { status: 409, message: 'You have already confirmed this sign-off' };
  if (proposalState(waiting.proposal, decision, meeting) === 'lapsed') {
    return { status: 409, message: 'The meeting closed before every signer confirmed; this sign-off proposal lapsed' };
  }
  const refusal = outcomeRefusal(meeting.state);
  if (refusal)
    return {
      status: 409,
      message: `Sign-offs are confirmed while the meeting is in progress; it is ${meetingStateLabels[meeting.state].toLowerCase()}`,
    };
  return waiting;
}
