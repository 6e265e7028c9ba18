import * as z from 'zod';
import { email, expectedVersion, id, name, pageQuery, workspaceParams } from '#contract/common';
import { portfolioKinds } from './portfolio';

export const portfolioItemFields = {
  code: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(40, 'must be at most 40 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold letters, digits, dot, dash and underscore'),
  name: name(160),
  kind: z.enum(portfolioKinds, { message: 'must be product or service' }),
  unit: name(30),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
  owner: email.nullable().default(null),
};

export const createPortfolioItemBody = z.strictObject(portfolioItemFields);

export const portfolioItemParams = workspaceParams.extend({ itemId: id });

/** Edits name only what changes; `archived: true` archives the item, `false` brings it back. */
export const updatePortfolioItemBody = z
  .strictObject({
    code: portfolioItemFields.code.optional(),
    name: portfolioItemFields.name.optional(),
    kind: portfolioItemFields.kind.optional(),
    unit: portfolioItemFields.unit.optional(),
    description: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
    owner: email.nullable().optional(),
    archived: z.boolean().optional(),
    expectedVersion,
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'expectedVersion'), { message: 'must change at least one field' });

export const listPortfolioQuery = z.strictObject({
  ...pageQuery,
  q: z.string().trim().max(80, 'must be at most 80 characters').optional(),
  kind: z.enum(portfolioKinds).optional(),
  archived: z.enum(['true', 'false', 'all']).default('false'),
});

/** Largest CSV an import accepts in one request (the body limit is 64 KB). */
export const maxCsvChars = 60_000;
export const maxCsvRows = 500;

export const importPortfolioBody = z.strictObject({
  csv: z.string().min(1, 'must not be empty').max(maxCsvChars, `must be at most ${maxCsvChars} characters`),
});
