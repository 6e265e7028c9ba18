import * as z from 'zod/mini';
import { email, expectedVersion, id, isoDay, memberFunction, name, pageQuery, workspaceParams } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { costTypes, detectionStages, issueCategories, issueStatuses } from './misalignment';

/**
 * Budget cycles are identified by id; until cycles exist as records, any
 * short id-like name ("FY2027") or a cycle's UUID is accepted, so rankings
 * link to the real cycle entity without a change of keys.
 */
export const cycleId = lazySchema(() =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(64, 'must be at most 64 characters'),
      z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a cycle id: letters, digits, dot, dash and underscore'),
    ),
);

const day = lazySchema(() => isoDay('must be a date (YYYY-MM-DD)'));
const currency = lazySchema(() =>
  z.string().check(z.regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR'), z.maxLength(3)),
);
const text = (max: number) => z.string().check(z.trim(), z.maxLength(max, `must be at most ${max} characters`));
const idList = (max: number) => z.array(id).check(z.maxLength(max, `must hold at most ${max} ids`));

/** Largest amount one cost line may carry; well beyond any real occurrence, small enough to sum exactly. */
const maxAmount = 1_000_000_000;
const amount = lazySchema(() =>
  z.number().check(
    z.minimum(0, 'must not be negative'),
    z.maximum(maxAmount, `must be at most ${maxAmount}`),
    z.refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'must have at most two decimals'),
  ),
);

export const issueParams = lazySchema(() => z.extend(workspaceParams, { issueId: id }));
export const occurrenceParams = lazySchema(() => z.extend(issueParams, { occurrenceId: id }));
export const cycleParams = lazySchema(() => z.extend(workspaceParams, { cycleId }));

const issueFields = {
  title: lazySchema(() => name(160)),
  description: lazySchema(() => text(4000)),
  category: lazySchema(() => z.enum(issueCategories)),
  itemIds: lazySchema(() => idList(50)),
  functions: lazySchema(() => z.array(memberFunction).check(z.maxLength(5, 'must hold at most 5 functions'))),
  owner: lazySchema(() => z.nullable(email)),
  cycleId: lazySchema(() => z.nullable(cycleId)),
  meetingIds: lazySchema(() => idList(50)),
  thresholdVersionIds: lazySchema(() => idList(50)),
};

export const createIssueBody = lazySchema(() =>
  z.strictObject({
    title: issueFields.title,
    description: z._default(issueFields.description, ''),
    category: issueFields.category,
    itemIds: z._default(issueFields.itemIds, []),
    functions: z._default(issueFields.functions, []),
    owner: z._default(issueFields.owner, null),
    cycleId: z._default(issueFields.cycleId, null),
    meetingIds: z._default(issueFields.meetingIds, []),
    thresholdVersionIds: z._default(issueFields.thresholdVersionIds, []),
    currency: z.optional(currency),
  }),
);

export const updateIssueBody = lazySchema(() =>
  z
    .strictObject({
      title: z.optional(issueFields.title),
      description: z.optional(issueFields.description),
      category: z.optional(issueFields.category),
      status: z.optional(z.enum(issueStatuses)),
      itemIds: z.optional(issueFields.itemIds),
      functions: z.optional(issueFields.functions),
      owner: z.optional(issueFields.owner),
      cycleId: z.optional(issueFields.cycleId),
      meetingIds: z.optional(issueFields.meetingIds),
      thresholdVersionIds: z.optional(issueFields.thresholdVersionIds),
      expectedVersion,
    })
    .check(
      z.refine((body) => Object.keys(body).some((key) => key !== 'expectedVersion'), {
        message: 'must change at least one field',
      }),
    ),
);

export const listIssuesQuery = lazySchema(() =>
  z.strictObject({
    ...pageQuery,
    category: z.optional(z.enum(issueCategories)),
    status: z.optional(z.enum(issueStatuses)),
    itemId: z.optional(id),
    function: z.optional(memberFunction),
    owner: z.optional(email),
    q: z.optional(text(160)),
    /** Only issues that occurred within this range, e.g. a budget cycle's dates. */
    from: z.optional(day),
    to: z.optional(day),
  }),
);

export const exportIssuesQuery = lazySchema(() => z.omit(listIssuesQuery, { limit: true, cursor: true }));

const cost = lazySchema(() =>
  z
    .strictObject(
      Object.fromEntries(costTypes.map((type) => [type, z.optional(amount)])) as Record<
        (typeof costTypes)[number],
        z.ZodMiniOptional<typeof amount>
      >,
    )
    .check(
      z.refine((value) => Object.values(value).some((entry) => entry !== undefined), {
        message: `must give at least one of: ${costTypes.join(', ')}`,
      }),
    ),
);

export const logOccurrenceBody = lazySchema(() =>
  z.strictObject({
    occurredOn: day,
    reference: z._default(text(200), ''),
    detectedAt: z.enum(detectionStages),
    cost,
    currency,
    notes: z._default(text(2000), ''),
  }),
);

export const correctOccurrenceBody = lazySchema(() =>
  z
    .strictObject({
      occurredOn: z.optional(day),
      reference: z.optional(text(200)),
      detectedAt: z.optional(z.enum(detectionStages)),
      cost: z.optional(cost),
      notes: z.optional(text(2000)),
      expectedVersion,
    })
    .check(
      z.refine((body) => Object.keys(body).some((key) => key !== 'expectedVersion'), {
        message: 'must correct at least one field',
      }),
    ),
);

export const listOccurrencesQuery = lazySchema(() => z.strictObject(pageQuery));

const weight = lazySchema(() => z.number().check(z.minimum(0, 'must not be negative'), z.maximum(100, 'must be at most 100')));
const scale = lazySchema(() =>
  z.number().check(z.positive('must be more than zero'), z.maximum(maxAmount, `must be at most ${maxAmount}`)),
);
/** The version an edit was based on; 0 while the workspace still has none (the default model, no votes yet). */
const versionSeen = lazySchema(() => z.int().check(z.minimum(0)));

export const saveScoringModelBody = lazySchema(() =>
  z.strictObject({
    weights: z.strictObject({ cost: weight, recentCost: weight, frequency: weight, detection: weight }),
    costScale: scale,
    recentCostScale: scale,
    frequencyScale: z.int().check(z.minimum(1), z.maximum(1_000_000)),
    votesPerManager: z.int().check(z.minimum(1, 'must be at least 1'), z.maximum(100, 'must be at most 100')),
    currency,
    expectedVersion: versionSeen,
  }),
);

const dateRange = { from: lazySchema(() => z.optional(day)), to: lazySchema(() => z.optional(day)) };

export const rankingQuery = lazySchema(() =>
  z
    .strictObject({ ...dateRange, compareTo: z.optional(cycleId) })
    .check(z.refine((query) => !query.from || !query.to || query.from <= query.to, { message: 'from must not be after to' })),
);

export const castVotesBody = lazySchema(() =>
  z.strictObject({
    allocations: z
      .array(z.strictObject({ issueId: id, votes: z.int().check(z.minimum(0), z.maximum(100)) }))
      .check(z.maxLength(50, 'must hold at most 50 issues')),
    expectedVersion: versionSeen,
  }),
);

export const freezeRankingBody = lazySchema(() =>
  z
    .strictObject({
      note: z._default(text(1000), ''),
      meetingId: z._default(z.nullable(id), null),
      ...dateRange,
    })
    .check(z.refine((body) => !body.from || !body.to || body.from <= body.to, { message: 'from must not be after to' })),
);
