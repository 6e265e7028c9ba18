import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '#contract/index';
import { type Person, startApi, type TestApi } from '#test/support/api';
import type { RawCallInput } from '#test/support/client';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';

let api: TestApi;
let team: PlanningTeam;
let itemId: string;
let cycleId: string;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Bad Input Pumps');
  itemId = (await createItem(team, 'BI-1')).id;
  cycleId = (await createCycle(team)).id;
  await agree(team, cycleId, itemId);
});
afterAll(async () => {
  await api.close();
});

/** Everything a bad request could have written, read back to prove nothing was. */
async function snapshot(person: Person) {
  const read = async (answer: Promise<{ body: unknown }>) => JSON.stringify((await answer).body);
  const workspaceId = team.workspaceId;
  return [
    await read(person.call('listPortfolioItems', { params: { workspaceId }, query: { archived: 'all' } })),
    await read(person.call('listCycles', { params: { workspaceId } })),
    await read(person.call('listCycleThresholds', { params: { workspaceId, cycleId } })),
    await read(person.call('listThresholdVersions', { params: { workspaceId, cycleId, itemId } })),
    await read(person.call('listCommitments', { params: { workspaceId, itemId } })),
  ];
}

const unknownId = '00000000-0000-4000-8000-000000000000';

describe('bad input on the threshold, catalogue and portfolio routes', () => {
  it('answers each with a clear 4xx naming the field, and writes nothing', async () => {
    const before = await snapshot(team.admin);
    // Each case breaks the route's schema on purpose, so it is sent through callRaw.
    const cases: Array<[RouteName, RawCallInput, number, string]> = [
      ['listPortfolioItems', { params: { workspaceId: team.workspaceId }, query: { limit: 0 } }, 400, 'query.limit'],
      ['listPortfolioItems', { params: { workspaceId: team.workspaceId }, query: { kind: 'gadget' } }, 400, 'query.kind'],
      [
        'createPortfolioItem',
        { params: { workspaceId: team.workspaceId }, body: { code: '', name: 'x', kind: 'product', unit: 'u', extra: 1 } },
        400,
        'body.code',
      ],
      ['getPortfolioItem', { params: { workspaceId: team.workspaceId, itemId: 'not-an-id' } }, 400, 'path.itemId'],
      ['updatePortfolioItem', { params: { workspaceId: team.workspaceId, itemId }, body: { expectedVersion: 1 } }, 400, 'body'],
      [
        'updatePortfolioItem',
        { params: { workspaceId: team.workspaceId, itemId }, body: { name: 'x'.repeat(161), expectedVersion: 1 } },
        400,
        'body.name',
      ],
      [
        'updatePortfolioItem',
        { params: { workspaceId: team.workspaceId, itemId: unknownId }, body: { name: 'x', expectedVersion: 1 } },
        404,
        '',
      ],
      ['importPortfolioItems', { params: { workspaceId: team.workspaceId }, body: { csv: '' } }, 400, 'body.csv'],
      ['importPortfolioItems', { params: { workspaceId: team.workspaceId }, body: { csv: 'x'.repeat(60_001) } }, 400, 'body.csv'],
      ['exportPortfolioItems', { params: { workspaceId: 'not-an-id' } }, 400, 'path.workspaceId'],
      ['getCycle', { params: { workspaceId: team.workspaceId, cycleId: 'not-an-id' } }, 400, 'path.cycleId'],
      ['listCycles', { params: { workspaceId: team.workspaceId }, query: { limit: 500 } }, 400, 'query.limit'],
      [
        'createCycle',
        { params: { workspaceId: team.workspaceId }, body: { name: 'x', startDate: '2026-02-30', endDate: '2026-12-31' } },
        400,
        'body.startDate',
      ],
      [
        'createCycle',
        { params: { workspaceId: team.workspaceId }, body: { name: 'x', startDate: '2026-06-01', endDate: '2026-01-01' } },
        400,
        'body.endDate',
      ],
      [
        'createCycle',
        {
          params: { workspaceId: team.workspaceId },
          body: { name: 'x', startDate: '2026-01-01', endDate: '2026-12-31', copyFrom: unknownId },
        },
        404,
        '',
      ],
      ['getCycle', { params: { workspaceId: team.workspaceId, cycleId: unknownId } }, 404, ''],
      [
        'changeCycleState',
        { params: { workspaceId: team.workspaceId, cycleId }, body: { to: 'finished', expectedVersion: 1 } },
        400,
        'body.to',
      ],
      ['listCycleThresholds', { params: { workspaceId: team.workspaceId, cycleId }, query: { cursor: '!'.repeat(10) } }, 400, ''],
      ['getThreshold', { params: { workspaceId: team.workspaceId, cycleId, itemId: unknownId } }, 404, ''],
      [
        'listThresholdVersions',
        { params: { workspaceId: team.workspaceId, cycleId, itemId }, query: { limit: 'abc' } },
        400,
        'query.limit',
      ],
      [
        'saveThreshold',
        {
          params: { workspaceId: team.workspaceId, cycleId, itemId },
          body: { terms: { ...pumpTerms, standardLeadTimeDays: 2.5 }, expectedVersion: 1 },
        },
        400,
        'body.terms.standardLeadTimeDays',
      ],
      [
        'saveThreshold',
        {
          params: { workspaceId: team.workspaceId, cycleId, itemId },
          body: { terms: { ...pumpTerms, scopeIncluded: Array(31).fill('x') }, expectedVersion: 1 },
        },
        400,
        'body.terms.scopeIncluded',
      ],
      [
        'saveThreshold',
        {
          params: { workspaceId: team.workspaceId, cycleId, itemId },
          body: { terms: { ...pumpTerms, sneaky: true }, expectedVersion: 1 },
        },
        400,
        'body.terms.sneaky',
      ],
      [
        'saveThreshold',
        { params: { workspaceId: team.workspaceId, cycleId, itemId }, body: { terms: pumpTerms, expectedVersion: 1 } },
        400,
        '',
      ],
      [
        'saveThreshold',
        { params: { workspaceId: team.workspaceId, cycleId, itemId: unknownId }, body: { terms: pumpTerms } },
        404,
        '',
      ],
      ['signOffThreshold', { params: { workspaceId: team.workspaceId, cycleId, itemId, version: 'zero' } }, 400, 'path.version'],
      ['signOffThreshold', { params: { workspaceId: team.workspaceId, cycleId, itemId, version: '1' } }, 409, ''],
      ['listCatalogue', { params: { workspaceId: team.workspaceId }, query: { kind: 'x' } }, 400, 'query.kind'],
      ['getCatalogueItem', { params: { workspaceId: team.workspaceId, itemId: unknownId } }, 404, ''],
      [
        'promiseCheck',
        { params: { workspaceId: team.workspaceId, itemId }, query: { quantity: '-1', leadTimeDays: 5 } },
        400,
        'query.quantity',
      ],
      ['promiseCheck', { params: { workspaceId: team.workspaceId, itemId }, query: { quantity: 5 } }, 400, 'query.date'],
      [
        'promiseCheck',
        { params: { workspaceId: team.workspaceId, itemId }, query: { quantity: 5, date: '2026-13-01' } },
        400,
        'query.date',
      ],
      [
        'promiseCheck',
        { params: { workspaceId: team.workspaceId, itemId }, query: { quantity: 5, date: '2099-01-05', leadTimeDays: 3 } },
        400,
        'query.date',
      ],
      ['listCommitments', { params: { workspaceId: team.workspaceId, itemId }, query: { limit: '-1' } }, 400, 'query.limit'],
      [
        'recordCommitment',
        { params: { workspaceId: team.workspaceId, itemId }, body: { reference: '', quantity: 0, deliveryDate: 'soon' } },
        400,
        'body.reference',
      ],
      [
        'cancelCommitment',
        { params: { workspaceId: team.workspaceId, itemId, commitmentId: unknownId }, body: { expectedVersion: 1 } },
        404,
        '',
      ],
      [
        'cancelCommitment',
        { params: { workspaceId: team.workspaceId, itemId, commitmentId: unknownId }, body: {} },
        400,
        'body.expectedVersion',
      ],
    ];
    for (const [name, input, status, field] of cases) {
      const response = await team.sales.callRaw(name, input);
      const label = `${name} ${JSON.stringify(input)}`;
      expect(response.status, label).toBe(status);
      expect(response.body.message, label).toEqual(expect.any(String));
      if (field)
        expect(
          response.body.details.map((d: { field: string }) => d.field),
          label,
        ).toContain(field);
    }
    expect(await snapshot(team.admin)).toEqual(before);
  });

  it('keeps the versions of a threshold when a sign-off or save is refused', async () => {
    const other = await createItem(team, 'BI-2');
    const threshold = { workspaceId: team.workspaceId, cycleId, itemId: other.id };
    const bad = await team.ops.call('saveThreshold', {
      params: threshold,
      body: { terms: { ...pumpTerms, flexLeadTimeDays: 30 }, expectedVersion: null },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { field: 'body.terms.flexLeadTimeDays', message: 'must not be longer than the standard lead time' },
    ]);
    expect((await team.ops.call('listThresholdVersions', { params: threshold })).body.items).toEqual([]);
  });
});
