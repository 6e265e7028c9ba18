import { catalogueRoutes } from '#contract/catalogue/routes';
import { cancelCommitment } from '#functions/catalogue/commitments';
import { Forbidden } from '#functions/kernel/errors';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.cancelCommitment, async ({ params, body, member, caller, now }) => {
  if (!member) throw new Forbidden('Only members cancel commitments');
  return cancelCommitment({ ...params, ...body }, member, caller, now);
});
