import { notificationRoutes } from '#contract/notifications/routes';
import { defineHandler } from '#functions/kernel/http';
import { listMyNotifications } from '#functions/notifications/inbox';

export const handler = defineHandler(notificationRoutes.listNotifications, async ({ params, query, caller }) => {
  const page = await listMyNotifications(params.workspaceId, caller.email, query);
  return { notifications: page.items, nextCursor: page.nextCursor };
});
