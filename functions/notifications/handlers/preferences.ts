import { notificationRoutes } from '#contract/notifications/routes';
import { defineHandler } from '#functions/kernel/http';
import { setEmailNotifications } from '#functions/notifications/inbox';

export const handler = defineHandler(notificationRoutes.updateNotificationPreferences, async ({ params, body, caller }) =>
  setEmailNotifications(params.workspaceId, caller.email, body.emailNotifications),
);
