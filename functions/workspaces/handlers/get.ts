import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { getWorkspaceFor } from '#functions/workspaces/service';

export const handler = defineHandler(workspaceRoutes.getWorkspace, async ({ params, caller }) =>
  getWorkspaceFor(params.workspaceId, caller.email),
);
