import { notificationRoutes } from '#contract/notifications/routes';
import { defineHandler } from '#functions/kernel/http';
import { markMyNotificationsRead } from '#functions/notifications/inbox';

export const handler = defineHandler(notificationRoutes.markNotificationsRead, async ({ params, body, caller, now }) =>
  markMyNotificationsRead(params.workspaceId, caller.email, body, now),
);
