import { type CappedCollection, counterAttribute } from '#contract/limits';
import { type Refused, refuse } from '#contract/refusal';
import { tableName } from '#functions/table/client';
import { workspacePk } from '#functions/table/keys';

/**
 * Each cap is a counter on the workspace item, raised in the same transaction
 * that adds the record and conditional on staying within the cap, so
 * concurrent creates cannot overshoot it.
 */
export { type CappedCollection, counterAttribute, workspaceCaps } from '#contract/limits';

/**
 * The transaction item that counts `count` more records of `collection`
 * (one by default), refused when that would take the workspace past `max`.
 * Include it in the create's transaction and turn its condition failure into
 * {@link capReached}. A batch counts all its records in one item, since a
 * transaction may touch the counter only once.
 */
export function capIncrement(workspaceId: string, collection: CappedCollection, max: number, now: string, count = 1) {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: workspacePk(workspaceId), sk: 'WORKSPACE' },
      UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :count, updatedAt = :now',
      ConditionExpression: `attribute_exists(pk) AND (${count <= max ? 'attribute_not_exists(#count) OR ' : ''}#count <= :room)`,
      ExpressionAttributeNames: { '#count': counterAttribute(collection) },
      ExpressionAttributeValues: { ':zero': 0, ':count': count, ':room': max - count, ':now': now },
    },
  };
}

/** The transaction item that counts one record of `collection` fewer. */
export function capDecrement(workspaceId: string, collection: CappedCollection, now: string) {
  return {
    Update: {
      TableName: tableName(),
      Key: { pk: workspacePk(workspaceId), sk: 'WORKSPACE' },
      UpdateExpression: 'SET #count = if_not_exists(#count, :one) - :one, updatedAt = :now',
      ExpressionAttributeNames: { '#count': counterAttribute(collection) },
      ExpressionAttributeValues: { ':one': 1, ':now': now },
    },
  };
}

/** The 4xx for a full collection, naming the cap. */
export function capReached(collection: CappedCollection, max: number): Refused {
  return refuse.limit(`This workspace has reached its limit of ${max} ${collection}`, {
    limit: `workspace.${collection}`,
    max,
  });
}
