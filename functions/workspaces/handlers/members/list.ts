import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { listMembersPage } from '#functions/workspaces/entities';

export const handler = defineHandler(workspaceRoutes.listMembers, async ({ params, query }) => {
  const page = await listMembersPage(params.workspaceId, query);
  return { members: page.items, nextCursor: page.nextCursor };
});
