import * as z from 'zod/mini';
import { _coercedNumber, _isoDate, _isoDateTime } from 'zod/v4/core';
import { memberFunctions, memberRoles } from '#contract/workspaces/members';
import { inputMessage } from './input-messages';
import { lazySchema } from './lazy-schema';

// Once, for every schema: each schema module imports this one.
z.config({ customError: inputMessage });

/*
 * `z.coerce.number()`, `z.iso.date()` and `z.iso.datetime()`, reached without
 * their namespaces: esbuild bundles a re-exported namespace whole, which would
 * bring zod's bigint, date, time and duration schemas into every function (~3 KB).
 */
/** A number from a query string or path (they carry text only). */
export const coercedNumber = (params?: string | z.core.$ZodNumberParams) => _coercedNumber(z.ZodMiniNumber, params);
/** A calendar date, YYYY-MM-DD. */
export const isoDay = (params?: string | z.core.$ZodISODateParams) => _isoDate(z.ZodMiniISODate, params);
export const isoDateTime = (params?: string | z.core.$ZodISODateTimeParams) => _isoDateTime(z.ZodMiniISODateTime, params);

/** Ids are random UUIDs: unguessable, so knowing one grants nothing by itself. */
export const id = lazySchema(() => z.uuid('must be an id (UUID)'));

/** Text of 1 to `max` characters once trimmed. */
export const name = (max: number) =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`));

export const email = lazySchema(() =>
  z.pipe(
    z.email('must be an email address').check(z.maxLength(254, 'must be at most 254 characters')),
    z.transform((value: string) => value.trim().toLowerCase()),
  ),
);

/**
 * Emails travel in the path URL-encoded; whether the gateway decodes path
 * parameters or not, decoding here gives the same address.
 */
export const emailInPath = lazySchema(() =>
  z.pipe(
    z.pipe(
      z.string().check(z.maxLength(800)),
      z.transform((value: string) => {
        try {
          return decodeURIComponent(value);
        } catch {
          return value;
        }
      }),
    ),
    email,
  ),
);

export const memberFunction = lazySchema(() => z.enum(memberFunctions));
export const memberRole = lazySchema(() => z.enum(memberRoles));

/** The version an edit was based on; a stale one gets 409 with the current item. */
export const expectedVersion = lazySchema(() => z.int().check(z.minimum(1)));

export const workspaceParams = lazySchema(() => z.strictObject({ workspaceId: id }));

/** Largest page any list returns; lists page with an opaque cursor. */
export const maxPageSize = 200;

/** Query parameters of a paged list: `limit` (1–200, default 50) and `cursor` from the previous page's `nextCursor`. */
export const pageQuery = {
  limit: lazySchema(() =>
    z._default(coercedNumber().check(z.int(), z.minimum(1), z.maximum(maxPageSize, `must be at most ${maxPageSize}`)), 50),
  ),
  cursor: lazySchema(() => z.optional(z.string().check(z.maxLength(2048, 'must be at most 2048 characters')))),
};

/** Query of a plain paged list. */
export const pageQuerySchema = lazySchema(() => z.strictObject(pageQuery));

/** A list in a body, capped so one request cannot carry an unbounded amount of work. */
export const list = <T extends z.core.SomeType>(item: T, max: number) =>
  z.array(item).check(z.maxLength(max, `must hold at most ${max} items`));
