import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ServiceUnavailable } from '../lib/errors';
import { transactWrite } from './transactions';

const isTransactionConflict = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict');

/**
 * A transaction on an item that many people write at once (an issue's
 * aggregates while occurrences pour in) can be cancelled because another
 * transaction holds that item. Such a cancellation wrote nothing, so it is
 * tried again after a short random pause; the ADDs it carries then apply on
 * top of the other writes, so nothing is lost or counted twice.
 */
export async function transactWriteUnderContention(items: Parameters<typeof transactWrite>[0], attempts = 12): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await transactWrite(items);
      return;
    } catch (error) {
      if (!isTransactionConflict(error)) throw error;
      if (attempt >= attempts) throw new ServiceUnavailable('The issue is busy with other changes; retry shortly', 1);
      const ceiling = Math.min(1000, 20 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
