import { catalogueRoutes } from '#contract/catalogue/routes';
import { recordCommitment } from '#functions/catalogue/commitments';
import { defineHandler } from '#functions/kernel/http';
import { sendNotificationMail } from '#functions/notifications/mail';

export const handler = defineHandler(catalogueRoutes.recordCommitment, async ({ params, body, caller, now }) => {
  const { commitment, answer, notifications } = await recordCommitment({ ...params, ...body }, caller, now);
  // After the commitment is stored: a mail that fails is logged, the commitment and its notifications stand.
  await sendNotificationMail(notifications);
  return { commitment, answer };
});
