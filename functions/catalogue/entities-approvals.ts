import type { Commitment } from '#contract/catalogue/commitments';
import { agreedSk, commitmentSk, itemCollectionPk, weekSk } from '#functions/portfolio/item-collection';
import { getByKeys } from '#functions/table/batch-get';
import { tableName } from '#functions/table/client';
import { itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';
import { type CapacityBucket, commitmentKey, parseBucket, parsePublished, toCommitment } from './entities';

/**
 * Approvals are found through markers in the workspace's own partition, so
 * neither list reads commitments it does not show: `APPROVAL#AWAITING#…` for
 * each commitment waiting for a decision (deleted when it is decided or
 * cancelled), and `APPROVAL#BY#<rep>#…` for each commitment of a rep that
 * needed one, kept with its state. Each holds a copy of the commitment,
 * written in the commitment's own transactions.
 */
export const approvalMarkerPrefix = 'APPROVAL#';
const awaitingPrefix = `${approvalMarkerPrefix}AWAITING#`;
const byPrefix = (email: string) => `${approvalMarkerPrefix}BY#${email}#`;
export const approvalMarkerSk = (marker: 'awaiting' | 'by', commitment: Pick<Commitment, 'recordedBy' | 'createdAt' | 'id'>) =>
  `${marker === 'awaiting' ? awaitingPrefix : byPrefix(commitment.recordedBy)}${commitment.createdAt}#${commitment.id}`;

const markerKey = (marker: 'awaiting' | 'by', commitment: Commitment) =>
  itemKey(workspacePk(commitment.workspaceId), approvalMarkerSk(marker, commitment));

const markerPut = (marker: 'awaiting' | 'by', commitment: Commitment): TransactItem =>
  named(`approval:${marker}`, {
    // Not listed on gsi1: only the commitment itself is in the workspace's commitments.
    Put: {
      TableName: tableName(),
      Item: { ...markerKey(marker, commitment), type: 'CommitmentApproval', marker, ...commitment },
    },
  });

/**
 * The marker writes that go with a commitment that needed approval, in its
 * state after the change: both markers while it awaits a decision, only the
 * rep's one after (the awaiting marker's delete is a no-op when it is gone).
 */
export function approvalMarkerWrites(commitment: Commitment): TransactItem[] {
  if (commitment.status === 'awaiting approval') return [markerPut('awaiting', commitment), markerPut('by', commitment)];
  return [
    named('approval:awaiting', { Delete: { TableName: tableName(), Key: markerKey('awaiting', commitment) } }),
    markerPut('by', commitment),
  ];
}

/** Commitments awaiting approval in the workspace (oldest first), or those a rep recorded that needed it (newest first). */
export function queryApprovals(
  workspaceId: string,
  show: { kind: 'awaiting' } | { kind: 'mine'; email: string },
  page: { limit: number; cursor?: string },
): Promise<Page<Commitment>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': workspacePk(workspaceId),
        ':prefix': show.kind === 'awaiting' ? awaitingPrefix : byPrefix(show.email),
      },
      ScanIndexForward: show.kind === 'awaiting',
      ConsistentRead: true,
    },
    page,
    toCommitment,
  );
}

/** A commitment and the item's agreed threshold, in one BatchGetItem. */
export async function readCommitmentAndAgreed(workspaceId: string, itemId: string, commitmentId: string) {
  const commitment = commitmentKey(workspaceId, itemId, commitmentId);
  const agreed = itemKey(itemCollectionPk(workspaceId, itemId), agreedSk);
  const found = await getByKeys([commitment, agreed]);
  const commitmentItem = found.get(commitment);
  const agreedItem = found.get(agreed);
  return {
    commitment: commitmentItem ? toCommitment(commitmentItem) : undefined,
    published: agreedItem ? parsePublished(agreedItem) : undefined,
  };
}

/** A week still holds no more than `limit` (the flex band of the agreed terms); named `week:<monday>`. */
export const bucketWithin = (workspaceId: string, itemId: string, week: string, limit: number): TransactItem =>
  named(`week:${week}`, {
    ConditionCheck: {
      TableName: tableName(),
      Key: itemKey(itemCollectionPk(workspaceId, itemId), weekSk(week)),
      ConditionExpression: 'committed <= :limit',
      ExpressionAttributeValues: { ':limit': limit },
    },
  });

/**
 * What the impact of a commitment needs, in one Query of the item's
 * collection from this week's bucket to the last commitment: the week
 * buckets from this week on, the agreed threshold, and the commitments still
 * holding capacity whose promised date is this week or later (the others
 * are filtered out by DynamoDB), the asked-for one whatever its state.
 */
export async function readImpactCollection(workspaceId: string, itemId: string, commitmentId: string, fromWeek: string) {
  const items = await queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      FilterExpression:
        '#type <> :commitment OR id = :id OR (#status IN (:awaiting, :approved, :active) AND (promisedDate >= :week OR deliveryDate >= :week))',
      ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': itemCollectionPk(workspaceId, itemId),
        ':from': weekSk(fromWeek),
        ':to': `${commitmentSk('')}\uffff`,
        ':commitment': 'Commitment',
        ':id': commitmentId,
        ':awaiting': 'awaiting approval',
        ':approved': 'approved',
        ':active': 'active',
        ':week': fromWeek,
      },
      ConsistentRead: true,
    },
    (item) => item,
  );
  const buckets: CapacityBucket[] = [];
  const commitments: Commitment[] = [];
  let published: ReturnType<typeof parsePublished> | undefined;
  for (const item of items) {
    const sk = String(item.sk);
    if (sk === agreedSk) published = parsePublished(item);
    else if (sk.startsWith(commitmentSk(''))) commitments.push(toCommitment(item));
    else if (item.type === 'CapacityBucket') buckets.push(parseBucket(item));
  }
  return { buckets, commitments, published };
}
