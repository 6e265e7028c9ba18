import type { DecisionOutcome, Meeting } from '#contract/meetings/meetings';
import type { Caller } from '#contract/views';
import { normaliseEmail } from '#contract/workspaces/members';
import { type NotificationBatch, notificationWrites } from '#functions/notifications/notify';

/**
 * A decision that proposes threshold sign-offs asks each named signer to
 * confirm theirs: one notification per signer (however many of the
 * decision's proposals name them), written with the decision. The person
 * who recorded it is not told of their own act.
 */
export function signOffRequests(
  workspaceId: string,
  meeting: Pick<Meeting, 'id' | 'title'>,
  decision: DecisionOutcome,
  actor: Pick<Caller, 'email' | 'name'>,
  now: string,
): NotificationBatch {
  const proposals = decision.effects.flatMap((effect) => (effect.kind === 'thresholdSignOff' ? [effect] : []));
  const signers = proposals
    .flatMap((proposal) => proposal.signers)
    .filter((signer) => normaliseEmail(signer) !== normaliseEmail(actor.email));
  if (signers.length === 0) return { writes: [], notifications: [] };
  const versions = proposals.map((proposal) => `version ${proposal.thresholdVersion}`).join(', ');
  return notificationWrites({
    workspaceId,
    recipients: signers,
    kind: 'sign-off requested',
    title: `Confirm your threshold sign-off in “${meeting.title}”`,
    text: [
      `${actor.name} recorded a decision that names you to sign off a threshold (${versions}):`,
      '',
      decision.text,
      '',
      'Confirm it on the meeting’s screen while the meeting is in progress; it lapses when the meeting closes.',
    ].join('\n'),
    link: { screen: 'meeting', params: { meetingId: meeting.id } },
    subjectId: decision.id,
    now,
  });
}
