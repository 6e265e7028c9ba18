import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { portfolioKinds } from '#contract/portfolio/portfolio';
import {
  type AgreedThreshold,
  type FieldChange,
  type SignOff,
  signOffFunctions,
  signOffRoles,
  type ThresholdTerms,
  type ThresholdVersion,
  thresholdFields,
} from '#contract/thresholds/thresholds';

/*
 * The shapes threshold records are made of, as stored. They check structure
 * only: the ranges and cross-field rules were checked when the terms were
 * saved. They live with the portfolio item, which carries a copy of its
 * agreed threshold, so the thresholds area builds on the portfolio and
 * never the other way round.
 */

const number = lazySchema(() => z.number());
const text = lazySchema(() => z.string());
const texts = lazySchema(() => z.array(text));

export const termsShape: z.ZodMiniType<ThresholdTerms> = lazySchema(() =>
  z.object({
    standardLeadTimeDays: number,
    capacityPerWeek: number,
    flexExtraCapacityPercent: number,
    flexLeadTimeDays: number,
    expediteFeePercent: number,
    overtimeCostPerUnit: number,
    setupCost: number,
    currency: text,
    minimumOrderQuantity: number,
    noticeDays: number,
    slaTerms: text,
    scopeIncluded: texts,
    scopeExcluded: texts,
    notes: text,
  }),
);

export const signOffShape: z.ZodMiniType<SignOff> = lazySchema(() =>
  z.object({
    email: text,
    sub: z.optional(text),
    name: text,
    function: z.enum(signOffFunctions),
    role: z.optional(z.enum(signOffRoles)),
    at: text,
    via: z.optional(z.object({ meetingId: text, decisionId: text })),
  }),
);

/** Signatures, none on a record kept from before they were stored. */
export const signOffsShape = lazySchema(() => z._default(z.array(signOffShape), []));

const changeShape: z.ZodMiniType<FieldChange> = lazySchema(() =>
  z.object({
    field: z.enum(thresholdFields),
    before: z.unknown(),
    after: z.unknown(),
  }),
);

export const versionShape: z.ZodMiniType<ThresholdVersion> = lazySchema(() =>
  z.object({
    workspaceId: text,
    itemId: text,
    cycleId: text,
    version: number,
    terms: termsShape,
    changes: z._default(z.array(changeShape), []),
    origin: z._default(z.nullable(z.object({ cycleId: text, cycleName: text, version: number })), null),
    createdBy: text,
    createdByName: text,
    createdAt: text,
  }),
);

export const agreedThresholdShape: z.ZodMiniType<AgreedThreshold> = lazySchema(() =>
  z.object({
    itemId: text,
    itemCode: text,
    itemName: text,
    kind: z.enum(portfolioKinds),
    unit: text,
    cycleId: text,
    cycleName: text,
    cycleStartDate: text,
    cycleEndDate: z.optional(text),
    holidays: texts,
    version: number,
    terms: termsShape,
    signOffs: z.array(signOffShape),
    agreedAt: text,
  }),
);
