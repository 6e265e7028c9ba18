import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '#test/support/api';
import { type PlanningTeam, planningTeam } from '#test/support/planning';
import { dynamo, portfolioItemKey, tableName } from '#test/support/table';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const preview = (team: PlanningTeam, csv: string) =>
  team.sales.call('previewPortfolioCsv', { params: { workspaceId: team.workspaceId }, body: { csv } });
const apply = (team: PlanningTeam, csv: string, token: string) =>
  team.sales.call('applyPortfolioCsv', { params: { workspaceId: team.workspaceId }, body: { csv, token } });
const itemsOf = async (team: PlanningTeam) =>
  (
    await team.rep.call('listPortfolioItems', {
      params: { workspaceId: team.workspaceId },
      query: { archived: 'all', limit: 200 },
    })
  ).body.items;
const auditOf = async (team: PlanningTeam, action: string) =>
  (await team.admin.call('listAuditEvents', { params: { workspaceId: team.workspaceId }, query: { action } })).body.events;

describe('family and list price', () => {
  it('reads items stored before them without them, filters by family, and refuses bad values naming the field', async () => {
    const team = await planningTeam(api, 'Family Pumps');
    const create = (code: string, extra: { family?: string; listPrice?: number | null }) =>
      team.sales.call('createPortfolioItem', {
        params: { workspaceId: team.workspaceId },
        body: { code, name: `Item ${code}`, kind: 'product', unit: 'unit', ...extra },
      });
    const old = await create('OLD-1', {});
    expect(old.body).toMatchObject({ family: '', listPrice: null });
    expect((await create('FAM-1', { family: '  Pumps ', listPrice: 12.5 })).body).toMatchObject({
      family: 'Pumps',
      listPrice: 12.5,
    });
    // As an item written before families existed is stored: without the attributes.
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: portfolioItemKey(team.workspaceId, old.body.id),
        UpdateExpression: 'REMOVE #family, listPrice',
        ExpressionAttributeNames: { '#family': 'family' },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    const read = await team.rep.call('getPortfolioItem', { params: { workspaceId: team.workspaceId, itemId: old.body.id } });
    expect(read.body).toMatchObject({ code: 'OLD-1', family: '', listPrice: null });
    const withoutFamily = await team.rep.call('listPortfolioItems', {
      params: { workspaceId: team.workspaceId },
      query: { family: '' },
    });
    expect(withoutFamily.body.items.map((item) => item.code)).toEqual(['OLD-1']);

    for (const [body, field] of [
      [{ listPrice: -1 }, 'listPrice'],
      [{ listPrice: 1.005 }, 'listPrice'],
      [{ listPrice: 2_000_000_000 }, 'listPrice'],
      [{ family: 'x'.repeat(61) }, 'family'],
    ] as const) {
      const refused = await create('BAD-1', body);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
    const priced = await team.sales.call('updatePortfolioItem', {
      params: { workspaceId: team.workspaceId, itemId: old.body.id },
      body: { family: 'Valves', listPrice: 3, expectedVersion: 1 },
    });
    expect(priced.body).toMatchObject({ family: 'Valves', listPrice: 3, version: 2 });
    const cleared = await team.sales.call('updatePortfolioItem', {
      params: { workspaceId: team.workspaceId, itemId: old.body.id },
      body: { listPrice: null, expectedVersion: 2 },
    });
    expect(cleared.body).toMatchObject({ family: 'Valves', listPrice: null });

    const workspace = await team.admin.call('getWorkspace', { params: { workspaceId: team.workspaceId } });
    expect(workspace.body).toMatchObject({ currency: 'EUR', csvDelimiter: 'comma', csvDecimal: 'point' });
    const badCurrency = await team.admin.callRaw('updateWorkspace', {
      params: { workspaceId: team.workspaceId },
      body: { currency: 'euro', csvDelimiter: 'pipe', expectedVersion: workspace.body.version },
    });
    expect(badCurrency.status).toBe(400);
    expect(JSON.stringify(badCurrency.body)).toContain('currency');
    expect(JSON.stringify(badCurrency.body)).toContain('csvDelimiter');
    const byManager = await team.sales.call('updateWorkspace', {
      params: { workspaceId: team.workspaceId },
      body: { currency: 'NOK', expectedVersion: workspace.body.version },
    });
    expect(byManager.status).toBe(403);
    const nok = await team.admin.call('updateWorkspace', {
      params: { workspaceId: team.workspaceId },
      body: { currency: 'NOK', expectedVersion: workspace.body.version },
    });
    expect(nok.body).toMatchObject({ currency: 'NOK', timeZone: workspace.body.timeZone, version: workspace.body.version + 1 });
  });
});

describe('update by CSV', () => {
  it('imports a semicolon file with decimal commas through its preview and apply', async () => {
    const team = await planningTeam(api, 'Semicolon Pumps');
    const csv = [
      'Code;Name;Kind;Unit;Description;Family;List price',
      'CP-050;Centrifugal pump DN50;product;unit;"End-suction; cast iron";Pumps;1.234,5',
      'SVC-1;Commissioning;service;hour;;Services;85,25',
      'GP-1;Gear pump;product;unit;;Pumps;12',
    ].join('\r\n');
    const previewed = await preview(team, csv);
    expect(previewed.status).toBe(200);
    expect(previewed.body.delimiter).toBe('semicolon');
    expect(previewed.body.decimalComma).toBe(true);
    expect(previewed.body.counts).toEqual({ new: 3, changed: 0, unchanged: 0, invalid: 0 });
    expect(previewed.body.rows.map((row) => [row.row, row.code, row.kind])).toEqual([
      [2, 'CP-050', 'new'],
      [3, 'SVC-1', 'new'],
      [4, 'GP-1', 'new'],
    ]);
    // A preview writes nothing, and reads beside the membership check: one round trip.
    expect(await itemsOf(team)).toHaveLength(0);
    expect(previewed.headers.get('x-accord-db-round-trips')).toBe('1');

    const applied = await apply(team, csv, previewed.body.token);
    expect(applied.status).toBe(200);
    // Read (membership, portfolio), then one transaction for a small file.
    expect(applied.headers.get('x-accord-db-round-trips')).toBe('2');
    expect(applied.headers.get('x-accord-db-requests')).toBe('3');
    expect(applied.body.created.map((row) => row.code)).toEqual(['CP-050', 'SVC-1', 'GP-1']);
    const items = await itemsOf(team);
    expect(items.map((item) => [item.code, item.family, item.listPrice, item.description])).toEqual([
      ['CP-050', 'Pumps', 1234.5, 'End-suction; cast iron'],
      ['GP-1', 'Pumps', 12, ''],
      ['SVC-1', 'Services', 85.25, ''],
    ]);
    const pumps = await team.rep.call('listPortfolioItems', {
      params: { workspaceId: team.workspaceId },
      query: { family: 'Pumps' },
    });
    expect(pumps.body.items.map((item) => item.code)).toEqual(['CP-050', 'GP-1']);
    const [summary] = await auditOf(team, 'portfolio.csvApplied');
    expect(summary?.after).toMatchObject({ counts: { new: 3, changed: 0 }, created: ['CP-050', 'SVC-1', 'GP-1'] });
    expect(await auditOf(team, 'portfolioItem.created')).toHaveLength(3);
  });

  it('reads a tab-separated file', async () => {
    const team = await planningTeam(api, 'Tab Pumps');
    const csv = 'code\tname\tkind\tunit\tlistPrice\nTB-1\tTabbed pump, large\tproduct\tunit\t99,9\n';
    const previewed = await preview(team, csv);
    expect(previewed.status).toBe(200);
    expect(previewed.body.delimiter).toBe('tab');
    expect(previewed.body.counts.new).toBe(1);
    expect((await apply(team, csv, previewed.body.token)).status).toBe(200);
    expect((await itemsOf(team)).map((item) => [item.code, item.name, item.listPrice])).toEqual([
      ['TB-1', 'Tabbed pump, large', 99.9],
    ]);
  });

  it('answers 400 for a file with only a header, on the preview, the apply and the import', async () => {
    const team = await planningTeam(api, 'Empty Pumps');
    const csv = 'code;name;kind;unit\r\n';
    const previewed = await preview(team, csv);
    expect(previewed.status).toBe(400);
    expect(JSON.stringify(previewed.body)).toContain('the file has no rows');
    const applied = await apply(team, csv, '0'.repeat(64));
    expect(applied.status).toBe(400);
    expect(JSON.stringify(applied.body)).toContain('the file has no rows');
    const imported = await team.sales.call('importPortfolioItems', { params: { workspaceId: team.workspaceId }, body: { csv } });
    expect(imported.status).toBe(400);
    expect(JSON.stringify(imported.body)).toContain('the file has no rows');
  });

  it('previews a re-imported export as unchanged on every row, in the workspace’s CSV style', async () => {
    const team = await planningTeam(api, 'Roundtrip Pumps');
    const workspace = await team.admin.call('getWorkspace', { params: { workspaceId: team.workspaceId } });
    const styled = await team.admin.call('updateWorkspace', {
      params: { workspaceId: team.workspaceId },
      body: { csvDelimiter: 'semicolon', csvDecimal: 'comma', expectedVersion: workspace.body.version },
    });
    expect(styled.status).toBe(200);
    expect(styled.body).toMatchObject({ csvDelimiter: 'semicolon', csvDecimal: 'comma', currency: 'EUR' });
    for (const [code, family, listPrice] of [
      ['RT-1', 'Pumps', 10.5],
      ['RT-2', '', null],
      ['RT-3', 'Valves', 1200],
    ] as const) {
      const created = await team.sales.call('createPortfolioItem', {
        params: { workspaceId: team.workspaceId },
        body: { code, name: `Item ${code}; "quoted"`, kind: 'product', unit: 'unit', family, listPrice, owner: team.rep.email },
      });
      expect(created.status).toBe(201);
    }
    const exported = await team.rep.call('exportPortfolioItems', { params: { workspaceId: team.workspaceId } });
    const lines = exported.body.csv.split('\r\n');
    expect(lines[0]).toBe('code;name;kind;unit;description;owner;family;listPrice;archived');
    expect(lines[1]).toBe(`RT-1;"Item RT-1; ""quoted""";product;unit;;${team.rep.email};Pumps;10,5;false`);

    const previewed = await preview(team, exported.body.csv);
    expect(previewed.status).toBe(200);
    expect(previewed.body.counts).toEqual({ new: 0, changed: 0, unchanged: 3, invalid: 0 });
    expect(previewed.body.rows.every((row) => row.kind === 'unchanged' && row.changes.length === 0)).toBe(true);
    // The import route still adds only new codes: for it, every row of the export is taken.
    const imported = await team.sales.call('importPortfolioItems', {
      params: { workspaceId: team.workspaceId },
      body: { csv: exported.body.csv },
    });
    expect(imported.body.imported).toBe(0);
    expect(imported.body.errors.map((error) => error.reason)).toEqual([
      expect.stringContaining('already used'),
      expect.stringContaining('already used'),
      expect.stringContaining('already used'),
    ]);
  });

  it('shows changed fields before → after and applies exactly them', async () => {
    const team = await planningTeam(api, 'Changing Pumps');
    const first =
      'code,name,kind,unit,family,listPrice\nCH-1,Pump one,product,unit,Pumps,10\nCH-2,Pump two,product,unit,Pumps,20\n';
    const seeded = await preview(team, first);
    expect((await apply(team, first, seeded.body.token)).status).toBe(200);
    const before = await itemsOf(team);

    // No description column: descriptions are left as they are.
    const second =
      'code;name;kind;unit;family;listPrice\nCH-1;Pump one;product;unit;Big pumps;12,75\nCH-2;Pump two;product;unit;Pumps;20\nCH-3;Pump three;product;unit;;\n';
    const previewed = await preview(team, second);
    expect(previewed.body.counts).toEqual({ new: 1, changed: 1, unchanged: 1, invalid: 0 });
    expect(previewed.body.rows[0]).toMatchObject({
      row: 2,
      code: 'CH-1',
      kind: 'changed',
      itemId: before[0]?.id,
      changes: [
        { field: 'family', before: 'Pumps', after: 'Big pumps' },
        { field: 'listPrice', before: 10, after: 12.75 },
      ],
    });
    const applied = await apply(team, second, previewed.body.token);
    expect(applied.status).toBe(200);
    expect(applied.body.updated.map((row) => row.code)).toEqual(['CH-1']);
    expect(applied.body.created.map((row) => row.code)).toEqual(['CH-3']);
    const after = await itemsOf(team);
    expect(after.map((item) => [item.code, item.family, item.listPrice, item.version])).toEqual([
      ['CH-1', 'Big pumps', 12.75, 2],
      ['CH-2', 'Pumps', 20, 1],
      ['CH-3', '', null, 1],
    ]);
    const [updated] = await auditOf(team, 'portfolioItem.updated');
    expect(updated).toMatchObject({ before: { family: 'Pumps' }, after: { family: 'Big pumps' } });
    // Applied once, the same preview cannot be applied again: the items moved on.
    expect((await apply(team, second, previewed.body.token)).status).toBe(409);
  });

  it('names an invalid row by row and column, and writes nothing while one is invalid', async () => {
    const team = await planningTeam(api, 'Invalid Pumps');
    const csv = [
      'code;name;kind;unit;listPrice;owner',
      'OK-1;Fine pump;product;unit;10;',
      'OK-2;Priced in words;product;unit;ten;',
      'OK-3;Negative;product;unit;-5;',
      'OK-4;Stranger owned;product;unit;1;stranger@example.com',
    ].join('\n');
    const previewed = await preview(team, csv);
    expect(previewed.status).toBe(200);
    expect(previewed.body.counts).toEqual({ new: 1, changed: 0, unchanged: 0, invalid: 3 });
    expect(previewed.body.rows.filter((row) => row.kind === 'invalid').map((row) => [row.code, row.errors])).toEqual([
      ['OK-2', [{ row: 3, field: 'listPrice', reason: 'must be a number' }]],
      ['OK-3', [{ row: 4, field: 'listPrice', reason: 'must not be negative' }]],
      ['OK-4', [{ row: 5, field: 'owner', reason: 'must be a member of this workspace' }]],
    ]);
    const applied = await apply(team, csv, previewed.body.token);
    expect(applied.status).toBe(400);
    expect(applied.body.details).toEqual([
      { field: 'row 3, listPrice', message: 'must be a number' },
      { field: 'row 4, listPrice', message: 'must not be negative' },
      { field: 'row 5, owner', message: 'must be a member of this workspace' },
    ]);
    expect(await itemsOf(team)).toHaveLength(0);
    expect(await auditOf(team, 'portfolio.csvApplied')).toHaveLength(0);
  });

  it('refuses a rep (403) and an outsider, writing nothing', async () => {
    const team = await planningTeam(api, 'Guarded Pumps');
    const csv = 'code,name,kind,unit\nRP-1,Rep pump,product,unit\n';
    const previewed = await preview(team, csv);
    const byRep = await team.rep.call('applyPortfolioCsv', {
      params: { workspaceId: team.workspaceId },
      body: { csv, token: previewed.body.token },
    });
    expect(byRep.status).toBe(403);
    expect(
      (await team.rep.call('previewPortfolioCsv', { params: { workspaceId: team.workspaceId }, body: { csv } })).status,
    ).toBe(403);
    const other = await planningTeam(api, 'Other Pumps');
    const byOutsider = await other.sales.call('applyPortfolioCsv', {
      params: { workspaceId: team.workspaceId },
      body: { csv, token: previewed.body.token },
    });
    expect([403, 404]).toContain(byOutsider.status);
    expect(await itemsOf(team)).toHaveLength(0);
  });

  it('refuses the apply (409) when an item changed between preview and apply, writing nothing', async () => {
    const team = await planningTeam(api, 'Racing Pumps');
    const seed = 'code,name,kind,unit,listPrice\nRC-1,Race pump,product,unit,10\n';
    expect((await apply(team, seed, (await preview(team, seed)).body.token)).status).toBe(200);
    const [item] = await itemsOf(team);
    const csv = 'code,name,kind,unit,listPrice\nRC-1,Race pump,product,unit,11\nRC-2,New pump,product,unit,5\n';
    const previewed = await preview(team, csv);
    expect(previewed.body.counts).toMatchObject({ new: 1, changed: 1 });
    // A colleague edits another field of the item meanwhile.
    const edited = await team.ops.call('updatePortfolioItem', {
      params: { workspaceId: team.workspaceId, itemId: item?.id ?? '' },
      body: { description: 'Edited meanwhile', expectedVersion: 1 },
    });
    expect(edited.status).toBe(200);
    const applied = await apply(team, csv, previewed.body.token);
    expect(applied.status).toBe(409);
    expect(applied.body.message).toContain('preview the file again');
    const items = await itemsOf(team);
    expect(items.map((entry) => [entry.code, entry.listPrice, entry.description])).toEqual([['RC-1', 10, 'Edited meanwhile']]);
    // A token that names no preview is refused the same way.
    expect((await apply(team, csv, 'f'.repeat(64))).status).toBe(409);
  });

  it('applies a preview once when two applies of it race', async () => {
    const team = await planningTeam(api, 'Twin Pumps');
    const seed = 'code,name,kind,unit,listPrice\nTW-1,Twin pump,product,unit,10\n';
    expect((await apply(team, seed, (await preview(team, seed)).body.token)).status).toBe(200);
    const csv = 'code,name,kind,unit,listPrice\nTW-1,Twin pump,product,unit,11\nTW-2,Second pump,product,unit,5\n';
    const { token } = (await preview(team, csv)).body;
    const answers = await Promise.all([apply(team, csv, token), apply(team, csv, token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const items = await itemsOf(team);
    expect(items.map((item) => [item.code, item.listPrice, item.version])).toEqual([
      ['TW-1', 11, 2],
      ['TW-2', 5, 1],
    ]);
    expect(await auditOf(team, 'portfolio.csvApplied')).toHaveLength(2);
  });

  it('applies a large file in batches within DynamoDB’s transaction limit', async () => {
    const team = await planningTeam(api, 'Batch Pumps');
    const rows = Array.from(
      { length: 120 },
      (_, index) => `B-${String(index + 1).padStart(3, '0')};Batch ${index + 1};product;unit;Batch;${index},5`,
    );
    const csv = ['code;name;kind;unit;family;listPrice', ...rows].join('\n');
    const previewed = await preview(team, csv);
    expect(previewed.body.counts.new).toBe(120);
    const applied = await apply(team, csv, previewed.body.token);
    expect(applied.status).toBe(200);
    expect(applied.body.created).toHaveLength(120);
    const items = await itemsOf(team);
    expect(items).toHaveLength(120);
    expect(items.find((item) => item.code === 'B-120')?.listPrice).toBe(119.5);
  });
});
