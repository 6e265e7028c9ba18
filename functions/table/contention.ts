import { transact } from './transactions';

/**
 * A transaction on an item that many people write at once (an issue's
 * aggregates while occurrences pour in) can be cancelled because another
 * transaction holds that item. Such a cancellation wrote nothing, so it is
 * tried again after a short random pause, for as long as the request's
 * deadline allows (see runtime/deadline.ts), then 503; the ADDs it carries then
 * apply on top of the other writes, so nothing is lost or counted twice.
 */
export function transactWriteUnderContention(items: Parameters<typeof transact>[0]): Promise<void> {
  return transact(items, { busyMessage: 'The issue is busy with other changes; retry shortly' });
}
