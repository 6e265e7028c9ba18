import { catalogueRoutes } from '#contract/catalogue/routes';
import { cancelCommitment } from '#functions/catalogue/commitments';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.cancelCommitment, async ({ params, body, membership, caller, now }) =>
  cancelCommitment({ ...params, ...body }, membership, caller, now),
);
