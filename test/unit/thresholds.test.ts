import { describe, expect, it } from 'vitest';
import { parseCsv } from '#contract/csv';
import { portfolioToCsv, readPortfolioCsv } from '#contract/portfolio/portfolio-csv';
import { cycleTransitionRefusal, nextCycleState, thresholdsEditable } from '#contract/thresholds/cycles';
import { signOffRefusal } from '#contract/thresholds/policies';
import { diffTerms, isAgreed, type ThresholdTerms, termsProblems } from '#contract/thresholds/thresholds';

const terms: ThresholdTerms = {
  standardLeadTimeDays: 10,
  capacityPerWeek: 100,
  flexExtraCapacityPercent: 20,
  flexLeadTimeDays: 5,
  expediteFeePercent: 8,
  overtimeCostPerUnit: 12,
  setupCost: 400,
  currency: 'EUR',
  minimumOrderQuantity: 1,
  noticeDays: 2,
  slaTerms: 'Ex works',
  scopeIncluded: ['Test'],
  scopeExcluded: [],
  notes: '',
};

describe('diffTerms', () => {
  it('lists exactly the fields that changed, lists compared by content', () => {
    expect(diffTerms(terms, { ...terms, scopeIncluded: ['Test'] })).toEqual([]);
    expect(diffTerms(terms, { ...terms, setupCost: 450, scopeExcluded: ['Transport'] })).toEqual([
      { field: 'setupCost', before: 400, after: 450 },
      { field: 'scopeExcluded', before: [], after: ['Transport'] },
    ]);
  });

  it('lists every field for a first version', () => {
    const changes = diffTerms(null, terms);
    expect(changes).toHaveLength(Object.keys(terms).length);
    expect(changes[0]).toEqual({ field: 'standardLeadTimeDays', before: null, after: 10 });
  });
});

describe('threshold rules', () => {
  it('refuses a flex lead time longer than the standard one', () => {
    expect(termsProblems(terms)).toEqual([]);
    expect(termsProblems({ ...terms, flexLeadTimeDays: 11 })).toEqual([
      { field: 'flexLeadTimeDays', message: 'must not be longer than the standard lead time' },
    ]);
    expect(termsProblems({ ...terms, flexLeadTimeDays: 10 })).toEqual([]);
  });

  it('lets only sales and operations managers sign the latest version, once per function', () => {
    const head = { version: 2, signOffs: [], agreed: null };
    const sales = { function: 'sales' as const, role: 'manager' as const, email: 's@x' };
    expect(signOffRefusal(head, 2, sales)).toBeNull();
    expect(signOffRefusal(head, 2, { ...sales, role: 'admin' })).toBeNull();
    expect(signOffRefusal(head, 2, { ...sales, role: 'rep' })?.kind).toBe('forbidden');
    expect(signOffRefusal(head, 2, { ...sales, function: 'finance' })?.kind).toBe('forbidden');
    expect(signOffRefusal(head, 1, sales)).toMatchObject({ kind: 'conflict', reason: expect.stringContaining('superseded') });
    const signed = {
      ...head,
      signOffs: [{ email: 'a@x', name: 'a', function: 'sales' as const, role: 'manager' as const, at: '' }],
    };
    expect(signOffRefusal(signed, 2, sales)?.kind).toBe('conflict');
    expect(isAgreed(signed.signOffs)).toBe(false);
    expect(isAgreed([...signed.signOffs, { email: 'o@x', function: 'operations' }])).toBe(true);
  });

  it('answers 404 for a version that does not exist, 409 for one that was superseded', () => {
    const head = { version: 2, signOffs: [], agreed: null };
    const sales = { function: 'sales' as const, role: 'manager' as const, email: 's@x' };
    expect(signOffRefusal(head, 99, sales)).toMatchObject({
      kind: 'not-found',
      reason: expect.stringContaining('does not exist'),
    });
    expect(signOffRefusal(head, 0, sales)?.kind).toBe('not-found');
    expect(signOffRefusal(head, 1, sales)?.kind).toBe('conflict');
  });

  it('counts one person once per version, by sub or by email, whatever their function is now', () => {
    const signed = {
      version: 1,
      agreed: null,
      signOffs: [{ email: 'Sam@X', sub: 'sub-sam', name: 'Sam', function: 'sales' as const, role: 'manager' as const, at: '' }],
    };
    const asOperations = { function: 'operations' as const, role: 'manager' as const };
    expect(signOffRefusal(signed, 1, { ...asOperations, email: 'sam@x' })).toMatchObject({
      kind: 'conflict',
      reason: expect.stringContaining('must come from someone else'),
    });
    expect(signOffRefusal(signed, 1, { ...asOperations, email: 'renamed@x', sub: 'sub-sam' })?.kind).toBe('conflict');
    expect(signOffRefusal(signed, 1, { ...asOperations, email: 'olga@x', sub: 'sub-olga' })).toBeNull();
    // Even written by other means, one person's two signatures never agree a version.
    const twice = [...signed.signOffs, { email: 'sam@x', sub: 'sub-sam', function: 'operations' as const }];
    expect(isAgreed(twice)).toBe(false);
    expect(isAgreed([...signed.signOffs, { email: 'other@x', sub: 'sub-sam', function: 'operations' as const }])).toBe(false);
    expect(isAgreed([...signed.signOffs, { email: 'olga@x', sub: 'sub-olga', function: 'operations' as const }])).toBe(true);
    // A signature recorded with a role that does not sign counts for nothing.
    const byRep = { email: 'rita@x', sub: 'sub-rita', function: 'operations' as const, role: 'rep' };
    expect(isAgreed([...signed.signOffs, byRep as never])).toBe(false);
  });
});

