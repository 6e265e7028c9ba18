import { acrossRoutes } from '#contract/catalogue/routes-across';
import { listWorkspaceCommitments } from '#functions/catalogue/commitments-list';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(acrossRoutes.listWorkspaceCommitments, async ({ params, query, caller, now }) => {
  const { limit, cursor, ...filters } = query;
  return listWorkspaceCommitments(params.workspaceId, filters, { limit, cursor }, caller, now);
});
