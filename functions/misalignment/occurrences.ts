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
import { auditPut } from '#functions/table/audit-trail';
import { transactWriteUnderContention } from '#functions/table/contention';
import { type TransactItem, TransactionConditionFailed } from '#functions/table/transactions';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { aggregateDelta, mergeDeltas } from './entities-aggregates';
import { dayDelta, issueDayUpdates } from './entities-issue-days';
import {
  getOccurrence,
  issueAggregatesUpdate,
  listOccurrences,
  occurrenceCorrection,
  occurrencePut,
  toOccurrence,
} from './entities-occurrences';
import { timeOrderedId } from './ids';

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

export function occurrenceOf(
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
export const occurrenceLogged = (occurrence: Occurrence, actor: Actor, now: string): TransactItem[] => [
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
  membership: Promise<{ role: MemberRole }>,
  now: string,
): Promise<Occurrence> {
  const before = await getOccurrence(workspaceId, issueId, occurrenceId);
  if (!before) throw refuse.notFound('Occurrence not found');
  if (before.version !== expectedVersion) {
    throw refuse.conflict(`The occurrence changed since version ${expectedVersion}; it is now version ${before.version}`, {
      current: before,
    });
  }
  // Who may correct depends on the caller's role: known now, read beside the occurrence.
  const refusal = occurrenceCorrectionRefusal(before, actor, await membership);
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
