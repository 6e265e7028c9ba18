import type { CostBreakdown, DetectionStage } from '#contract/misalignment/misalignment';
import type { Caller } from '#contract/views';
import type { TransactItem } from '#functions/table/transactions';
import { aggregateDelta } from './entities-aggregates';
import { dayDelta, issueDayUpdates } from './entities-issue-days';
import { issueEntity } from './entities-issues';
import { issueAggregatesUpsert } from './entities-occurrences';
import { leadTimeIssueId } from './ids';
import { occurrenceLogged, occurrenceOf } from './occurrences';

type Actor = Pick<Caller, 'email' | 'name'>;

/** What a promise-check commitment tells the lead-time issue about itself. */
export interface CommitmentRef {
  id: string;
  /** Customer or deal the commitment was made for. */
  reference?: string;
  /** Day the commitment was recorded, YYYY-MM-DD; defaults to `now`'s day. */
  occurredOn?: string;
  /** Cost known at commitment time (usually none yet), in `currency`. */
  cost?: Partial<CostBreakdown>;
  currency?: string;
  notes?: string;
  /** Shown in the title of a newly created issue, e.g. the item's code. */
  itemLabel?: string;
  /** Where it was detected: at quoting for a beyond commitment (the default), at delivery for a late or missed one. */
  detectedAt?: DetectionStage;
}

/**
 * The transaction writes that log an occurrence of the "lead time" issue of
 * one portfolio item in one budget cycle, for a commitment recorded on a
 * "beyond" promise-check answer. The caller adds them to the transaction that
 * records the commitment, so both happen or neither does; its part `issue`
 * fails when the issue counts its cost in another currency.
 *
 * The issue is created when missing: its id is derived from workspace, item
 * and cycle, and every identity field is set with `if_not_exists`, so two
 * commitments racing create one issue and both occurrences count.
 */
export function leadTimeOccurrenceWrites(input: {
  workspaceId: string;
  itemId: string;
  cycleId: string;
  commitment: CommitmentRef;
  actor: Actor;
  now: string;
}) {
  const { workspaceId, itemId, cycleId, commitment, actor, now } = input;
  const issueId = leadTimeIssueId(workspaceId, itemId, cycleId);
  const currency = commitment.currency ?? 'EUR';
  const occurrence = occurrenceOf(
    workspaceId,
    issueId,
    {
      occurredOn: commitment.occurredOn ?? now.slice(0, 10),
      reference: commitment.reference ?? '',
      detectedAt: commitment.detectedAt ?? 'quoting',
      cost: commitment.cost ?? {},
      currency,
      notes: commitment.notes ?? 'Committed on a "beyond" promise-check answer',
    },
    actor,
    now,
    commitment.id,
  );
  const title = `Lead time promised beyond capacity: ${commitment.itemLabel ?? itemId}`;
  const created: Record<string, unknown> = {
    type: issueEntity.type,
    id: issueId,
    workspaceId,
    title,
    titleLower: title.toLowerCase(),
    description: 'Commitments recorded on "beyond" promise-check answers for this item in this cycle.',
    category: 'lead time',
    status: 'open',
    itemIds: [itemId],
    functions: ['sales', 'operations'],
    owner: null,
    cycleId,
    meetingIds: [],
    thresholdVersionIds: [],
    currency,
    createdBy: actor.email,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const items: TransactItem[] = [
    issueAggregatesUpsert({ workspaceId, issueId, created, delta: aggregateDelta(occurrence, 1, now), currency, now }),
    ...issueDayUpdates(workspaceId, issueId, [dayDelta(occurrence, 1)]),
    ...occurrenceLogged(occurrence, actor, now),
  ];
  return { issueId, occurrence, items };
}
