import * as z from 'zod/mini';
import { approvalBandChoices } from '#contract/catalogue/approval';
import {
  coercedNumber,
  email,
  emailInPath,
  expectedVersion,
  memberFunction,
  memberRole,
  name,
  workspaceParams,
} from '#contract/common';
import { csvDecimalNames, csvDelimiterNames } from '#contract/csv';
import { isTimeZone } from '#contract/dates';
import { lazySchema } from '#contract/lazy-schema';

/** An IANA time zone name; the web app sends the creator's browser zone. */
export const timeZone = lazySchema(() =>
  z
    .string()
    .check(
      z.maxLength(64, 'must be at most 64 characters'),
      z.refine(isTimeZone, 'must be a time zone such as Europe/Oslo or UTC'),
    ),
);

export const createWorkspaceBody = lazySchema(() => z.strictObject({ name: name(120), timeZone: z.optional(timeZone) }));

/** The currency of the workspace's money (list prices), as an ISO 4217 code. */
export const currency = lazySchema(() =>
  z
    .string()
    .check(
      z.maxLength(3, 'must be a three-letter currency code such as EUR'),
      z.regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR'),
    ),
);

/** Settings name only what changes. */
export const updateWorkspaceBody = lazySchema(() =>
  z
    .strictObject({
      timeZone: z.optional(timeZone),
      currency: z.optional(currency),
      csvDelimiter: z.optional(z.enum(csvDelimiterNames, 'must be comma, semicolon or tab')),
      csvDecimal: z.optional(z.enum(csvDecimalNames, 'must be point or comma')),
      approvalBands: z.optional(
        z.array(z.enum(approvalBandChoices)).check(z.maxLength(approvalBandChoices.length, 'must name each band once')),
      ),
      expectedVersion,
    })
    .check(
      z.refine((body) => Object.keys(body).some((key) => key !== 'expectedVersion'), {
        message: 'must change at least one setting',
      }),
    ),
);

export const inviteMemberBody = lazySchema(() =>
  z.strictObject({
    email,
    name: z.optional(name(120)),
    function: memberFunction,
    role: memberRole,
  }),
);

export const memberParams = lazySchema(() => z.extend(workspaceParams, { email: emailInPath }));

export const updateMemberBody = lazySchema(() =>
  z.strictObject({ function: z.optional(memberFunction), role: z.optional(memberRole), expectedVersion }).check(
    z.refine((body) => body.function !== undefined || body.role !== undefined, {
      message: 'must change function or role',
    }),
  ),
);

export const removeMemberQuery = lazySchema(() =>
  z.strictObject({
    expectedVersion: coercedNumber().check(z.int(), z.minimum(1)),
  }),
);
