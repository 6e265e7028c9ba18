import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { listWorkspacesOf } from '#functions/workspaces/service';

export const handler = defineHandler(workspaceRoutes.getMe, async ({ caller }) => ({
  email: caller.email,
  name: caller.name,
  workspaces: await listWorkspacesOf(caller.email, caller.sub),
}));
