import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute, RouteName } from '#contract/index';
import type { ReferenceKind } from '#contract/references';
import { agree } from '#scripts/fixtures/planning';
import { pumpTerms } from '#scripts/fixtures/terms';
import { type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import type { BodyOf } from '#test/support/client';
import {
  bodyFieldPaths,
  checkedReferences,
  declarationsOf,
  hasField,
  looksLikeReference,
  withField,
} from '#test/support/references';
import { pathOf, routeEntries } from '#test/support/route-samples';
import { partitionItems, snapshot } from '#test/support/snapshot';

/**
 * References stay inside the workspace, over the whole route table: every
 * id or member email a write route declares gets another workspace's real
 * record (and, for people, a member elsewhere and a stranger), and the
 * answer is 4xx with nothing written in either workspace. Each route's
 * sample is then sent as is and succeeds, so the refusal was the reference's.
 * A write route with a reference-like body field it does not declare fails,
 * and so does a declared route without a sample here.
 */
let api: TestApi;

interface Workspace {
  id: string;
  admin: Person;
  sales: Person;
  ops: Person;
  itemId: string;
  cycleId: string;
  issueId: string;
  meetingId: string;
  entryId: string;
}

let a: Workspace;
let b: Workspace;
const stranger = uniqueEmail('stranger');

async function ok(response: Promise<{ status: number; body: any }>, status = 200) {
  const answer = await response;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function workspace(label: string): Promise<Workspace> {
  const admin = await api.person(`${label}-admin`);
  const id = (await ok(admin.call('createWorkspace', { body: { name: `References ${label}` } }), 201)).id as string;
  const invite = async (fn: BodyOf<'inviteMember'>['function']) => {
    const email = uniqueEmail(`${label}-${fn}`);
    await ok(
      admin.call('inviteMember', {
        params: { workspaceId: id },
        body: { email, name: `${label} ${fn}`, function: fn, role: 'manager' },
      }),
      201,
    );
    return signInAs(api, email, `${label} ${fn}`);
  };
  const sales = await invite('sales');
  const ops = await invite('operations');
  const itemId = (
    await ok(
      admin.call('createPortfolioItem', {
        params: { workspaceId: id },
        body: { code: `R-${label}`, name: `${label} pump`, kind: 'product', unit: 'unit' },
      }),
      201,
    )
  ).id;
  const cycleId = (
    await ok(
      admin.call('createCycle', {
        params: { workspaceId: id },
        body: { name: `FY ${label}`, startDate: '2026-01-01', endDate: '2027-12-31' },
      }),
      201,
    )
  ).id;
  await ok(
    sales.call('saveThreshold', {
      params: { workspaceId: id, cycleId, itemId },
      body: { terms: pumpTerms, expectedVersion: null },
    }),
  );
  const issueId = (
    await ok(
      admin.call('createMisalignmentIssue', {
        params: { workspaceId: id },
        body: { title: `${label} issue`, category: 'lead time' },
      }),
      201,
    )
  ).id;
  const meeting = await ok(
    admin.call('createMeeting', {
      params: { workspaceId: id },
      body: {
        cycleId,
        title: `${label} planning`,
        meetingType: 'budgetPlanning',
        startsAt: '2027-01-12T09:00:00Z',
        durationMinutes: 60,
      },
    }),
    201,
  );
  const entryId = (
    await ok(
      admin.call('addAgendaEntry', { params: { workspaceId: id, meetingId: meeting.id }, body: { title: 'Pump lead times' } }),
      201,
    )
  ).id;
  let version = meeting.version as number;
  for (const to of ['open', 'inProgress'] as const) {
    version = (
      await ok(
        admin.call('changeMeetingState', {
          params: { workspaceId: id, meetingId: meeting.id },
          body: { to, expectedVersion: version },
        }),
      )
    ).version;
  }
  for (const person of [sales, ops]) {
    await ok(
      admin.call('markAttendance', {
        params: { workspaceId: id, meetingId: meeting.id, email: person.email },
        body: { present: true },
      }),
    );
  }
  return { id, admin, sales, ops, itemId, cycleId, issueId, meetingId: meeting.id, entryId };
}

/** Records of a workspace by the kind of reference that names them. */
const recordsOf = (ws: Workspace): Record<ReferenceKind, string> => ({
  portfolioItem: ws.itemId,
  cycle: ws.cycleId,
  issue: ws.issueId,
  meeting: ws.meetingId,
  agendaEntry: ws.entryId,
  threshold: ws.itemId,
  member: ws.admin.email,
});

interface Sample {
  params: Record<string, string>;
  /** One body per shape of the route (a union has several); each declared field is in at least one. */
  bodies: unknown[];
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A valid request of every write route that declares references, in
 * workspace A, built when sent so versions are current. A route that gets
 * a declaration needs a sample here, or the suite fails.
 */
const samples: Partial<Record<RouteName, () => Promise<Sample>>> = {
  createPortfolioItem: async () => ({
    params: {},
    bodies: [{ code: `N-${randomUUID().slice(0, 6)}`, name: 'New pump', kind: 'product', unit: 'unit', owner: a.sales.email }],
  }),
  updatePortfolioItem: async () => {
    const item = await ok(a.admin.call('getPortfolioItem', { params: { workspaceId: a.id, itemId: a.itemId } }));
    return { params: { itemId: a.itemId }, bodies: [{ owner: a.sales.email, expectedVersion: item.version }] };
  },
  createCycle: async () => ({
    params: {},
    bodies: [
      { name: `FY copy ${randomUUID().slice(0, 4)}`, startDate: '2028-01-01', endDate: '2028-12-31', copyFrom: a.cycleId },
    ],
  }),
  createMisalignmentIssue: async () => ({ params: {}, bodies: [{ title: 'Linked issue', category: 'scope', ...issueLinks() }] }),
  updateMisalignmentIssue: async () => {
    const issue = await ok(a.admin.call('getMisalignmentIssue', { params: { workspaceId: a.id, issueId: a.issueId } }));
    return { params: { issueId: a.issueId }, bodies: [{ ...issueLinks(), expectedVersion: issue.version }] };
  },
  castVotes: async () => ({
    params: { cycleId: a.cycleId },
    bodies: [{ allocations: [{ issueId: a.issueId, votes: 1 }], expectedVersion: 0 }],
  }),
  freezeRanking: async () => ({ params: { cycleId: a.cycleId }, bodies: [{ note: 'Agreed', meetingId: a.meetingId }] }),
  createMeeting: async () => ({
    params: {},
    bodies: [
      {
        cycleId: a.cycleId,
        title: 'Follow-up',
        meetingType: 'budgetPlanning',
        startsAt: '2027-02-01T09:00:00Z',
        durationMinutes: 30,
        invited: [a.sales.email],
      },
    ],
  }),
  updateMeeting: async () => {
    const meeting = await ok(a.admin.call('getMeeting', { params: { workspaceId: a.id, meetingId: a.meetingId } }));
    return { params: { meetingId: a.meetingId }, bodies: [{ invited: [a.ops.email], expectedVersion: meeting.meeting.version }] };
  },
  addAgendaEntry: async () => ({
    params: { meetingId: a.meetingId },
    bodies: [
      { title: 'Linked', presenter: a.sales.email, links: { issueId: a.issueId, thresholdId: a.itemId }, beforeId: a.entryId },
      { title: 'From the backlog', source: { kind: 'issue', issueId: a.issueId } },
      { title: 'Sign-off', source: { kind: 'signOff', thresholdId: a.itemId, thresholdVersion: 1 } },
    ],
  }),
  updateAgendaEntry: async () => {
    const meeting = await ok(a.admin.call('getMeeting', { params: { workspaceId: a.id, meetingId: a.meetingId } }));
    const entry = meeting.agenda.find((candidate: { id: string }) => candidate.id === a.entryId);
    return {
      params: { meetingId: a.meetingId, entryId: a.entryId },
      bodies: [{ presenter: a.ops.email, links: { issueId: a.issueId, thresholdId: a.itemId }, expectedVersion: entry.version }],
    };
  },
  reorderAgenda: async () => {
    const { meeting } = await ok(a.admin.call('getMeeting', { params: { workspaceId: a.id, meetingId: a.meetingId } }));
    return {
      params: { meetingId: a.meetingId },
      bodies: [{ order: [...meeting.agendaOrder].reverse(), expectedAgendaVersion: meeting.agendaVersion }],
    };
  },
  recordOutcome: async () => ({
    params: { meetingId: a.meetingId },
    bodies: [
      { kind: 'action', agendaItemId: a.entryId, text: 'Check the lead time', owner: a.sales.email, dueDate: inDays(30) },
      {
        kind: 'decision',
        agendaItemId: a.entryId,
        text: 'Analyse it',
        links: { issueId: a.issueId, thresholdId: a.itemId },
        effects: [{ kind: 'issueStatus', issueId: a.issueId, status: 'analysing' }],
      },
      {
        kind: 'decision',
        agendaItemId: a.entryId,
        text: 'Agree v1',
        effects: [
          { kind: 'thresholdSignOff', thresholdId: a.itemId, thresholdVersion: 1, signers: [a.sales.email, a.ops.email] },
        ],
      },
    ],
  }),
};

/** An item of workspace A with an agreed threshold, made once: an order takes promises only on such items. */
let agreedInA: Promise<string> | undefined;
const agreedItemOfA = () => {
  agreedInA ??= (async () => {
    const item = await ok(
      a.admin.call('createPortfolioItem', {
        params: { workspaceId: a.id },
        body: { code: `R-agreed-${randomUUID().slice(0, 4)}`, name: 'Agreed pump', kind: 'product', unit: 'unit' },
      }),
      201,
    );
    await agree({ workspaceId: a.id, admin: a.admin, sales: a.sales, ops: a.ops }, a.cycleId, item.id);
    return item.id as string;
  })();
  return agreedInA;
};
samples.recordOrder = async () => ({
  params: {},
  bodies: [
    { reference: `PO-${randomUUID().slice(0, 6)}`, date: inDays(60), lines: [{ itemId: await agreedItemOfA(), quantity: 1 }] },
  ],
});

const issueLinks = () => ({
  itemIds: [a.itemId],
  owner: a.sales.email,
  cycleId: a.cycleId,
  meetingIds: [a.meetingId],
  thresholdVersionIds: [a.itemId],
});

/** Everything either workspace holds that a write route could touch: partitions, audit, meeting, cycle and item collections. */
async function state(ws: Workspace) {
  const collections = ['', `#MEETING#${ws.meetingId}`, `#CYCLE#${ws.cycleId}`, `#ITEM#${ws.itemId}`];
  const parts = await Promise.all([
    snapshot(ws.id),
    ...collections.map(async (collection) =>
      (await partitionItems(ws.id, undefined, undefined, collection)).map((item) => JSON.stringify(item)).sort(),
    ),
  ]);
  return parts.flat();
}

const writeRoutes = routeEntries.filter(([, route]) => (route as { writes: boolean }).writes);

beforeAll(async () => {
  api = await startApi();
  a = await workspace('a');
  b = await workspace('b');
}, 120_000);
afterAll(async () => {
  await api.close();
});

describe('reference declarations cover every write route', () => {
  it.each(writeRoutes)('%s declares every reference-like body field, and only fields it has', (_name, route) => {
    const fields = bodyFieldPaths((route as AnyRoute).body);
    const declared = Object.keys(declarationsOf(route as AnyRoute));
    const undeclared = fields.filter((path) => looksLikeReference.test(path.split('.').at(-1) ?? '') && !declared.includes(path));
    expect(undeclared).toEqual([]);
    expect(declared.filter((path) => !fields.includes(path))).toEqual([]);
  });

  it('has a sample request for every route that declares a checked reference', () => {
    const declaring = writeRoutes.filter(([, route]) => checkedReferences(route as AnyRoute).length > 0).map(([name]) => name);
    expect(declaring.filter((name) => !(name in samples))).toEqual([]);
    expect(declaring.length).toBeGreaterThan(10);
  });
});

describe('references stay inside the workspace', () => {
  it.each(writeRoutes.filter(([, route]) => checkedReferences(route as AnyRoute).length > 0))(
    '%s refuses another workspace’s records and non-members in every declared field, writing nothing',
    async (name, route) => {
      const sample = samples[name as RouteName];
      if (!sample) throw new Error(`no sample for ${name}`);
      const method = (route as AnyRoute).method;
      const send = async (params: Record<string, string>, body: unknown) =>
        a.admin.request(method, pathOf(route as AnyRoute, { workspaceId: a.id, ...params }).slice('/api'.length), body);
      const foreign = recordsOf(b);
      for (const [field, kind] of checkedReferences(route as AnyRoute)) {
        const values = kind === 'member' ? [foreign.member, b.sales.email, stranger] : [foreign[kind]];
        for (const value of values) {
          const { params, bodies } = await sample();
          const base = bodies.find((body) => hasField(body, field));
          expect(base, `${name}: the sample carries ${field}`).toBeDefined();
          const [beforeA, beforeB] = await Promise.all([state(a), state(b)]);
          const answer = await send(params, withField(base, field, value));
          expect(answer.status, `${name} ${field}=${value}: ${JSON.stringify(answer.body)}`).toBeGreaterThanOrEqual(400);
          expect(answer.status, `${name} ${field}=${value}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
          expect(await state(a), `${name} ${field}: nothing written in the caller’s workspace`).toEqual(beforeA);
          expect(await state(b), `${name} ${field}: nothing written in the other workspace`).toEqual(beforeB);
        }
      }
      // Each shape of the sample is accepted as sent, so the refusals above were the references'.
      const { bodies } = await sample();
      for (const index of bodies.keys()) {
        const { params, bodies: fresh } = await sample();
        const answer = await send(params, fresh[index]);
        expect(answer.status, `${name} sample ${index}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
      }
    },
    60_000,
  );
});
