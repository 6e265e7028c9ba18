import { beyondCostEstimate, type Commitment } from '#contract/catalogue/commitments';
import type { PromiseAnswer } from '#contract/catalogue/promise';
import type { ThresholdTerms } from '#contract/thresholds/thresholds';
import type { Caller } from '#contract/views';
import { leadTimeOccurrenceWrites } from '#functions/misalignment/misalignment';

import type { TransactItem } from '#functions/table/transactions';

export type { TransactItem };

/** What the hook adds to a commitment's transaction, and the ids the commitment keeps to point at it. */
export interface CommitmentHook {
  items: TransactItem[];
  leadTimeIssueId: string | null;
  occurrenceId: string | null;
}

/**
 * Extra writes that go into the same transaction as a recorded commitment.
 * A commitment made on a `beyond` answer is a lead-time misalignment: it logs
 * an occurrence of the item's "lead time" issue of the threshold's cycle
 * (created when missing), linked to the commitment, so the commitment and the
 * occurrence are stored together or not at all. The occurrence's cost is
 * estimated from the threshold's flex costs (see `beyondCostEstimate`).
 */
export function commitmentHookItems(
  commitment: Commitment,
  answer: PromiseAnswer,
  context: { terms: ThresholdTerms; actor: Pick<Caller, 'email' | 'name'>; now: string; today?: string },
): CommitmentHook {
  if (answer.band !== 'beyond') return { items: [], leadTimeIssueId: null, occurrenceId: null };
  const estimate = beyondCostEstimate(context.terms, answer);
  const hook = leadTimeOccurrenceWrites({
    workspaceId: commitment.workspaceId,
    itemId: commitment.itemId,
    cycleId: commitment.thresholdCycleId,
    commitment: {
      id: commitment.id,
      reference: commitment.reference,
      occurredOn: context.today,
      cost: estimate.cost,
      currency: estimate.currency,
      itemLabel: commitment.itemCode,
      notes:
        `Committed ${commitment.quantity} for ${commitment.deliveryDate} on a "beyond" promise-check answer ` +
        `(threshold v${commitment.thresholdVersion}). Cost estimated from the flex costs: ` +
        `overtime on ${estimate.unitsOver} units above free normal capacity plus the setup cost; no expedite fee (no order value).`,
    },
    actor: context.actor,
    now: context.now,
  });
  return { items: hook.items, leadTimeIssueId: hook.issueId, occurrenceId: hook.occurrence.id };
}
