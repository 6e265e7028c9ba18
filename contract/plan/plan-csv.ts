import { type CsvDelimiter, type CsvPreviewKind, countCsvPreview, parseCsvNumber, readCsv } from '#contract/csv';
import type { PlanLine } from './plan';
import { type CellChange, type CellProblem, cellBefore, cellUnchanged } from './plan-changes';

/**
 * A plan file: one row per cell, `code, period, volume[, value]`, in any
 * delimiter the company's spreadsheets write, with a decimal comma when the
 * file is not comma separated.
 */
export const planCsvColumns = ['code', 'period', 'volume', 'value'] as const;
export type PlanCsvColumn = (typeof planCsvColumns)[number];

export interface PlanCsvRow {
  row: number;
  code: string;
  period: string;
  volume: number;
  value: number | null;
}

export interface PlanCsvRead {
  delimiter: CsvDelimiter;
  decimalComma: boolean;
  rows: PlanCsvRow[];
  /** Problems by row (the header is row 1) and column. */
  errors: Array<{ row: number; column: PlanCsvColumn | 'file'; reason: string }>;
  rowCount: number;
}

export function readPlanCsv(text: string, maxRows: number): PlanCsvRead {
  const file = readCsv(text);
  const [header = [], ...body] = file.rows;
  const names = header.map((cell) => cell.trim().toLowerCase());
  const base = { delimiter: file.delimiter, decimalComma: file.decimalComma, rows: [], rowCount: body.length };
  const missing = planCsvColumns.filter((column) => column !== 'value' && !names.includes(column));
  if (missing.length > 0) {
    return { ...base, errors: [{ row: 1, column: 'file', reason: `the header must name ${missing.join(', ')}` }] };
  }
  if (body.length > maxRows) {
    return { ...base, errors: [{ row: 1, column: 'file', reason: `the file holds ${body.length} rows; at most ${maxRows}` }] };
  }
  const at = (cells: string[], column: PlanCsvColumn) => {
    const index = names.indexOf(column);
    return index < 0 ? '' : (cells[index] ?? '').trim();
  };
  const rows: PlanCsvRow[] = [];
  const errors: PlanCsvRead['errors'] = [];
  body.forEach((cells, index) => {
    const row = index + 2;
    const code = at(cells, 'code').toUpperCase();
    const period = at(cells, 'period');
    const volume = parseCsvNumber(at(cells, 'volume'), file.decimalComma);
    const valueText = at(cells, 'value');
    const value = valueText === '' ? null : parseCsvNumber(valueText, file.decimalComma);
    const before = errors.length;
    if (code === '' || code.length > 40) errors.push({ row, column: 'code', reason: 'must be an item code' });
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(period)) {
      errors.push({ row, column: 'period', reason: 'must be a month (YYYY-MM) or the Monday of a week (YYYY-MM-DD)' });
    }
    if (volume === undefined) errors.push({ row, column: 'volume', reason: 'must be a number' });
    else if (volume < 0) errors.push({ row, column: 'volume', reason: 'must not be negative' });
    if (value === undefined) errors.push({ row, column: 'value', reason: 'must be a number or empty' });
    else if (value !== null && value < 0) errors.push({ row, column: 'value', reason: 'must not be negative' });
    if (errors.length === before && volume !== undefined && value !== undefined) {
      rows.push({ row, code, period, volume, value });
    }
  });
  return { ...base, rows, errors };
}

export type PlanPreviewKind = CsvPreviewKind;

export interface PlanPreviewRow {
  row: number;
  code: string;
  period: string;
  kind: PlanPreviewKind;
  change: CellChange | null;
  errors: Array<{ row: number; column: string; reason: string }>;
}

export interface SalesPlanCsvPreview {
  delimiter: CsvDelimiter;
  decimalComma: boolean;
  counts: Record<PlanPreviewKind, number>;
  rows: PlanPreviewRow[];
  /** Names this outcome against the plan version it was read from; the apply refuses once either differs. */
  token: string;
  planVersion: number | null;
}

/** Each row of a read file against the plan: new, changed (before and after), unchanged or invalid, in file order. */
export function previewPlanRows(
  read: PlanCsvRead,
  problems: readonly CellProblem[],
  lines: ReadonlyMap<string, PlanLine>,
  itemIdOf: (code: string) => string | undefined,
): PlanPreviewRow[] {
  const rows: PlanPreviewRow[] = [];
  const byRow = new Map<number, PlanPreviewRow['errors']>();
  const add = (row: number, column: string, reason: string) =>
    byRow.set(row, [...(byRow.get(row) ?? []), { row, column, reason }]);
  for (const error of read.errors) add(error.row, error.column, error.reason);
  for (const problem of problems) add(Number(problem.field.replace('row ', '')), 'code and period', problem.message);
  for (const entry of read.rows) {
    const errors = byRow.get(entry.row);
    if (errors) continue;
    const line = lines.get(itemIdOf(entry.code) ?? '');
    const after = { volume: entry.volume, value: entry.value };
    const before = cellBefore(line, entry.period);
    const kind: PlanPreviewKind = cellUnchanged(line, { period: entry.period, ...after })
      ? 'unchanged'
      : before === null
        ? 'new'
        : 'changed';
    rows.push({
      row: entry.row,
      code: entry.code,
      period: entry.period,
      kind,
      change: kind === 'unchanged' ? null : { code: entry.code, period: entry.period, before, after },
      errors: [],
    });
  }
  const parsed = new Map(read.rows.map((entry) => [entry.row, entry]));
  for (const [row, errors] of byRow) {
    const entry = parsed.get(row);
    rows.push({ row, code: entry?.code ?? '', period: entry?.period ?? '', kind: 'invalid', change: null, errors });
  }
  return rows.sort((a, b) => a.row - b.row);
}

export const countPlanPreview = countCsvPreview;
