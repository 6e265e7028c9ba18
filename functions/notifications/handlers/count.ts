import { notificationRoutes } from '#contract/notifications/routes';
import { defineHandler } from '#functions/kernel/http';
import { myNotificationCount } from '#functions/notifications/inbox';

export const handler = defineHandler(notificationRoutes.getNotificationCount, async ({ params, caller }) =>
  myNotificationCount(params.workspaceId, caller.email),
);
