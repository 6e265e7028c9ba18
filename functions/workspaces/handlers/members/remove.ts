import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { removeMember } from '#functions/workspaces/members';

export const handler = defineHandler(workspaceRoutes.removeMember, async ({ params, query, caller, now }) => {
  await removeMember({ ...params, expectedVersion: query.expectedVersion }, caller, now);
  return { removed: true as const };
});
