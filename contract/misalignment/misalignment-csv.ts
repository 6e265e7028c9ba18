import { formatCsv } from '#contract/csv';
import { costTypes, type IssueHistory, type MisalignmentIssue } from './misalignment';

/** The issue log as CSV, one line per issue, with its aggregates and the days it was first and last seen. */
export function issuesToCsv(issues: Array<MisalignmentIssue & Pick<IssueHistory, 'firstSeen' | 'lastSeen'>>): string {
  const header = [
    'id',
    'title',
    'category',
    'status',
    'owner',
    'functions',
    'occurrences',
    'total cost',
    'currency',
    ...costTypes.map((type) => `cost: ${type}`),
    'first seen',
    'last seen',
    'earliest detection',
  ];
  const rows = issues.map((issue) => [
    issue.id,
    issue.title,
    issue.category,
    issue.status,
    issue.owner,
    issue.functions.join('; '),
    issue.occurrenceCount,
    issue.totalCost,
    issue.currency,
    ...costTypes.map((type) => issue.costByType[type]),
    issue.firstSeen,
    issue.lastSeen,
    issue.earliestDetection,
  ]);
  return formatCsv(header, rows);
}
