import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { retryWithinDeadline } from '#functions/runtime/deadline';
import { dynamo } from './client';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Part names, kept beside the items so nothing extra is sent to DynamoDB. */
const partNames = new WeakMap<TransactItem, string>();

/**
 * Names a write of a transaction, so that when its condition fails the caller
 * learns which part failed by name ({@link TransactionConditionFailed.part}),
 * however many writes come before it. The name travels on the item itself and
 * is never sent to DynamoDB.
 */
export function named<T extends TransactItem>(part: string, item: T): T {
  partNames.set(item, part);
  return item;
}

/** The name given to a write with {@link named}, if any. */
export const partOf = (item: TransactItem | undefined): string | undefined => (item ? partNames.get(item) : undefined);

/**
 * A condition in a transaction failed: `part` names the write (see {@link named}),
 * `current` is that item as stored (when it exists).
 */
export class TransactionConditionFailed extends Error {
  constructor(
    readonly index: number,
    readonly current: Record<string, unknown> | undefined,
    readonly part?: string,
  ) {
    super(`Condition failed on transaction part ${part ?? index}`);
    this.name = 'TransactionConditionFailed';
  }
}

/**
 * Writes all items or none. Every change that spans items goes through here
 * together with its audit event, so a change is never half-applied or unaudited.
 * A failed condition comes back as {@link TransactionConditionFailed} carrying
 * the current item, so callers can answer 409 without a second read.
 */
export async function transact(
  items: TransactItem[],
  retry: { maxAttempts?: number; busyMessage?: string } = { maxAttempts: 6 },
): Promise<void> {
  const old = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } as const;
  const withOld = items.map((item): TransactItem => {
    if (item.Put) return { Put: { ...old, ...item.Put } };
    if (item.Update) return { Update: { ...old, ...item.Update } };
    if (item.Delete) return { Delete: { ...old, ...item.Delete } };
    if (item.ConditionCheck) return { ConditionCheck: { ...old, ...item.ConditionCheck } };
    return item;
  });
  // Two transactions on one item at once: DynamoDB cancels one of them
  // without applying anything, so running it again is safe, under the one
  // retry policy of the API (runtime/deadline.ts).
  await retryWithinDeadline(
    async () => {
      try {
        await dynamo.send(new TransactWriteCommand({ TransactItems: withOld }));
      } catch (error) {
        if (isTransactionConflict(error)) throw error;
        throwMapped(error, items);
      }
    },
    {
      retryable: isTransactionConflict,
      busyMessage: retry.busyMessage ?? 'The database is busy with other changes; retry shortly',
      // Half to one and a half times a doubling step: colliding writers spread apart, none waits long.
      pauseMs: (attempt) => 20 * 2 ** attempt * (0.5 + Math.random()),
      maxAttempts: retry.maxAttempts,
    },
  );
}

/** The name most callers know {@link transact} by. */
export const transactWrite = transact;

/**
 * Whether a transaction was cancelled only because another one held an item
 * at the same moment: nothing was written and no condition failed, so running
 * it again is safe. The one test of this in the code base; the kernel's
 * "database busy" answer uses it too.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    return (
      !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed') &&
      reasons.some((reason) => reason.Code === 'TransactionConflict')
    );
  }
  return error instanceof Error && error.name === 'TransactionInProgressException';
}

function throwMapped(error: unknown, items: TransactItem[]): never {
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    const index = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
    if (index >= 0) {
      const item = reasons[index]?.Item;
      throw new TransactionConditionFailed(index, item ? unmarshall(item) : undefined, partOf(items[index]));
    }
  }
  throw error;
}
