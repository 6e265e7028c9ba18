import type { Commitment } from '../domain/commitments';
import type { PromiseAnswer } from '../domain/promise';
import type { TransactItem } from './transactions';

/**
 * Extra writes that go into the same transaction as a recorded commitment.
 * A commitment made on a `beyond` answer is a lead-time misalignment waiting
 * to happen: once the issue log exists, this returns the writes that log an
 * occurrence of its "lead time" issue, so the commitment and the occurrence
 * are stored together or not at all. Until then there is nothing to add.
 */
export function commitmentHookItems(_commitment: Commitment, _answer: PromiseAnswer): TransactItem[] {
  return [];
}
