import { Forbidden } from '../../lib/errors';
import { defineHandler } from '../../lib/http';
import { catalogueRoutes } from '../../routes/catalogue';
import { cancelCommitment } from '../../store/commitments';

export const handler = defineHandler(catalogueRoutes.cancelCommitment, async ({ params, body, member, caller, now }) => {
  if (!member) throw new Forbidden('Only members cancel commitments');
  return cancelCommitment({ ...params, ...body }, member, caller, now);
});