describe('budget cycle states', () => {
  it('moves only forward, one step at a time', () => {
    expect(nextCycleState('draft')).toBe('planning');
    expect(nextCycleState('closed')).toBeNull();
    expect(cycleTransitionRefusal('draft', 'planning')).toBeNull();
    expect(cycleTransitionRefusal('planning', 'agreed')).toBeNull();
    expect(cycleTransitionRefusal('draft', 'agreed')).toMatch(/only move to planning/);
    expect(cycleTransitionRefusal('agreed', 'planning')).toMatch(/only move to closed/);
    expect(cycleTransitionRefusal('closed', 'draft')).toMatch(/final/);
    expect(thresholdsEditable('planning')).toBe(true);
    expect(thresholdsEditable('agreed')).toBe(false);
  });
});

describe('portfolio CSV', () => {
  it('parses quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","say ""hi"""\r\n"multi\nline",x,\n')).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['multi\nline', 'x', ''],
    ]);
  });

  it('reports each invalid row by row number, field and reason, and keeps the valid ones', () => {
    const csv = [
      'code,name,kind,unit,description',
      'CP-1,Pump one,product,unit,Fine',
      ',No code,product,unit,',
      'CP-2,Pump two,gadget,unit,',
      'cp-1,Duplicate,service,hour,',
      'SV-1,Service,service,hour,"Has, comma"',
    ].join('\n');
    const { items, errors } = readPortfolioCsv(csv);
    expect(items.map((entry) => [entry.row, entry.item.code])).toEqual([
      [2, 'CP-1'],
      [6, 'SV-1'],
    ]);
    expect(errors).toEqual([
      { row: 3, field: 'code', reason: 'must not be empty' },
      { row: 4, field: 'kind', reason: 'must be product or service' },
      { row: 5, field: 'code', reason: 'CP-1 already appears on row 2' },
    ]);
  });

  it('refuses a file without the required columns', () => {
    expect(readPortfolioCsv('code,title\nA,B').errors).toEqual([
      { row: 1, field: 'header', reason: expect.stringContaining('missing column name, kind, unit') },
    ]);
  });

  it('exports in a format the import reads back, defusing formula cells', () => {
    const csv = portfolioToCsv([
      {
        id: '1',
        workspaceId: 'w',
        code: 'CP-1',
        name: '=HYPERLINK("x")',
        kind: 'product',
        unit: 'unit',
        description: 'Line one, line two',
        owner: null,
        family: '',
        listPrice: null,
        archived: false,
        createdAt: '',
        updatedAt: '',
        version: 1,
      },
    ]);
    expect(csv.split('\r\n')[0]).toBe('code,name,kind,unit,description,owner,family,listPrice,archived');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(readPortfolioCsv(csv).items).toMatchObject([{ row: 2, item: { code: 'CP-1', description: 'Line one, line two' } }]);
  });
});
