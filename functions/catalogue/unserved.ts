import { randomUUID } from 'node:crypto';
import {
  cycleContaining,
  type UnservedDemand,
  type UnservedDemandPage,
  type UnservedTotal,
  unservedChangeRefusal,
} from '#contract/catalogue/unserved';
import { Refused, refuse } from '#contract/refusal';
import type { Caller, MemberView } from '#contract/views';
import { requirePortfolioItem } from '#functions/portfolio/portfolio';
import { auditPut } from '#functions/table/audit-trail';
import type { Page } from '#functions/table/pages';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { agreedUnchanged, readAgreedAndWeeks } from './entities';
import {
  cyclesContaining,
  findUnserved,
  getUnservedTotal,
  newUnservedPut,
  queryCycleUnserved,
  queryItemUnserved,
  totalAdd,
  unservedDelete,
  unservedEntity,
  unservedPut,
} from './entities-unserved';

/** Sums of decimal quantities drift in binary; totals are shown to a millionth. */
const tidy = (quantity: number) => Math.round(quantity * 1e6) / 1e6;

/**
 * Records lost demand: an order the promise check answered beyond (with the
 * agreed threshold version it cited) that the customer did not take. It
 * reads the item's agreed threshold and the cycles containing the requested
 * date side by side, then writes the record, the item's totals in that cycle
 * and the audit event in one transaction, conditional on the agreed
 * threshold being as read.
 */
export async function recordUnservedDemand(
  input: {
    workspaceId: string;
    itemId: string;
    quantity: number;
    requestedDate: string;
    customer: string;
    note?: string | null;
    thresholdVersion: number;
  },
  actor: Caller,
  now: string,
): Promise<UnservedDemand> {
  const { workspaceId, itemId } = input;
  const [{ published }, cycles] = await Promise.all([
    readAgreedAndWeeks(workspaceId, itemId, []),
    cyclesContaining(workspaceId, input.requestedDate),
  ]);
  if (!published) {
    await requirePortfolioItem(workspaceId, itemId);
    throw refuse.notFound('This item has no agreed threshold yet, so no promise check answered for it');
  }
  if (published.archived) throw refuse.conflict('This item is archived: it takes no promises, so it loses no demand');
  if (published.agreed.version !== input.thresholdVersion) {
    throw refuse.conflict(
      `The agreed threshold is now version ${published.agreed.version}, not ${input.thresholdVersion}: check again before recording`,
      { currentVersion: published.agreed.version },
    );
  }
  const cycle = cycleContaining(cycles, input.requestedDate);
  if (!cycle) throw refuse.invalid('No budget cycle contains this date: create the cycle first', 'body.requestedDate');
  const demand: UnservedDemand = {
    id: randomUUID(),
    workspaceId,
    itemId,
    itemCode: published.agreed.itemCode,
    unit: published.agreed.unit,
    quantity: input.quantity,
    requestedDate: input.requestedDate,
    customer: input.customer,
    note: input.note || null,
    thresholdVersion: input.thresholdVersion,
    cycleId: cycle.id,
    cycleName: cycle.name,
    recordedBy: actor.email,
    recordedByName: actor.name,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  try {
    await transactWrite([
      agreedUnchanged(workspaceId, itemId, published.version),
      newUnservedPut(demand),
      totalAdd(demand, { quantity: demand.quantity, count: 1 }),
      auditPut({
        workspaceId,
        actor,
        action: 'unserved-demand.recorded',
        entity: 'unserved-demand',
        entityId: demand.id,
        after: demand,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'agreed') {
      throw refuse.conflict('The agreed threshold changed while recording: check again; nothing was recorded');
    }
    throw error;
  }
  return demand;
}

async function changeable(
  input: { workspaceId: string; itemId: string; unservedId: string; expectedVersion: number },
  membership: Promise<MemberView>,
) {
  const before = await findUnserved(input.workspaceId, input.itemId, input.unservedId);
  // Who may change it depends on who asks: known now, read beside the record.
  const member = await membership;
  if (!before) throw refuse.notFound('Unserved demand not found');
  const refusal = unservedChangeRefusal(before, member);
  if (refusal) throw new Refused(refusal);
  if (before.version !== input.expectedVersion) {
    throw refuse.conflict(`The unserved demand changed since version ${input.expectedVersion}`, { current: before });
  }
  return before;
}

function changedMeanwhile(error: unknown): never {
  if (error instanceof TransactionConditionFailed && error.part === 'unserved') {
    throw refuse.conflict('The unserved demand changed meanwhile', {
      current: error.current ? unservedEntity.parse(error.current) : undefined,
    });
  }
  throw error;
}

/** Corrects quantity, customer or note; whoever recorded it, or a manager (see `unservedChangeRefusal`). */
export async function correctUnservedDemand(
  input: {
    workspaceId: string;
    itemId: string;
    unservedId: string;
    expectedVersion: number;
    quantity?: number;
    customer?: string;
    note?: string | null;
  },
  membership: Promise<MemberView>,
  actor: Caller,
  now: string,
): Promise<UnservedDemand> {
  const before = await changeable(input, membership);
  const after: UnservedDemand = {
    ...before,
    quantity: input.quantity ?? before.quantity,
    customer: input.customer ?? before.customer,
    note: input.note === undefined ? before.note : input.note || null,
    updatedAt: now,
    version: before.version + 1,
  };
  try {
    await transactWrite([
      unservedPut(after, input.expectedVersion),
      totalAdd(after, { quantity: after.quantity - before.quantity, count: 0 }),
      auditPut({
        workspaceId: input.workspaceId,
        actor,
        action: 'unserved-demand.corrected',
        entity: 'unserved-demand',
        entityId: before.id,
        before,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    changedMeanwhile(error);
  }
  return after;
}

/** Removes lost demand recorded in error and takes it off the cycle's totals. */
export async function removeUnservedDemand(
  input: { workspaceId: string; itemId: string; unservedId: string; expectedVersion: number },
  membership: Promise<MemberView>,
  actor: Caller,
  now: string,
): Promise<{ removed: true }> {
  const before = await changeable(input, membership);
  try {
    await transactWrite([
      unservedDelete(before, input.expectedVersion),
      totalAdd(before, { quantity: -before.quantity, count: -1 }),
      auditPut({
        workspaceId: input.workspaceId,
        actor,
        action: 'unserved-demand.removed',
        entity: 'unserved-demand',
        entityId: before.id,
        before,
        at: now,
      }),
    ]);
  } catch (error) {
    changedMeanwhile(error);
  }
  return { removed: true };
}

/** An item's unserved demand in one cycle, a page at a time, with the cycle's totals read beside the page. */
export async function listUnservedDemand(
  workspaceId: string,
  itemId: string,
  cycleId: string,
  page: { limit: number; cursor?: string },
): Promise<UnservedDemandPage> {
  const [found, total] = await Promise.all([
    queryItemUnserved(workspaceId, itemId, cycleId, page),
    getUnservedTotal(workspaceId, itemId, cycleId),
  ]);
  return { cycleId, total: { quantity: tidy(total.quantity), count: total.count }, ...found };
}

/** The portfolio review's view of a cycle: each item's unserved quantity there. */
export async function listCycleUnservedDemand(
  workspaceId: string,
  cycleId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<UnservedTotal>> {
  const found = await queryCycleUnserved(workspaceId, cycleId, page);
  return { ...found, items: found.items.map((total) => ({ ...total, quantity: tidy(total.quantity) })) };
}
