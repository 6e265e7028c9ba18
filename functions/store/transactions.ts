import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { dynamo } from './client';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A condition in a transaction failed; `index` says which item, `current` is that item as stored (when it exists). */
export class TransactionConditionFailed extends Error {
  constructor(
    readonly index: number,
    readonly current: Record<string, unknown> | undefined,
  ) {
    super(`Condition failed on transaction item ${index}`);
    this.name = 'TransactionConditionFailed';
  }
}

/**
 * Writes all items or none. Every change that spans items goes through here
 * together with its audit event, so a change is never half-applied or unaudited.
 * A failed condition comes back as {@link TransactionConditionFailed} carrying
 * the current item, so callers can answer 409 without a second read.
 */
export async function transactWrite(items: TransactItem[]): Promise<void> {
  const withOld = items.map((item) => {
    const [kind, op] = Object.entries(item)[0] as [string, Record<string, unknown>];
    return kind === 'Put' || kind === 'Update' || kind === 'Delete' || kind === 'ConditionCheck'
      ? ({ [kind]: { ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ...op } } as TransactItem)
      : item;
  });
  try {
    await dynamo.send(new TransactWriteCommand({ TransactItems: withOld }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      const index = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (index >= 0) {
        const item = reasons[index]?.Item;
        throw new TransactionConditionFailed(index, item ? unmarshall(item) : undefined);
      }
    }
    throw error;
  }
}
