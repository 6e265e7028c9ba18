import * as z from 'zod/mini';
import { email, expectedVersion, id, name, pageQuery, workspaceParams } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { portfolioKinds } from './portfolio';

const description = lazySchema(() => z.string().check(z.trim(), z.maxLength(2000, 'must be at most 2000 characters')));
export const maxFamilyLength = 60;
const family = lazySchema(() =>
  z.string().check(z.trim(), z.maxLength(maxFamilyLength, `must be at most ${maxFamilyLength} characters`)),
);
export const maxListPrice = 1_000_000_000;
/** A price per unit: not negative, bounded, in cents at most. */
const listPrice = lazySchema(() =>
  z.number('must be a number').check(
    z.minimum(0, 'must not be negative'),
    z.maximum(maxListPrice, `must be at most ${maxListPrice}`),
    z.refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, 'must have at most two decimals'),
  ),
);

export const portfolioItemFields = {
  code: lazySchema(() =>
    z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'must not be empty'),
        z.maxLength(40, 'must be at most 40 characters'),
        z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold letters, digits, dot, dash and underscore'),
      ),
  ),
  name: lazySchema(() => name(160)),
  kind: lazySchema(() => z.enum(portfolioKinds, 'must be product or service')),
  unit: lazySchema(() => name(30)),
  description: lazySchema(() => z._default(description, '')),
  owner: lazySchema(() => z._default(z.nullable(email), null)),
  family: lazySchema(() => z._default(family, '')),
  listPrice: lazySchema(() => z._default(z.nullable(listPrice), null)),
};

export const createPortfolioItemBody = lazySchema(() => z.strictObject(portfolioItemFields));

export const portfolioItemParams = lazySchema(() => z.extend(workspaceParams, { itemId: id }));

/** Edits name only what changes; `archived: true` archives the item, `false` brings it back. */
export const updatePortfolioItemBody = lazySchema(() =>
  z
    .strictObject({
      code: z.optional(portfolioItemFields.code),
      name: z.optional(portfolioItemFields.name),
      kind: z.optional(portfolioItemFields.kind),
      unit: z.optional(portfolioItemFields.unit),
      description: z.optional(description),
      owner: z.optional(z.nullable(email)),
      family: z.optional(family),
      listPrice: z.optional(z.nullable(listPrice)),
      archived: z.optional(z.boolean()),
      expectedVersion,
    })
    .check(
      z.refine((body) => Object.keys(body).some((key) => key !== 'expectedVersion'), {
        message: 'must change at least one field',
      }),
    ),
);

export const listPortfolioQuery = lazySchema(() =>
  z.strictObject({
    ...pageQuery,
    q: z.optional(z.string().check(z.trim(), z.maxLength(80, 'must be at most 80 characters'))),
    kind: z.optional(z.enum(portfolioKinds)),
    family: z.optional(family),
    archived: z._default(z.enum(['true', 'false', 'all']), 'false'),
  }),
);

/** Largest CSV an import accepts in one request (the body limit is 64 KB). */
export const maxCsvChars = 60_000;
export const maxCsvRows = 500;
/** An update by CSV takes a larger file, in a body of its own size. */
export const maxCsvUpdateChars = 400_000;
export const maxCsvUpdateRows = 2_000;

export const importPortfolioBody = lazySchema(() =>
  z.strictObject({
    csv: z
      .string()
      .check(z.minLength(1, 'must not be empty'), z.maxLength(maxCsvChars, `must be at most ${maxCsvChars} characters`)),
  }),
);

const updateCsv = lazySchema(() =>
  z
    .string()
    .check(
      z.minLength(1, 'must not be empty'),
      z.maxLength(maxCsvUpdateChars, `must be at most ${maxCsvUpdateChars} characters`),
    ),
);

export const previewPortfolioCsvBody = lazySchema(() => z.strictObject({ csv: updateCsv }));

/** The file previewed and the token its preview answered: the apply refuses if the outcome would differ. */
export const applyPortfolioCsvBody = lazySchema(() =>
  z.strictObject({
    csv: updateCsv,
    token: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be the token of a preview'), z.maxLength(64)),
  }),
);
