import { issuesToCsv } from '#contract/misalignment/misalignment-csv';
import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { allIssues, issueDays, seenRanges } from '#functions/misalignment/misalignment';
import { workspaceToday } from '#functions/workspaces/workspaces';

export const handler = defineHandler(misalignmentRoutes.exportMisalignmentIssues, async ({ params, query, now }) => {
  const { from, to, ...filters } = query;
  // Every day of the log, read once: first/last seen for each row, and the date range's filter from the same days.
  const [issues, days] = await Promise.all([allIssues(params.workspaceId, filters), issueDays(params.workspaceId)]);
  const seenEver = seenRanges(days);
  const seenInRange =
    from || to
      ? new Set(days.filter(({ day }) => (!from || day >= from) && (!to || day <= to)).map(({ issueId }) => issueId))
      : null;
  const rows = issues
    .filter((issue) => !seenInRange || seenInRange.has(issue.id))
    .map((issue) => ({ ...issue, firstSeen: null, lastSeen: null, ...seenEver.get(issue.id) }));
  return {
    filename: `misalignment-issues-${await workspaceToday(params.workspaceId, now)}.csv`,
    csv: issuesToCsv(rows),
    count: rows.length,
  };
});
