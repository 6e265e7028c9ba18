import { randomUUID } from 'node:crypto';
import type { RouteName } from '#contract/index';
import { agree as agreeThreshold, expectStatus, planningTeam } from '#scripts/fixtures/planning';
import { type ApiResponse, type Person, signInAs, type TestApi, uniqueEmail } from '#test/support/api';

/** One call a scenario asks the bench to measure. */
export interface Call {
  who: Person;
  method: string;
  /** Path below `/api`, with its query string if any. */
  path: string;
  body?: unknown;
  /**
   * The call made again (cold init makes it once per round), for a call that
   * cannot simply repeat: a second restore of one export is refused, a
   * cancelled commitment cannot be cancelled again. Each round's path and body
   * replace the call's; without it every round repeats the call as it is.
   */
  callOfRound?: (round: number) => Promise<RoundCall>;
  /** What the call holds when its size matters to the figure (an order's lines), shown beside its round trips. */
  note?: string;
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
  callOfRound?: (round: number) => Promise<RoundCall>;
}

/** What one cold-start round sends instead of the measured call's path and body. */
export interface RoundCall {
  path?: string;
  body?: unknown;
}

export async function ok<T = any>(response: Promise<ApiResponse<T>>, what: string): Promise<T> {
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

export type Scenario = (team: BenchTeam) => Promise<Call>;

/** An item with an agreed threshold in an agreed cycle: what the rep's catalogue shows. */
export async function agreedItem(t: BenchTeam) {
  const cycle = await t.cycle();
  const item = await t.item();
  await t.advance(cycle.id, ['planning']);
  await t.agree(cycle.id, item.id);
  await t.advance(cycle.id, ['agreed']);
  return { cycleId: cycle.id as string, itemId: item.id as string };
}

/** A meeting decision that proposes the sign-off of a threshold version by sales and operations. */
export function proposeSignOff(
  t: BenchTeam,
  meetingPath: string,
  agendaItemId: string,
  threshold: { itemId: string; version: number },
): Promise<{ id: string }> {
  return ok(
    t.admin.post(`${meetingPath}/outcomes`, {
      kind: 'decision',
      agendaItemId,
      text: 'Agree the threshold',
      effects: [
        {
          kind: 'thresholdSignOff',
          thresholdId: threshold.itemId,
          thresholdVersion: threshold.version,
          signers: [t.sales.email, t.ops.email],
        },
      ],
    }),
    'propose sign-off',
  );
}
