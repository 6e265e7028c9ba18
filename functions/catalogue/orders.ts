import { type Commitment, commitmentView } from '#contract/catalogue/commitments';
import { maxTransactionWrites, type OrderAnswer, orderAnswer, type RecordedOrder } from '#contract/catalogue/orders';
import { commitmentDateRefusal } from '#contract/catalogue/policies';
import { allocate, evaluatePromise, latestPromiseDate, type PromiseAnswer, searchHorizonEnd } from '#contract/catalogue/promise';
import type { NotificationView } from '#contract/notifications/notifications';
import { type Refusal, Refused, refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { earliestDate, latestDate, weekOf, weeksFrom } from '#contract/working-days';
import { recipientsOf } from '#functions/notifications/notify';
import { auditPut } from '#functions/table/audit-trail';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { newCommitmentRecord } from './commitments';
import { orderDeliveryIndexWrites } from './deliveries-entities';
import { agreedUnchanged, bucketTake, newCommitmentPut, readAgreedAndWeeksOfItems } from './entities';
import { approvalMarkerPut } from './entities-approvals';
import { announceCommitmentEvents, commitmentEvents, orderApprovalNotices } from './events';
import { assertWholeUnits, assertWithinHorizon, type CheckCollection, readWeeksAfter, takeBuckets } from './promise-check';
import { freshApprovalBands, possibleToday, type WorkspaceDay } from './workspace-day';

interface OrderLine {
  itemId: string;
  quantity: number;
  date?: string;
  orderValue?: number | null;
}

interface OrderEvaluation {
  collections: Map<string, CheckCollection>;
  answers: PromiseAnswer[];
  allocations: Array<Array<{ week: string; quantity: number }>>;
}

const lineField = (index: number, field: string) => `body.lines.${index}.${field}`;

/** What the order's evaluation holds for every line and item it read; its absence is a bug, not bad input. */
function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`The order's evaluation has no ${what}`);
  return value;
}

/** The lines' dates: their own or the order's (the schema holds that one of them is given). */
function datedLines(lines: OrderLine[], date: string | undefined) {
  return lines.map((line, index) => {
    const deliveryDate = line.date ?? date;
    if (!deliveryDate) throw refuse.invalid('give a delivery date for the order or for every line', lineField(index, 'date'));
    return { ...line, deliveryDate };
  });
}

/**
 * The order's first read: every item's agreed threshold and week buckets up
 * to its latest line's date, in BatchGetItems sent together (one round trip).
 */
async function readOrderCollections(
  workspaceId: string,
  lines: Array<OrderLine & { deliveryDate: string }>,
  now: string,
  refuseFirst: (today: string) => Refusal | null,
  fresh: boolean,
) {
  const possible = possibleToday(workspaceId, now, fresh);
  const through = new Map<string, string>();
  for (const line of lines) {
    const date = earliestDate(line.deliveryDate, latestPromiseDate(possible.latest));
    through.set(line.itemId, latestDate(through.get(line.itemId) ?? possible.earliest, date));
  }
  const asks = [...through].map(([itemId, last]) => ({
    itemId,
    weeks: weeksFrom(possible.earliest, last),
  }));
  const { read, found } = await readAgreedAndWeeksOfItems(workspaceId, asks, possible.keys);
  const workspace = possible.day(found);
  const refusal = refuseFirst(workspace.today);
  if (refusal) throw new Refused(refusal);
  const { today } = workspace;
  const collections = new Map<string, CheckCollection>();
  for (const [index, line] of lines.entries()) {
    if (collections.has(line.itemId)) continue;
    const ofItem = read.get(line.itemId);
    if (ofItem?.published?.archived) {
      throw refuse.conflict(`Line ${index + 1}: the item is archived, so it takes no new promises`);
    }
    if (!ofItem?.published) {
      // Not found, whichever workspace the id names; the details name the field at fault.
      throw new Refused({
        kind: 'not-found',
        reason: `Line ${index + 1}: no item with an agreed threshold has this id in the workspace`,
        details: { field: lineField(index, 'itemId') },
      });
    }
    const weeks = asks.find((ask) => ask.itemId === line.itemId)?.weeks ?? [];
    const collection: CheckCollection = {
      agreed: ofItem.published.agreed,
      agreedVersion: ofItem.published.version,
      committed: {},
      bucketVersions: {},
      readThrough: weeks[weeks.length - 1] ?? weekOf(today),
    };
    takeBuckets(collection, ofItem.buckets);
    collections.set(line.itemId, collection);
  }
  return { collections, workspace };
}

