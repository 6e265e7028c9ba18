import { catalogueRoutes } from '#contract/catalogue/routes';
import { listItemCommitments } from '#functions/catalogue/commitments';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.listCommitments, async ({ params, query, now }) =>
  listItemCommitments(params.workspaceId, params.itemId, query, now),
);
