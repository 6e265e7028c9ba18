import * as z from 'zod/mini';
import { coercedNumber, expectedVersion, id, workspaceParams } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { termsProblems } from './thresholds';

const amount = (max: number) =>
  z.number('must be a number').check(z.minimum(0, 'must not be negative'), z.maximum(max, `must be at most ${max}`));
const wholeDays = lazySchema(() =>
  z
    .number('must be a number')
    .check(
      z.int('must be a whole number of working days'),
      z.minimum(0, 'must not be negative'),
      z.maximum(365, 'must be at most 365'),
    ),
);
const text = (max: number) => z.string().check(z.trim(), z.maxLength(max, `must be at most ${max} characters`));
const scopeList = lazySchema(() =>
  z._default(
    z.array(text(200).check(z.minLength(1, 'must not be empty'))).check(z.maxLength(30, 'must hold at most 30 entries')),
    [],
  ),
);

/** The terms of a threshold, with the ranges the issue asks for; cross-field rules come from the domain. */
export const thresholdTerms = lazySchema(() =>
  z
    .strictObject({
      standardLeadTimeDays: wholeDays.check(z.minimum(1, 'must be at least 1 working day')),
      capacityPerWeek: amount(1_000_000),
      flexExtraCapacityPercent: amount(500),
      flexLeadTimeDays: wholeDays.check(z.minimum(1, 'must be at least 1 working day')),
      expediteFeePercent: amount(500),
      overtimeCostPerUnit: amount(1_000_000),
      setupCost: amount(10_000_000),
      currency: z._default(
        z
          .string()
          .check(
            z.trim(),
            z.maxLength(16, 'must be at most 16 characters'),
            z.regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR'),
          ),
        'EUR',
      ),
      minimumOrderQuantity: z._default(amount(1_000_000), 0),
      noticeDays: z._default(wholeDays, 0),
      slaTerms: z._default(text(2000), ''),
      scopeIncluded: scopeList,
      scopeExcluded: scopeList,
      notes: z._default(text(4000), ''),
    })
    .check(
      z.superRefine((terms, context) => {
        for (const problem of termsProblems(terms)) {
          context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
        }
      }),
    ),
);

export const thresholdParams = lazySchema(() => z.extend(workspaceParams, { cycleId: id, itemId: id }));

/** A new version of the threshold; `expectedVersion` is the latest version the edit was based on (omit for the first). */
export const saveThresholdBody = lazySchema(() =>
  z.strictObject({
    terms: thresholdTerms,
    expectedVersion: z._default(z.nullable(expectedVersion), null),
  }),
);

export const signOffParams = lazySchema(() =>
  z.extend(thresholdParams, {
    version: coercedNumber().check(z.int(), z.minimum(1, 'must be a version number'), z.maximum(1_000_000)),
  }),
);

/** A thresholds file: a row per item of the cycle, with room for long SLA terms and notes. */
export const maxThresholdCsvChars = 400_000;
export const maxThresholdCsvRows = 1_000;

const thresholdCsv = lazySchema(() =>
  z
    .string()
    .check(
      z.minLength(1, 'must not be empty'),
      z.maxLength(maxThresholdCsvChars, `must be at most ${maxThresholdCsvChars} characters`),
    ),
);

export const previewThresholdCsvBody = lazySchema(() => z.strictObject({ csv: thresholdCsv }));

/** The file previewed and the token its preview answered: the apply refuses if the outcome would differ. */
export const applyThresholdCsvBody = lazySchema(() =>
  z.strictObject({
    csv: thresholdCsv,
    token: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be the token of a preview'), z.maxLength(64)),
  }),
);
