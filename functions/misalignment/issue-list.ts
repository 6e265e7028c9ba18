import type { MisalignmentIssue } from '#contract/misalignment/misalignment';
import { issuesToCsv } from '#contract/misalignment/misalignment-csv';
import type { Page } from '#functions/table/pages';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { issueDays, issueHistory } from './entities-issue-days';
import { type IssueFilters, queryAllIssues, queryIssuePage } from './entities-issue-queries';

export type { IssueFilters };
export { issueDays, issueHistory };

/** A date range over the days issues occurred on; either end may be open. */
export interface DayRange {
  from?: string;
  to?: string;
}

/**
 * One page of the issue log, newest first. Filters apply within the page
 * DynamoDB read, so a filtered page can hold fewer than `limit` issues while
 * more follow: keep going while `nextCursor` is set.
 */
export function listIssues(
  workspaceId: string,
  filters: IssueFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<MisalignmentIssue>> {
  return queryIssuePage(workspaceId, filters, page);
}

/**
 * Every issue of the workspace (matching the filters): one paginated Query
 * over the issue items, never over occurrences. Ranking, Pareto and the CSV
 * export read this.
 */
export function allIssues(workspaceId: string, filters: IssueFilters = {}): Promise<MisalignmentIssue[]> {
  return queryAllIssues(workspaceId, filters);
}

/** First and last day of each issue among days in day order; issues without a day are absent. */
export function seenRanges(days: Array<{ issueId: string; day: string }>) {
  const seen = new Map<string, { firstSeen: string; lastSeen: string }>();
  for (const { issueId, day } of days) seen.set(issueId, { firstSeen: seen.get(issueId)?.firstSeen ?? day, lastSeen: day });
  return seen;
}

/** First and last day each issue occurred on within [from, to]; issues that did not occur in it are absent. */
export async function issuesSeen(workspaceId: string, range: DayRange = {}) {
  return seenRanges(await issueDays(workspaceId, range));
}

/** A page of the issue log; with a date range, only the issues that occurred within it. */
export async function listIssuesInRange(
  workspaceId: string,
  filters: IssueFilters,
  range: DayRange,
  page: { limit: number; cursor?: string },
): Promise<Page<MisalignmentIssue>> {
  if (!range.from && !range.to) return listIssues(workspaceId, filters, page);
  // The days an issue occurred on are on its DAY# items, which one range Query finds across issues.
  const [found, seen] = await Promise.all([listIssues(workspaceId, filters, page), issuesSeen(workspaceId, range)]);
  return { ...found, items: found.items.filter((issue) => seen.has(issue.id)) };
}

/** The filtered issue log as CSV, each row with the first and last day its issue ever occurred on. */
export async function exportIssues(workspaceId: string, filters: IssueFilters, range: DayRange, now: string) {
  const { from, to } = range;
  // Every day of the log, read once: first/last seen for each row, and the date range's filter from the same days.
  const [issues, days] = await Promise.all([allIssues(workspaceId, filters), issueDays(workspaceId)]);
  const seenEver = seenRanges(days);
  const seenInRange =
    from || to
      ? new Set(days.filter(({ day }) => (!from || day >= from) && (!to || day <= to)).map(({ issueId }) => issueId))
      : null;
  const rows = issues
    .filter((issue) => !seenInRange || seenInRange.has(issue.id))
    .map((issue) => ({ ...issue, firstSeen: null, lastSeen: null, ...seenEver.get(issue.id) }));
  return {
    filename: `misalignment-issues-${await workspaceToday(workspaceId, now)}.csv`,
    csv: issuesToCsv(rows),
    count: rows.length,
  };
}
