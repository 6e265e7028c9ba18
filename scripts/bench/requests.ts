import { randomUUID } from 'node:crypto';
import { type AnyRoute, type RouteName, routes } from '#contract/index';
import { agree as agreeThreshold, expectStatus, planningTeam } from '#scripts/fixtures/planning';
import { pumpTerms } from '#scripts/fixtures/terms';
import { type ApiResponse, exportAll, type Person, signInAs, type TestApi, uniqueEmail } from '#test/support/api';
import type { Figure } from './report';

/** One call a scenario asks the bench to measure. */
export interface Call {
  who: Person;
  method: string;
  /** Path below `/api`, with its query string if any. */
  path: string;
  body?: unknown;
  /**
   * The body of the same call made again (cold init makes it once per
   * round), for a call that the same body cannot repeat: a second restore of
   * one export is refused, so each round restores another export.
   */
  bodyOfRound?: (round: number) => unknown | Promise<unknown>;
}

/** A call as measured: what was sent, by whom, and how many DynamoDB requests it made. */
export interface MeasuredCall {
  route: RouteName;
  method: string;
  path: string;
  body?: unknown;
  token: string;
  status: number;
  requests: number;
  /** The SDK commands sent, in order, e.g. `GetCommand,TransactWriteCommand`. */
  commands: string;
  bodyOfRound?: (round: number) => unknown | Promise<unknown>;
}

/**
 * Routes allowed more than one DynamoDB request, with how many more and why.
 * The target is one request per call; every route inside a workspace first
 * reads the caller's membership (one GetItem) to authorise the call, which
 * the budget adds on its own, so only further requests are listed here.
 */
export const reasons: Partial<Record<RouteName, { extra: number; why: string }>> = {};
const readBeforeWrite =
  'reads the current record (GetItem) for its version, state check and audit diff, then writes record and audit event in one TransactWriteItems';
for (const name of [
  'updateWorkspace',
  'updatePortfolioItem',
  'changeCycleState',
  'cancelCommitment',
  'createMisalignmentIssue',
  'updateMisalignmentIssue',
  'saveScoringModel',
  'castVotes',
  'updateMeeting',
  'markAttendance',
  'addAgendaEntry',
  'updateAgendaEntry',
  'reorderAgenda',
  'updateAction',
  'correctOccurrence',
] as const) {
  reasons[name] = { extra: 1, why: readBeforeWrite };
}
Object.assign(reasons, {
  updateMember: {
    extra: 1,
    why: 'reads the member and the admin count together (BatchGetItem) so the last admin cannot be demoted',
  },
  removeMember: {
    extra: 1,
    why: 'reads the member and the admin count together (BatchGetItem) so the last admin cannot be removed',
  },
  recordCommitment: {
    extra: 1,
    why: 'reads the agreed threshold and the capacity buckets of the weeks up to the delivery date (one BatchGetItem) before the conditional TransactWriteItems',
  },
  saveThreshold: {
    extra: 1,
    why: 'reads cycle, item and threshold head (one BatchGetItem) before the versioned TransactWriteItems',
  },
  signOffThreshold: {
    extra: 1,
    why: 'reads cycle, threshold head, item and published threshold (one BatchGetItem) before the sign-off TransactWriteItems',
  },
  confirmSignOff: {
    extra: 3,
    why: 'reads the meeting and the decision (two GetItems, in parallel) and cycle, threshold head, item and published threshold (one BatchGetItem) before the confirmation TransactWriteItems',
  },
  listOccurrences: { extra: 1, why: 'reads the issue (GetItem) so an unknown issue answers 404, not an empty page' },
  getRanking: {
    extra: 2,
    why: 'queries the issues (fixed-size items, never occurrences) and the cycle’s votes, and reads the scoring model and the freeze header together (BatchGetItem); constant in the data size',
  },
  getMisalignmentIssue: {
    extra: 1,
    why: 'reads the issue and the scoring model together (BatchGetItem) and the days it occurred on (Query) for its first/last seen',
  },
  exportMisalignmentIssues: {
    extra: 1,
    why: 'reads the issues (Query) and the days they occurred on (Query on gsi1) for first/last seen; grows with the log, as an export does',
  },
  freezeRanking: {
    extra: 4,
    why: 'reads cycle, scoring model and freeze header together (BatchGetItem), computes the live ranking (issues and votes, two Queries), writes the frozen entries in batches of 25 and the header in a TransactWriteItems',
  },
  changeMeetingState: {
    extra: 2,
    why: 'reads the meeting and its agenda collection (Query) to check the transition before writing',
  },
  removeAgendaEntry: { extra: 2, why: 'reads the entry’s outcomes (Query) and the meeting before the write' },
  getAgendaBacklog: {
    extra: 5,
    why: 'reads the meeting with its agenda (Query), the cycle’s ranking (issues and votes: two Queries; scoring model and freeze header: one BatchGetItem), the thresholds waiting for sign-off (Query on gsi1) and the cycle’s meetings (Query on gsi1), plus one Query per earlier meeting of the cycle for its open actions',
  },
  recordOutcome: { extra: 1, why: 'reads the meeting’s item collection (Query) before the write' },
  inviteMember: {
    extra: 2,
    why: 'reads the current record (GetItem) for its version and audit diff before the TransactWriteItems, then the workspace (GetItem) for the name the invitation mail gives',
  },
  exportPortfolioItems: {
    extra: 1,
    why: 'reads the workspace (GetItem) for its time zone, which dates the file; kept for a minute per container',
  },
} satisfies Partial<Record<RouteName, { extra: number; why: string }>>);
const membershipCheck = 'membership check (GetItem) before the route’s own request';

