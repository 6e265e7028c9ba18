import { createHash, randomBytes } from 'node:crypto';
import { workspacePk } from '#functions/table/keys';

/**
 * Key formats of misalignment issues, their occurrences, the scoring model
 * and the per-cycle votes and frozen rankings.
 *
 * - Issues sit in the workspace partition under `ISSUE#<id>`, so listing and
 *   ranking are one Query over `ISSUE#` that never touches an occurrence.
 * - Occurrences get a partition per issue, `WS#<ws>#ISSUE#<id>`, sorted by
 *   their time-ordered id. Beside them, one `DAY#<day>` item per day the
 *   issue occurred on keeps that day's count and cost: the issue's history
 *   for its detail screen, and on gsi1 under `WS#<ws>#ISSUE_DAYS` sorted by
 *   day, so a date-range filter is one key-bounded Query across issues.
 * - Votes and frozen rankings get a partition per cycle, `WS#<ws>#CYCLE#<cycleId>`.
 */
export const issueKey = (workspaceId: string, issueId: string) => ({ pk: workspacePk(workspaceId), sk: `ISSUE#${issueId}` });
export const issuePrefix = 'ISSUE#';

export const occurrencePk = (workspaceId: string, issueId: string) => `${workspacePk(workspaceId)}#ISSUE#${issueId}`;
export const occurrenceKey = (workspaceId: string, issueId: string, occurrenceId: string) => ({
  pk: occurrencePk(workspaceId, issueId),
  sk: `OCC#${occurrenceId}`,
});

export const issueDayKey = (workspaceId: string, issueId: string, day: string) => ({
  pk: occurrencePk(workspaceId, issueId),
  sk: `DAY#${day}`,
});
export const issueDayPrefix = 'DAY#';
export const issueDaysGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#ISSUE_DAYS`;
export const issueDaysGsiSk = (day: string, issueId: string) => `${day}#${issueId}`;

export const scoringModelKey = (workspaceId: string) => ({ pk: workspacePk(workspaceId), sk: 'SCORING_MODEL' });

export const cyclePk = (workspaceId: string, cycleId: string) => `${workspacePk(workspaceId)}#CYCLE#${cycleId}`;
export const votesKey = (workspaceId: string, cycleId: string, email: string) => ({
  pk: cyclePk(workspaceId, cycleId),
  sk: `VOTES#${email}`,
});
export const freezeKey = (workspaceId: string, cycleId: string) => ({ pk: cyclePk(workspaceId, cycleId), sk: 'FREEZE' });
export const frozenEntryPrefix = (freezeId: string) => `FROZEN#${freezeId}#`;
export const frozenEntryKey = (workspaceId: string, cycleId: string, freezeId: string, rank: number) => ({
  pk: cyclePk(workspaceId, cycleId),
  sk: `${frozenEntryPrefix(freezeId)}${String(rank).padStart(6, '0')}`,
});

/**
 * The id of the "lead time" issue of one item in one cycle, derived from
 * them (a name-based UUID), so concurrent commitments land on the same issue
 * instead of creating two.
 */
export function leadTimeIssueId(workspaceId: string, itemId: string, cycleId: string): string {
  const bytes = createHash('sha1').update(`lead-time|${workspaceId}|${itemId}|${cycleId}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return uuidText(bytes);
}

/** A time-ordered UUID (version 7), so occurrences list in the order they were logged. */
export function timeOrderedId(at = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(at, 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return uuidText(bytes);
}

function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
