import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { requireIssue } from '#functions/misalignment/issues';
import { listOccurrences } from '#functions/misalignment/occurrences';

export const handler = defineHandler(misalignmentRoutes.listOccurrences, async ({ params, query }) => {
  // Both at once: an unknown issue's empty page is discarded for the 404.
  const [, page] = await Promise.all([
    requireIssue(params.workspaceId, params.issueId),
    listOccurrences(params.workspaceId, params.issueId, query),
  ]);
  return page;
});
