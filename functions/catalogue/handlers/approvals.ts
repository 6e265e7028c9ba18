import { catalogueRoutes } from '#contract/catalogue/routes';
import { listCommitmentApprovals } from '#functions/catalogue/decisions';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.listCommitmentApprovals, async ({ params, query, caller, now }) =>
  listCommitmentApprovals(params.workspaceId, query.show, caller, query, now),
);
