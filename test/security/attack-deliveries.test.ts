import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { agreedItem, daysFromToday, seedCommitment, today } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';
import { auditEvents, partitionItems } from '#test/support/snapshot';

/**
 * Deliveries attacked from outside: hostile quantities, callers who may not
 * record them, racing twins of one delivery and of one import, another
 * workspace's references, and imports past their bounds. A refusal leaves
 * the item's collection and the audit trail as they were.
 */
let api: TestApi;
let team: PlanningTeam;
let outsider: Person;
let foreign: PlanningTeam;

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Delivery Attack');
  foreign = await planningTeam(api, 'Delivery Elsewhere');
  outsider = foreign.ops;
});
afterAll(async () => {
  await api.close();
});

type On = Awaited<ReturnType<typeof agreedItem>>;

async function approved(code: string, quantity = 10, reference?: string, on?: On, owner = team) {
  const at = on ?? (await agreedItem(owner, code));
  const commitment = await seedCommitment(owner, at, { reference, quantity, promisedDate: daysFromToday(5) });
  const params = { workspaceId: owner.workspaceId, itemId: at.item.id, commitmentId: commitment.id };
  return { on: at, commitment, params };
}

/** The item's collection and the workspace's audit trail, as comparable text. */
async function state(workspaceId: string, itemId: string) {
  const [items, audit] = await Promise.all([
    partitionItems(workspaceId, undefined, undefined, `#ITEM#${itemId}`),
    auditEvents(workspaceId),
  ]);
  return [...items, ...audit].map((item) => JSON.stringify(item)).sort();
}

async function stored(params: { workspaceId: string; itemId: string; commitmentId: string }, who: Person = team.ops) {
  const listed = await who.call('listCommitments', {
    params: { workspaceId: params.workspaceId, itemId: params.itemId },
    query: { limit: 200 },
  });
  return listed.body.items.find((found) => found.id === params.commitmentId);
}

const deliver = (who: Person, params: { workspaceId: string; itemId: string; commitmentId: string }, body: object) =>
  who.callRaw('recordDelivery', { params, body });

