import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { updateWorkspaceSettings } from '#functions/workspaces/service';

export const handler = defineHandler(workspaceRoutes.updateWorkspace, async ({ params, body, caller, now }) =>
  updateWorkspaceSettings(params.workspaceId, body, caller, now),
);
