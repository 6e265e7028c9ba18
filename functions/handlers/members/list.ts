import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { listMembersPage } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.listMembers, async ({ params, query }) => {
  const page = await listMembersPage(params.workspaceId, query);
  return { members: page.items, nextCursor: page.nextCursor };
});
