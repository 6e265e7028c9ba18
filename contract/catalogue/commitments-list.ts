import * as z from 'zod/mini';
import { email, id, pageQuery, workspaceParams } from '#contract/common';
import { formatCsv } from '#contract/csv';
import { lazySchema } from '#contract/lazy-schema';
import { isoDate } from '#contract/thresholds/cycle-schemas';
import { addDays, weekOf } from '#contract/working-days';
import { type Commitment, type CommitmentView, commitmentStatuses, isOverdue } from './commitments';
import { promiseBands } from './promise';

/**
 * The commitments list across items: the workspace's commitments by delivery
 * date, filtered, paged, and exported as CSV. Why every member sees every
 * commitment, and how a page is bounded: docs/commitments-across-items.md.
 */

/**
 * Most commitments one page reads from the index before its filters apply:
 * a selective filter answers a short (even empty) page with a cursor to go
 * on, never a request that walks the whole list.
 */
export const maxScannedPerPage = 1000;

/** Most rows one CSV export holds; the export says when the list had more. */
export const maxExportRows = 5000;

const text = (max: number) => z.string().check(z.trim(), z.maxLength(max, `must be at most ${max} characters`));

const filterFields = {
  state: lazySchema(() => z.optional(z.enum(commitmentStatuses))),
  /** Who recorded the commitments: a member's email, or `mine` for the caller. */
  rep: lazySchema(() => z.optional(z.union([z.literal('mine'), email]))),
  /** The start of a commitment's reference (or customer), in any case. */
  q: lazySchema(() => z.optional(text(120))),
  itemId: lazySchema(() => z.optional(id)),
  /** Any day of the week whose deliveries to list (Monday to Sunday). */
  week: lazySchema(() => z.optional(isoDate)),
  from: lazySchema(() => z.optional(isoDate)),
  to: lazySchema(() => z.optional(isoDate)),
  band: lazySchema(() => z.optional(z.enum(promiseBands))),
  /** Active commitments whose delivery date has passed. */
  overdue: lazySchema(() =>
    z.optional(
      z.pipe(
        z.enum(['true', 'false']),
        z.transform((value: 'true' | 'false') => value === 'true'),
      ),
    ),
  ),
};

type FilterInput = { week?: string; from?: string; to?: string };
/** Built with the query schema that uses them, on the first request that reads one. */
const rangeChecks = () =>
  [
    z.refine<FilterInput>((query) => !query.from || !query.to || query.from <= query.to, {
      path: ['from'],
      message: 'must not be after to',
    }),
    z.refine<FilterInput>((query) => !query.week || (!query.from && !query.to), {
      path: ['week'],
      message: 'give either a week or a date range, not both',
    }),
  ] as const;

export const listWorkspaceCommitmentsQuery = lazySchema(() =>
  z.strictObject({ ...filterFields, ...pageQuery }).check(...rangeChecks()),
);
export const exportWorkspaceCommitmentsQuery = lazySchema(() => z.strictObject(filterFields).check(...rangeChecks()));
export const workspaceCommitmentsParams = workspaceParams;

export type CommitmentFilters = z.output<typeof exportWorkspaceCommitmentsQuery>;

/** The delivery dates a list covers, the key condition of its index query (either end open). */
export function deliveryRange(filters: CommitmentFilters, utcToday: string): { from?: string; to?: string } {
  let from = filters.from;
  let to = filters.to;
  if (filters.week) {
    from = weekOf(filters.week);
    to = addDays(from, 6);
  }
  // Overdue is a delivery date before the workspace's today, which is at most a day from UTC's:
  // the key range stops there and the predicate draws the exact line.
  if (filters.overdue === true && (!to || to > utcToday)) to = utcToday;
  return { from, to };
}

/**
 * The part of the filters the index query cannot say, on a commitment as
 * read: the reference or customer prefix in any case, and overdue against
 * the workspace's today.
 */
export function commitmentListPredicate(filters: CommitmentFilters, today: string) {
  const prefix = filters.q?.toLowerCase();
  return (commitment: Commitment): boolean => {
    if (
      prefix &&
      !commitment.reference.toLowerCase().startsWith(prefix) &&
      !(commitment.customer ?? '').toLowerCase().startsWith(prefix)
    ) {
      return false;
    }
    if (filters.overdue !== undefined && isOverdue(commitment, today) !== filters.overdue) return false;
    return true;
  };
}

/** One page of the commitments list; `scanned` says how many commitments the page read to find its rows. */
export interface CommitmentListPage {
  items: CommitmentView[];
  nextCursor: string | null;
  scanned: number;
}

export interface CommitmentExport {
  filename: string;
  csv: string;
  count: number;
  /** True when more commitments matched than one export holds ({@link maxExportRows}). */
  truncated: boolean;
}

export const commitmentCsvHeader = [
  'id',
  'item',
  'reference',
  'quantity',
  'customer',
  'requested date',
  'promised date',
  'delivered quantity',
  'band',
  'state',
  'recorded by',
  'recorded at',
  'threshold version',
  'cancelled at',
] as const;

export function commitmentCsvRow(commitment: Commitment): unknown[] {
  return [
    commitment.id,
    commitment.itemCode,
    commitment.reference,
    commitment.quantity,
    commitment.customer ?? '',
    commitment.requestedDate,
    commitment.promisedDate,
    commitment.deliveredQuantity,
    commitment.answer,
    commitment.status,
    commitment.recordedBy,
    commitment.createdAt,
    commitment.thresholdVersion,
    commitment.cancelledAt,
  ];
}

export const commitmentsToCsv = (commitments: readonly Commitment[]) =>
  formatCsv(commitmentCsvHeader, commitments.map(commitmentCsvRow));
