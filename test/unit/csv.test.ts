import { describe, expect, it } from 'vitest';
import { detectDelimiter, formatCsv, parseCsv, parseCsvNumber, readCsv } from '#contract/csv';

describe('CSV as spreadsheets write it', () => {
  it('detects the delimiter from the header line, outside quotes', () => {
    expect(detectDelimiter('code,name,kind\nA;B;C;D;E\n')).toBe('comma');
    expect(detectDelimiter('code;name;kind\n')).toBe('semicolon');
    expect(detectDelimiter('code\tname\tkind\n')).toBe('tab');
    expect(detectDelimiter('"a,b,c";name\n')).toBe('semicolon');
    expect(detectDelimiter('\uFEFFcode;name\n')).toBe('semicolon');
    expect(detectDelimiter('code\n')).toBe('comma');
  });

  it('splits on the detected delimiter, keeping quoted delimiters and line breaks', () => {
    expect(parseCsv('a;"b; c";"say ""hi"""\r\n"multi\nline";x,y;\n')).toEqual([
      ['a', 'b; c', 'say "hi"'],
      ['multi\nline', 'x,y', ''],
    ]);
    expect(readCsv('a\tb\n1,5\t2\n')).toEqual({
      delimiter: 'tab',
      decimalComma: true,
      rows: [
        ['a', 'b'],
        ['1,5', '2'],
      ],
    });
    expect(readCsv('a,b\n1,2\n').decimalComma).toBe(false);
  });

  it('reads a decimal comma only where the file may use one', () => {
    expect(parseCsvNumber('12.5', false)).toBe(12.5);
    expect(parseCsvNumber('12.5', true)).toBe(12.5);
    expect(parseCsvNumber('12,5', true)).toBe(12.5);
    expect(parseCsvNumber('1.234,56', true)).toBe(1234.56);
    expect(parseCsvNumber('1 234,5', true)).toBe(1234.5);
    expect(parseCsvNumber('12,5', false)).toBeUndefined();
    expect(parseCsvNumber('ten', true)).toBeUndefined();
    expect(parseCsvNumber('1,2,3', true)).toBeUndefined();
  });

  it('writes the style asked for: delimiter, decimal separator, quoting only where needed', () => {
    expect(formatCsv(['a', 'b', 'c'], [['x, y', 12.5, '=1+1']], { delimiter: 'semicolon', decimal: 'comma' })).toBe(
      "a;b;c\r\nx, y;12,5;'=1+1\r\n",
    );
    expect(formatCsv(['a', 'b'], [['x; y', 12.5]])).toBe('a,b\r\nx; y,12.5\r\n');
    expect(formatCsv(['a'], [[12.5]], { delimiter: 'comma', decimal: 'comma' })).toBe('a\r\n"12,5"\r\n');
    expect(formatCsv(['a', 'b'], [['tab\there', 1]], { delimiter: 'tab', decimal: 'point' })).toBe('a\tb\r\n"tab\there"\t1\r\n');
  });
});
