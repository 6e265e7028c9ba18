import { type CsvDelimiter, type CsvStyle, defaultCsvStyle, formatCsv, parseCsvNumber, readCsv } from '#contract/csv';
import { normaliseCode, type PortfolioItem } from './portfolio';
import { createPortfolioItemBody, maxCsvRows } from './schemas';

/**
 * The portfolio's CSV format: a header row naming the columns (any order;
 * case, spaces and underscores in a name do not matter, so `List price`
 * reads as `listPrice`), then one item per row. `code,name,kind,unit` are
 * required; `description`, `owner` (a member's email), `family` and
 * `listPrice` are optional.
 */
export const portfolioCsvColumns = ['code', 'name', 'kind', 'unit', 'description', 'owner', 'family', 'listPrice'] as const;
export type PortfolioCsvField = (typeof portfolioCsvColumns)[number];
const requiredColumns: readonly PortfolioCsvField[] = ['code', 'name', 'kind', 'unit'];
/** Columns an export adds that an import reads past, so an exported file imports as it is. */
const ignoredColumns = ['archived'];

/** What went wrong with one row: its line in the file (the header is line 1), the field, and why. */
export interface RowError {
  row: number;
  field: string;
  reason: string;
}

/** What an import did: the rows it added and the rows it refused. */
export interface ImportReport {
  imported: number;
  items: Array<{ row: number; code: string; id: string }>;
  errors: RowError[];
}

export type CsvItemFields = Pick<
  PortfolioItem,
  'code' | 'name' | 'kind' | 'unit' | 'description' | 'owner' | 'family' | 'listPrice'
>;

export interface CsvItem {
  row: number;
  /** The item the row describes; a column the file lacks holds its default. */
  item: CsvItemFields;
}

/** A file read into valid items and per-row errors; a row with any error is left out of `items` entirely. */
export interface PortfolioCsvRead {
  delimiter: CsvDelimiter;
  decimalComma: boolean;
  /** The item columns the file has: an update changes only these. */
  columns: PortfolioCsvField[];
  /** Rows under the header. */
  rowCount: number;
  items: CsvItem[];
  errors: RowError[];
  /** The code each row gives as written, so an invalid row can still be named by it. */
  codes: Record<number, string>;
}

const columnKey = (name: string) => name.replace(/[\s_-]/g, '').toLowerCase();
const columnByKey = new Map<string, PortfolioCsvField>(portfolioCsvColumns.map((column) => [columnKey(column), column]));

/** Reads an import file; a header problem is one error on row 1 and no items. */
export function readPortfolioCsv(text: string, maxRows = maxCsvRows): PortfolioCsvRead {
  const file = readCsv(text);
  const [header, ...rows] = file.rows;
  const base = { delimiter: file.delimiter, decimalComma: file.decimalComma, rowCount: rows.length, codes: {} };
  if (!header) return { ...base, columns: [], items: [], errors: [{ row: 1, field: 'header', reason: 'the file is empty' }] };
  const names = header.map((name) => name.trim());
  const columns = names.map((name) => columnByKey.get(columnKey(name)));
  const present = portfolioCsvColumns.filter((column) => columns.includes(column));
  const missing = requiredColumns.filter((name) => !present.includes(name));
  const unknown = names.filter((name, index) => !columns[index] && !ignoredColumns.includes(columnKey(name)));
  if (missing.length > 0 || unknown.length > 0) {
    const reason = [
      missing.length > 0 ? `missing column ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown column ${unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return {
      ...base,
      columns: present,
      items: [],
      errors: [{ row: 1, field: 'header', reason: `${reason} (expected ${portfolioCsvColumns.join(',')})` }],
    };
  }
  if (rows.length > maxRows) {
    return {
      ...base,
      columns: present,
      items: [],
      errors: [{ row: 1, field: 'file', reason: `at most ${maxRows} rows per import` }],
    };
  }
  const items: CsvItem[] = [];
  const errors: RowError[] = [];
  const codes: Record<number, string> = {};
  const seen = new Map<string, number>();
  rows.forEach((cells, index) => {
    const row = index + 2;
    const record: Record<string, unknown> = {};
    const rowErrors: RowError[] = [];
    columns.forEach((name, column) => {
      const value = (cells[column] ?? '').trim();
      if (!name) return;
      if (name === 'code') codes[row] = value;
      if (name === 'owner') record.owner = value === '' ? null : value;
      else if (name === 'listPrice') {
        const price = value === '' ? null : parseCsvNumber(value, file.decimalComma);
        if (price === undefined) rowErrors.push({ row, field: name, reason: 'must be a number' });
        else record.listPrice = price;
      } else if (value !== '' || requiredColumns.includes(name)) record[name] = value;
    });
    if (cells.length > header.length) {
      errors.push({ row, field: 'row', reason: `has ${cells.length} fields; the header has ${header.length}` });
      return;
    }
    const parsed = createPortfolioItemBody.safeParse(record);
    if (!parsed.success || rowErrors.length > 0) {
      // One reason per field is enough to fix a row; an empty code also fails the pattern, say.
      const byField = new Map<string, string>(rowErrors.map((error) => [error.field, error.reason]));
      for (const issue of parsed.success ? [] : parsed.error.issues) {
        const field = issue.path.join('.') || 'row';
        if (!byField.has(field)) byField.set(field, issue.message);
      }
      for (const [field, reason] of byField) errors.push({ row, field, reason });
      return;
    }
    const code = normaliseCode(parsed.data.code);
    const first = seen.get(code);
    if (first !== undefined) {
      errors.push({ row, field: 'code', reason: `${code} already appears on row ${first}` });
      return;
    }
    seen.set(code, row);
    items.push({ row, item: { ...parsed.data, code } });
  });
  errors.sort((a, b) => a.row - b.row);
  return { ...base, columns: present, items, errors, codes };
}

/** The portfolio as CSV in the import format and the workspace's style, so an export can be edited and imported back. */
export function portfolioToCsv(items: readonly PortfolioItem[], style: CsvStyle = defaultCsvStyle): string {
  return formatCsv(
    [...portfolioCsvColumns, 'archived'],
    items.map((item) => [
      item.code,
      item.name,
      item.kind,
      item.unit,
      item.description,
      item.owner ?? '',
      item.family,
      item.listPrice ?? '',
      item.archived,
    ]),
    style,
  );
}
