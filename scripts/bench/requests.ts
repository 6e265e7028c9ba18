import { randomUUID } from 'node:crypto';
import { type AnyRoute, type RouteName, routes } from '#contract/index';
import { pumpTerms } from '#scripts/fixtures/terms';
import { exportAll, type TestApi, uniqueEmail } from '#test/support/api';
import { budgetOf, inWorkspace, membershipCheck, reasons, roundTripTarget } from './budgets';
import type { Figure } from './report';
import { benchTeam, type MeasuredCall, ok, type Scenario } from './scenario-kit';
import { acrossScenarios } from './scenarios-across';
import { deliveryScenarios } from './scenarios-deliveries';
import { integrationScenarios } from './scenarios-integration';
import { meetingScenarios, misalignmentScenarios } from './scenarios-issues';
import { notificationScenarios } from './scenarios-notifications';
import { planScenarios } from './scenarios-plan';
import { catalogueScenarios } from './scenarios-planning';

export { reasons } from './budgets';
export { agreedItem, type BenchTeam, benchTeam, type Call, type MeasuredCall } from './scenario-kit';

/**
 * One valid, successful call per route, with the data it needs set up first
 * through the API. A route missing here fails the bench ("no scenario"), so a
 * route added later cannot go unmeasured.
 */
export const scenarios: Record<string, Scenario> = {
  health: async (t) => ({ who: t.admin, method: 'GET', path: '/health' }),
  ready: async (t) => ({ who: t.admin, method: 'GET', path: '/ready' }),
  getMe: async (t) => ({ who: t.rep, method: 'GET', path: '/me' }),
  createWorkspace: async (t) => ({ who: t.admin, method: 'POST', path: '/workspaces', body: { name: 'Another workspace' } }),
  getWorkspace: async (t) => ({ who: t.rep, method: 'GET', path: t.w }),
  updateWorkspace: async (t) => {
    const workspace = await ok(t.admin.get(t.w), 'get workspace');
    return {
      who: t.admin,
      method: 'PATCH',
      path: t.w,
      body: { timeZone: 'Europe/Oslo', expectedVersion: workspace.version },
    };
  },
  listMembers: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/members` }),
  inviteMember: async (t) => ({
    who: t.admin,
    method: 'POST',
    path: `${t.w}/members`,
    body: { email: uniqueEmail('new'), name: 'New person', function: 'sales', role: 'rep' },
  }),
  updateMember: async (t) => {
    const email = uniqueEmail('changing');
    const member = await ok(
      t.admin.post(`${t.w}/members`, { email, name: 'Changing', function: 'sales', role: 'rep' }),
      'invite',
    );
    return {
      who: t.admin,
      method: 'PATCH',
      path: `${t.w}/members/${encodeURIComponent(email)}`,
      body: { role: 'manager', expectedVersion: member.version },
    };
  },
  removeMember: async (t) => {
    const email = uniqueEmail('leaving');
    const member = await ok(t.admin.post(`${t.w}/members`, { email, name: 'Leaving', function: 'sales', role: 'rep' }), 'invite');
    return {
      who: t.admin,
      method: 'DELETE',
      path: `${t.w}/members/${encodeURIComponent(email)}?expectedVersion=${member.version}`,
    };
  },
  listPortfolioItems: async (t) => {
    await t.item();
    return { who: t.rep, method: 'GET', path: `${t.w}/portfolio-items` };
  },
  createPortfolioItem: async (t) => ({
    who: t.admin,
    method: 'POST',
    path: `${t.w}/portfolio-items`,
    body: { code: `N-${randomUUID().slice(0, 6)}`, name: 'New pump', kind: 'product', unit: 'unit' },
    // A code is taken once: each round creates an item of its own.
    callOfRound: async () => ({
      body: { code: `N-${randomUUID().slice(0, 6)}`, name: 'New pump', kind: 'product', unit: 'unit' },
    }),
  }),
  getPortfolioItem: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/portfolio-items/${(await t.item()).id}` }),
  updatePortfolioItem: async (t) => {
    const item = await t.item();
    return {
      who: t.admin,
      method: 'PATCH',
      path: `${t.w}/portfolio-items/${item.id}`,
      body: { name: 'Renamed pump', expectedVersion: item.version },
    };
  },
  importPortfolioItems: async (t) => ({
    who: t.admin,
    method: 'POST',
    path: `${t.w}/portfolio-imports`,
    body: { csv: `code,name,kind,unit\nI-${randomUUID().slice(0, 6)},Imported pump,product,unit\n` },
  }),
  exportPortfolioItems: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/portfolio-export` }),
  previewPortfolioCsv: async (t) => ({
    who: t.admin,
    method: 'POST',
    path: `${t.w}/portfolio-csv/preview`,
    body: { csv: `code;name;kind;unit;listPrice\nP-${randomUUID().slice(0, 6)};Previewed pump;product;unit;12,5\n` },
  }),
  applyPortfolioCsv: async (t) => {
    const csv = `code;name;kind;unit;listPrice\nA-${randomUUID().slice(0, 6)};Applied pump;product;unit;12,5\n`;
    const preview = await ok(t.admin.post(`${t.w}/portfolio-csv/preview`, { csv }), 'preview');
    return { who: t.admin, method: 'POST', path: `${t.w}/portfolio-csv/apply`, body: { csv, token: preview.token } };
  },
  listAuditEvents: async (t) => ({ who: t.admin, method: 'GET', path: `${t.w}/audit-events` }),
  exportWorkspace: async (t) => ({ who: t.admin, method: 'GET', path: `${t.w}/export` }),
  restoreWorkspace: async (t) => {
    // A small workspace of its own: the team's grows with every scenario, and a restore of hundreds of records would
    // measure the writes, not what the function adds to a cold start.
    const source = await ok(t.admin.post('/workspaces', { name: 'Restore source' }), 'create workspace');
    const sourceId = source.id as string;
    await ok(
      t.admin.post(`/workspaces/${sourceId}/portfolio-items`, {
        code: 'R-1',
        name: 'Restored pump',
        kind: 'product',
        unit: 'unit',
      }),
      'create item',
    );
    const exported = await exportAll(t.admin, sourceId);
    if (exported.status !== 200) throw new Error(`export failed with ${exported.status}`);
    // Each round restores an export made a moment later, as a new workspace:
    // a signed export cannot be edited into another one.
    return {
      who: t.admin,
      method: 'POST',
      path: '/workspaces/restore',
      body: exported.body,
      callOfRound: async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return { body: (await exportAll(t.admin, sourceId)).body };
      },
    };
  },
  listCycles: async (t) => {
    await t.cycle();
    return { who: t.rep, method: 'GET', path: `${t.w}/cycles` };
  },
  createCycle: async (t) => ({
    who: t.admin,
    method: 'POST',
    path: `${t.w}/cycles`,
    body: { name: 'FY2030 budget', startDate: '2029-01-01', endDate: '2029-12-31' },
  }),
  getCycle: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/cycles/${(await t.cycle()).id}` }),
  changeCycleState: async (t) => {
    const cycle = await t.cycle();
    return {
      who: t.admin,
      method: 'POST',
      path: `${t.w}/cycles/${cycle.id}/state`,
      body: { to: 'planning', expectedVersion: cycle.version },
    };
  },
  listCycleThresholds: async (t) => {
    const cycle = await t.cycle();
    await t.agree(cycle.id, (await t.item()).id);
    return { who: t.sales, method: 'GET', path: `${t.w}/cycles/${cycle.id}/thresholds` };
  },
  getThreshold: async (t) => {
    const cycle = await t.cycle();
    const item = await t.item();
    await t.agree(cycle.id, item.id);
    return { who: t.sales, method: 'GET', path: `${t.w}/cycles/${cycle.id}/thresholds/${item.id}` };
  },
  listThresholdVersions: async (t) => {
    const cycle = await t.cycle();
    const item = await t.item();
    await t.agree(cycle.id, item.id);
    return { who: t.sales, method: 'GET', path: `${t.w}/cycles/${cycle.id}/thresholds/${item.id}/versions` };
  },
  saveThreshold: async (t) => {
    const cycle = await t.cycle();
    const item = await t.item();
    return {
      who: t.sales,
      method: 'PUT',
      path: `${t.w}/cycles/${cycle.id}/thresholds/${item.id}`,
      body: { terms: pumpTerms, expectedVersion: null },
    };
  },
  signOffThreshold: async (t) => {
    const cycle = await t.cycle();
    const item = await t.item();
    const path = `${t.w}/cycles/${cycle.id}/thresholds/${item.id}`;
    const saved = await ok(t.sales.request('PUT', path, { terms: pumpTerms, expectedVersion: null }), 'save');
    return { who: t.sales, method: 'POST', path: `${path}/versions/${saved.version}/sign-offs` };
  },
  ...catalogueScenarios(),
  ...acrossScenarios(),
  ...deliveryScenarios(),
  ...misalignmentScenarios(),
  ...meetingScenarios(),
  ...notificationScenarios(),
  ...integrationScenarios(),
  ...planScenarios(),
};

