import type { Commitment } from '#contract/catalogue/commitments';
import { agreedSk, commitmentSk, itemCollectionPk, weekSk } from '#functions/portfolio/item-collection';
import { getByKeys } from '#functions/table/batch-get';
import { tableName } from '#functions/table/client';
import { gsi1, indexKey, itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { named, type TransactItem } from '#functions/table/transactions';
import { type CapacityBucket, commitmentKey, legacyApprovedStatus, parseBucket, parsePublished, toCommitment } from './entities';

/**
 * Approvals are found through one marker per commitment that needed
 * approval, in the workspace's own partition, so neither list reads
 * commitments it does not show: `APPROVAL#<rep>#<createdAt>#<id>` lists a
 * rep's own, and while it awaits a decision the marker is also on gsi1
 * (`WS#<ws>#AWAITING`, oldest first), a sparse index entry its decision
 * removes. It holds a copy of the commitment, written in the commitment's
 * own transactions: one write per commitment, so an order of many lines
 * still fits one transaction.
 */
export const approvalMarkerPrefix = 'APPROVAL#';
const byPrefix = (email: string) => `${approvalMarkerPrefix}${email}#`;
export const approvalMarkerSk = (commitment: Pick<Commitment, 'recordedBy' | 'createdAt' | 'id'>) =>
  `${byPrefix(commitment.recordedBy)}${commitment.createdAt}#${commitment.id}`;
export const awaitingGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#AWAITING`;
export const awaitingGsiSk = (commitment: Pick<Commitment, 'createdAt' | 'id'>) => `${commitment.createdAt}#${commitment.id}`;

/** The marker of a commitment that needed approval, in its state after the change; named `approval`. */
export function approvalMarkerPut(commitment: Commitment): TransactItem {
  const awaiting =
    commitment.status === 'awaiting approval' ? indexKey(awaitingGsiPk(commitment.workspaceId), awaitingGsiSk(commitment)) : {};
  return named('approval', {
    Put: {
      TableName: tableName(),
      Item: {
        ...itemKey(workspacePk(commitment.workspaceId), approvalMarkerSk(commitment)),
        ...awaiting,
        type: 'CommitmentApproval',
        ...commitment,
      },
    },
  });
}

/** Commitments awaiting approval in the workspace (oldest first), or those a rep recorded that needed it (newest first). */
export function queryApprovals(
  workspaceId: string,
  show: { kind: 'awaiting' } | { kind: 'mine'; email: string },
  page: { limit: number; cursor?: string },
): Promise<Page<Commitment>> {
  if (show.kind === 'awaiting') {
    return queryPage(
      {
        TableName: tableName(),
        IndexName: gsi1.name,
        KeyConditionExpression: `${gsi1.pk} = :pk`,
        ExpressionAttributeValues: { ':pk': awaitingGsiPk(workspaceId) },
      },
      page,
      toCommitment,
    );
  }
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': byPrefix(show.email) },
      ScanIndexForward: false,
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
        ':active': legacyApprovedStatus,
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
