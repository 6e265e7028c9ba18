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
import { isTimeZone } from '#contract/dates';

/** An IANA time zone name; the web app sends the creator's browser zone. */
export const timeZone = z
  .string()
  .check(
    z.maxLength(64, 'must be at most 64 characters'),
    z.refine(isTimeZone, 'must be a time zone such as Europe/Oslo or UTC'),
  );

export const createWorkspaceBody = z.strictObject({ name: name(120), timeZone: z.optional(timeZone) });

/** The workspace's settings: its time zone, and which bands of promise need an operations manager's approval. */
export const updateWorkspaceBody = z
  .strictObject({
    timeZone: z.optional(timeZone),
    approvalBands: z.optional(
      z.array(z.enum(approvalBandChoices)).check(z.maxLength(approvalBandChoices.length, 'must name each band once')),
    ),
    expectedVersion,
  })
  .check(
    z.refine((body) => body.timeZone !== undefined || body.approvalBands !== undefined, {
      message: 'must change the time zone or the bands that need approval',
    }),
  );

export const inviteMemberBody = z.strictObject({
  email,
  name: z.optional(name(120)),
  function: memberFunction,
  role: memberRole,
});

export const memberParams = z.extend(workspaceParams, { email: emailInPath });

export const updateMemberBody = z
  .strictObject({ function: z.optional(memberFunction), role: z.optional(memberRole), expectedVersion })
  .check(
    z.refine((body) => body.function !== undefined || body.role !== undefined, {
      message: 'must change function or role',
    }),
  );

export const removeMemberQuery = z.strictObject({
  expectedVersion: coercedNumber().check(z.int(), z.minimum(1)),
});
