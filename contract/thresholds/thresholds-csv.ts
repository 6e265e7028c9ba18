import { type CsvPreview, type CsvPreviewKind, type CsvPreviewRow, parseCsvNumber, readCsv } from '#contract/csv';
import { normaliseCode, type PortfolioItem } from '#contract/portfolio/portfolio';
import { thresholdTerms } from './schemas';
import {
  diffTerms,
  type FieldChange,
  type ThresholdHead,
  type ThresholdTerms,
  thresholdFields,
  thresholdNumberFields,
} from './thresholds';

/**
 * A cycle's thresholds by CSV: a header row naming `code` and any of the
 * terms (any order; case, spaces and underscores do not matter), then one
 * item per row. A column the file lacks, or an empty cell, keeps the latest
 * version's value, so a file of `code;capacityPerWeek` changes capacity
 * only; an item without a threshold yet needs every term without a default.
 * Scope lists hold their entries separated by `|`.
 */
export const thresholdCsvColumns = ['code', ...thresholdFields] as const;
export type ThresholdCsvColumn = (typeof thresholdCsvColumns)[number];
export const scopeSeparator = '|';

const numberFields = new Set<string>(thresholdNumberFields);
const listFields = new Set<string>(['scopeIncluded', 'scopeExcluded']);

export interface ThresholdCsvProblem {
  row: number;
  column: ThresholdCsvColumn | 'file' | 'row';
  reason: string;
}

export interface ThresholdCsvRead {
  delimiter: CsvPreview<CsvPreviewRow>['delimiter'];
  decimalComma: boolean;
  rowCount: number;
  /** Each readable row: its code as written and the cells it gives, by field. */
  rows: Array<{ row: number; code: string; cells: Partial<Record<keyof ThresholdTerms, unknown>> }>;
  errors: ThresholdCsvProblem[];
}

const columnKey = (name: string) => name.replace(/[\s_-]/g, '').toLowerCase();
const columnByKey = new Map<string, ThresholdCsvColumn>(thresholdCsvColumns.map((column) => [columnKey(column), column]));
const isTermsField = (column: ThresholdCsvColumn): column is keyof ThresholdTerms => column !== 'code';

