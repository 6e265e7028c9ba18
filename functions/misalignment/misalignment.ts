/**
 * The misalignment area's use cases under the names other areas, scripts and
 * tests import them by. The code lives in the modules named below: issues,
 * issue-list, occurrences, lead-time (entities-* hold the records).
 */
export { toIssue } from './entities-issues';
export {
  allIssues,
  type IssueFilters,
  issueDays,
  issueHistory,
  issuesSeen,
  listIssues,
  seenRanges,
} from './issue-list';
export {
  createIssue,
  decisionStatusWrites,
  getIssue,
  type IssueFields,
  type NewIssue,
  requireIssue,
  updateIssue,
} from './issues';
export { type CommitmentRef, leadTimeOccurrenceWrites } from './lead-time';
export { correctOccurrence, getOccurrence, listOccurrences, logOccurrence, type OccurrenceInput } from './occurrences';
