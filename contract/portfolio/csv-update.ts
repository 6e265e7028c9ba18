import { type CsvDelimiter, type CsvPreviewKind, countCsvPreview } from '#contract/csv';
import type { PortfolioItem } from './portfolio';
import type { CsvItemFields, PortfolioCsvField, PortfolioCsvRead, RowError } from './portfolio-csv';

/**
 * Update by CSV: each row of a file, matched to the portfolio by code, is a
 * new item, a change of an existing one (field by field), no change at all,
 * or invalid (with why, by row and column). The preview says which; the apply
 * writes exactly that.
 */
export type PreviewKind = CsvPreviewKind;

export type CsvValue = string | number | null;

export interface FieldChange {
  field: PortfolioCsvField;
  before: CsvValue;
  after: CsvValue;
}

export interface PreviewRow {
  /** The row's line in the file (the header is line 1). */
  row: number;
  code: string;
  kind: PreviewKind;
  /** The item the row matches; null for a new or invalid row. */
  itemId: string | null;
  changes: FieldChange[];
  errors: RowError[];
}

export interface PortfolioCsvPreview {
  delimiter: CsvDelimiter;
  decimalComma: boolean;
  counts: Record<PreviewKind, number>;
  rows: PreviewRow[];
  /** Names this outcome against the portfolio as it was read; the apply refuses once either differs. */
  token: string;
}

/** What an apply wrote. */
export interface PortfolioCsvApplied {
  counts: Record<PreviewKind, number>;
  created: Array<{ row: number; code: string; id: string }>;
  updated: Array<{ row: number; code: string; id: string }>;
}

/** The fields a row may change on an existing item (the code is what matches it). */
const changeable = ['name', 'kind', 'unit', 'description', 'owner', 'family', 'listPrice'] as const satisfies readonly Exclude<
  PortfolioCsvField,
  'code'
>[];

/** The rows of a read file against the portfolio and its members' emails, in file order. */
export function planPortfolioUpdate(
  read: PortfolioCsvRead,
  items: readonly PortfolioItem[],
  memberEmails: ReadonlySet<string>,
): PreviewRow[] {
  const byCode = new Map(items.map((item) => [item.code, item]));
  const rows: PreviewRow[] = [];
  const errorsByRow = new Map<number, RowError[]>();
  for (const error of read.errors) errorsByRow.set(error.row, [...(errorsByRow.get(error.row) ?? []), error]);
  for (const [row, errors] of errorsByRow) {
    rows.push({ row, code: (read.codes[row] ?? '').toUpperCase(), kind: 'invalid', itemId: null, changes: [], errors });
  }
  for (const { row, item } of read.items) {
    const existing = byCode.get(item.code);
    const changes = existing ? fieldChanges(existing, item, read.columns) : [];
    // An owner must be a member; an unchanged owner that has since left is not the file's doing.
    const ownerChanged = !existing || changes.some((change) => change.field === 'owner');
    if (item.owner && ownerChanged && !memberEmails.has(item.owner)) {
      const errors = [{ row, field: 'owner', reason: 'must be a member of this workspace' }];
      rows.push({ row, code: item.code, kind: 'invalid', itemId: null, changes: [], errors });
      continue;
    }
    const kind: PreviewKind = !existing ? 'new' : changes.length > 0 ? 'changed' : 'unchanged';
    rows.push({ row, code: item.code, kind, itemId: existing?.id ?? null, changes, errors: [] });
  }
  return rows.sort((a, b) => a.row - b.row);
}

function fieldChanges(before: PortfolioItem, after: CsvItemFields, columns: readonly PortfolioCsvField[]): FieldChange[] {
  return changeable
    .filter((field) => columns.includes(field) && before[field] !== after[field])
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

export const countPreview = countCsvPreview;
