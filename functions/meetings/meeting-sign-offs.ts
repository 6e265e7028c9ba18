import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DecisionOutcome, SignOffConfirmation } from '#contract/meetings/meetings';
import { confirmationFor } from '#contract/meetings/sign-off-proposals';
import { auditPut } from '#functions/audit/audit';
import { Conflict, Forbidden, NotFound } from '#functions/kernel/errors';
import { dynamo, tableName } from '#functions/table/client';
import { TransactionConditionFailed } from '#functions/table/transactions';
import { confirmSignOff, type Signer } from '#functions/thresholds/thresholds';
import { outcomeKey } from './meeting-keys';
import { getMeeting, meetingConflict, meetingTransaction, type TransactItem, toOutcome, touchMeeting } from './meetings';

async function getDecision(workspaceId: string, meetingId: string, outcomeId: string): Promise<DecisionOutcome> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: outcomeKey(workspaceId, meetingId, outcomeId), ConsistentRead: true }),
  );
  const outcome = Item ? toOutcome(Item) : undefined;
  if (outcome?.kind !== 'decision') throw new NotFound('Decision not found');
  return outcome;
}

/**
 * The signer confirms, from their own session, a sign-off that a decision of
 * a running meeting proposed and named them for: their own signature under
 * the sign-off rule (their function and role now), the decision's record of
 * who confirmed, and the meeting's revision (so every screen in the meeting
 * sees it), in one transaction. The meeting must not have closed since the
 * decision, or the proposal has lapsed. One proposal per call: a decision
 * naming the signer in two proposals is confirmed twice.
 */
export async function confirmDecisionSignOff(
  input: { workspaceId: string; meetingId: string; outcomeId: string },
  signer: Signer,
  now: string,
): Promise<DecisionOutcome> {
  // Two signers confirming at once both change the decision: the one that loses reads it again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await confirmOnce(input, signer, now);
    } catch (error) {
      if (!(error instanceof DecisionMoved) || attempt >= 3) throw error instanceof DecisionMoved ? error.conflict : error;
    }
  }
}

class DecisionMoved extends Error {
  constructor(readonly conflict: Conflict) {
    super(conflict.message);
  }
}

async function confirmOnce(
  input: { workspaceId: string; meetingId: string; outcomeId: string },
  signer: Signer,
  now: string,
): Promise<DecisionOutcome> {
  const { workspaceId, meetingId, outcomeId } = input;
  const [meeting, decision] = await Promise.all([
    getMeeting(workspaceId, meetingId),
    getDecision(workspaceId, meetingId, outcomeId),
  ]);
  const found = confirmationFor(meeting, decision, signer.email);
  if ('status' in found) {
    if (found.status === 403) throw new Forbidden(found.message);
    if (found.status === 404) throw new NotFound(found.message);
    throw new Conflict(found.message, { current: decision });
  }
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
    {
      Update: {
        TableName: tableName(),
        Key: outcomeKey(workspaceId, meetingId, outcomeId),
        UpdateExpression: 'SET effects = :effects, updatedAt = :now, version = version + :one',
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':effects': effects, ':now': now, ':one': 1, ':expected': decision.version },
      },
    },
    // Still running, and not closed (then reopened) since it was read: a lapsed proposal stays lapsed.
    touchMeeting(workspaceId, meetingId, now, 'inProgress', {
      condition: meeting.closedAt === null ? 'attribute_type(closedAt, :null)' : 'closedAt = :closedAt',
      values: meeting.closedAt === null ? { ':null': 'NULL' } : { ':closedAt': meeting.closedAt },
    }),
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
  let thresholdParts = 0;
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
      (thresholdWrites) => {
        thresholdParts = thresholdWrites.length;
        return meetingTransaction([...thresholdWrites, ...meetingParts]);
      },
    );
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      if (error.index === thresholdParts) {
        throw new DecisionMoved(
          new Conflict('Someone else confirmed this decision at the same moment; confirm again', {
            current: error.current ? toOutcome(error.current) : undefined,
          }),
        );
      }
      if (error.index === thresholdParts + 1) {
        throw meetingConflict(error.current, 'The meeting closed before you confirmed; this sign-off proposal lapsed');
      }
    }
    throw error;
  }
  return after;
}
