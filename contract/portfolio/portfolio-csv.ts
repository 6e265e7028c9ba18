import { formatCsv, parseCsv } from '#contract/csv';
import { normaliseCode, type PortfolioItem, type PortfolioKind } from './portfolio';
import { createPortfolioItemBody, maxCsvRows } from './schemas';

/**
 * The portfolio's CSV format: a header row naming the columns (any order),
 * then one item per row. `code,name,kind,unit` are required; `description`
 * and `owner` (a member's email) are optional.
 */
export const portfolioCsvColumns = ['code', 'name', 'kind', 'unit', 'description', 'owner'] as const;
const requiredColumns = ['code', 'name', 'kind', 'unit'];
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

export interface CsvItem {
  row: number;
  item: { code: string; name: string; kind: PortfolioKind; unit: string; description: string; owner: string | null };
}

/** Reads an import file into valid items and per-row errors; a row with any error is left out entirely. */
export function readPortfolioCsv(text: string): { items: CsvItem[]; errors: RowError[] } {
  const [header, ...rows] = parseCsv(text);
  if (!header) return { items: [], errors: [{ row: 1, field: 'header', reason: 'the file is empty' }] };
  const columns = header.map((name) => name.trim().toLowerCase());
  const missing = requiredColumns.filter((name) => !columns.includes(name));
  const unknown = columns.filter(
    (name) => !portfolioCsvColumns.some((column) => column === name) && !ignoredColumns.includes(name),
  );
  if (missing.length > 0 || unknown.length > 0) {
    const reason = [
      missing.length > 0 ? `missing column ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown column ${unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return { items: [], errors: [{ row: 1, field: 'header', reason: `${reason} (expected ${portfolioCsvColumns.join(',')})` }] };
  }
  if (rows.length > maxCsvRows) {
    return { items: [], errors: [{ row: 1, field: 'file', reason: `at most ${maxCsvRows} rows per import` }] };
  }
  const items: CsvItem[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, index) => {
    const row = index + 2;
    const record: Record<string, unknown> = {};
    columns.forEach((name, column) => {
      const value = (cells[column] ?? '').trim();
      if (ignoredColumns.includes(name)) return;
      if (name === 'owner') record.owner = value === '' ? null : value;
      else if (value !== '' || requiredColumns.includes(name)) record[name] = value;
    });
    if (cells.length > columns.length) {
      errors.push({ row, field: 'row', reason: `has ${cells.length} fields; the header has ${columns.length}` });
      return;
    }
    const parsed = createPortfolioItemBody.safeParse(record);
    if (!parsed.success) {
      // One reason per field is enough to fix a row; an empty code also fails the pattern, say.
      const byField = new Map<string, string>();
      for (const issue of parsed.error.issues) {
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
  return { items, errors };
}

/** The portfolio as CSV in the import format, so an export can be edited and imported elsewhere. */
export function portfolioToCsv(items: readonly PortfolioItem[]): string {
  return formatCsv(
    [...portfolioCsvColumns, 'archived'],
    items.map((item) => [item.code, item.name, item.kind, item.unit, item.description, item.owner ?? '', item.archived]),
  );
}
