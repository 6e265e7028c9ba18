import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';

let api: TestApi;
let team: PlanningTeam;
let itemId: string;
let cycleId: string;
let ws: string;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Bad Input Pumps');
  ws = `/workspaces/${team.workspaceId}`;
  itemId = (await createItem(team, 'BI-1')).id;
  cycleId = (await createCycle(team)).id;
  await agree(team, cycleId, itemId);
});
afterAll(async () => {
  await api.close();
});

/** Everything a bad request could have written, read back to prove nothing was. */
async function snapshot(person: Person) {
  const read = async (path: string) => JSON.stringify((await person.get(path)).body);
  return [
    await read(`${ws}/portfolio-items?archived=all`),
    await read(`${ws}/cycles`),
    await read(`${ws}/cycles/${cycleId}/thresholds`),
    await read(`${ws}/cycles/${cycleId}/thresholds/${itemId}/versions`),
    await read(`${ws}/catalogue/${itemId}/commitments`),
  ];
}

const unknownId = '00000000-0000-4000-8000-000000000000';

describe('bad input on the threshold, catalogue and portfolio routes', () => {
  it('answers each with a clear 4xx naming the field, and writes nothing', async () => {
    const before = await snapshot(team.admin);
    const th = `${ws}/cycles/${cycleId}/thresholds/${itemId}`;
    const cases: Array<[string, string, unknown, number, string]> = [
      ['GET', `${ws}/portfolio-items?limit=0`, undefined, 400, 'query.limit'],
      ['GET', `${ws}/portfolio-items?kind=gadget`, undefined, 400, 'query.kind'],
      ['POST', `${ws}/portfolio-items`, { code: '', name: 'x', kind: 'product', unit: 'u', extra: 1 }, 400, 'body.code'],
      ['GET', `${ws}/portfolio-items/not-an-id`, undefined, 400, 'path.itemId'],
      ['PATCH', `${ws}/portfolio-items/${itemId}`, { expectedVersion: 1 }, 400, 'body'],
      ['PATCH', `${ws}/portfolio-items/${itemId}`, { name: 'x'.repeat(161), expectedVersion: 1 }, 400, 'body.name'],
      ['PATCH', `${ws}/portfolio-items/${unknownId}`, { name: 'x', expectedVersion: 1 }, 404, ''],
      ['POST', `${ws}/portfolio-imports`, { csv: '' }, 400, 'body.csv'],
      ['POST', `${ws}/portfolio-imports`, { csv: 'x'.repeat(60_001) }, 400, 'body.csv'],
      ['GET', '/workspaces/not-an-id/portfolio-export', undefined, 400, 'path.workspaceId'],
      ['GET', `${ws}/cycles/not-an-id`, undefined, 400, 'path.cycleId'],
      ['GET', `${ws}/cycles?limit=500`, undefined, 400, 'query.limit'],
      ['POST', `${ws}/cycles`, { name: 'x', startDate: '2026-02-30', endDate: '2026-12-31' }, 400, 'body.startDate'],
      ['POST', `${ws}/cycles`, { name: 'x', startDate: '2026-06-01', endDate: '2026-01-01' }, 400, 'body.endDate'],
      ['POST', `${ws}/cycles`, { name: 'x', startDate: '2026-01-01', endDate: '2026-12-31', copyFrom: unknownId }, 404, ''],
      ['GET', `${ws}/cycles/${unknownId}`, undefined, 404, ''],
      ['POST', `${ws}/cycles/${cycleId}/state`, { to: 'finished', expectedVersion: 1 }, 400, 'body.to'],
      ['GET', `${ws}/cycles/${cycleId}/thresholds?cursor=${'!'.repeat(10)}`, undefined, 400, ''],
      ['GET', `${ws}/cycles/${cycleId}/thresholds/${unknownId}`, undefined, 404, ''],
      ['GET', `${th}/versions?limit=abc`, undefined, 400, 'query.limit'],
      [
        'PUT',
        th,
        { terms: { ...pumpTerms, standardLeadTimeDays: 2.5 }, expectedVersion: 1 },
        400,
        'body.terms.standardLeadTimeDays',
      ],
      [
        'PUT',
        th,
        { terms: { ...pumpTerms, scopeIncluded: Array(31).fill('x') }, expectedVersion: 1 },
        400,
        'body.terms.scopeIncluded',
      ],
      ['PUT', th, { terms: { ...pumpTerms, sneaky: true }, expectedVersion: 1 }, 400, 'body.terms.sneaky'],
      ['PUT', th, { terms: pumpTerms, expectedVersion: 1 }, 400, ''],
      ['PUT', `${ws}/cycles/${cycleId}/thresholds/${unknownId}`, { terms: pumpTerms }, 404, ''],
      ['POST', `${th}/versions/zero/sign-offs`, undefined, 400, 'path.version'],
      ['POST', `${th}/versions/1/sign-offs`, undefined, 409, ''],
      ['GET', `${ws}/catalogue?kind=x`, undefined, 400, 'query.kind'],
      ['GET', `${ws}/catalogue/${unknownId}`, undefined, 404, ''],
      ['GET', `${ws}/catalogue/${itemId}/promise-check?quantity=-1&leadTimeDays=5`, undefined, 400, 'query.quantity'],
      ['GET', `${ws}/catalogue/${itemId}/promise-check?quantity=5`, undefined, 400, 'query.date'],
      ['GET', `${ws}/catalogue/${itemId}/promise-check?quantity=5&date=2026-13-01`, undefined, 400, 'query.date'],
      ['GET', `${ws}/catalogue/${itemId}/promise-check?quantity=5&date=2099-01-05&leadTimeDays=3`, undefined, 400, 'query.date'],
      ['GET', `${ws}/catalogue/${itemId}/commitments?limit=-1`, undefined, 400, 'query.limit'],
      [
        'POST',
        `${ws}/catalogue/${itemId}/commitments`,
        { reference: '', quantity: 0, deliveryDate: 'soon' },
        400,
        'body.reference',
      ],
      ['POST', `${ws}/catalogue/${itemId}/commitments/${unknownId}/cancel`, { expectedVersion: 1 }, 404, ''],
      ['POST', `${ws}/catalogue/${itemId}/commitments/${unknownId}/cancel`, {}, 400, 'body.expectedVersion'],
    ];
    for (const [method, path, body, status, field] of cases) {
      const response = await team.sales.request(method, path, body);
      const label = `${method} ${path.replace(ws, '')}`;
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
    const path = `${ws}/cycles/${cycleId}/thresholds/${other.id}`;
    const bad = await team.ops.request('PUT', path, { terms: { ...pumpTerms, flexLeadTimeDays: 30 }, expectedVersion: null });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { field: 'body.terms.flexLeadTimeDays', message: 'must not be longer than the standard lead time' },
    ]);
    expect((await team.ops.get(`${path}/versions`)).body.items).toEqual([]);
  });
});
