import { defineHandler } from '../../lib/http';
import { workspaceRoutes } from '../../routes/workspaces';
import { removeMember } from '../../store/workspaces';

export const handler = defineHandler(workspaceRoutes.removeMember, async ({ params, query, caller, now }) => {
  await removeMember({ ...params, expectedVersion: query.expectedVersion }, caller, now);
  return { removed: true as const };
});