const inWorkspace = (route: AnyRoute) => route.path.includes('{workspaceId}');
/** Budget per route: 1 request, plus the membership check inside a workspace, plus any listed reason. */
const budgetOf = (name: RouteName, route: AnyRoute) => 1 + (inWorkspace(route) ? 1 : 0) + (reasons[name]?.extra ?? 0);

/**
 * What the caller waits for: requests sent together count once. A read's
 * membership check goes out beside its own reads, so every read route takes
 * one round trip; a write reads (membership, and what it changes) and then
 * writes, two at most.
 */
const roundTripTarget = (route: AnyRoute) => (route.writes ? 2 : 1);

async function ok<T = any>(response: Promise<ApiResponse<T>>, what: string): Promise<T> {
  const answer = await response;
  if (answer.status >= 300) throw new Error(`${what} failed with ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** A workspace with an admin, sales and operations managers and a rep, as the scenarios need. */
export async function benchTeam(api: TestApi, name = 'Bench Pumps') {
  const { workspaceId, admin, sales, ops, rep } = await planningTeam(
    {
      person: (label) => api.person(label),
      signIn: (email, label) => signInAs(api, email, label),
      uniqueEmail,
    },
    name,
    {
      roles: ['sales', 'ops', 'rep'],
      // A membership is bound to its sub on first use, once; the scenarios measure the requests after that.
      onJoined: (person, workspaceId) =>
        expectStatus(person.call('getWorkspace', { params: { workspaceId } }), 200, `first request of ${person.email}`).then(
          () => undefined,
        ),
    },
  );
  const w = `/workspaces/${workspaceId}`;
  let items = 0;
  const item = async () => {
    items += 1;
    const code = `P-${randomUUID().slice(0, 6).toUpperCase()}`;
    return ok(admin.post(`${w}/portfolio-items`, { code, name: `Pump ${items}`, kind: 'product', unit: 'unit' }), 'create item');
  };
  const cycle = async (extra: Record<string, unknown> = {}) =>
    ok(
      admin.post(`${w}/cycles`, { name: `FY${2027 + items} budget`, startDate: '2026-01-01', endDate: '2027-12-31', ...extra }),
      'create cycle',
    );
  /** Saves and signs a threshold so reps see it in the catalogue. */
  const agree = (cycleId: string, itemId: string) => agreeThreshold({ workspaceId, admin, sales, ops }, cycleId, itemId);
  const advance = async (cycleId: string, to: string[]) => {
    let version = (await ok(admin.get(`${w}/cycles/${cycleId}`), 'get cycle')).version as number;
    for (const state of to)
      version = (await ok(admin.post(`${w}/cycles/${cycleId}/state`, { to: state, expectedVersion: version }), state)).version;
  };
  const issue = async (extra: Record<string, unknown> = {}) =>
    ok(
      admin.post(`${w}/misalignment-issues`, { title: `Late pump ${randomUUID().slice(0, 4)}`, category: 'lead time', ...extra }),
      'create issue',
    );
  const occurrence = async (issueId: string) =>
    ok(
      rep.post(`${w}/misalignment-issues/${issueId}/occurrences`, {
        occurredOn: '2026-03-02',
        detectedAt: 'customer complaint',
        cost: { 'expedite fees': 1200 },
        currency: 'EUR',
      }),
      'log occurrence',
    );
  const meeting = async () =>
    ok(
      admin.post(`${w}/meetings`, {
        cycleId: (await cycle()).id,
        title: 'FY2027 budget planning',
        meetingType: 'budgetPlanning',
        startsAt: '2027-01-12T09:00:00Z',
        durationMinutes: 90,
        location: 'Room Fjord',
        invited: [rep.email],
      }),
      'create meeting',
    );
  const agendaItem = async (meetingId: string) =>
    ok(
      admin.post(`${w}/meetings/${meetingId}/agenda`, { title: `Topic ${randomUUID().slice(0, 4)}`, durationMinutes: 10 }),
      'add agenda entry',
    );
  return { api, admin, sales, ops, rep, workspaceId, w, item, cycle, agree, advance, issue, occurrence, meeting, agendaItem };
}

export type BenchTeam = Awaited<ReturnType<typeof benchTeam>>;

type Scenario = (team: BenchTeam) => Promise<Call>;

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
      bodyOfRound: async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return (await exportAll(t.admin, sourceId)).body;
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
  ...misalignmentScenarios(),
  ...meetingScenarios(),
};

/** An item with an agreed threshold in an agreed cycle: what the rep's catalogue shows. */
export async function agreedItem(t: BenchTeam) {
  const cycle = await t.cycle();
  const item = await t.item();
  await t.advance(cycle.id, ['planning']);
  await t.agree(cycle.id, item.id);
  await t.advance(cycle.id, ['agreed']);
  return { cycleId: cycle.id as string, itemId: item.id as string };
}

function catalogueScenarios(): Record<string, Scenario> {
  return {
    listCatalogue: async (t) => {
      await agreedItem(t);
      return { who: t.rep, method: 'GET', path: `${t.w}/catalogue` };
    },
    getCatalogueItem: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/catalogue/${(await agreedItem(t)).itemId}` }),
    promiseCheck: async (t) => ({
      who: t.rep,
      method: 'GET',
      path: `${t.w}/catalogue/${(await agreedItem(t)).itemId}/promise-check?quantity=10&leadTimeDays=15`,
    }),
    listCommitments: async (t) => {
      const { itemId } = await agreedItem(t);
      await ok(
        t.rep.post(`${t.w}/catalogue/${itemId}/commitments`, { reference: 'SO-1', quantity: 5, deliveryDate: '2027-06-01' }),
        'commit',
      );
      return { who: t.rep, method: 'GET', path: `${t.w}/catalogue/${itemId}/commitments` };
    },
    recordCommitment: async (t) => ({
      who: t.rep,
      method: 'POST',
      path: `${t.w}/catalogue/${(await agreedItem(t)).itemId}/commitments`,
      body: { reference: 'SO-2', quantity: 5, deliveryDate: '2027-06-01' },
    }),
    cancelCommitment: async (t) => {
      const { itemId } = await agreedItem(t);
      const recorded = await ok(
        t.rep.post(`${t.w}/catalogue/${itemId}/commitments`, { reference: 'SO-3', quantity: 5, deliveryDate: '2027-06-01' }),
        'commit',
      );
      const { commitment } = recorded;
      return {
        who: t.rep,
        method: 'POST',
        path: `${t.w}/catalogue/${itemId}/commitments/${commitment.id}/cancel`,
        body: { expectedVersion: commitment.version },
      };
    },
  };
}

