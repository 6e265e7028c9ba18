import { type Commitment, commitmentView } from '#contract/catalogue/commitments';
import {
  type CommitmentExport,
  type CommitmentFilters,
  type CommitmentListPage,
  commitmentListPredicate,
  commitmentsToCsv,
  deliveryRange,
  maxExportRows,
  maxScannedPerPage,
} from '#contract/catalogue/commitments-list';
import type { Caller } from '#contract/views';
import { workspaceToday } from '#functions/workspaces/workspaces';
import { encodeCursor, type IndexFilters, scanWorkspaceCommitments } from './entities-commitments-list';

/**
 * The commitments list across items. Every member may read it: each
 * commitment is already visible to every member on its item, and a rep
 * narrows it to their own with `rep=mine`.
 */

function indexFilters(filters: CommitmentFilters, caller: Pick<Caller, 'email'>, now: string): IndexFilters {
  const range = deliveryRange(filters, now.slice(0, 10));
  return {
    ...range,
    // Overdue is decided by the predicate on the commitment as read (contract isOverdue), whatever its state.
    status: filters.state,
    recordedBy: filters.rep === 'mine' ? caller.email : filters.rep,
    itemId: filters.itemId,
    answer: filters.band,
  };
}

/**
 * One page: one Query over at most {@link maxScannedPerPage} commitments,
 * beside the workspace's today when overdue is asked, so the caller waits
 * one round trip. A page holds at most `limit` rows; when the Query found more, the
 * cursor resumes after the last row given, else where the Query stopped.
 */
export async function listWorkspaceCommitments(
  workspaceId: string,
  filters: CommitmentFilters,
  page: { limit: number; cursor?: string },
  caller: Pick<Caller, 'email'>,
  now: string,
): Promise<CommitmentListPage> {
  const [scanned, today] = await Promise.all([
    scanWorkspaceCommitments(workspaceId, indexFilters(filters, caller, now), {
      budget: maxScannedPerPage,
      cursor: page.cursor,
    }),
    // Only the overdue filter waits for the workspace's today (cached a minute per container, so rarely a
    // request); otherwise each row's overdue mark is against the UTC day, at most a day apart from it.
    filters.overdue === undefined ? now.slice(0, 10) : workspaceToday(workspaceId, now),
  ]);
  const matches = commitmentListPredicate(filters, today);
  const rows = scanned.rows.filter((row) => matches(row.commitment));
  if (rows.length > page.limit) {
    const kept = rows.slice(0, page.limit);
    return {
      items: kept.map((row) => commitmentView(row.commitment, today)),
      nextCursor: encodeCursor(kept.at(-1)?.key),
      scanned: scanned.scanned,
    };
  }
  return {
    items: rows.map((row) => commitmentView(row.commitment, today)),
    nextCursor: encodeCursor(scanned.lastKey),
    scanned: scanned.scanned,
  };
}

/**
 * The same filtered list as CSV, read page after page up to
 * {@link maxExportRows} rows; `truncated` says the list went on.
 */
export async function exportWorkspaceCommitments(
  workspaceId: string,
  filters: CommitmentFilters,
  caller: Pick<Caller, 'email'>,
  now: string,
): Promise<CommitmentExport> {
  const rows: Commitment[] = [];
  let cursor: string | undefined;
  do {
    const page = await listWorkspaceCommitments(
      workspaceId,
      filters,
      { limit: maxExportRows - rows.length + 1, cursor },
      caller,
      now,
    );
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length <= maxExportRows);
  // One row past the bound was asked for, to know whether the list goes on.
  const kept = rows.slice(0, maxExportRows);
  return {
    filename: `commitments-${await workspaceToday(workspaceId, now)}.csv`,
    csv: commitmentsToCsv(kept),
    count: kept.length,
    truncated: rows.length > maxExportRows,
  };
}