/**
 * Answers every line in order, each seeing the capacity the lines before it
 * take of the same item (as recording them would). Says which items' answers
 * looked past the weeks read.
 */
function evaluateLines(
  collections: Map<string, CheckCollection>,
  lines: Array<OrderLine & { deliveryDate: string }>,
  today: string,
) {
  const committed = new Map([...collections].map(([itemId, collection]) => [itemId, { ...collection.committed }]));
  const answers: PromiseAnswer[] = [];
  const allocations: OrderEvaluation['allocations'] = [];
  const short = new Map<string, string>();
  for (const line of lines) {
    const collection = collections.get(line.itemId);
    const taken = committed.get(line.itemId);
    if (!collection || !taken) throw new Error(`no collection read for ${line.itemId}`);
    const request = { quantity: line.quantity, deliveryDate: line.deliveryDate, orderValue: line.orderValue ?? null };
    const evaluation = evaluatePromise(collection.agreed, taken, request, today);
    if (weekOf(evaluation.readThrough) > collection.readThrough) {
      short.set(line.itemId, latestDate(evaluation.readThrough, searchHorizonEnd(today, collection.agreed.holidays)));
    }
    const allocation = allocate(collection.agreed.terms, taken, today, line.deliveryDate, line.quantity);
    for (const part of allocation) taken[part.week] = (taken[part.week] ?? 0) + part.quantity;
    answers.push(evaluation.answer);
    allocations.push(allocation);
  }
  return { answers, allocations, short };
}

/**
 * Checks an order: one read of every item's threshold and weeks, and only
 * when a line's search for a date runs past them, one more (a Query per such
 * item, sent together), so at most two round trips whatever the lines.
 */
async function evaluateOrder(
  workspaceId: string,
  lines: Array<OrderLine & { deliveryDate: string }>,
  now: string,
  refuseFirst: (today: string) => Refusal | null = () => null,
  fresh = false,
): Promise<OrderEvaluation & { workspace: WorkspaceDay }> {
  const { collections, workspace } = await readOrderCollections(workspaceId, lines, now, refuseFirst, fresh);
  const { today } = workspace;
  for (const [index, line] of lines.entries()) {
    const collection = collections.get(line.itemId);
    if (!collection) continue;
    assertWithinHorizon(line, today, collection.agreed.holidays, { date: lineField(index, 'date') });
    assertWholeUnits(collection.agreed, line.quantity, lineField(index, 'quantity'));
  }
  const first = evaluateLines(collections, lines, today);
  if (first.short.size === 0) return { collections, workspace, ...first };
  await Promise.all(
    [...first.short].map(([itemId, until]) => {
      const collection = collections.get(itemId);
      return collection ? readWeeksAfter(workspaceId, itemId, collection, until) : undefined;
    }),
  );
  return { collections, workspace, ...evaluateLines(collections, lines, today) };
}

export async function checkOrder(
  workspaceId: string,
  input: { date?: string; lines: OrderLine[] },
  now: string,
): Promise<OrderAnswer> {
  const { answers } = await evaluateOrder(workspaceId, datedLines(input.lines, input.date), now);
  return orderAnswer(answers);
}

/**
 * Records an order: every line's commitment in one transaction, conditional
 * on each item's agreed threshold and each week bucket being as read (a
 * bucket shared by lines of one item takes their sum once). A line on a
 * beyond answer is refused: it is recorded on its own, where it is logged as
 * a lead-time occurrence. Lines needing approval await it, as single
 * commitments do.
 */
