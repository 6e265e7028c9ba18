import { issuesToCsv } from '../../domain/misalignment';
import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { allIssues, issuesSeen } from '../../store/misalignment';

export const handler = defineHandler(misalignmentRoutes.exportMisalignmentIssues, async ({ params, query, now }) => {
  const { from, to, ...filters } = query;
  const [issues, seenInRange, seenEver] = await Promise.all([
    allIssues(params.workspaceId, filters),
    from || to ? issuesSeen(params.workspaceId, { from, to }) : Promise.resolve(null),
    issuesSeen(params.workspaceId),
  ]);
  const rows = issues
    .filter((issue) => !seenInRange || seenInRange.has(issue.id))
    .map((issue) => ({ ...issue, firstSeen: null, lastSeen: null, ...seenEver.get(issue.id) }));
  return { filename: `misalignment-issues-${now.slice(0, 10)}.csv`, csv: issuesToCsv(rows), count: rows.length };
});
