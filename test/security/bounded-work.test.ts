import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryDateProblem, latestPromiseDate } from '#contract/catalogue/promise';
import { maxWalkedDays, promiseHorizonDays } from '#contract/limits';
import { addDays, addWorkingDays, weeksFrom, workingDaysBetween } from '#contract/working-days';
import { type ApiResponse, startApi, type TestApi } from '#test/support/api';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';

let api: TestApi;
let team: PlanningTeam;
let stranger: PlanningTeam;
let base: { workspaceId: string; itemId: string };
let today: string;
let cycleId: string;

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Bounded Pumps');
  stranger = await planningTeam(api, 'Stranger Pumps');
  const item = await createItem(team, 'FAR-1');
  const cycle = await createCycle(team);
  cycleId = cycle.id;
  await agree(team, cycle.id, item.id);
  base = { workspaceId: team.workspaceId, itemId: item.id };
  const probe = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: 10 } });
  expect(probe.status).toBe(200);
  today = probe.body.today;
});
afterAll(async () => {
  await api.close();
});

/** A request and how long it took, in milliseconds. */
async function timed<T>(call: () => Promise<T>): Promise<{ response: T; ms: number }> {
  const started = performance.now();
  const response = await call();
  return { response, ms: performance.now() - started };
}

describe('bounded work per request', () => {
  it('refuses a promise check past the horizon with 400 naming the date and the limit, at once', async () => {
    const latest = latestPromiseDate(today);
    for (const date of ['3000-01-01', '9999-12-31', addDays(latest, 1)]) {
      const { response, ms } = await timed(() => team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date } }));
      expect(response.status, date).toBe(400);
      expect(response.body.details, date).toEqual([
        { field: 'query.date', message: expect.stringContaining(`${promiseHorizonDays} days`) },
      ]);
      expect(response.body.details[0].message, date).toContain(latest);
      expect(ms, date).toBeLessThan(2000);
    }
  });

  it('refuses a promise check for a date before today, and one for a lead time past the schema cap', async () => {
    const past = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, date: '0001-01-01' } });
    expect(past.status).toBe(400);
    expect(past.body.details).toEqual([{ field: 'query.date', message: 'must not be in the past' }]);
    for (const days of ['521', '1000000000', '1e308']) {
      const huge = await team.rep.call('promiseCheck', { params: base, query: { quantity: 1, leadTimeDays: days } });
      expect(huge.status, days).toBe(400);
      expect(huge.body.details[0].field, days).toBe('query.leadTimeDays');
    }
  });

  it('answers a check at the horizon itself, searching no further than its cap', async () => {
    const latest = latestPromiseDate(today);
    // More than any window holds: a beyond answer that searches the whole horizon for alternatives.
    const { response, ms } = await timed(() =>
      team.rep.call('promiseCheck', { params: base, query: { quantity: '9000000', date: latest } }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ band: 'beyond', deliveryDate: latest });
    expect(response.body.alternatives?.earliestStandardDate).toBeNull();
    expect(ms).toBeLessThan(2000);
  });

  it('refuses a commitment past the horizon with 400 naming the field, and records nothing', async () => {
    for (const deliveryDate of ['3000-01-01', '9999-12-31', addDays(latestPromiseDate(today), 1)]) {
      const recorded = await team.rep.call('recordCommitment', {
        params: base,
        body: { reference: 'Far', quantity: 1, deliveryDate },
      });
      expect(recorded.status, deliveryDate).toBe(400);
      expect(recorded.body.details[0].field, deliveryDate).toBe('body.deliveryDate');
    }
    expect((await team.rep.call('listCommitments', { params: base })).body.items).toEqual([]);
  });

  it("answers 404 not found for another workspace's item, never a domain message", async () => {
    const { itemId } = base;
    const check = await stranger.rep.call('promiseCheck', {
      params: { workspaceId: stranger.workspaceId, itemId },
      query: { quantity: 1, leadTimeDays: 10 },
    });
    expect(check.status).toBe(404);
    expect(check.body.message).toBe('Portfolio item not found');
    const commit = await stranger.rep.call('recordCommitment', {
      params: { workspaceId: stranger.workspaceId, itemId },
      body: {
        reference: 'x',
        quantity: 1,
        deliveryDate: addDays(today, 30),
      },
    });
    expect(commit.status).toBe(404);
    expect(commit.body.message).toBe('Portfolio item not found');
    expect((await team.rep.call('listCommitments', { params: base })).body.items).toEqual([]);
  });

  it('answers the widest date windows of the filters at once: no filter walks its range day by day or month by month', async () => {
    const issue = await team.sales.call('createMisalignmentIssue', {
      params: { workspaceId: team.workspaceId },
      body: {
        title: 'Late deliveries',
        category: 'lead time',
      },
    });
    expect(issue.status).toBe(201);
    const occurrence = await team.sales.call('logOccurrence', {
      params: { workspaceId: team.workspaceId, issueId: issue.body.id },
      body: {
        occurredOn: today,
        detectedAt: 'delivery',
        cost: { other: 100 },
        currency: 'EUR',
      },
    });
    expect(occurrence.status).toBe(201);
    const widest = { from: '0001-01-01', to: '9999-12-31' };
    const workspace = { workspaceId: team.workspaceId };
    const reads: Array<readonly [string, () => Promise<ApiResponse<unknown>>]> = [
      ['ranking', () => team.sales.call('getRanking', { params: { ...workspace, cycleId }, query: widest })],
      ['issues', () => team.sales.call('listMisalignmentIssues', { params: workspace, query: widest })],
      ['issue export', () => team.sales.call('exportMisalignmentIssues', { params: workspace, query: widest })],
      [
        'audit events',
        () =>
          team.sales.call('listAuditEvents', {
            params: workspace,
            query: { from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' },
          }),
      ],
    ];
    for (const [path, read] of reads) {
      const { response, ms } = await timed(read);
      expect(response.status, path).toBe(200);
      expect(ms, path).toBeLessThan(2000);
    }
    const reversed = await team.sales.call('getRanking', {
      params: { workspaceId: team.workspaceId, cycleId },
      query: { from: '9999-12-31', to: '0001-01-01' },
    });
    expect(reversed.status).toBe(400);
  });

  it('draws the horizon at one date for any today: every later date is refused, every date up to it is not', () => {
    const day = (from: string, to: string) =>
      fc
        .integer({ min: 0, max: Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) })
        .map((days) => addDays(from, days));
    fc.assert(
      fc.property(day('2000-01-01', '2100-12-31'), fc.integer({ min: 1, max: 3_000_000 }), (now, ahead) => {
        const latest = latestPromiseDate(now);
        expect(deliveryDateProblem(latest, now)).toBeNull();
        expect(deliveryDateProblem(now, now)).toBeNull();
        const beyond = addDays(latest, Math.min(ahead, Math.round((Date.parse('9999-12-31') - Date.parse(latest)) / 86_400_000)));
        expect(deliveryDateProblem(beyond, now)).toContain(latest);
        expect(deliveryDateProblem(addDays(now, -1), now)).toBe('must not be in the past');
      }),
      { numRuns: 300 },
    );
  });

  it('caps every day-by-day walk of the working-day arithmetic', () => {
    const start = '2026-01-01';
    const far = addDays(start, maxWalkedDays + 1);
    expect(() => workingDaysBetween(start, far)).toThrow(RangeError);
    expect(() => workingDaysBetween(far, start)).toThrow(RangeError);
    expect(() => addWorkingDays(start, maxWalkedDays)).toThrow(RangeError);
    expect(() => weeksFrom(start, addDays(start, maxWalkedDays + 7))).toThrow(RangeError);
    expect(workingDaysBetween(start, addDays(start, promiseHorizonDays))).toBeGreaterThan(500);
  });
});
