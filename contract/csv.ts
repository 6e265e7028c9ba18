/**
 * CSV as spreadsheets write it: RFC 4180 quoting (fields optionally in double
 * quotes, a doubled quote inside quotes is one quote, CRLF or LF line ends),
 * with the delimiter of the writer's locale. Spreadsheets in locales whose
 * decimal separator is a comma write `;` (or tab) between fields and `12,5`
 * for twelve and a half, so a file is read with the delimiter its header
 * line uses, and its numbers with a decimal comma when that delimiter is not
 * the comma.
 */

/** The delimiters a file may use and a workspace may export with. */
export const csvDelimiterNames = ['comma', 'semicolon', 'tab'] as const;
export type CsvDelimiter = (typeof csvDelimiterNames)[number];
export const csvDelimiters: Record<CsvDelimiter, string> = { comma: ',', semicolon: ';', tab: '\t' };
/** The decimal separators an export may write numbers with. */
export const csvDecimalNames = ['point', 'comma'] as const;
export type CsvDecimal = (typeof csvDecimalNames)[number];
export const csvDecimals: Record<CsvDecimal, string> = { point: '.', comma: ',' };

/** How a workspace writes its CSV exports. */
export interface CsvStyle {
  delimiter: CsvDelimiter;
  decimal: CsvDecimal;
}
export const defaultCsvStyle: CsvStyle = { delimiter: 'comma', decimal: 'point' };

/** The delimiter of a file: whichever of comma, semicolon and tab its header line holds most of outside quotes. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { comma: 0, semicolon: 0, tab: 0 };
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ',') counts.comma += 1;
    else if (!quoted && char === ';') counts.semicolon += 1;
    else if (!quoted && char === '\t') counts.tab += 1;
  }
  // Ties go to the comma, then the semicolon: a one-column file is plain CSV.
  if (counts.semicolon > counts.comma && counts.semicolon >= counts.tab) return 'semicolon';
  if (counts.tab > counts.comma && counts.tab > counts.semicolon) return 'tab';
  return 'comma';
}

/** Rows of a CSV file split on `delimiter` (by default the one its header line uses); blank lines are left out. */
export function parseCsv(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): string[][] {
  const separator = csvDelimiters[delimiter];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  const source = text.replace(/^\uFEFF/, '');
  while (index < source.length) {
    const char = source[index] as string;
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      index += 1;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === separator) {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (char === '\r' && source[index + 1] === '\n') index += 1;
    } else field += char;
    index += 1;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

/** A file read: its rows and how its numbers are written. */
export interface CsvFile {
  delimiter: CsvDelimiter;
  /** Whether numbers may use a decimal comma (`12,5`): the file is not comma separated. */
  decimalComma: boolean;
  rows: string[][];
}

export function readCsv(text: string): CsvFile {
  const delimiter = detectDelimiter(text);
  return { delimiter, decimalComma: delimiter !== 'comma', rows: parseCsv(text, delimiter) };
}

/**
 * A number cell as written: `12.5` always; `12,5` and `1.234,5` when the
 * file may use a decimal comma. Undefined when the cell is not a number.
 */
export function parseCsvNumber(cell: string, decimalComma: boolean): number | undefined {
  const text = cell.trim().replace(/[\u00A0\u202F ]/g, '');
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (decimalComma && /^-?\d+,\d+$/.test(text)) return Number(text.replace(',', '.'));
  if (decimalComma && /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) return Number(text.replace(/\./g, '').replace(',', '.'));
  return undefined;
}

/** One CSV field, quoted when it holds the delimiter, a quote or a line break; a leading formula character is defused. */
export function csvField(value: unknown, style: CsvStyle = defaultCsvStyle): string {
  // A number is never a formula; it is written with the style's decimal separator.
  if (typeof value === 'number') return quoteField(String(value).replace('.', csvDecimals[style.decimal]), style);
  let text = value === null || value === undefined ? '' : String(value);
  // Spreadsheets run cells starting with these as formulas.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return quoteField(text, style);
}

function quoteField(text: string, style: CsvStyle): string {
  const separator = csvDelimiters[style.delimiter];
  return /["\r\n]/.test(text) || text.includes(separator) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  style: CsvStyle = defaultCsvStyle,
): string {
  const separator = csvDelimiters[style.delimiter];
  return `${[header, ...rows].map((row) => row.map((cell) => csvField(cell, style)).join(separator)).join('\r\n')}\r\n`;
}

/**
 * An update by CSV previews each row of the file against what is stored: a
 * new record, a change of one, no change, or invalid (with why, by column).
 * The preview's token names that outcome; the apply writes exactly it.
 */
export const csvPreviewKinds = ['new', 'changed', 'unchanged', 'invalid'] as const;
export type CsvPreviewKind = (typeof csvPreviewKinds)[number];

export interface CsvPreviewRow {
  /** The row's line in the file (the header is line 1). */
  row: number;
  kind: CsvPreviewKind;
  errors: ReadonlyArray<{ reason: string; field?: string; column?: string }>;
}

export interface CsvPreview<Row extends CsvPreviewRow> {
  delimiter: CsvDelimiter;
  decimalComma: boolean;
  counts: Record<CsvPreviewKind, number>;
  rows: Row[];
  token: string;
}

export function countCsvPreview(rows: readonly CsvPreviewRow[]): Record<CsvPreviewKind, number> {
  const counts: Record<CsvPreviewKind, number> = { new: 0, changed: 0, unchanged: 0, invalid: 0 };
  for (const row of rows) counts[row.kind] += 1;
  return counts;
}

/** What an applied update did, for its one summary audit event: counts, the new rows' codes and the changed fields. */
export function csvUpdateSummary(
  counts: Record<CsvPreviewKind, number>,
  rows: ReadonlyArray<{ kind: CsvPreviewKind; code: string; changes: ReadonlyArray<{ field: string }> }>,
) {
  return {
    counts,
    created: rows.filter((row) => row.kind === 'new').map((row) => row.code),
    changed: rows
      .filter((row) => row.kind === 'changed')
      .map((row) => ({ code: row.code, fields: row.changes.map((change) => change.field) })),
  };
}
