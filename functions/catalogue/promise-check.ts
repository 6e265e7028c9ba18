import {
  deliveryDateProblem,
  evaluatePromise,
  latestPromiseDate,
  type PromiseAnswer,
  type PromiseRequest,
  requestedDate,
  searchHorizonEnd,
} from '#contract/catalogue/promise';
import { quantityProblem } from '#contract/catalogue/warnings';
import { type Refusal, Refused, refuse } from '#contract/refusal';
import type { AgreedThreshold } from '#contract/thresholds/thresholds';
import { addDays, addWorkingDays, earliestDate, latestDate, weekOf, weeksFrom } from '#contract/working-days';
import { requirePortfolioItem } from '#functions/portfolio/portfolio';
import { batchGetMaxKeys } from '#functions/table/batch-get';
import { type CapacityBucket, readAgreedAndWeeks, readWeeks } from './entities';
import { possibleToday } from './workspace-day';

/** What the promise check has read: the agreed threshold and the committed capacity of the weeks read so far. */
export interface CheckCollection {
  agreed: AgreedThreshold;
  agreedVersion: number;
  committed: Record<string, number>;
  bucketVersions: Record<string, number>;
  /** Monday of the last week read; every week from this week to it is known (an absent bucket has nothing committed). */
  readThrough: string;
}

export function takeBuckets(collection: Pick<CheckCollection, 'committed' | 'bucketVersions'>, buckets: CapacityBucket[]) {
  for (const bucket of buckets) {
    collection.committed[bucket.week] = bucket.committed;
    collection.bucketVersions[bucket.week] = bucket.version;
  }
}

/**
 * The check's first read, in one BatchGetItem: the agreed threshold, the week
 * buckets from the earliest today can be to the week of `throughOf` the
 * latest it can be (see `possibleToday`; at most DynamoDB's 100 keys per
 * request in all), and the workspace when its time zone is not known here or
 * `fresh` asks for its approval bands. `refuseFirst` refuses on today's date
 * before anything else.
 */
async function readCheckCollection(
  workspaceId: string,
  itemId: string,
  now: string,
  throughOf: (today: string) => string,
  refuseFirst?: (today: string) => Refusal | null,
  fresh = false,
) {
  const possible = possibleToday(workspaceId, now, fresh);
  const through = throughOf(possible.latest);
  const weeks = (through < possible.earliest ? [weekOf(possible.earliest)] : weeksFrom(possible.earliest, through)).slice(
    0,
    batchGetMaxKeys - 1 - possible.keys.length,
  );
  const { published, buckets, found } = await readAgreedAndWeeks(workspaceId, itemId, weeks, possible.keys);
  const workspace = possible.day(found);
  const refusal = refuseFirst?.(workspace.today);
  if (refusal) throw new Refused(refusal);
  if (published?.archived) throw refuse.conflict('This item is archived: it is no longer offered, so it takes no new promises');
  if (!published) {
    // An id that names no item of this workspace (another workspace's, say) is not found, whatever it names elsewhere.
    await requirePortfolioItem(workspaceId, itemId);
    throw refuse.notFound('This item has no agreed threshold yet: ask sales and operations to agree one');
  }
  const collection: CheckCollection = {
    agreed: published.agreed,
    agreedVersion: published.version,
    committed: {},
    bucketVersions: {},
    readThrough: weeks[weeks.length - 1] ?? weekOf(workspace.today),
  };
  takeBuckets(collection, buckets);
  return { collection, workspace };
}

/** Reads the week buckets after the ones already read, up to the week of `until`, with one key-bounded Query. */
export async function readWeeksAfter(workspaceId: string, itemId: string, collection: CheckCollection, until: string) {
  takeBuckets(collection, await readWeeks(workspaceId, itemId, addDays(collection.readThrough, 7), weekOf(until)));
  collection.readThrough = weekOf(until);
}

/** Where a request's date and lead time came from, to name them when they are out of bounds. */
export interface RequestFields {
  date: string;
  leadTimeDays?: string;
  quantity: string;
}

/** Refuses a part of a unit of an item counted in whole units. */
export function assertWholeUnits(agreed: Pick<AgreedThreshold, 'kind' | 'unit'>, quantity: number, field: string) {
  const problem = quantityProblem(agreed.kind, agreed.unit, quantity);
  if (problem) throw refuse.invalid(problem, field);
}

/** Refuses a delivery date in the past or beyond the promise horizon, naming the field the caller sent. */
export function assertWithinHorizon(
  request: PromiseRequest,
  today: string,
  holidays: readonly string[],
  fields: Pick<RequestFields, 'date' | 'leadTimeDays'>,
) {
  if (request.deliveryDate !== undefined) {
    const problem = deliveryDateProblem(request.deliveryDate, today);
    if (problem) throw refuse.invalid(problem, fields.date);
    return;
  }
  const date = requestedDate(request, today, holidays);
  if (deliveryDateProblem(date, today)) {
    throw refuse.invalid(
      `reaches ${date} with this item's holidays, past the promise horizon of ${latestPromiseDate(today)}`,
      fields.leadTimeDays ?? fields.date,
    );
  }
}

/**
 * Reads what a check needs and answers it. The first read covers the weeks
 * up to the delivery date (given, or estimated from the lead time without
 * holidays, plus one week for the holidays that push it later), never past
 * the promise horizon: whether the item exists and takes promises is
 * answered first, then whether the date is within bounds. Most answers need
 * nothing more, so they cost one request. An answer that is not standard
 * searches for the earliest dates that would work; when that search runs
 * past the weeks read, one more Query reads the weeks after them up to the
 * end of the search horizon (about two years), and the answer is worked out
 * again on the full picture, which then knows every week the search can
 * reach.
 */
export async function answerCheck(
  workspaceId: string,
  itemId: string,
  request: PromiseRequest,
  now: string,
  fields: RequestFields,
  refuseFirst?: (today: string) => Refusal | null,
  fresh = false,
) {
  const asked = (today: string) => request.deliveryDate ?? addDays(addWorkingDays(today, request.leadTimeDays ?? 0), 7);
  const { collection, workspace } = await readCheckCollection(
    workspaceId,
    itemId,
    now,
    (today) => earliestDate(asked(today), latestPromiseDate(today)),
    refuseFirst,
    fresh,
  );
  const { today } = workspace;
  assertWithinHorizon(request, today, collection.agreed.holidays, fields);
  assertWholeUnits(collection.agreed, request.quantity, fields.quantity);
  const first = evaluatePromise(collection.agreed, collection.committed, request, today);
  if (weekOf(first.readThrough) <= collection.readThrough) return { collection, workspace, answer: first.answer };
  // Straight to the horizon: an answer computed on unknown weeks may have stopped its search too early.
  const horizon = searchHorizonEnd(today, collection.agreed.holidays);
  await readWeeksAfter(workspaceId, itemId, collection, latestDate(first.readThrough, horizon));
  return { collection, workspace, answer: evaluatePromise(collection.agreed, collection.committed, request, today).answer };
}

/** Answers "can we deliver N of this item by D?" from the agreed threshold and the commitments so far. */
export async function promiseCheck(
  workspaceId: string,
  itemId: string,
  request: PromiseRequest,
  now: string,
): Promise<PromiseAnswer> {
  const fields = { date: 'query.date', leadTimeDays: 'query.leadTimeDays', quantity: 'query.quantity' };
  return (await answerCheck(workspaceId, itemId, request, now, fields)).answer;
}
