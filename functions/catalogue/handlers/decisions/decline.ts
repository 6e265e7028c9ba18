import { catalogueRoutes } from '#contract/catalogue/routes';
import { declineCommitment } from '#functions/catalogue/decisions';
import { defineHandler } from '#functions/kernel/http';
import { sendNotificationMail } from '#functions/notifications/mail';

export const handler = defineHandler(catalogueRoutes.declineCommitment, async ({ params, body, membership, caller, now }) => {
  const { commitment, notifications } = await declineCommitment({ ...params, ...body }, membership, caller, now);
  // After the decision is stored: a mail that fails is logged, the decision and its notification stand.
  await sendNotificationMail(notifications);
  return commitment;
});
