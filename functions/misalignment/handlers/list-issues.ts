import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { issuesSeen, listIssues } from '#functions/misalignment/misalignment';

export const handler = defineHandler(misalignmentRoutes.listMisalignmentIssues, async ({ params, query }) => {
  const { limit, cursor, from, to, ...filters } = query;
  if (!from && !to) return listIssues(params.workspaceId, filters, { limit, cursor });
  // The days an issue occurred on are on its DAY# items, which one range Query finds across issues.
  const [page, seen] = await Promise.all([
    listIssues(params.workspaceId, filters, { limit, cursor }),
    issuesSeen(params.workspaceId, { from, to }),
  ]);
  return { ...page, items: page.items.filter((issue) => seen.has(issue.id)) };
});
