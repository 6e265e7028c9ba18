import * as z from 'zod';
import { expectedVersion, id, pageQuery, workspaceParams } from '#contract/common';
import { portfolioKinds } from '#contract/portfolio/portfolio';
import { isoDate } from '#contract/thresholds/cycle-schemas';

export const catalogueItemParams = workspaceParams.extend({ itemId: id });

export const listCatalogueQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(80, 'must be at most 80 characters').optional(),
  kind: z.enum(portfolioKinds).optional(),
});

const quantity = z.coerce
  .number({ message: 'must be a number' })
  .finite()
  .positive('must be more than zero')
  .max(10_000_000, 'must be at most 10000000');

/** A promise check asks for a delivery date or a lead time in working days, not both. */
export const promiseCheckQuery = z
  .strictObject({
    quantity,
    date: isoDate.optional(),
    leadTimeDays: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(520).optional(),
    orderValue: z.coerce.number().finite().min(0, 'must not be negative').max(1_000_000_000).optional(),
  })
  .refine((query) => (query.date === undefined) !== (query.leadTimeDays === undefined), {
    path: ['date'],
    message: 'give either a delivery date or a lead time in working days',
  });

export const recordCommitmentBody = z.strictObject({
  reference: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
  quantity,
  deliveryDate: isoDate,
});

export const commitmentParams = catalogueItemParams.extend({ commitmentId: id });

export const cancelCommitmentBody = z.strictObject({ expectedVersion });

export const listCommitmentsQuery = z.strictObject(pageQuery);
