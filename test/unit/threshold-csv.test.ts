import { describe, expect, it } from 'vitest';
import { planBesideCapacity } from '#contract/plan/load';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import type { ThresholdHead } from '#contract/thresholds/thresholds';
import { planThresholdUpdate, readThresholdCsv } from '#contract/thresholds/thresholds-csv';
import { pumpTerms } from '#scripts/fixtures/terms';

const item = (code: string, archived = false): PortfolioItem => ({
  id: `id-${code}`,
  workspaceId: 'ws',
  code,
  name: code,
  kind: 'product',
  unit: 'unit',
  description: '',
  owner: null,
  family: '',
  listPrice: null,
  archived,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
});

const head = (code: string): ThresholdHead => {
  const latest = {
    workspaceId: 'ws',
    itemId: `id-${code}`,
    cycleId: 'c',
    version: 3,
    terms: pumpTerms,
    changes: [],
    origin: null,
    createdBy: 'a@example.com',
    createdByName: 'A',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  return {
    workspaceId: 'ws',
    itemId: `id-${code}`,
    itemCode: code,
    itemName: code,
    cycleId: 'c',
    latest,
    signOffs: [],
    agreed: latest,
    agreedSignOffs: [],
    updatedAt: latest.createdAt,
    version: 3,
    revision: 5,
  };
};

describe('a thresholds file', () => {
  it('reads any column spelling, decimal commas in a semicolon file, and scope lists split on |', () => {
    const read = readThresholdCsv('Code;Capacity Per Week;scope_excluded\nA-1;12,5;Installation | Training\n', 10);
    expect(read).toMatchObject({ delimiter: 'semicolon', decimalComma: true, errors: [] });
    expect(read.rows).toEqual([
      { row: 2, code: 'A-1', cells: { capacityPerWeek: 12.5, scopeExcluded: ['Installation', 'Training'] } },
    ]);
  });

  it('refuses a header without code or with an unknown column, and a file over its row limit, on row 1', () => {
    expect(readThresholdCsv('capacityPerWeek\n1\n', 10).errors[0]).toMatchObject({ row: 1, reason: /missing column code/ });
    expect(readThresholdCsv('code,speed\nA,1\n', 10).errors[0]?.reason).toMatch(/unknown column speed/);
    expect(readThresholdCsv('code\nA\nB\nC\n', 2).errors[0]?.reason).toBe('the file holds 3 rows; at most 2');
  });

  it('keeps the latest version’s value for a column left out or a cell left empty, and counts a row with no change as unchanged', () => {
    const read = readThresholdCsv('code,capacityPerWeek,noticeDays\nA-1,,2\nB-1,150,\n', 10);
    const rows = planThresholdUpdate(read, [item('A-1'), item('B-1')], [head('A-1'), head('B-1')]);
    expect(rows.map((row) => [row.preview.code, row.preview.kind, row.preview.version])).toEqual([
      ['A-1', 'unchanged', null],
      ['B-1', 'changed', 4],
    ]);
    expect(rows[1]?.preview.changes).toEqual([{ field: 'capacityPerWeek', before: 100, after: 150 }]);
    expect(rows[1]?.terms).toEqual({ ...pumpTerms, capacityPerWeek: 150 });
    expect(rows[0]?.terms).toBeNull();
  });

  it('names an archived item, a code twice and a non-number by column', () => {
    const read = readThresholdCsv('code,capacityPerWeek\nA-1,lots\nGONE,1\nB-1,2\nb-1,3\n', 10);
    const rows = planThresholdUpdate(read, [item('A-1'), item('GONE', true), item('B-1')], [head('A-1'), head('B-1')]);
    expect(rows.map((row) => [row.preview.row, row.preview.kind, row.preview.errors.map((error) => error.column)])).toEqual([
      [2, 'invalid', ['capacityPerWeek']],
      [3, 'invalid', ['code']],
      [4, 'changed', []],
      [5, 'invalid', ['code']],
    ]);
    expect(rows[3]?.preview.errors[0]?.reason).toBe('B-1 already appears on row 4');
  });
});

describe('the plan beside the capacity fields', () => {
  it('gives each period its per-week equivalent over its working days, and the peak', () => {
    const cycle = { startDate: '2027-01-01', endDate: '2027-03-31', holidays: ['2027-01-01'] };
    const beside = planBesideCapacity({ '2027-01': 400, '2027-03': 230 }, 'month', cycle, 2);
    // January: 20 working days once 1 January is off, so 400 × 5 / 20 = 100; March: 23, so 230 × 5 / 23 = 50.
    expect(beside.periods).toEqual([
      { period: '2027-01', volume: 400, workingDays: 20, perWeek: 100 },
      { period: '2027-02', volume: 0, workingDays: 20, perWeek: 0 },
      { period: '2027-03', volume: 230, workingDays: 23, perWeek: 50 },
    ]);
    expect(beside).toMatchObject({ planVersion: 2, totalVolume: 630, peakPerWeek: 100 });
  });
});
