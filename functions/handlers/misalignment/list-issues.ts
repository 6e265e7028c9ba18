import { seenBetween } from '../../domain/misalignment';
import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { listIssues } from '../../store/misalignment';

export const handler = defineHandler(misalignmentRoutes.listMisalignmentIssues, async ({ params, query }) => {
  const { limit, cursor, from, to, ...filters } = query;
  const page = await listIssues(params.workspaceId, filters, { limit, cursor });
  // Day buckets are attributes named by date, which a filter expression cannot range over.
  return from || to ? { ...page, items: page.items.filter((issue) => seenBetween(issue.countByDay, from, to)) } : page;
});
