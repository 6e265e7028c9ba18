import { defineHandler } from '../../lib/http';
import { catalogueRoutes } from '../../routes/catalogue';
import { recordCommitment } from '../../store/commitments';

export const handler = defineHandler(catalogueRoutes.recordCommitment, async ({ params, body, caller, now }) =>
  recordCommitment({ ...params, ...body }, caller, now),
);
