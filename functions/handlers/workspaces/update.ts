import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { updateWorkspaceSettings } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.updateWorkspace, async ({ params, body, caller, now }) =>
  updateWorkspaceSettings(params.workspaceId, body, caller, now),
);