/**
 * Section 1: for every route of the route table, sets up what its scenario
 * needs, makes the one call and reads the request count the local server
 * reports in `x-accord-db-requests`.
 */
export async function measureRequests(api: TestApi): Promise<{ figures: Figure[]; calls: MeasuredCall[] }> {
  const team = await benchTeam(api);
  const figures: Figure[] = [];
  const calls: MeasuredCall[] = [];
  for (const [name, route] of Object.entries(routes as Record<string, AnyRoute>)) {
    const routeName = name as RouteName;
    const budget = budgetOf(routeName, route);
    const scenario = scenarios[name];
    const figure = (value: number, note: string): Figure => ({
      section: 'requests',
      name,
      value,
      unit: 'req',
      target: { op: '<=', limit: budget },
      note,
    });
    if (!scenario) {
      figures.push({
        ...figure(Number.POSITIVE_INFINITY, 'no scenario: add one to scripts/bench/requests.ts'),
        value: Number.NaN,
      });
      continue;
    }
    try {
      const call = await scenario(team);
      const response = await call.who.request(call.method, call.path, call.body);
      const requests = Number(response.headers.get('x-accord-db-requests') ?? Number.NaN);
      if (response.status >= 300) {
        figures.push({ ...figure(Number.NaN, `call failed ${response.status}: ${JSON.stringify(response.body).slice(0, 160)}`) });
        continue;
      }
      const commands = response.headers.get('x-accord-db-commands') ?? '';
      const roundTrips = Number(response.headers.get('x-accord-db-round-trips') ?? Number.NaN);
      figures.push({
        section: 'round trips',
        name,
        value: roundTrips,
        unit: 'trips',
        target: { op: '<=', limit: roundTripTarget(route, routeName) },
        note: [
          call.note ?? '',
          roundTrips > roundTripTarget(route, routeName) ? `sequential requests: ${commands.replace(/Command/g, '')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      });
      calls.push({
        route: routeName,
        method: call.method,
        path: call.path,
        body: call.body,
        callOfRound: call.callOfRound,
        token: call.who.token,
        status: response.status,
        requests,
        commands,
      });
      const why = [inWorkspace(route) ? membershipCheck : '', reasons[routeName]?.why ?? ''].filter(Boolean).join('; ');
      figures.push(
        figure(
          requests,
          requests > budget
            ? `over budget (${commands}): give the reason in scripts/bench/budgets.ts or cut requests`
            : requests > 1
              ? `${why} (${commands.replace(/Command/g, '')})`
              : '',
        ),
      );
    } catch (error) {
      figures.push(figure(Number.NaN, `setup failed: ${(error as Error).message.slice(0, 200)}`));
    }
  }
  return { figures, calls };
}
