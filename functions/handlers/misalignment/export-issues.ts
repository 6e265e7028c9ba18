import { issuesToCsv, seenBetween } from '../../domain/misalignment';
import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { allIssues } from '../../store/misalignment';

export const handler = defineHandler(misalignmentRoutes.exportMisalignmentIssues, async ({ params, query, now }) => {
  const { from, to, ...filters } = query;
  const issues = (await allIssues(params.workspaceId, filters)).filter(
    (issue) => (!from && !to) || seenBetween(issue.countByDay, from, to),
  );
  return { filename: `misalignment-issues-${now.slice(0, 10)}.csv`, csv: issuesToCsv(issues), count: issues.length };
});
