import * as z from 'zod';
import { expectedVersion, id, workspaceParams } from '#contract/common';
import { termsProblems } from './thresholds';

const amount = (max: number) =>
  z.number({ message: 'must be a number' }).finite().min(0, 'must not be negative').max(max, `must be at most ${max}`);
const wholeDays = z
  .number({ message: 'must be a number' })
  .int('must be a whole number of working days')
  .min(0, 'must not be negative')
  .max(365, 'must be at most 365');
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const scopeList = z.array(text(200).min(1, 'must not be empty')).max(30, 'must hold at most 30 entries').default([]);

/** The terms of a threshold, with the ranges the issue asks for; cross-field rules come from the domain. */
export const thresholdTerms = z
  .strictObject({
    standardLeadTimeDays: wholeDays.min(1, 'must be at least 1 working day'),
    capacityPerWeek: amount(1_000_000),
    flexExtraCapacityPercent: amount(500),
    flexLeadTimeDays: wholeDays.min(1, 'must be at least 1 working day'),
    expediteFeePercent: amount(500),
    overtimeCostPerUnit: amount(1_000_000),
    setupCost: amount(10_000_000),
    currency: z
      .string()
      .trim()
      .max(16, 'must be at most 16 characters')
      .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR')
      .default('EUR'),
    minimumOrderQuantity: amount(1_000_000).default(0),
    noticeDays: wholeDays.default(0),
    slaTerms: text(2000).default(''),
    scopeIncluded: scopeList,
    scopeExcluded: scopeList,
    notes: text(4000).default(''),
  })
  .superRefine((terms, context) => {
    for (const problem of termsProblems(terms)) {
      context.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
    }
  });

export const thresholdParams = workspaceParams.extend({ cycleId: id, itemId: id });

/** A new version of the threshold; `expectedVersion` is the latest version the edit was based on (omit for the first). */
export const saveThresholdBody = z.strictObject({
  terms: thresholdTerms,
  expectedVersion: expectedVersion.nullable().default(null),
});

export const signOffParams = thresholdParams.extend({
  version: z.coerce.number().int().min(1, 'must be a version number').max(1_000_000),
});
