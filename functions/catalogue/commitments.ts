import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type Commitment, cancelRefusal } from '#contract/catalogue/commitments';
import { allocate, type PromiseAnswer } from '#contract/catalogue/promise';
import type { Caller, MemberView } from '#contract/views';
import { auditPut } from '#functions/audit/audit';
import { BadRequest, Conflict, Forbidden, NotFound } from '#functions/kernel/errors';
import { agreedSk, commitmentSk, commitmentsGsiPk, itemCollectionPk, weekSk } from '#functions/portfolio/item-collection';
import { dynamo, tableName } from '#functions/table/client';
import { transactWriteUnderContention } from '#functions/table/contention';
import { type Page, queryPage } from '#functions/table/pages';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { commitmentHookItems } from './commitment-hooks';
import { answerCheck, promiseCheck } from './promise-check';

function toCommitment(item: Record<string, unknown>): Commitment {
  return {
    id: item.id as string,
    workspaceId: item.workspaceId as string,
    itemId: item.itemId as string,
    itemCode: item.itemCode as string,
    reference: item.reference as string,
    quantity: item.quantity as number,
    deliveryDate: item.deliveryDate as string,
    answer: item.answer as Commitment['answer'],
    thresholdCycleId: item.thresholdCycleId as string,
    thresholdVersion: item.thresholdVersion as number,
    allocation: (item.allocation as Commitment['allocation']) ?? [],
    leadTimeIssueId: (item.leadTimeIssueId as string | null) ?? null,
    occurrenceId: (item.occurrenceId as string | null) ?? null,
    status: item.status as Commitment['status'],
    recordedBy: item.recordedBy as string,
    recordedByName: item.recordedByName as string,
    createdAt: item.createdAt as string,
    cancelledBy: (item.cancelledBy as string | null) ?? null,
    cancelledAt: (item.cancelledAt as string | null) ?? null,
    updatedAt: item.updatedAt as string,
    version: item.version as number,
  };
}

function commitmentItem(commitment: Commitment) {
  return {
    pk: itemCollectionPk(commitment.workspaceId, commitment.itemId),
    sk: commitmentSk(commitment.id),
    gsi1pk: commitmentsGsiPk(commitment.workspaceId),
    gsi1sk: `${commitment.deliveryDate}#${commitment.id}`,
    type: 'Commitment',
    ...commitment,
  };
}

/** Adds `delta` to a week's committed capacity, conditional on the bucket being as it was read. */
function bucketUpdate(workspaceId: string, itemId: string, week: string, delta: number, readVersion: number | undefined) {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: itemCollectionPk(workspaceId, itemId), sk: weekSk(week) },
      UpdateExpression:
        'SET committed = if_not_exists(committed, :zero) + :delta, version = if_not_exists(version, :zero) + :one, week = :week, #type = :type',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':zero': 0,
        ':one': 1,
        ':delta': delta,
        ':week': week,
        ':type': 'CapacityBucket',
        ...(readVersion === undefined ? {} : { ':read': readVersion }),
      },
      ...(readVersion === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :read' }),
    },
  } satisfies TransactItem;
}

/**
 * Largest number of weeks one commitment may take capacity from. A
 * transaction holds at most 100 writes: the threshold check, the week
 * buckets, the commitment, the lead-time hook's 3 writes (issue, occurrence,
 * its audit event) and the audit event stay under it.
 */
const maxAllocationWeeks = 80;

/**
 * Records a commitment: checks again, takes capacity week by week (see
 * `allocate`) and stores the commitment, all in one transaction conditional
 * on the buckets and the agreed threshold being as read. A commitment on a
 * beyond answer is recorded too, as `answer: 'beyond'`; the hook adds what
 * logs it as a misalignment.
 */
