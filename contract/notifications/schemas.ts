import * as z from 'zod/mini';
import { id, list, pageQuery } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { maxMarkedPerCall, notificationOrders } from './notifications';

export const listNotificationsQuery = lazySchema(() =>
  z.strictObject({
    ...pageQuery,
    order: z._default(z.enum(notificationOrders), 'unread'),
  }),
);

/** Either the ids to mark read, or `all: true` for the newest unread ones, at most {@link maxMarkedPerCall} a call. */
export const markNotificationsReadBody = lazySchema(() =>
  z
    .strictObject({
      ids: z.optional(list(id, maxMarkedPerCall).check(z.minLength(1, 'must name at least one notification'))),
      all: z.optional(z.literal(true)),
    })
    .check(
      z.refine((body) => (body.ids === undefined) !== (body.all === undefined), {
        message: 'must give either ids or all: true',
      }),
    ),
);

export const notificationPreferencesBody = lazySchema(() => z.strictObject({ emailNotifications: z.boolean() }));
