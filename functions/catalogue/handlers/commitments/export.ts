import { acrossRoutes } from '#contract/catalogue/routes-across';
import { exportWorkspaceCommitments } from '#functions/catalogue/commitments-list';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(acrossRoutes.exportWorkspaceCommitments, async ({ params, query, caller, now }) =>
  exportWorkspaceCommitments(params.workspaceId, query, caller, now),
);
