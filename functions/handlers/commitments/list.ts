import { defineHandler } from '../../lib/http';
import { catalogueRoutes } from '../../routes/catalogue';
import { listItemCommitments } from '../../store/commitments';

export const handler = defineHandler(catalogueRoutes.listCommitments, async ({ params, query }) =>
  listItemCommitments(params.workspaceId, params.itemId, query),
);
