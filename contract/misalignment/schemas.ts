import * as z from 'zod';
import { email, expectedVersion, id, memberFunction, name, pageQuery, workspaceParams } from '#contract/common';
import { costTypes, detectionStages, issueCategories, issueStatuses } from './misalignment';

/**
 * Budget cycles are identified by id; until cycles exist as records, any
 * short id-like name ("FY2027") or a cycle's UUID is accepted, so rankings
 * link to the real cycle entity without a change of keys.
 */
export const cycleId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a cycle id: letters, digits, dot, dash and underscore');

const day = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR')
  .max(3);
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const idList = (max: number) => z.array(id).max(max, `must hold at most ${max} ids`);

/** Largest amount one cost line may carry; well beyond any real occurrence, small enough to sum exactly. */
const maxAmount = 1_000_000_000;
const amount = z
  .number()
  .min(0, 'must not be negative')
  .max(maxAmount, `must be at most ${maxAmount}`)
  .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'must have at most two decimals');

export const issueParams = workspaceParams.extend({ issueId: id });
export const occurrenceParams = issueParams.extend({ occurrenceId: id });
export const cycleParams = workspaceParams.extend({ cycleId });

const issueFields = {
  title: name(160),
  description: text(4000),
  category: z.enum(issueCategories),
  itemIds: idList(50),
  functions: z.array(memberFunction).max(5, 'must hold at most 5 functions'),
  owner: email.nullable(),
  cycleId: cycleId.nullable(),
  meetingIds: idList(50),
  thresholdVersionIds: idList(50),
};

export const createIssueBody = z.strictObject({
  title: issueFields.title,
  description: issueFields.description.default(''),
  category: issueFields.category,
  itemIds: issueFields.itemIds.default([]),
  functions: issueFields.functions.default([]),
  owner: issueFields.owner.default(null),
  cycleId: issueFields.cycleId.default(null),
  meetingIds: issueFields.meetingIds.default([]),
  thresholdVersionIds: issueFields.thresholdVersionIds.default([]),
  currency: currency.optional(),
});

export const updateIssueBody = z
  .strictObject({
    title: issueFields.title.optional(),
    description: issueFields.description.optional(),
    category: issueFields.category.optional(),
    status: z.enum(issueStatuses).optional(),
    itemIds: issueFields.itemIds.optional(),
    functions: issueFields.functions.optional(),
    owner: issueFields.owner.optional(),
    cycleId: issueFields.cycleId.optional(),
    meetingIds: issueFields.meetingIds.optional(),
    thresholdVersionIds: issueFields.thresholdVersionIds.optional(),
    expectedVersion,
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'expectedVersion'), { message: 'must change at least one field' });

export const listIssuesQuery = z.strictObject({
  ...pageQuery,
  category: z.enum(issueCategories).optional(),
  status: z.enum(issueStatuses).optional(),
  itemId: id.optional(),
  function: memberFunction.optional(),
  owner: email.optional(),
  q: text(160).optional(),
  /** Only issues that occurred within this range, e.g. a budget cycle's dates. */
  from: day.optional(),
  to: day.optional(),
});

export const exportIssuesQuery = listIssuesQuery.omit({ limit: true, cursor: true });

const cost = z
  .strictObject(
    Object.fromEntries(costTypes.map((type) => [type, amount.optional()])) as Record<
      (typeof costTypes)[number],
      z.ZodOptional<typeof amount>
    >,
  )
  .refine((value) => Object.values(value).some((entry) => entry !== undefined), {
    message: `must give at least one of: ${costTypes.join(', ')}`,
  });

export const logOccurrenceBody = z.strictObject({
  occurredOn: day,
  reference: text(200).default(''),
  detectedAt: z.enum(detectionStages),
  cost,
  currency,
  notes: text(2000).default(''),
});

export const correctOccurrenceBody = z
  .strictObject({
    occurredOn: day.optional(),
    reference: text(200).optional(),
    detectedAt: z.enum(detectionStages).optional(),
    cost: cost.optional(),
    notes: text(2000).optional(),
    expectedVersion,
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'expectedVersion'), { message: 'must correct at least one field' });

export const listOccurrencesQuery = z.strictObject(pageQuery);

const weight = z.number().min(0, 'must not be negative').max(100, 'must be at most 100');
const scale = z.number().positive('must be more than zero').max(maxAmount, `must be at most ${maxAmount}`);

export const saveScoringModelBody = z.strictObject({
  weights: z.strictObject({ cost: weight, recentCost: weight, frequency: weight, detection: weight }),
  costScale: scale,
  recentCostScale: scale,
  frequencyScale: z.number().int().min(1).max(1_000_000),
  votesPerManager: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'),
  currency,
  /** 0 when the workspace still uses the default model. */
  expectedVersion: z.number().int().min(0),
});

const dateRange = { from: day.optional(), to: day.optional() };

export const rankingQuery = z
  .strictObject({ ...dateRange, compareTo: cycleId.optional() })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to' });

export const castVotesBody = z.strictObject({
  allocations: z
    .array(z.strictObject({ issueId: id, votes: z.number().int().min(0).max(100) }))
    .max(50, 'must hold at most 50 issues'),
  expectedVersion: z.number().int().min(0),
});

export const freezeRankingBody = z
  .strictObject({ note: text(1000).default(''), meetingId: id.nullable().default(null), ...dateRange })
  .refine((body) => !body.from || !body.to || body.from <= body.to, { message: 'from must not be after to' });