export async function recordOrder(
  input: {
    workspaceId: string;
    reference: string;
    customer?: string | null;
    requestedDate?: string;
    date?: string;
    lines: OrderLine[];
  },
  actor: Caller,
  now: string,
): Promise<RecordedOrder & { notifications: NotificationView[] }> {
  const { workspaceId } = input;
  const approvers = recipientsOf(workspaceId, { functions: ['operations'], roles: ['manager', 'admin'], except: [actor.email] });
  approvers.catch(() => undefined);
  const lines = datedLines(input.lines, input.date);
  const { collections, answers, allocations, workspace } = await evaluateOrder(
    workspaceId,
    lines,
    now,
    (today) => {
      for (const [index, line] of lines.entries()) {
        const tooSoon = commitmentDateRefusal(line.deliveryDate, today);
        if (tooSoon) return { ...tooSoon, field: lineField(index, 'date') };
      }
      return null;
    },
    true,
  );
  const today = workspace.today;
  const bands = freshApprovalBands(workspace);
  const beyond = answers.findIndex((answer) => answer.band === 'beyond');
  if (beyond >= 0) {
    throw refuse.conflict(
      `Line ${beyond + 1} is beyond the agreed threshold: record it on its own, where it is logged as a lead-time occurrence`,
      { order: orderAnswer(answers) },
    );
  }
  const commitments: Commitment[] = lines.map((line, index) => {
    const answer = present(answers[index], `answer for line ${index + 1}`);
    const collection = present(collections.get(line.itemId), `collection for ${line.itemId}`);
    return newCommitmentRecord({
      workspaceId,
      itemId: line.itemId,
      agreed: collection.agreed,
      reference: input.reference,
      customer: input.customer,
      quantity: line.quantity,
      requestedDate: input.requestedDate ?? line.deliveryDate,
      promisedDate: line.deliveryDate,
      orderValue: line.orderValue,
      answer,
      allocation: allocations[index] ?? [],
      approvalBands: bands,
      actor,
      now,
    });
  });
  const writes = orderWrites(workspaceId, collections, commitments, input.reference, actor, now);
  if (writes.length > maxTransactionWrites) {
    throw refuse.invalid(
      `this order needs ${writes.length} writes, more than the ${maxTransactionWrites} one transaction holds; split it into smaller orders`,
      'body.lines',
    );
  }
  const awaiting = commitments.filter((commitment) => commitment.status === 'awaiting approval');
  const notices = orderApprovalNotices(awaiting, {
    approvers: awaiting.length > 0 ? await approvers : [],
    actor,
    now,
    ownWrites: writes.length,
  });
  try {
    await transactWrite([...writes, ...notices.writes]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      throw refuse.conflict('Capacity or an agreed threshold changed while recording the order; check it again');
    }
    throw error;
  }
  for (const commitment of commitments) announceCommitmentEvents(commitmentEvents(null, commitment));
  return {
    reference: input.reference,
    commitments: commitments.map((commitment) => commitmentView(commitment, today)),
    order: orderAnswer(answers),
    notifications: notices.notifications,
  };
}

/**
 * The order's transaction: per item its threshold check, per item and week
 * one bucket take, per line its commitment and due date, the reference once.
 */
function orderWrites(
  workspaceId: string,
  collections: Map<string, CheckCollection>,
  commitments: Commitment[],
  reference: string,
  actor: Caller,
  now: string,
): TransactItem[] {
  const takes = new Map<string, Map<string, number>>();
  for (const commitment of commitments) {
    const weeks = takes.get(commitment.itemId) ?? new Map<string, number>();
    for (const part of commitment.allocation) weeks.set(part.week, (weeks.get(part.week) ?? 0) + part.quantity);
    takes.set(commitment.itemId, weeks);
  }
  return [
    ...[...takes].flatMap(([itemId, weeks]) => {
      const collection = present(collections.get(itemId), `collection for ${itemId}`);
      return [
        agreedUnchanged(workspaceId, itemId, collection.agreedVersion),
        ...[...weeks].map(([week, quantity]) =>
          bucketTake(workspaceId, itemId, week, Math.round(quantity * 100) / 100, collection.bucketVersions[week]),
        ),
      ];
    }),
    ...commitments.flatMap((commitment) => [
      newCommitmentPut(commitment),
      ...(commitment.status === 'awaiting approval' ? [approvalMarkerPut(commitment)] : []),
    ]),
    ...orderDeliveryIndexWrites(commitments),
    auditPut({
      workspaceId,
      actor,
      action: 'order.recorded',
      entity: 'order',
      entityId: reference,
      after: { reference, commitments },
      at: now,
    }),
  ];
}
