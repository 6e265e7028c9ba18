import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { dynamo, tableName } from './client';
import { workspacePk } from './keys';

/**
 * Idempotency records: one per (caller, route, path, key), kept in the
 * workspace's own partition so tenant data, including a stored response,
 * never leaves it. A record is IN_PROGRESS while the first request runs and
 * COMPLETED with its response afterwards; it expires through the table's TTL
 * attribute, and the expiry is also checked on read because TTL deletes late.
 */
const storedResponse = lazySchema(() =>
  z.object({
    statusCode: z.number(),
    headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    body: z.string(),
  }),
);
export type StoredResponse = z.infer<typeof storedResponse>;

export interface IdempotencyRecord {
  status: 'IN_PROGRESS' | 'COMPLETED';
  payloadHash: string;
  response?: StoredResponse;
  expiresAt: number;
  inProgressUntil: number;
}

/** How long a completed answer is replayed. */
export const idempotencyRecordSeconds = 24 * 60 * 60;
/** How long an unfinished first request blocks retries before a retry may run it again (a crashed first attempt). */
const inProgressSeconds = 30;

export interface IdempotencyScope {
  /** The workspace in the path, when the route has one; otherwise the record lives in the caller's own partition. */
  workspaceId?: string;
  callerSub: string;
  /** Hash of caller, route, path and key. */
  keyHash: string;
}

const recordKey = (scope: IdempotencyScope) => ({
  pk: scope.workspaceId ? workspacePk(scope.workspaceId) : `CALLER#${scope.callerSub}`,
  sk: `IDEMPOTENCY#${scope.keyHash}`,
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Claims the key for this request. Returns null when the claim succeeded (run
 * the handler), or the record another request already holds.
 */
export async function claimIdempotencyKey(scope: IdempotencyScope, payloadHash: string): Promise<IdempotencyRecord | null> {
  const now = nowSeconds();
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...recordKey(scope),
          type: 'IdempotencyRecord',
          status: 'IN_PROGRESS',
          payloadHash,
          expiresAt: now + idempotencyRecordSeconds,
          inProgressUntil: now + inProgressSeconds,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#status = :inProgress AND inProgressUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': now, ':inProgress': 'IN_PROGRESS' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return null;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException && error.Item) {
      return toRecord(unmarshall(error.Item));
    }
    if (error instanceof ConditionalCheckFailedException) {
      // The record vanished between the condition and the answer: read it once more.
      return (await readIdempotencyRecord(scope)) ?? null;
    }
    throw error;
  }
}

function toRecord(item: Record<string, unknown>): IdempotencyRecord {
  return {
    status: item.status === 'COMPLETED' ? 'COMPLETED' : 'IN_PROGRESS',
    payloadHash: String(item.payloadHash),
    response: storedResponse.safeParse(item.response).data,
    expiresAt: Number(item.expiresAt),
    inProgressUntil: Number(item.inProgressUntil),
  };
}

export async function readIdempotencyRecord(scope: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: recordKey(scope), ConsistentRead: true }));
  return Item ? toRecord(Item) : undefined;
}

/** Stores the first answer, so retries replay it. */
export async function completeIdempotencyKey(scope: IdempotencyScope, response: StoredResponse): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: recordKey(scope),
      UpdateExpression: 'SET #status = :completed, #response = :response',
      ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
      ExpressionAttributeValues: { ':completed': 'COMPLETED', ':response': response },
    }),
  );
}

/** Frees the key after a failed first request, so a retry runs it again. */
export async function releaseIdempotencyKey(scope: IdempotencyScope): Promise<void> {
  await dynamo.send(
    new DeleteCommand({
      TableName: tableName(),
      Key: recordKey(scope),
      ConditionExpression: '#status = :inProgress',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':inProgress': 'IN_PROGRESS' },
    }),
  );
}
