import { catalogueRoutes } from '#contract/catalogue/routes';
import { cancelCommitment } from '#functions/catalogue/commitments';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(
  catalogueRoutes.cancelCommitment,
  async ({ params, body, member, caller, now }) => cancelCommitment({ ...params, ...body }, member, caller, now),
  { needsMember: true },
);
