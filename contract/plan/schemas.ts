import * as z from 'zod/mini';
import { email, expectedVersion } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { portfolioKinds } from '#contract/portfolio/portfolio';
import { cycleParams, isoDate } from '#contract/thresholds/cycle-schemas';
import { addDays } from '#contract/working-days';
import { planGranularities } from './plan';

export { cycleParams as planParams };

/** Cells one save may carry: 500 items × 12 months. */
export const maxSaveCells = 6_000;
/** Cells a stored plan may hold, every item and period together. */
export const maxPlanCells = 60_000;
export const maxPlanVolume = 1_000_000_000;
/** A plan file: a row per cell, 6,000 rows of ~40 characters with room to spare. */
export const maxPlanCsvChars = 400_000;
export const maxPlanCsvRows = maxSaveCells;

const amount = (what: string) =>
  z
    .number(`${what} must be a number`)
    .check(z.minimum(0, `${what} must not be negative`), z.maximum(maxPlanVolume, `${what} must be at most ${maxPlanVolume}`));

export const planCode = lazySchema(() =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(40, 'must be at most 40 characters')),
);
export const planPeriod = lazySchema(() =>
  z
    .string()
    .check(z.regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be a month (YYYY-MM) or the Monday of a week (YYYY-MM-DD)'), z.maxLength(10)),
);

export const planCell = lazySchema(() =>
  z.strictObject({
    code: planCode,
    period: planPeriod,
    volume: amount('volume'),
    value: z.optional(z.nullable(amount('value'))),
  }),
);

/** The version the cells are based on (null before the first save), the cells, and the plan's periods. */
export const saveSalesPlanBody = lazySchema(() =>
  z.strictObject({
    expectedVersion: z.nullable(expectedVersion),
    granularity: z.optional(z.enum(planGranularities, 'must be month or week')),
    cells: z.array(planCell).check(z.maxLength(maxSaveCells, `must hold at most ${maxSaveCells} cells`)),
  }),
);

const planCsv = lazySchema(() =>
  z
    .string()
    .check(z.minLength(1, 'must not be empty'), z.maxLength(maxPlanCsvChars, `must be at most ${maxPlanCsvChars} characters`)),
);

export const previewSalesPlanCsvBody = lazySchema(() => z.strictObject({ csv: planCsv }));
export const applySalesPlanCsvBody = lazySchema(() =>
  z.strictObject({
    csv: planCsv,
    token: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be the token of a preview'), z.maxLength(64)),
  }),
);

const family = lazySchema(() => z.string().check(z.trim(), z.maxLength(60, 'must be at most 60 characters')));
export const planLoadQuery = lazySchema(() =>
  z.strictObject({
    kind: z.optional(z.enum(portfolioKinds)),
    family: z.optional(family),
    /** Count only the commitments this member recorded; the plan stays the whole plan. */
    rep: z.optional(email),
  }),
);

/** The longest span of days the caller's cycle dates may cover: three years. */
export const maxAttainmentSpanDays = 1_100;

/**
 * The cycle's dates as the caller knows them (both or neither): they let the
 * commitments be read beside the cycle instead of after it.
 */
export const planAttainmentQuery = lazySchema(() =>
  z.strictObject({ from: z.optional(isoDate), to: z.optional(isoDate) }).check(
    z.refine((query) => (query.from === undefined) === (query.to === undefined), {
      path: ['to'],
      message: 'must be given together with from (the cycle’s start and end dates)',
    }),
    z.refine(
      (query) => !query.from || !query.to || (query.to >= query.from && query.to <= addDays(query.from, maxAttainmentSpanDays)),
      {
        path: ['to'],
        message: `must be on or after from and at most ${maxAttainmentSpanDays} days later`,
      },
    ),
  ),
);
