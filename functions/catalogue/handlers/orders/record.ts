import { catalogueRoutes } from '#contract/catalogue/routes';
import { recordOrder } from '#functions/catalogue/orders';
import { defineHandler } from '#functions/kernel/http';
import { sendNotificationMail } from '#functions/notifications/mail';

export const handler = defineHandler(catalogueRoutes.recordOrder, async ({ params, body, caller, now }) => {
  const { notifications, ...recorded } = await recordOrder({ ...params, ...body }, caller, now);
  // After the order is stored: a mail that fails is logged, the order and its notifications stand.
  await sendNotificationMail(notifications);
  return recorded;
});
