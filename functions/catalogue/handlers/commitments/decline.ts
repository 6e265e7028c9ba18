import { catalogueRoutes } from '#contract/catalogue/routes';
import { declineCommitment } from '#functions/catalogue/decisions';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.declineCommitment, async ({ params, body, membership, caller, now }) =>
  declineCommitment({ ...params, ...body }, membership, caller, now),
);
