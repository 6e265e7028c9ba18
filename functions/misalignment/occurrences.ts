import { occurrenceDateRefusal } from '#contract/dates';
import {
  type CostBreakdown,
  type DetectionStage,
  normalisedCost,
  type Occurrence,
  sumCost,
} from '#contract/misalignment/misalignment';
import { occurrenceCorrectionRefusal } from '#contract/misalignment/policies';
import { Refused, refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import type { MemberRole } from '#contract/workspaces/members';
import { auditPut } from '#functions/audit/audit';
import { transactWriteUnderContention } from '#functions/table/contention';
import { type TransactItem, TransactionConditionFailed } from '#functions/table/transactions';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { aggregateDelta, dayDelta, issueDayUpdates, mergeDeltas } from './entities-aggregates';
import { issueEntity } from './entities-issues';
import {
  getOccurrence,
  issueAggregatesUpdate,
  issueAggregatesUpsert,
  listOccurrences,
  occurrenceCorrection,
  occurrencePut,
  toOccurrence,
} from './entities-occurrences';
import { leadTimeIssueId, timeOrderedId } from './ids';

type Actor = Pick<Caller, 'email' | 'name'>;

export { getOccurrence, listOccurrences };

export interface OccurrenceInput {
  occurredOn: string;
  reference: string;
  detectedAt: DetectionStage;
  cost: Partial<CostBreakdown>;
  currency: string;
  notes: string;
}

/** Refuses, naming `body.occurredOn`, a day after today (where the workspace works) or before the floor. */
export async function refuseImpossibleOccurrenceDate(workspaceId: string, occurredOn: string | undefined, now: string) {
  if (occurredOn === undefined) return;
  const reason = occurrenceDateRefusal(occurredOn, await workspaceToday(workspaceId, now));
  if (reason) throw refuse.invalid(reason, 'body.occurredOn');
}

function occurrenceOf(
  workspaceId: string,
  issueId: string,
  input: OccurrenceInput,
  actor: Actor,
  now: string,
  commitmentId: string | null,
): Occurrence {
  const cost = normalisedCost(input.cost);
  return {
    id: timeOrderedId(Date.parse(now) || Date.now()),
    issueId,
    workspaceId,
    occurredOn: input.occurredOn,
    reference: input.reference,
    detectedAt: input.detectedAt,
    cost,
    totalCost: sumCost(cost),
    currency: input.currency,
    notes: input.notes,
    reporter: actor.email,
    commitmentId,
    loggedAt: now,
    updatedAt: now,
    updatedBy: actor.email,
    version: 1,
  };
}

/** A new occurrence and its audit event: the writes every way of logging one shares, beside its issue's update. */
const occurrenceLogged = (occurrence: Occurrence, actor: Actor, now: string): TransactItem[] => [
  occurrencePut(occurrence),
  auditPut({
    workspaceId: occurrence.workspaceId,
    actor,
    action: 'occurrence.logged',
    entity: 'occurrence',
    entityId: occurrence.id,
    after: occurrence,
    at: now,
  }),
];

/** The issue update failed: the issue is gone, or it counts its cost in another currency. */
function currencyMismatch(current: Record<string, unknown> | undefined, currency: string): Refused {
  if (!current) return refuse.notFound('Misalignment issue not found');
  return refuse.invalid(
    `must be ${String(current.currency)}, the currency this issue counts its cost in (got ${currency})`,
    'body.currency',
  );
}

/**
 * Logs one occurrence and adds it to the issue's aggregates in the same
 * transaction, so the aggregates always equal the sum of the occurrences.
 */
export async function logOccurrence(
  workspaceId: string,
  issueId: string,
  input: OccurrenceInput,
  actor: Actor,
  now: string,
): Promise<Occurrence> {
  const occurrence = occurrenceOf(workspaceId, issueId, input, actor, now, null);
  const delta = aggregateDelta(occurrence, 1, now);
  try {
    await transactWriteUnderContention([
      issueAggregatesUpdate({ workspaceId, issueId, delta, currency: occurrence.currency, now, logged: true }),
      ...issueDayUpdates(workspaceId, issueId, [dayDelta(occurrence, 1)]),
      ...occurrenceLogged(occurrence, actor, now),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'issue') {
      throw currencyMismatch(error.current, occurrence.currency);
    }
    throw error;
  }
  return occurrence;
}

/**
 * Corrects an occurrence: a new version, conditional on the one it was based
 * on, with the issue's aggregates moved by the difference in the same
 * transaction. The audit event keeps the version it replaced; occurrences are
 * never deleted. Whoever reported it, or a manager, may correct it.
 */
export async function correctOccurrence(
  workspaceId: string,
  issueId: string,
  occurrenceId: string,
  patch: Partial<OccurrenceInput>,
  expectedVersion: number,
  actor: Actor,
  member: { role: MemberRole } | undefined,
  now: string,
): Promise<Occurrence> {
  const before = await getOccurrence(workspaceId, issueId, occurrenceId);
  if (!before) throw refuse.notFound('Occurrence not found');
  if (before.version !== expectedVersion) {
    throw refuse.conflict(`The occurrence changed since version ${expectedVersion}; it is now version ${before.version}`, {
      current: before,
    });
  }
  const refusal = occurrenceCorrectionRefusal(before, actor, member);
  if (refusal) throw new Refused(refusal);
  const cost = patch.cost ? normalisedCost(patch.cost) : before.cost;
  const after: Occurrence = {
    ...before,
    ...patch,
    cost,
    totalCost: sumCost(cost),
    updatedAt: now,
    updatedBy: actor.email,
    version: before.version + 1,
  };
  const delta = mergeDeltas(aggregateDelta(before, -1, now), aggregateDelta(after, 1, now));
  try {
    await transactWriteUnderContention([
      occurrenceCorrection(after, expectedVersion),
      issueAggregatesUpdate({ workspaceId, issueId, delta, currency: after.currency, now, logged: false }),
      ...issueDayUpdates(workspaceId, issueId, [dayDelta(before, -1), dayDelta(after, 1)]),
      auditPut({
        workspaceId,
        actor,
        action: 'occurrence.corrected',
        entity: 'occurrence',
        entityId: occurrenceId,
        before,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'occurrence') {
      throw refuse.conflict(`The occurrence changed since version ${expectedVersion}`, {
        current: error.current ? toOccurrence(error.current) : undefined,
      });
    }
    if (error instanceof TransactionConditionFailed && error.part === 'issue')
      throw currencyMismatch(error.current, after.currency);
    throw error;
  }
  return after;
}

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
      detectedAt: 'quoting',
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
