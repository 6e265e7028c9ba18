import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { listWorkspacesOf } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.getMe, async ({ caller }) => ({
  email: caller.email,
  name: caller.name,
  workspaces: await listWorkspacesOf(caller.email, caller.sub),
}));
