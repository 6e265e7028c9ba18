import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { listIssues } from '../../store/misalignment';

export const handler = defineHandler(misalignmentRoutes.listMisalignmentIssues, async ({ params, query }) => {
  const { limit, cursor, ...filters } = query;
  return listIssues(params.workspaceId, filters, { limit, cursor });
});
