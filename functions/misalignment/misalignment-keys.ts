/**
 * Key formats of the misalignment area's records, for the areas that read
 * them by key (backup, meeting minutes, reference checks). Each is defined
 * beside its record in the entities modules.
 */
export { issueDayKey, issueDayPrefix, issueDaysGsiPk, issueDaysGsiSk, occurrencePk } from './entities-issue-days';
export { issueKey, issuePrefix } from './entities-issues';
export { occurrenceKey } from './entities-occurrences';
export { cyclePk, freezeKey, frozenEntryKey, frozenEntryPrefix, votesKey } from './entities-ranking';
export { scoringModelKey } from './entities-scoring';
export { leadTimeIssueId, timeOrderedId } from './ids';