function misalignmentScenarios(): Record<string, Scenario> {
  return {
    listMisalignmentIssues: async (t) => {
      await t.issue();
      return { who: t.rep, method: 'GET', path: `${t.w}/misalignment-issues` };
    },
    exportMisalignmentIssues: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/exports/misalignment-issues` }),
    createMisalignmentIssue: async (t) => ({
      who: t.admin,
      method: 'POST',
      path: `${t.w}/misalignment-issues`,
      body: { title: 'Quotes promise ten days', category: 'lead time' },
    }),
    getMisalignmentIssue: async (t) => ({
      who: t.rep,
      method: 'GET',
      path: `${t.w}/misalignment-issues/${(await t.issue()).id}`,
    }),
    updateMisalignmentIssue: async (t) => {
      const issue = await t.issue();
      return {
        who: t.admin,
        method: 'PATCH',
        path: `${t.w}/misalignment-issues/${issue.id}`,
        body: { title: 'Renamed issue', expectedVersion: issue.version },
      };
    },
    listOccurrences: async (t) => {
      const issue = await t.issue();
      await t.occurrence(issue.id);
      return { who: t.rep, method: 'GET', path: `${t.w}/misalignment-issues/${issue.id}/occurrences` };
    },
    logOccurrence: async (t) => ({
      who: t.rep,
      method: 'POST',
      path: `${t.w}/misalignment-issues/${(await t.issue()).id}/occurrences`,
      body: { occurredOn: '2026-03-02', detectedAt: 'customer complaint', cost: { 'expedite fees': 800 }, currency: 'EUR' },
    }),
    correctOccurrence: async (t) => {
      const issue = await t.issue();
      const occurrence = await t.occurrence(issue.id);
      return {
        who: t.rep,
        method: 'PATCH',
        path: `${t.w}/misalignment-issues/${issue.id}/occurrences/${occurrence.id}`,
        body: { notes: 'Corrected', expectedVersion: occurrence.version },
      };
    },
    getScoringModel: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/scoring-model` }),
    saveScoringModel: async (t) => {
      const model = await ok(t.admin.get(`${t.w}/scoring-model`), 'scoring model');
      const { version: _version, ...fields } = model;
      return {
        who: t.admin,
        method: 'PUT',
        path: `${t.w}/scoring-model`,
        body: {
          weights: model.weights,
          costScale: model.costScale,
          recentCostScale: model.recentCostScale,
          frequencyScale: model.frequencyScale,
          votesPerManager: model.votesPerManager,
          currency: model.currency,
          expectedVersion: fields.expectedVersion ?? model.version ?? 0,
        },
      };
    },
    getRanking: async (t) => {
      const cycleId = (await t.cycle()).id as string;
      const issue = await t.issue({ cycleId });
      await t.occurrence(issue.id);
      return { who: t.rep, method: 'GET', path: `${t.w}/cycles/${cycleId}/ranking` };
    },
    castVotes: async (t) => {
      const cycleId = (await t.cycle()).id as string;
      const issue = await t.issue({ cycleId });
      return {
        who: t.sales,
        method: 'PUT',
        path: `${t.w}/cycles/${cycleId}/votes`,
        body: { allocations: [{ issueId: issue.id, votes: 2 }], expectedVersion: 0 },
      };
    },
    freezeRanking: async (t) => {
      // A freeze needs a real budget cycle of the workspace.
      const cycleId = (await t.cycle()).id as string;
      await t.issue({ cycleId });
      return { who: t.admin, method: 'POST', path: `${t.w}/cycles/${cycleId}/freeze`, body: { note: 'Agreed' } };
    },
  };
}

