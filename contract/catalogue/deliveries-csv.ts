import { parseCsv } from '#contract/csv';
import { costTypes } from '#contract/misalignment/misalignment';

/**
 * The deliveries CSV an ERP exports: a header naming the columns in any
 * order, one delivery per row. `reference` (the commitment's order
 * reference) and `date` are required; a row has a `quantity`, or
 * `missed` = yes with a `reason`. `delivery` is the ERP's own delivery
 * number (re-importing a row with it adds nothing twice; without it the
 * row's content identifies it). Cost columns carry what a late or missed
 * delivery cost, by type, when the ERP knows it.
 */
export const deliveryCsvColumns = [
  'reference',
  'delivery',
  'date',
  'quantity',
  'missed',
  'reason',
  'note',
  ...costTypes.map((type) => `cost ${type}`),
] as const;
const requiredColumns = ['reference', 'date'];

export interface CsvRows {
  /** Each data row as the row schema reads it, with its line in the file (the header is line 1). */
  rows: Array<{ line: number; row: Record<string, unknown> }>;
  /** What is wrong with the file as a whole (its header), or null. */
  problem: string | null;
}

const yes = new Set(['yes', 'true', '1', 'y', 'x']);
const no = new Set(['', 'no', 'false', '0', 'n']);

function rowOf(columns: readonly string[], cells: readonly string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  const cost: Record<string, string> = {};
  columns.forEach((column, index) => {
    const value = (cells[index] ?? '').trim();
    if (column.startsWith('cost ')) {
      if (value !== '') cost[column.slice(5)] = value;
      return;
    }
    if (value === '') return;
    if (column === 'delivery') row.deliveryRef = value;
    else if (column === 'missed') {
      const word = value.toLowerCase();
      row.missed = yes.has(word) ? true : no.has(word) ? undefined : value;
    } else row[column] = value;
  });
  if (Object.keys(cost).length > 0) row.cost = cost;
  return row;
}

/** Reads an import file into rows for the row schema; a bad header is a problem of the whole file. */
export function readDeliveriesCsv(text: string): CsvRows {
  const [header, ...data] = parseCsv(text);
  if (!header) return { rows: [], problem: 'the file is empty' };
  const columns = header.map((name) => name.trim().toLowerCase());
  const missing = requiredColumns.filter((name) => !columns.includes(name));
  const unknown = columns.filter((name) => !deliveryCsvColumns.some((column) => column === name));
  if (missing.length > 0 || unknown.length > 0) {
    const reason = [
      missing.length > 0 ? `missing column ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unknown column ${unknown.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return { rows: [], problem: `${reason} (expected ${deliveryCsvColumns.join(',')})` };
  }
  return { rows: data.map((cells, index) => ({ line: index + 2, row: rowOf(columns, cells) })), problem: null };
}

/** The CSV column a row field comes from, to name it in a report. */
export function csvColumnOf(path: readonly PropertyKey[]): string {
  const [first, second] = path.map(String);
  if (first === 'deliveryRef') return 'delivery';
  if (first === 'cost' && second) return `cost ${second}`;
  return first ?? 'row';
}
