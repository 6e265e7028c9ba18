import type { DecisionOutcome, SignOffConfirmation } from '#contract/meetings/meetings';
import { signOffConfirmationPolicy } from '#contract/meetings/policies';
import { Refused, refuse } from '#contract/refusal';
import { auditPut } from '#functions/table/audit-trail';
import { named, type TransactItem, TransactionConditionFailed } from '#functions/table/transactions';
import { confirmSignOff, type Signer, thresholdAhead } from '#functions/thresholds/thresholds';
import { meetingTransaction, touchMeeting } from './entities-meeting';
import { decisionEffectsUpdate, outcomeEntity, readOutcome } from './entities-outcomes';
import { getMeeting, meetingConflict } from './service-reads';

async function getDecision(workspaceId: string, meetingId: string, outcomeId: string): Promise<DecisionOutcome> {
  const found = await readOutcome(workspaceId, meetingId, outcomeId);
  if (found?.outcome.kind !== 'decision') throw refuse.notFound('Decision not found');
  return found.outcome;
}

/** Two signers confirmed at once and this one lost: it reads the decision again. */
class DecisionMoved extends Error {
  constructor(readonly refused: Refused) {
    super(refused.message);
  }
}

/**
 * The signer confirms, from their own session, a sign-off that a decision of
 * a running meeting proposed and named them for: their own signature under
 * the sign-off rule (their function and role now), the decision's record of
 * who confirmed, and the meeting's revision (so every screen in the meeting
 * sees it), in one transaction. The meeting must not have closed since the
 * decision, or the proposal has lapsed. One proposal per call: a decision
 * naming the signer in two proposals is confirmed twice.
 *
 * The threshold is keyed by the meeting's cycle and the proposal's item:
 * with `hint`, both as the caller has them, it is read beside the meeting and
 * the decision, and that read counts only when they confirm both; otherwise
 * it is read after them.
 */
export async function confirmDecisionSignOff(
  input: { workspaceId: string; meetingId: string; outcomeId: string },
  signer: Signer | Promise<Signer>,
  now: string,
  hint: { cycleId?: string; itemId?: string } = {},
): Promise<DecisionOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await confirmOnce(input, signer, now, hint);
    } catch (error) {
      if (!(error instanceof DecisionMoved)) throw error;
      if (attempt >= 3) throw error.refused;
    }
  }
}

async function confirmOnce(
  input: { workspaceId: string; meetingId: string; outcomeId: string },
  signerToBe: Signer | Promise<Signer>,
  now: string,
  hint: { cycleId?: string; itemId?: string },
): Promise<DecisionOutcome> {
  const { workspaceId, meetingId, outcomeId } = input;
  // Read afresh on every attempt: a retry follows another signer's confirmation.
  const ahead =
    hint.cycleId && hint.itemId ? thresholdAhead({ workspaceId, cycleId: hint.cycleId, itemId: hint.itemId }) : undefined;
  // The signer (who they are in the workspace) is read beside the meeting and the decision.
  const [meeting, decision, signer] = await Promise.all([
    getMeeting(workspaceId, meetingId),
    getDecision(workspaceId, meetingId, outcomeId),
    signerToBe,
  ]);
  const found = signOffConfirmationPolicy(meeting, decision, signer.email);
  if ('refusal' in found) throw new Refused(found.refusal);
  const { proposal, index } = found;
  const confirmation: SignOffConfirmation = {
    email: signer.email,
    ...(signer.sub ? { sub: signer.sub } : {}),
    name: signer.name,
    function: signer.function,
    role: signer.role,
    at: now,
  };
  const effects = decision.effects.map((effect, at) =>
    at === index && effect.kind === 'thresholdSignOff'
      ? { ...effect, confirmedBy: [...(effect.confirmedBy ?? []), confirmation] }
      : effect,
  );
  const after: DecisionOutcome = { ...decision, effects, updatedAt: now, version: decision.version + 1 };
  const meetingParts: TransactItem[] = [
    named('decision', decisionEffectsUpdate(workspaceId, meetingId, outcomeId, effects, decision.version, now)),
    // Still running, and not closed (then reopened) since it was read: a lapsed proposal stays lapsed.
    named(
      'meeting',
      touchMeeting(workspaceId, meetingId, now, 'inProgress', {
        condition: meeting.closedAt === null ? 'attribute_type(closedAt, :null)' : 'closedAt = :closedAt',
        values: meeting.closedAt === null ? { ':null': 'NULL' } : { ':closedAt': meeting.closedAt },
      }),
    ),
    auditPut({
      workspaceId,
      actor: signer,
      action: 'meeting.signOffConfirmed',
      entity: 'meeting',
      entityId: meetingId,
      before: { decisionId: outcomeId, confirmedBy: proposal.confirmedBy ?? [] },
      after: { decisionId: outcomeId, thresholdId: proposal.thresholdId, version: proposal.thresholdVersion, confirmation },
      at: now,
    }),
  ];
  try {
    await confirmSignOff(
      {
        workspaceId,
        cycleId: meeting.cycleId,
        itemId: proposal.thresholdId,
        version: proposal.thresholdVersion,
        meetingId,
        decisionId: outcomeId,
      },
      signer,
      now,
      (thresholdWrites) => meetingTransaction([...thresholdWrites, ...meetingParts]),
      ahead,
    );
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      if (error.part === 'decision') {
        throw new DecisionMoved(
          refuse.conflict('Someone else confirmed this decision at the same moment; confirm again', {
            current: error.current ? outcomeEntity(workspaceId, meetingId).parse(error.current) : undefined,
          }),
        );
      }
      if (error.part === 'meeting') {
        throw meetingConflict(error.current, 'The meeting closed before you confirmed; this sign-off proposal lapsed');
      }
    }
    throw error;
  }
  return after;
}