export async function recordCommitment(
  input: { workspaceId: string; itemId: string; reference: string; quantity: number; deliveryDate: string },
  actor: Caller,
  now: string,
): Promise<{ commitment: Commitment; answer: PromiseAnswer }> {
  const { workspaceId, itemId } = input;
  const today = await workspaceToday(workspaceId, now);
  if (input.deliveryDate <= today) throw new BadRequest('The delivery date must be after today');
  const { collection, answer } = await answerCheck(
    workspaceId,
    itemId,
    { quantity: input.quantity, deliveryDate: input.deliveryDate },
    today,
    { date: 'body.deliveryDate' },
  );
  const allocation = allocate(collection.agreed.terms, collection.committed, today, input.deliveryDate, input.quantity);
  if (allocation.length > maxAllocationWeeks) {
    throw new BadRequest(`A commitment may take capacity from at most ${maxAllocationWeeks} weeks; split it`);
  }
  const commitment: Commitment = {
    id: randomUUID(),
    workspaceId,
    itemId,
    itemCode: collection.agreed.itemCode,
    reference: input.reference,
    quantity: input.quantity,
    deliveryDate: input.deliveryDate,
    answer: answer.band,
    thresholdCycleId: collection.agreed.cycleId,
    thresholdVersion: collection.agreed.version,
    allocation,
    leadTimeIssueId: null,
    occurrenceId: null,
    status: 'active',
    recordedBy: actor.email,
    recordedByName: actor.name,
    createdAt: now,
    cancelledBy: null,
    cancelledAt: null,
    updatedAt: now,
    version: 1,
  };
  const hook = commitmentHookItems(commitment, answer, { terms: collection.agreed.terms, actor, now, today });
  commitment.leadTimeIssueId = hook.leadTimeIssueId;
  commitment.occurrenceId = hook.occurrenceId;
  const commitmentIndex = 1 + allocation.length;
  const writes: TransactItem[] = [
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: { pk: itemCollectionPk(workspaceId, itemId), sk: agreedSk },
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': collection.agreedVersion },
      },
    },
    ...allocation.map((part) =>
      bucketUpdate(workspaceId, itemId, part.week, part.quantity, collection.bucketVersions[part.week]),
    ),
    { Put: { TableName: tableName(), Item: commitmentItem(commitment), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...hook.items,
    auditPut({
      workspaceId,
      actor,
      action: 'commitment.recorded',
      entity: 'commitment',
      entityId: commitment.id,
      after: commitment,
      at: now,
    }),
  ];
  try {
    // The lead-time issue is shared by every beyond commitment of the item and
    // cycle: a transaction cancelled by a concurrent one on it is retried.
    await transactWriteUnderContention(writes);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === commitmentIndex + 1 && hook.items.length > 0) {
      throw new Conflict(
        `The lead-time issue of ${commitment.itemCode} counts its cost in ${String(error.current?.currency)}, not ${collection.agreed.terms.currency}; nothing was recorded`,
      );
    }
    if (error instanceof TransactionConditionFailed) {
      const current = await promiseCheck(
        workspaceId,
        itemId,
        { quantity: input.quantity, deliveryDate: input.deliveryDate },
        now,
      );
      throw new Conflict('Capacity or the agreed threshold changed while recording; here is the check as it is now', {
        current,
      });
    }
    throw error;
  }
  return { commitment, answer };
}

export async function getCommitment(workspaceId: string, itemId: string, commitmentId: string): Promise<Commitment> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: itemCollectionPk(workspaceId, itemId), sk: commitmentSk(commitmentId) },
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new NotFound('Commitment not found');
  return toCommitment(Item);
}

/** Cancels a commitment and gives its capacity back to the weeks it took it from. */
export async function cancelCommitment(
  input: { workspaceId: string; itemId: string; commitmentId: string; expectedVersion: number },
  member: MemberView,
  actor: Caller,
  now: string,
): Promise<Commitment> {
  const before = await getCommitment(input.workspaceId, input.itemId, input.commitmentId);
  const refusal = cancelRefusal(before, member);
  if (refusal?.status === 403) throw new Forbidden(refusal.message);
  if (refusal) throw new Conflict(refusal.message, { current: before });
  if (before.version !== input.expectedVersion) {
    throw new Conflict(`The commitment changed since version ${input.expectedVersion}`, { current: before });
  }
  const after: Commitment = {
    ...before,
    status: 'cancelled',
    cancelledBy: actor.email,
    cancelledAt: now,
    updatedAt: now,
    version: before.version + 1,
  };
  const pk = itemCollectionPk(input.workspaceId, input.itemId);
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: commitmentItem(after),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': input.expectedVersion },
        },
      },
      // Giving capacity back commutes with any other change to the week, so it needs no version condition.
      ...before.allocation.map((part) => ({
        Update: {
          TableName: tableName(),
          Key: { pk, sk: weekSk(part.week) },
          UpdateExpression: 'SET committed = committed - :quantity, version = version + :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':quantity': part.quantity, ':one': 1 },
        },
      })),
      auditPut({
        workspaceId: input.workspaceId,
        actor,
        action: 'commitment.cancelled',
        entity: 'commitment',
        entityId: before.id,
        before,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict('The commitment changed meanwhile', {
        current: error.current ? toCommitment(error.current) : undefined,
      });
    }
    throw error;
  }
  return after;
}

/** Commitments on one item, one page at a time. */
export function listItemCommitments(
  workspaceId: string,
  itemId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<Commitment>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': itemCollectionPk(workspaceId, itemId), ':prefix': 'COMMIT#' },
    },
    page,
    toCommitment,
  );
}
