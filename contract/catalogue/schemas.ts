import * as z from 'zod/mini';
import { coercedNumber, expectedVersion, id, list, pageQuery, workspaceParams } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { portfolioKinds } from '#contract/portfolio/portfolio';
import { isoDate } from '#contract/thresholds/cycle-schemas';
import { maxOrderLines } from './orders';

export const catalogueItemParams = lazySchema(() => z.extend(workspaceParams, { itemId: id }));

export const listCatalogueQuery = lazySchema(() =>
  z.strictObject({
    ...pageQuery,
    q: z.optional(z.string().check(z.trim(), z.maxLength(80, 'must be at most 80 characters'))),
    kind: z.optional(z.enum(portfolioKinds)),
  }),
);

const quantity = lazySchema(() =>
  coercedNumber('must be a number').check(
    z.positive('must be more than zero'),
    z.maximum(10_000_000, 'must be at most 10000000'),
  ),
);

const orderValue = lazySchema(() =>
  coercedNumber('must be a number').check(z.minimum(0, 'must not be negative'), z.maximum(1_000_000_000)),
);

/** A promise check asks for a delivery date or a lead time in working days, not both. */
export const promiseCheckQuery = lazySchema(() =>
  z
    .strictObject({
      quantity,
      date: z.optional(isoDate),
      leadTimeDays: z.optional(
        coercedNumber().check(z.int('must be a whole number'), z.minimum(1, 'must be at least 1'), z.maximum(520)),
      ),
      orderValue: z.optional(orderValue),
    })
    .check(
      z.refine((query) => (query.date === undefined) !== (query.leadTimeDays === undefined), {
        path: ['date'],
        message: 'give either a delivery date or a lead time in working days',
      }),
    ),
);

/**
 * A commitment: `deliveryDate` is the date promised (the one checked);
 * `requestedDate` the date the customer asked for, when it differs; an
 * order value left out or null is unknown, never 0.
 */
export const recordCommitmentBody = lazySchema(() =>
  z.strictObject({
    reference: z
      .string()
      .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120, 'must be at most 120 characters')),
    quantity,
    deliveryDate: isoDate,
    requestedDate: z.optional(isoDate),
    orderValue: z.optional(z.nullable(orderValue)),
    customer: z.optional(
      z.nullable(
        z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120, 'must be at most 120 characters')),
      ),
    ),
  }),
);

export const commitmentParams = lazySchema(() => z.extend(catalogueItemParams, { commitmentId: id }));

export const cancelCommitmentBody = lazySchema(() => z.strictObject({ expectedVersion }));

export const listCommitmentsQuery = lazySchema(() => z.strictObject(pageQuery));

const reason = lazySchema(() => z.string().check(z.trim(), z.maxLength(500, 'must be at most 500 characters')));

/** Approving may say why; declining must, since the rep has to tell the customer. */
export const approveCommitmentBody = lazySchema(() => z.strictObject({ reason: z.optional(reason), expectedVersion }));
export const declineCommitmentBody = lazySchema(() =>
  z.strictObject({
    reason: reason.check(z.minLength(1, 'must say why the commitment is declined')),
    expectedVersion,
  }),
);

export const listApprovalsQuery = lazySchema(() =>
  z.strictObject({
    ...pageQuery,
    /** `awaiting`: what waits for a decision; `mine`: what the caller recorded that needed one, decided or not. */
    show: z._default(z.enum(['awaiting', 'mine']), 'awaiting'),
  }),
);

const orderLine = lazySchema(() =>
  z.strictObject({
    itemId: id,
    quantity,
    /** The line's delivery date, when it differs from the order's. */
    date: z.optional(isoDate),
    orderValue: z.optional(z.nullable(orderValue)),
  }),
);

/** Every line needs a date: its own or the order's. */
const everyLineDated = <T extends { date?: string; lines: Array<{ date?: string }> }>() =>
  z.refine<T>((order) => order.date !== undefined || order.lines.every((line) => line.date !== undefined), {
    path: ['date'],
    message: 'give a delivery date for the order or for every line',
  });

export const checkOrderBody = lazySchema(() =>
  z
    .strictObject({
      date: z.optional(isoDate),
      lines: list(orderLine, maxOrderLines).check(z.minLength(1, 'must hold at least one line')),
    })
    .check(everyLineDated()),
);

export const recordOrderBody = lazySchema(() =>
  z
    .strictObject({
      reference: z
        .string()
        .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120, 'must be at most 120 characters')),
      customer: z.optional(
        z.nullable(
          z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120, 'must be at most 120 characters')),
        ),
      ),
      /** The date the customer asked for, when it differs from the dates promised. */
      requestedDate: z.optional(isoDate),
      date: z.optional(isoDate),
      lines: list(orderLine, maxOrderLines).check(z.minLength(1, 'must hold at least one line')),
    })
    .check(everyLineDated()),
);
