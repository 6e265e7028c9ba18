import { catalogueRoutes } from '#contract/catalogue/routes';
import { recordCommitment } from '#functions/catalogue/commitments';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.recordCommitment, async ({ params, body, caller, now }) =>
  recordCommitment({ ...params, ...body }, caller, now),
);
