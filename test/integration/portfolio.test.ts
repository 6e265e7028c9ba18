import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterAttribute, workspaceCaps } from '#contract/limits';
import { startApi, type TestApi } from '#test/support/api';
import { present } from '#test/support/client';
import { type PlanningTeam, planningTeam } from '#test/support/planning';
import { dynamo, tableName } from '#test/support/table';

let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Portfolio Pumps');
});
afterAll(async () => {
  await api.close();
});

describe('portfolio items', () => {
  it('creates, edits, searches and archives items, refusing duplicate codes and stale edits', async () => {
    const created = await team.sales.call('createPortfolioItem', {
      params: { workspaceId: team.workspaceId },
      body: {
        code: 'vfd-7',
        name: 'Drive 7.5 kW',
        kind: 'product',
        unit: 'unit',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'VFD-7', version: 1, archived: false });
    const id = created.body.id as string;
    const duplicate = await team.sales.call('createPortfolioItem', {
      params: { workspaceId: team.workspaceId },
      body: {
        code: 'VFD-7 ',
        name: 'Again',
        kind: 'product',
        unit: 'unit',
      },
    });
    expect(duplicate.status).toBe(409);
    await team.sales.call('createPortfolioItem', {
      params: { workspaceId: team.workspaceId },
      body: { code: 'SVC-1', name: 'Commissioning', kind: 'service', unit: 'hour' },
    });

    const renamed = await team.ops.call('updatePortfolioItem', {
      params: { workspaceId: team.workspaceId, itemId: id },
      body: {
        name: 'Variable drive 7.5 kW',
        code: 'VFD-75',
        expectedVersion: 1,
      },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ code: 'VFD-75', name: 'Variable drive 7.5 kW', version: 2 });
    const stale = await team.sales.call('updatePortfolioItem', {
      params: { workspaceId: team.workspaceId, itemId: id },
      body: { unit: 'kit', expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ code: 'VFD-75', version: 2 });
    // The old code is free again, the new one is taken.
    expect(
      (
        await team.sales.call('createPortfolioItem', {
          params: { workspaceId: team.workspaceId },
          body: { code: 'VFD-7', name: 'New', kind: 'product', unit: 'unit' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await team.sales.call('createPortfolioItem', {
          params: { workspaceId: team.workspaceId },
          body: { code: 'VFD-75', name: 'New', kind: 'product', unit: 'unit' },
        })
      ).status,
    ).toBe(409);

    const search = await team.rep.call('listPortfolioItems', {
      params: { workspaceId: team.workspaceId },
      query: { q: 'variable' },
    });
    expect(search.body.items.map((i: { code: string }) => i.code)).toEqual(['VFD-75']);
    const services = await team.rep.call('listPortfolioItems', {
      params: { workspaceId: team.workspaceId },
      query: { kind: 'service' },
    });
    expect(services.body.items.map((i: { code: string }) => i.code)).toEqual(['SVC-1']);

    const archived = await team.ops.call('updatePortfolioItem', {
      params: { workspaceId: team.workspaceId, itemId: id },
      body: { archived: true, expectedVersion: 2 },
    });
    expect(archived.body).toMatchObject({ archived: true, version: 3 });
    const inUse = await team.rep.call('listPortfolioItems', { params: { workspaceId: team.workspaceId } });
    expect(inUse.body.items.map((i: { code: string }) => i.code)).toEqual(['SVC-1', 'VFD-7']);
    const catalogue = await team.rep.call('listCatalogue', { params: { workspaceId: team.workspaceId } });
    expect(catalogue.body.items.map((e: { item: { code: string } }) => e.item.code)).toEqual(['SVC-1', 'VFD-7']);
    const withArchived = await team.rep.call('listPortfolioItems', {
      params: { workspaceId: team.workspaceId },
      query: { archived: 'all' },
    });
    expect(withArchived.body.items).toHaveLength(3);
  });

  it('pages lists with a cursor', async () => {
    const team2 = await planningTeam(api, 'Paging Pumps');
    for (const code of ['P-1', 'P-2', 'P-3']) {
      await team2.admin.call('createPortfolioItem', {
        params: { workspaceId: team2.workspaceId },
        body: {
          code,
          name: code,
          kind: 'product',
          unit: 'unit',
        },
      });
    }
    const first = await team2.rep.call('listCatalogue', { params: { workspaceId: team2.workspaceId }, query: { limit: 2 } });
    expect(first.body.items.map((e: { item: { code: string } }) => e.item.code)).toEqual(['P-1', 'P-2']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await team2.rep.call('listCatalogue', {
      params: { workspaceId: team2.workspaceId },
      query: { limit: 2, cursor: present(first.body.nextCursor) },
    });
    expect(second.body.items.map((e: { item: { code: string } }) => e.item.code)).toEqual(['P-3']);
  });
});

describe('CSV import and export', () => {
  it('imports the valid rows and reports each invalid one by row, field and reason', async () => {
    const team3 = await planningTeam(api, 'CSV Pumps');
    await team3.admin.call('createPortfolioItem', {
      params: { workspaceId: team3.workspaceId },
      body: { code: 'EXISTING', name: 'Already here', kind: 'product', unit: 'unit' },
    });
    const csv = [
      'code,name,kind,unit,description,owner',
      'CP-050,Centrifugal pump DN50,product,unit,"End-suction, cast iron",',
      'BAD CODE,Spaces in code,product,unit,,',
      'SVC-INSTALL,Installation,service,hour,,not-an-email',
      'EXISTING,Clash,product,unit,,',
      'SVC-MAINT,Maintenance,service,hour,Yearly visits,',
      'GP-1,Gear pump,widget,,,',
    ].join('\r\n');
    const report = await team3.sales.call('importPortfolioItems', { params: { workspaceId: team3.workspaceId }, body: { csv } });
    expect(report.status).toBe(200);
    expect(report.body.imported).toBe(2);
    expect(report.body.items.map((i: { code: string }) => i.code)).toEqual(['CP-050', 'SVC-MAINT']);
    expect(report.body.errors).toEqual([
      { row: 3, field: 'code', reason: 'may hold letters, digits, dot, dash and underscore' },
      { row: 4, field: 'owner', reason: 'must be an email address' },
      { row: 5, field: 'code', reason: expect.stringContaining('already used') },
      { row: 7, field: 'kind', reason: 'must be product or service' },
      { row: 7, field: 'unit', reason: 'must not be empty' },
    ]);
    const items = await team3.rep.call('listPortfolioItems', { params: { workspaceId: team3.workspaceId } });
    expect(items.body.items.map((i: { code: string }) => i.code)).toEqual(['CP-050', 'EXISTING', 'SVC-MAINT']);
    expect(items.body.items[0]?.description).toBe('End-suction, cast iron');

    const exported = await team3.rep.call('exportPortfolioItems', { params: { workspaceId: team3.workspaceId } });
    expect(exported.status).toBe(200);
    expect(exported.body.filename).toMatch(/^portfolio-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(exported.body.csv.split('\r\n')).toEqual([
      'code,name,kind,unit,description,owner,family,listPrice,archived',
      'CP-050,Centrifugal pump DN50,product,unit,"End-suction, cast iron",,,,false',
      'EXISTING,Already here,product,unit,,,,,false',
      'SVC-MAINT,Maintenance,service,hour,Yearly visits,,,,false',
      '',
    ]);
    expect(
      (await team3.rep.call('importPortfolioItems', { params: { workspaceId: team3.workspaceId }, body: { csv } })).status,
    ).toBe(403);
  });

  it('imports a long file in batches, refusing only the rows whose code is taken', async () => {
    const team4 = await planningTeam(api, 'Bulk Pumps');
    for (const code of ['BULK-007', 'BULK-042']) {
      await team4.admin.call('createPortfolioItem', {
        params: { workspaceId: team4.workspaceId },
        body: { code, name: 'Existing', kind: 'product', unit: 'unit' },
      });
    }
    const rows = Array.from(
      { length: 70 },
      (_, index) => `BULK-${String(index + 1).padStart(3, '0')},Bulk item ${index + 1},product,unit`,
    );
    const report = await team4.sales.call('importPortfolioItems', {
      params: { workspaceId: team4.workspaceId },
      body: { csv: ['code,name,kind,unit', ...rows].join('\n') },
    });
    expect(report.status).toBe(200);
    expect(report.body.imported).toBe(68);
    expect(report.body.errors.map((error: { row: number; field: string }) => [error.row, error.field])).toEqual([
      [8, 'code'],
      [43, 'code'],
    ]);
    const listed = await team4.rep.call('listPortfolioItems', {
      params: { workspaceId: team4.workspaceId },
      query: { limit: 200 },
    });
    expect(listed.body.items).toHaveLength(70);
  });

  it('imports what still fits under the workspace cap and refuses the rest by row', async () => {
    const team5 = await planningTeam(api, 'Full Pumps');
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: `WS#${team5.workspaceId}`, sk: 'WORKSPACE' },
        UpdateExpression: 'SET #count = :count',
        ExpressionAttributeNames: { '#count': counterAttribute('portfolioItems') },
        ExpressionAttributeValues: { ':count': workspaceCaps.portfolioItems - 2 },
      }),
    );
    const csv = [
      'code,name,kind,unit',
      'F-1,One,product,unit',
      'F-2,Two,product,unit',
      'F-3,Three,product,unit',
      'F-4,Four,product,unit',
    ];
    const report = await team5.sales.call('importPortfolioItems', {
      params: { workspaceId: team5.workspaceId },
      body: { csv: csv.join('\n') },
    });
    expect(report.status).toBe(200);
    expect(report.body.items.map((i: { code: string }) => i.code)).toEqual(['F-1', 'F-2']);
    expect(report.body.errors).toEqual([
      { row: 4, field: 'row', reason: expect.stringContaining('limit') },
      { row: 5, field: 'row', reason: expect.stringContaining('limit') },
    ]);
    expect((await team5.rep.call('listPortfolioItems', { params: { workspaceId: team5.workspaceId } })).body.items).toHaveLength(
      2,
    );
  });
});