/** Reads a thresholds file; a header problem is one error on row 1 and no rows. */
export function readThresholdCsv(text: string, maxRows: number): ThresholdCsvRead {
  const file = readCsv(text);
  const [header = [], ...body] = file.rows;
  const base = { delimiter: file.delimiter, decimalComma: file.decimalComma, rowCount: body.length, rows: [] };
  const names = header.map((name) => name.trim());
  const columns = names.map((name) => columnByKey.get(columnKey(name)));
  const unknown = names.filter((_, index) => !columns[index]);
  if (!columns.includes('code') || unknown.length > 0) {
    const reasons = [
      columns.includes('code') ? '' : 'missing column code',
      unknown.length > 0 ? `unknown column ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    return {
      ...base,
      errors: [{ row: 1, column: 'file', reason: `${reasons.join('; ')} (columns: ${thresholdCsvColumns.join(',')})` }],
    };
  }
  if (body.length > maxRows) {
    return { ...base, errors: [{ row: 1, column: 'file', reason: `the file holds ${body.length} rows; at most ${maxRows}` }] };
  }
  const rows: ThresholdCsvRead['rows'] = [];
  const errors: ThresholdCsvProblem[] = [];
  body.forEach((values, index) => {
    const row = index + 2;
    if (values.length > header.length) {
      errors.push({ row, column: 'row', reason: `has ${values.length} fields; the header has ${header.length}` });
      return;
    }
    let code = '';
    const cells: Partial<Record<keyof ThresholdTerms, unknown>> = {};
    columns.forEach((column, at) => {
      const cell = (values[at] ?? '').trim();
      if (!column) return;
      if (!isTermsField(column)) code = cell;
      else if (cell === '') return;
      else if (numberFields.has(column)) {
        const number = parseCsvNumber(cell, file.decimalComma);
        // Left as written, so the terms' schema says what is wrong with it.
        cells[column] = number ?? cell;
      } else if (listFields.has(column)) {
        cells[column] = cell
          .split(scopeSeparator)
          .map((entry) => entry.trim())
          .filter(Boolean);
      } else cells[column] = cell;
    });
    rows.push({ row, code, cells });
  });
  return { ...base, rows, errors };
}

export interface ThresholdPreviewRow extends CsvPreviewRow {
  code: string;
  /** The item the row matches; null when no item has its code. */
  itemId: string | null;
  /** The version an apply would save for the row; null when it saves none. */
  version: number | null;
  changes: FieldChange[];
  errors: ThresholdCsvProblem[];
}

export interface ThresholdCsvPreview extends CsvPreview<ThresholdPreviewRow> {
  cycleId: string;
}

/** What an apply saved: a new version per new or changed row, each waiting for both sign-offs again. */
export interface ThresholdCsvApplied {
  counts: Record<CsvPreviewKind, number>;
  saved: Array<{ row: number; code: string; itemId: string; version: number }>;
}

/** One row's outcome and, for a new or changed row, the terms its new version holds. */
export interface PlannedThresholdRow {
  preview: ThresholdPreviewRow;
  terms: ThresholdTerms | null;
}

/**
 * Each row of a read file against the cycle's items and thresholds, in file
 * order: new (the item has no threshold in the cycle yet), changed (field by
 * field), unchanged, or invalid (unknown or archived item, a code twice, or
 * terms the editor would refuse, each by column).
 */
export function planThresholdUpdate(
  read: ThresholdCsvRead,
  items: readonly PortfolioItem[],
  heads: readonly ThresholdHead[],
): PlannedThresholdRow[] {
  const byCode = new Map(items.map((item) => [normaliseCode(item.code), item]));
  const headOf = new Map(heads.map((head) => [head.itemId, head]));
  const seen = new Map<string, number>();
  const planned: PlannedThresholdRow[] = read.errors.map((error) => ({
    preview: { row: error.row, code: '', itemId: null, version: null, kind: 'invalid', changes: [], errors: [error] },
    terms: null,
  }));
  for (const { row, code: written, cells } of read.rows) {
    const code = normaliseCode(written);
    const invalid = (column: ThresholdCsvProblem['column'], reason: string, itemId: string | null = null) =>
      planned.push({
        preview: { row, code, itemId, version: null, kind: 'invalid', changes: [], errors: [{ row, column, reason }] },
        terms: null,
      });
    const item = byCode.get(code);
    if (code === '') {
      invalid('code', 'must be an item code');
      continue;
    }
    const first = seen.get(code);
    seen.set(code, first ?? row);
    if (first !== undefined) invalid('code', `${code} already appears on row ${first}`);
    else if (!item) invalid('code', 'no portfolio item has this code');
    else if (item.archived) invalid('code', `${code} is archived; bring it back before setting its threshold`, item.id);
    else {
      const head = headOf.get(item.id);
      const merged: Record<string, unknown> = { ...head?.latest.terms, ...cells };
      const parsed = thresholdTerms.safeParse(merged);
      if (!parsed.success) {
        const errors = new Map<string, string>();
        for (const issue of parsed.error.issues) {
          const column = String(issue.path[0] ?? 'row');
          const missing = merged[column] === undefined;
          if (!errors.has(column)) errors.set(column, missing ? 'must be given: the item has no threshold yet' : issue.message);
        }
        const problems = [...errors].map(([column, reason]) => ({ row, column: columnOf(column), reason }));
        planned.push({
          preview: { row, code, itemId: item.id, version: null, kind: 'invalid', changes: [], errors: problems },
          terms: null,
        });
        continue;
      }
      const changes = diffTerms(head?.latest.terms ?? null, parsed.data);
      const kind: CsvPreviewKind = !head ? 'new' : changes.length > 0 ? 'changed' : 'unchanged';
      const version = kind === 'unchanged' ? null : (head?.version ?? 0) + 1;
      planned.push({
        preview: { row, code, itemId: item.id, version, kind, changes: kind === 'unchanged' ? [] : changes, errors: [] },
        terms: kind === 'unchanged' ? null : parsed.data,
      });
    }
  }
  return planned.sort((a, b) => a.preview.row - b.preview.row);
}

const columnOf = (name: string): ThresholdCsvProblem['column'] => thresholdCsvColumns.find((column) => column === name) ?? 'row';
