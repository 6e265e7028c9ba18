import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { getWorkspaceFor } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.getWorkspace, async ({ params, caller }) =>
  getWorkspaceFor(params.workspaceId, caller.email),
);