function meetingScenarios(): Record<string, Scenario> {
  const m = (t: BenchTeam, id: string) => `${t.w}/meetings/${id}`;
  const openMeeting = async (t: BenchTeam) => {
    const meeting = await t.meeting();
    const opened = await ok(t.admin.post(`${m(t, meeting.id)}/state`, { to: 'open', expectedVersion: meeting.version }), 'open');
    return opened;
  };
  /** A meeting under way with one agenda item, where outcomes can be recorded. */
  const runningMeeting = async (t: BenchTeam) => {
    const meeting = await t.meeting();
    const entry = await t.agendaItem(meeting.id);
    const opened = await ok(t.admin.post(`${m(t, meeting.id)}/state`, { to: 'open', expectedVersion: meeting.version }), 'open');
    await ok(t.admin.post(`${m(t, meeting.id)}/state`, { to: 'inProgress', expectedVersion: opened.version }), 'start');
    return { meetingId: meeting.id as string, entryId: entry.id as string };
  };
  return {
    listMeetings: async (t) => {
      await t.meeting();
      return { who: t.rep, method: 'GET', path: `${t.w}/meetings` };
    },
    createMeeting: async (t) => ({
      who: t.admin,
      method: 'POST',
      path: `${t.w}/meetings`,
      body: {
        cycleId: (await t.cycle()).id,
        title: 'Quarterly review',
        meetingType: 'budgetPlanning',
        startsAt: '2027-03-12T09:00:00Z',
        durationMinutes: 60,
      },
    }),
    getMeeting: async (t) => ({ who: t.rep, method: 'GET', path: m(t, (await t.meeting()).id) }),
    pollMeeting: async (t) => ({ who: t.rep, method: 'GET', path: `${m(t, (await t.meeting()).id)}/revision` }),
    updateMeeting: async (t) => {
      const meeting = await t.meeting();
      return {
        who: t.admin,
        method: 'PATCH',
        path: m(t, meeting.id),
        body: { title: 'Renamed', expectedVersion: meeting.version },
      };
    },
    changeMeetingState: async (t) => {
      const meeting = await t.meeting();
      return {
        who: t.admin,
        method: 'POST',
        path: `${m(t, meeting.id)}/state`,
        body: { to: 'open', expectedVersion: meeting.version },
      };
    },
    markAttendance: async (t) => {
      const meeting = await openMeeting(t);
      return {
        who: t.admin,
        method: 'PUT',
        path: `${m(t, meeting.id)}/attendance/${encodeURIComponent(t.rep.email)}`,
        body: { present: true },
      };
    },
    addAgendaEntry: async (t) => ({
      who: t.admin,
      method: 'POST',
      path: `${m(t, (await t.meeting()).id)}/agenda`,
      body: { title: 'Capacity for Q3', durationMinutes: 15 },
    }),
    updateAgendaEntry: async (t) => {
      const meeting = await t.meeting();
      const entry = await t.agendaItem(meeting.id);
      return {
        who: t.admin,
        method: 'PATCH',
        path: `${m(t, meeting.id)}/agenda/${entry.id}`,
        body: { title: 'Capacity for Q4', expectedVersion: entry.version },
      };
    },
    removeAgendaEntry: async (t) => {
      const meeting = await t.meeting();
      const entry = await t.agendaItem(meeting.id);
      return { who: t.admin, method: 'DELETE', path: `${m(t, meeting.id)}/agenda/${entry.id}?expectedVersion=${entry.version}` };
    },
    reorderAgenda: async (t) => {
      const meeting = await t.meeting();
      const first = await t.agendaItem(meeting.id);
      const second = await t.agendaItem(meeting.id);
      const current = await ok(t.admin.get(m(t, meeting.id)), 'get meeting');
      return {
        who: t.admin,
        method: 'PUT',
        path: `${m(t, meeting.id)}/agenda-order`,
        body: { order: [second.id, first.id], expectedAgendaVersion: current.meeting.agendaVersion },
      };
    },
    getAgendaBacklog: async (t) => ({ who: t.admin, method: 'GET', path: `${m(t, (await t.meeting()).id)}/backlog` }),
    recordOutcome: async (t) => {
      const { meetingId, entryId } = await runningMeeting(t);
      return {
        who: t.admin,
        method: 'POST',
        path: `${m(t, meetingId)}/outcomes`,
        body: { kind: 'information', agendaItemId: entryId, text: 'Capacity holds' },
      };
    },
    updateAction: async (t) => {
      const { meetingId, entryId } = await runningMeeting(t);
      const action = await ok(
        t.admin.post(`${m(t, meetingId)}/outcomes`, {
          kind: 'action',
          agendaItemId: entryId,
          text: 'Send the new lead times',
          owner: t.rep.email,
          dueDate: '2027-02-01',
        }),
        'record action',
      );
      return {
        who: t.rep,
        method: 'PATCH',
        path: `${m(t, meetingId)}/actions/${action.id}`,
        body: { status: 'done', expectedVersion: action.version ?? 1 },
      };
    },
    confirmSignOff: async (t) => {
      const { meetingId, entryId } = await runningMeeting(t);
      const { meeting } = await ok(t.admin.get(m(t, meetingId)), 'get meeting');
      const item = await t.item();
      const threshold = `${t.w}/cycles/${meeting.cycleId}/thresholds/${item.id}`;
      const saved = await ok(t.sales.request('PUT', threshold, { terms: pumpTerms, expectedVersion: null }), 'save');
      for (const person of [t.sales, t.ops]) {
        await ok(
          t.admin.request('PUT', `${m(t, meetingId)}/attendance/${encodeURIComponent(person.email)}`, { present: true }),
          'mark',
        );
      }
      const decision = await ok(
        t.admin.post(`${m(t, meetingId)}/outcomes`, {
          kind: 'decision',
          agendaItemId: entryId,
          text: 'Agree the threshold',
          effects: [
            {
              kind: 'thresholdSignOff',
              thresholdId: item.id,
              thresholdVersion: saved.version,
              signers: [t.sales.email, t.ops.email],
            },
          ],
        }),
        'propose sign-off',
      );
      return { who: t.sales, method: 'POST', path: `${m(t, meetingId)}/outcomes/${decision.id}/confirm-sign-off` };
    },
    listMyActions: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/my-actions` }),
    exportMinutes: async (t) => ({ who: t.rep, method: 'GET', path: `${m(t, (await t.meeting()).id)}/minutes.md` }),
  };
}

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
        target: { op: '<=', limit: roundTripTarget(route) },
        note: roundTrips > roundTripTarget(route) ? `sequential requests: ${commands.replace(/Command/g, '')}` : '',
      });
      calls.push({
        route: routeName,
        method: call.method,
        path: call.path,
        body: call.body,
        bodyOfRound: call.bodyOfRound,
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
            ? `over budget (${commands}): give the reason in scripts/bench/requests.ts or cut requests`
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
