import * as z from 'zod';
import { email, expectedVersion, memberFunction, memberRole, name, workspaceParams } from '#contract/common';
import { isTimeZone } from '#contract/dates';

/** An IANA time zone name; the web app sends the creator's browser zone. */
export const timeZone = z
  .string()
  .max(64, 'must be at most 64 characters')
  .refine(isTimeZone, 'must be a time zone such as Europe/Oslo or UTC');

export const createWorkspaceBody = z.strictObject({ name: name(120), timeZone: timeZone.optional() });

export const updateWorkspaceBody = z.strictObject({ timeZone, expectedVersion });

export const inviteMemberBody = z.strictObject({
  email,
  name: name(120).optional(),
  function: memberFunction,
  role: memberRole,
});

/**
 * Emails travel in the path URL-encoded; whether the gateway decodes path
 * parameters or not, decoding here gives the same address.
 */
const emailInPath = z
  .string()
  .max(800)
  .transform((value) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  })
  .pipe(email);

export const memberParams = workspaceParams.extend({ email: emailInPath });

export const updateMemberBody = z
  .strictObject({ function: memberFunction.optional(), role: memberRole.optional(), expectedVersion })
  .refine((body) => body.function !== undefined || body.role !== undefined, {
    message: 'must change function or role',
  });

export const removeMemberQuery = z.strictObject({ expectedVersion: z.coerce.number().int().min(1) });
