import { catalogueRoutes } from '#contract/catalogue/routes';
import { approveCommitment } from '#functions/catalogue/decisions';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.approveCommitment, async ({ params, body, membership, caller, now }) =>
  approveCommitment({ ...params, ...body }, membership, caller, now),
);
