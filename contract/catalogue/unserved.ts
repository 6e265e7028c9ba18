import * as z from 'zod/mini';
import { coercedNumber, expectedVersion, id, name, pageQuery, workspaceParams } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import type { Refusal } from '#contract/refusal';
import { compareText } from '#contract/text-order';
import { isoDate } from '#contract/thresholds/cycle-schemas';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import type { MemberRole } from '#contract/workspaces/members';

/**
 * Unserved demand: an order the promise check answered "beyond" and the rep
 * did not commit, recorded as lost so the portfolio review of the cycle sees
 * what the agreed thresholds turned away. It belongs to the budget cycle
 * whose dates contain the requested date.
 */
export interface UnservedDemand {
  id: string;
  workspaceId: string;
  itemId: string;
  itemCode: string;
  unit: string;
  quantity: number;
  requestedDate: string;
  customer: string;
  note: string | null;
  /** The agreed threshold version the promise check answered with. */
  thresholdVersion: number;
  cycleId: string;
  cycleName: string;
  recordedBy: string;
  recordedByName: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** What one item lost in one cycle: the sum of its unserved demand there. */
export interface UnservedTotal {
  itemId: string;
  itemCode: string;
  unit: string;
  cycleId: string;
  quantity: number;
  count: number;
}

export interface UnservedDemandPage {
  cycleId: string;
  /** The whole cycle's figures for the item, whichever page this is. */
  total: { quantity: number; count: number };
  items: UnservedDemand[];
  nextCursor: string | null;
}

const quantity = lazySchema(() =>
  z.number().check(z.positive('must be more than zero'), z.maximum(10_000_000, 'must be at most 10000000')),
);
const note = lazySchema(() => z.nullable(z.string().check(z.trim(), z.maxLength(1000, 'must be at most 1000 characters'))));

export const unservedItemParams = lazySchema(() => z.extend(workspaceParams, { itemId: id }));
export const unservedParams = lazySchema(() => z.extend(unservedItemParams, { unservedId: id }));
export const unservedCycleParams = lazySchema(() => z.extend(workspaceParams, { cycleId: id }));

export const recordUnservedBody = lazySchema(() =>
  z.strictObject({
    quantity,
    requestedDate: isoDate,
    customer: name(120),
    note: z.optional(note),
    thresholdVersion: z.int().check(z.minimum(1, 'must be at least 1'), z.maximum(1_000_000)),
  }),
);

export const correctUnservedBody = lazySchema(() =>
  z
    .strictObject({
      expectedVersion,
      quantity: z.optional(quantity),
      customer: z.optional(name(120)),
      note: z.optional(note),
    })
    .check(
      z.refine((body) => body.quantity !== undefined || body.customer !== undefined || body.note !== undefined, {
        path: ['quantity'],
        message: 'give the quantity, the customer or the note to correct',
      }),
    ),
);

export const removeUnservedQuery = lazySchema(() =>
  z.strictObject({
    expectedVersion: coercedNumber().check(z.int('must be a whole number'), z.minimum(1, 'must be at least 1')),
  }),
);

export const listUnservedQuery = lazySchema(() => z.strictObject({ cycleId: id, ...pageQuery }));
export const listCycleUnservedQuery = lazySchema(() => z.strictObject(pageQuery));

/** The cycle whose dates contain `day`; of overlapping cycles, the one that started last. */
export function cycleContaining<C extends Pick<BudgetCycle, 'startDate' | 'endDate'>>(cycles: readonly C[], day: string) {
  return cycles
    .filter((cycle) => cycle.startDate <= day && day <= cycle.endDate)
    .sort((a, b) => compareText(b.startDate, a.startDate))[0];
}

/** Who may correct or remove unserved demand: whoever recorded it, or a manager or admin. */
export function unservedChangeRefusal(
  demand: Pick<UnservedDemand, 'recordedBy'>,
  member: { email: string; role: MemberRole } | undefined,
): Refusal | null {
  if (!member || (member.role === 'rep' && member.email !== demand.recordedBy)) {
    return { kind: 'forbidden', reason: 'Only whoever recorded unserved demand, or a manager, can correct or remove it' };
  }
  return null;
}
