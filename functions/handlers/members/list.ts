import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { listMembers } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.listMembers, async ({ params }) => ({
  members: await listMembers(params.workspaceId),
}));
