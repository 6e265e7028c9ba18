import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { dynamo, tableName } from './client';
import { memberKey, workspacePk } from './keys';

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

const claimPut = (scope: IdempotencyScope, payloadHash: string, now: number) => ({
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
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
});

/**
 * Claims the key for this request. Returns null when the claim succeeded (run
 * the handler), or the record another request already holds.
 */
export async function claimIdempotencyKey(scope: IdempotencyScope, payloadHash: string): Promise<IdempotencyRecord | null> {
  try {
    await dynamo.send(new PutCommand(claimPut(scope, payloadHash, nowSeconds())));
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

/** Who may claim a key in a workspace: a member bound to this identity, in one of the route's roles and functions. */
export interface MemberCondition {
  workspaceId: string;
  email: string;
  sub: string;
  roles?: readonly string[];
  functions?: readonly string[];
}

/**
 * Claims the key in the same round trip as the membership check, guarded by
 * the member item itself: one transaction of a ConditionCheck (the member
 * exists, is bound to this identity and has a role and function the route
 * admits) and the claim. A caller the check would refuse writes nothing.
 * Answers `undecided` when the check does not hold or the transaction met
 * another: the caller then claims the usual way once the membership check
 * has passed.
 */
export async function claimIdempotencyKeyAsMember(
  scope: IdempotencyScope,
  payloadHash: string,
  member: MemberCondition,
): Promise<{ claimed: true } | { held: IdempotencyRecord } | { undecided: true }> {
  const names: Record<string, string> = { '#sub': 'sub' };
  const values: Record<string, unknown> = { ':sub': member.sub };
  const conditions = ['attribute_exists(pk)', '#sub = :sub'];
  const oneOf = (attribute: string, allowed: readonly string[] | undefined) => {
    if (!allowed) return;
    names[`#${attribute}`] = attribute;
    const placeholders = allowed.map((value, index) => {
      values[`:${attribute}${index}`] = value;
      return `:${attribute}${index}`;
    });
    conditions.push(`#${attribute} IN (${placeholders.join(', ')})`);
  };
  oneOf('role', member.roles);
  oneOf('function', member.functions);
  try {
    await dynamo.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: memberKey(member.workspaceId, member.email),
              ConditionExpression: conditions.join(' AND '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          { Put: claimPut(scope, payloadHash, nowSeconds()) },
        ],
      }),
    );
    return { claimed: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [memberReason, claimReason] = error.CancellationReasons ?? [];
    if (memberReason?.Code === 'None' && claimReason?.Code === 'ConditionalCheckFailed') {
      const held = claimReason.Item ? toRecord(unmarshall(claimReason.Item)) : await readIdempotencyRecord(scope);
      return held ? { held } : { undecided: true };
    }
    return { undecided: true };
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