describe('a delivery by hand', () => {
  const hostile: Array<[string, object, RegExp]> = [
    ['more than is still to deliver', { quantity: 11 }, /body\.quantity/],
    ['a negative quantity', { quantity: -5 }, /body\.quantity/],
    ['a zero quantity', { quantity: 0 }, /body\.quantity/],
    ['a huge quantity', { quantity: 1e15 }, /body\.quantity/],
    ['a quantity as text', { quantity: 'lots' }, /body\.quantity/],
    ['a fractional overflow', { quantity: 10.000001 }, /body\.quantity/],
    ['a date after today', { quantity: 1, date: daysFromToday(3) }, /body\.date/],
    ['a date that does not exist', { quantity: 1, date: '2026-02-30' }, /body\.date/],
    ['a miss with a quantity', { quantity: 1, missed: true, reason: 'quality' }, /body\.quantity/],
    ['a miss without its reason', { missed: true }, /body\.reason/],
    ['a negative cost', { quantity: 1, cost: { 'expedite fees': -300 } }, /cost/],
    ['an unknown field', { quantity: 1, deliveredBy: 'someone' }, /deliveredBy|body/],
  ];
  for (const [what, body, names] of hostile) {
    it(`refuses ${what} with 400 naming the field, writing nothing`, async () => {
      const { params } = await approved(`AD-${what.replace(/\W+/g, '-').slice(0, 20).toUpperCase()}`);
      const before = await state(params.workspaceId, params.itemId);
      const answer = await deliver(team.ops, params, { date: today(), ...body });
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expect(JSON.stringify(answer.body)).toMatch(names);
      expect(await state(params.workspaceId, params.itemId)).toEqual(before);
    });
  }

  it('refuses a commitment that awaits approval, was declined or cancelled with 409, by hand and by import', async () => {
    const on = await agreedItem(team, 'AD-STATES');
    for (const status of ['awaiting approval', 'declined', 'cancelled'] as const) {
      const reference = `SO-state-${status.replace(' ', '-')}`;
      const commitment = await seedCommitment(team, on, { reference, promisedDate: daysFromToday(5), status });
      const params = { workspaceId: team.workspaceId, itemId: on.item.id, commitmentId: commitment.id };
      const before = await state(team.workspaceId, on.item.id);
      const byHand = await deliver(team.ops, params, { date: today(), quantity: 1 });
      expect(byHand.status, status).toBe(409);
      const imported = await team.ops.callRaw('importDeliveries', {
        params: { workspaceId: team.workspaceId },
        body: { rows: [{ reference, date: today(), quantity: 1 }] },
      });
      expect(imported.body).toMatchObject({ applied: 0, refused: 1 });
      expect(await state(team.workspaceId, on.item.id)).toEqual(before);
    }
  });

  it('refuses a rep, a sales manager, an operations rep and an outsider, writing nothing', async () => {
    const { params } = await approved('AD-WHO');
    const before = await state(params.workspaceId, params.itemId);
    for (const [who, status] of [
      [team.rep, 403],
      [team.sales, 403],
      [team.opsRep, 403],
      [team.marketing, 403],
      [outsider, 404],
    ] as const) {
      const answer = await deliver(who, params, { date: today(), quantity: 1 });
      expect(answer.status, who.email).toBe(status);
    }
    // The outsider's own workspace path naming this workspace's commitment.
    const crossed = await deliver(outsider, { ...params, workspaceId: foreign.workspaceId }, { date: today(), quantity: 1 });
    expect(crossed.status).toBe(404);
    expect(await state(params.workspaceId, params.itemId)).toEqual(before);
  });

  it('lets exactly one of 15 twins delivering the whole quantity win, round after round', async () => {
    const on = await agreedItem(team, 'AD-TWINS');
    for (let round = 0; round < 3; round++) {
      const { params } = await approved('AD-TWINS', 10, `SO-twins-${round}`, on);
      const answers = await Promise.all(
        Array.from({ length: 15 }, () => deliver(team.ops, params, { date: today(), quantity: 10 })),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(
        statuses.filter((status) => status === 201),
        `round ${round}: ${statuses}`,
      ).toHaveLength(1);
      expect(statuses.every((status) => status === 201 || status === 400 || status === 409)).toBe(true);
      expect(await stored(params)).toMatchObject({ deliveredQuantity: 10, status: 'delivered' });
    }
  }, 90_000);

  it('never adds up past the quantity when 15 partial deliveries race', async () => {
    const on = await agreedItem(team, 'AD-PARTS');
    for (let round = 0; round < 3; round++) {
      const { params } = await approved('AD-PARTS', 10, `SO-parts-${round}`, on);
      const answers = await Promise.all(
        Array.from({ length: 15 }, () => deliver(team.ops, params, { date: today(), quantity: 1 })),
      );
      const accepted = answers.filter((answer) => answer.status === 201).length;
      // Contention is a conflict to retry, never a failure on the server's side.
      expect(answers.map((answer) => answer.status).filter((status) => status !== 201 && status !== 409)).toEqual([]);
      for (const refused of answers.filter((answer) => answer.status !== 201)) {
        expect(refused.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }
      const after = await stored(params);
      expect(after?.deliveredQuantity, `round ${round}`).toBe(accepted);
      expect(accepted).toBeLessThanOrEqual(10);
    }
  }, 90_000);
});

describe('an import from the ERP', () => {
  const importOf = (who: Person, body: object, workspaceId = team.workspaceId) =>
    who.callRaw('importDeliveries', { params: { workspaceId }, body });

  it('finds no commitment of another workspace by its reference, and changes neither', async () => {
    const elsewhere = await approved('AD-FOREIGN', 10, 'SO-FOREIGN-REF', undefined, foreign);
    const mine = await agreedItem(team, 'AD-MINE');
    const [beforeForeign, beforeMine] = [
      await state(foreign.workspaceId, elsewhere.on.item.id),
      await state(team.workspaceId, mine.item.id),
    ];
    const answer = await importOf(team.ops, { rows: [{ reference: 'SO-FOREIGN-REF', date: today(), quantity: 10 }] });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ applied: 0, notMatched: 1 });
    expect(await state(foreign.workspaceId, elsewhere.on.item.id)).toEqual(beforeForeign);
    expect(await state(team.workspaceId, mine.item.id)).toEqual(beforeMine);
    expect((await stored(elsewhere.params, foreign.ops))?.deliveredQuantity).toBe(0);
  });

  it('counts a file imported by ten racing twins once, with and without delivery numbers', async () => {
    for (const [label, withNumbers] of [
      ['numbered', true],
      ['by content', false],
    ] as const) {
      const first = await approved(`AD-RE-${label.toUpperCase().replace(' ', '-')}`, 10, `SO-re-${label}-1`);
      const second = await approved('', 10, `SO-re-${label}-2`, first.on);
      const csv = [
        'reference,delivery,date,quantity',
        `SO-re-${label}-1,${withNumbers ? 'DN-1' : ''},${today()},4`,
        `SO-re-${label}-2,${withNumbers ? 'DN-2' : ''},${today()},6`,
      ].join('\n');
      const answers = await Promise.all(Array.from({ length: 10 }, () => importOf(team.ops, { csv })));
      expect(answers.every((answer) => answer.status === 200 || answer.status === 409 || answer.status === 503)).toBe(true);
      const applied = answers.filter((answer) => answer.status === 200).reduce((sum, answer) => sum + answer.body.applied, 0);
      expect(applied, label).toBe(2);
      expect((await stored(first.params))?.deliveredQuantity, label).toBe(4);
      expect((await stored(second.params))?.deliveredQuantity, label).toBe(6);
      const again = await importOf(team.ops, { csv });
      expect(again.body).toMatchObject({ applied: 0, alreadyApplied: 2 });
    }
  }, 90_000);

  it('never adds up past the quantity when 15 imports of separate deliveries race', async () => {
    for (let round = 0; round < 2; round++) {
      const { params } = await approved(`AD-IMPORT-RACE-${round}`, 10, `SO-import-race-${round}`);
      const answers = await Promise.all(
        Array.from({ length: 15 }, (_, twin) =>
          importOf(team.ops, {
            rows: [{ reference: `SO-import-race-${round}`, deliveryRef: `DN-${twin}`, date: today(), quantity: 1 }],
          }),
        ),
      );
      // Every import answers with its report: a row that lost the race is reported refused, not a 500.
      expect(answers.map((answer) => answer.status).filter((status) => status !== 200)).toEqual([]);
      const applied = answers.filter((answer) => answer.status === 200).reduce((sum, answer) => sum + answer.body.applied, 0);
      expect(applied).toBeLessThanOrEqual(10);
      expect((await stored(params))?.deliveredQuantity, `round ${round}`).toBe(applied);
    }
  }, 90_000);

  it('answers 1,000 rows of one commitment with a whole report in time, and an import of the same file goes on from there', async () => {
    const { params } = await approved('AD-LONG', 10_000, 'SO-LONG');
    const rows = Array.from({ length: 1_000 }, (_, index) => ({
      reference: 'SO-LONG',
      deliveryRef: `DN-LONG-${index}`,
      date: today(),
      quantity: 1,
    }));
    const first = await importOf(team.ops, { rows });
    expect(first.status, JSON.stringify(first.body).slice(0, 300)).toBe(200);
    const notReached = (body: { rows: Array<{ outcome: string; reason?: string }> }) =>
      body.rows.filter((row) => row.outcome === 'refused' && /time ran out/.test(row.reason ?? '')).length;
    expect(first.body.applied + notReached(first.body)).toBe(1_000);
    expect((await stored(params))?.deliveredQuantity).toBe(first.body.applied);
    const second = await importOf(team.ops, { rows });
    expect(second.status).toBe(200);
    expect(second.body.alreadyApplied).toBe(first.body.applied);
    expect(second.body.applied + notReached(second.body)).toBe(1_000 - first.body.applied);
    if (first.body.applied < 1_000) expect(second.body.applied).toBeGreaterThan(0);
    expect((await stored(params))?.deliveredQuantity).toBe(first.body.applied + second.body.applied);
  }, 120_000);

  it('refuses 1,001 rows, as rows or as CSV, as a whole with 400 naming the limit', async () => {
    const { params } = await approved('AD-ROWS', 10, 'SO-ROWS');
    const before = await state(params.workspaceId, params.itemId);
    const rows = Array.from({ length: 1_001 }, (_, index) => ({
      reference: 'SO-ROWS',
      deliveryRef: `DN-${index}`,
      date: today(),
      quantity: 0.001,
    }));
    const asRows = await importOf(team.ops, { rows });
    expect(asRows.status).toBe(400);
    expect(JSON.stringify(asRows.body)).toMatch(/1000|rows/);
    const csv = ['reference,delivery,date,quantity', ...rows.map((row) => `SO-ROWS,${row.deliveryRef},${today()},0.001`)].join(
      '\n',
    );
    const asCsv = await importOf(team.ops, { csv });
    expect(asCsv.status).toBe(400);
    expect(JSON.stringify(asCsv.body)).toMatch(/1000|1,000|rows/);
    expect(await state(params.workspaceId, params.itemId)).toEqual(before);
  });

  it('refuses a 10 MB body with 413 before reading it, writing nothing', async () => {
    const { params } = await approved('AD-HUGE', 10, 'SO-HUGE');
    const before = await state(params.workspaceId, params.itemId);
    const csv = `reference,date,quantity\n${`SO-HUGE,${today()},1\n`.repeat((10 * 1024 * 1024) / 20)}`;
    const answer = await team.ops.request('POST', `/workspaces/${team.workspaceId}/deliveries/import`, { csv });
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: expect.any(String) });
    expect(await state(params.workspaceId, params.itemId)).toEqual(before);
  });

  it('refuses a rep, a sales manager and an outsider, writing nothing', async () => {
    const { params } = await approved('AD-IMPORT-WHO', 10, 'SO-IMPORT-WHO');
    const before = await state(params.workspaceId, params.itemId);
    const body = { rows: [{ reference: 'SO-IMPORT-WHO', date: today(), quantity: 10 }] };
    expect((await importOf(team.rep, body)).status).toBe(403);
    expect((await importOf(team.sales, body)).status).toBe(403);
    expect((await importOf(outsider, body)).status).toBe(404);
    expect(await state(params.workspaceId, params.itemId)).toEqual(before);
  });

  it('reports over-delivering and hostile rows as refused or invalid, and applies none of them', async () => {
    const { params } = await approved('AD-ROWS-BAD', 10, 'SO-ROWS-BAD');
    const answer = await importOf(team.ops, {
      rows: [
        { reference: 'SO-ROWS-BAD', deliveryRef: 'A', date: today(), quantity: 11 },
        { reference: 'SO-ROWS-BAD', deliveryRef: 'B', date: today(), quantity: -1 },
        { reference: 'SO-ROWS-BAD', deliveryRef: 'C', date: today(), quantity: '1e9' },
        { reference: 'SO-ROWS-BAD', deliveryRef: 'D', date: daysFromToday(2), quantity: 1 },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.applied).toBe(0);
    const outcomes = answer.body.rows.map((row: { outcome: string }) => row.outcome);
    expect(outcomes.slice(0, 3)).toEqual(['refused', 'invalid', 'invalid']);
    // A date after today is refused by the delivery rule rather than the row's parse: either way it applies nothing.
    expect(['refused', 'invalid']).toContain(outcomes[3]);
    expect(JSON.stringify(answer.body.rows[3])).toMatch(/date|today|future/i);
    expect((await stored(params))?.deliveredQuantity).toBe(0);
  });
});
