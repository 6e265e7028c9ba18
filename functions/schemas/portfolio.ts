import * as z from 'zod';
import { portfolioKinds } from '../domain/portfolio';
import { email, name } from './common';

export const portfolioItemFields = {
  code: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(40, 'must be at most 40 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'may hold letters, digits, dot, dash and underscore'),
  name: name(160),
  kind: z.enum(portfolioKinds),
  unit: name(30),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
  owner: email.nullable().default(null),
};

export const createPortfolioItemBody = z.strictObject(portfolioItemFields);
