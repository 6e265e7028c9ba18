import * as z from 'zod';
import { memberFunctions, memberRoles } from '#contract/workspaces/members';

/** Ids are random UUIDs: unguessable, so knowing one grants nothing by itself. */
export const id = z.uuid({ message: 'must be an id (UUID)' });

export const name = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const email = z
  .email({ message: 'must be an email address' })
  .max(254, 'must be at most 254 characters')
  .transform((value) => value.trim().toLowerCase());

export const memberFunction = z.enum(memberFunctions);
export const memberRole = z.enum(memberRoles);

/** The version an edit was based on; a stale one gets 409 with the current item. */
export const expectedVersion = z.number().int().min(1);

export const workspaceParams = z.strictObject({ workspaceId: id });

/** Largest page any list returns; lists page with an opaque cursor. */
export const maxPageSize = 200;

/** Query parameters of a paged list: `limit` (1–200, default 50) and `cursor` from the previous page's `nextCursor`. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(maxPageSize, `must be at most ${maxPageSize}`).default(50),
  cursor: z.string().max(2048, 'must be at most 2048 characters').optional(),
};

/** Query of a plain paged list. */
export const pageQuerySchema = z.strictObject(pageQuery);

/** A list in a body, capped so one request cannot carry an unbounded amount of work. */
export const list = <T extends z.ZodType>(item: T, max: number) => z.array(item).max(max, `must hold at most ${max} items`);
