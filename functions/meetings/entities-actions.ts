import type { ActionOutcome, ActionStatus } from '#contract/meetings/meetings';
import { tableName } from '#functions/table/client';
import { gsi1 } from '#functions/table/entity';
import type { TransactItem } from '#functions/table/transactions';
import { outcomeKey, ownerActionsGsiSk } from './entities-outcomes';

/**
 * Writes of action items after they are recorded: their status (which moves
 * them on their owner's list) and which meeting follows them up.
 */
/** An action's new status, conditional on the version it was based on; moves it on its owner's list. */
export function actionStatusUpdate(
  workspaceId: string,
  action: ActionOutcome,
  status: ActionStatus,
  expectedVersion: number,
  now: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: outcomeKey(workspaceId, action.meetingId, action.id),
      UpdateExpression: 'SET #status = :status, #gsk = :gsk, updatedAt = :now, version = version + :one',
      ConditionExpression: 'version = :expected',
      ExpressionAttributeNames: { '#status': 'status', '#gsk': gsi1.sk },
      ExpressionAttributeValues: {
        ':status': status,
        ':gsk': ownerActionsGsiSk(status, action.dueDate, action.id),
        ':now': now,
        ':one': 1,
        ':expected': expectedVersion,
      },
    },
  };
}

/**
 * Hands an action over to `targetId`: conditional on it still being open and
 * held by the meeting it was selected from, so two meetings opening at once
 * cannot both take it, and one meeting never takes it twice.
 */
export function claimAction(workspaceId: string, action: ActionOutcome, targetId: string, now: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: outcomeKey(workspaceId, action.meetingId, action.id),
      UpdateExpression:
        'SET heldIn = :target, carriedTo = list_append(carriedTo, :targetList), updatedAt = :now, version = version + :one',
      ConditionExpression: 'heldIn = :held AND #status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':target': targetId,
        ':targetList': [targetId],
        ':held': action.heldIn,
        ':open': 'open',
        ':now': now,
        ':one': 1,
      },
    },
  };
}

/** Gives an action held by `meetingId` back to the meeting that held it before, undoing its last carry. */
export function releaseAction(workspaceId: string, action: ActionOutcome, meetingId: string, now: string): TransactItem {
  const hops = action.carriedTo.length;
  return {
    Update: {
      TableName: tableName(),
      Key: outcomeKey(workspaceId, action.meetingId, action.id),
      UpdateExpression: `SET heldIn = :previous, updatedAt = :now, version = version + :one REMOVE carriedTo[${hops - 1}]`,
      ConditionExpression: 'heldIn = :meeting AND size(carriedTo) = :hops',
      ExpressionAttributeValues: {
        ':previous': action.carriedTo[hops - 2] ?? action.meetingId,
        ':meeting': meetingId,
        ':hops': hops,
        ':now': now,
        ':one': 1,
      },
    },
  };
}
