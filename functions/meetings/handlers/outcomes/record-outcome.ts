import { meetingRoutes } from '#contract/meetings/routes';
import { defineHandler } from '#functions/kernel/http';
import { recordOutcome } from '#functions/meetings/service-outcomes';
import { sendNotificationMail } from '#functions/notifications/mail';

export const handler = defineHandler(meetingRoutes.recordOutcome, async ({ params, body, caller, now }) => {
  const { outcome, notifications } = await recordOutcome(params.workspaceId, params.meetingId, body, caller, now);
  // After the decision is stored: a mail that fails is logged, the decision and its notifications stand.
  await sendNotificationMail(notifications);
  return outcome;
});
