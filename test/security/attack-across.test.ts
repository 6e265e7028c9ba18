import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { agreedItem, daysFromToday } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';
import { partitionItems } from '#test/support/snapshot';

/**
 * Seeing across items, attacked from outside: another workspace's
 * commitments reached through filters or cursors, forged cursors, formula
 * cells in the CSV export, and unserved demand written by callers who may
 * not change it or by racing twins.
 */
let api: TestApi;
let team: PlanningTeam;
let other: PlanningTeam;
let on: Awaited<ReturnType<typeof agreedItem>>;
let foreignOn: Awaited<ReturnType<typeof agreedItem>>;
const foreignIds: string[] = [];
const hostileTexts = ['=HYPERLINK("http://evil.example","open")', '+1+cmd|calc', '-2+3', '@SUM(A1:A9)'];

async function recordStandard(owner: PlanningTeam, at: { base: { workspaceId: string; itemId: string } }, reference: string) {
  const check = await owner.rep.call('promiseCheck', { params: at.base, query: { quantity: 1, leadTimeDays: 12 } });
  const recorded = await owner.rep.call('recordCommitment', {
    params: at.base,
    body: { reference, quantity: 1, deliveryDate: check.body.deliveryDate, customer: reference },
  });
  expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
  return recorded.body.commitment;
}

beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api, 'Across Attack');
  other = await planningTeam(api, 'Across Elsewhere');
  on = await agreedItem(team, 'AX-1');
  foreignOn = await agreedItem(other, 'AX-FOREIGN');
  for (const text of hostileTexts) await recordStandard(team, on, text);
  for (let index = 0; index < 4; index++) await recordStandard(team, on, `SO-AX-${index}`);
  for (let index = 0; index < 3; index++) foreignIds.push((await recordStandard(other, foreignOn, `SO-FOREIGN-${index}`)).id);
});
afterAll(async () => {
  await api.close();
});

const list = (who: Person, query: Record<string, unknown>, workspaceId = team.workspaceId) =>
  who.callRaw('listWorkspaceCommitments', { params: { workspaceId }, query });

describe('the commitments list', () => {
  it('shows nothing of another workspace through its item, its rep, its reference or its dates', async () => {
    for (const query of [
      { itemId: foreignOn.item.id },
      { rep: other.rep.email },
      { q: 'SO-FOREIGN' },
      { from: daysFromToday(0), to: daysFromToday(60) },
      { state: 'approved' },
      {},
    ]) {
      const answer = await list(team.rep, { ...query, limit: 200 });
      expect(answer.status, JSON.stringify(query)).toBe(200);
      const ids = answer.body.items.map((item: { id: string }) => item.id);
      for (const id of foreignIds) expect(ids, JSON.stringify(query)).not.toContain(id);
      expect(JSON.stringify(answer.body)).not.toContain('SO-FOREIGN');
    }
  });

  it('refuses a forged cursor with 400, and one from another workspace’s list', async () => {
    const forged = [
      'not-a-cursor',
      Buffer.from(JSON.stringify({ pk: 'WS#x', sk: 'y' })).toString('base64url'),
      Buffer.from(JSON.stringify({ gsi1pk: `WS#${other.workspaceId}#COMMITMENTS`, gsi1sk: '0000' })).toString('base64url'),
      'A'.repeat(2_000),
    ];
    for (const cursor of forged) {
      const answer = await list(team.rep, { cursor, limit: 1 });
      expect(answer.status, cursor.slice(0, 40)).toBe(400);
      expect(answer.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expect(JSON.stringify(answer.body)).not.toContain('SO-FOREIGN');
    }
    const theirs = await list(other.rep, { limit: 1 }, other.workspaceId);
    expect(theirs.body.nextCursor).toEqual(expect.any(String));
    const crossed = await list(team.rep, { cursor: theirs.body.nextCursor, limit: 200 });
    expect(crossed.status).toBe(400);
    expect(JSON.stringify(crossed.body)).not.toContain('SO-FOREIGN');
  });

  it('refuses a cursor whose start key was rewritten to name another workspace', async () => {
    const mine = await list(team.rep, { limit: 1 });
    const cursor: string = mine.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    for (const encoding of ['base64url', 'base64'] as const) {
      const decoded = Buffer.from(cursor, encoding).toString('utf8');
      if (!decoded.includes(team.workspaceId)) continue;
      const rewritten = Buffer.from(decoded.split(team.workspaceId).join(other.workspaceId)).toString(encoding);
      const answer = await list(team.rep, { cursor: rewritten, limit: 200 });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).not.toContain('SO-FOREIGN');
    }
  });

  it('refuses a cursor of another list (an item’s commitments) with 400', async () => {
    const itemPage = await team.rep.call('listCommitments', { params: on.base, query: { limit: 1 } });
    expect(itemPage.body.nextCursor).toEqual(expect.any(String));
    const answer = await list(team.rep, { cursor: itemPage.body.nextCursor });
    expect(answer.status).toBe(400);
  });

  it('refuses another workspace’s cursor on the approvals and an item’s commitments', async () => {
    const theirs = await other.rep.call('listCommitments', { params: foreignOn.base, query: { limit: 1 } });
    expect(theirs.body.nextCursor).toEqual(expect.any(String));
    const crossed = await team.rep.callRaw('listCommitments', {
      params: on.base,
      query: { limit: 200, cursor: theirs.body.nextCursor as string },
    });
    expect(crossed.status).toBe(400);
    expect(JSON.stringify(crossed.body)).not.toContain('SO-FOREIGN');
    const approvals = await team.ops.callRaw('listCommitmentApprovals', {
      params: { workspaceId: team.workspaceId },
      query: { limit: 200, show: 'mine', cursor: theirs.body.nextCursor as string },
    });
    expect(approvals.status).toBe(400);
  });

  it('refuses an outsider and bounds the page', async () => {
    expect((await list(other.rep, {})).status).toBe(404);
    const outsiderExport = await other.rep.callRaw('exportWorkspaceCommitments', { params: { workspaceId: team.workspaceId } });
    expect(outsiderExport.status).toBe(404);
    expect(JSON.stringify(outsiderExport.body)).not.toContain('SO-AX');
    const tooMany = await list(team.rep, { limit: 201 });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.body)).toMatch(/limit/);
  });
});

describe('the CSV export', () => {
  it('defuses every cell that starts with = + - or @, and carries no other workspace’s rows', async () => {
    const answer = await team.rep.call('exportWorkspaceCommitments', { params: { workspaceId: team.workspaceId } });
    expect(answer.status).toBe(200);
    const csv: string = answer.body.csv;
    for (const text of hostileTexts) expect(csv, text).toContain(text.replace(/"/g, '""'));
    // A cell starts at a line start or after a comma, quoted or not.
    const cellStarts = [...csv.matchAll(/(?:^|,)("?)([^,\r\n]?)/gm)].map((match) => match[2]);
    expect(cellStarts.filter((first) => first !== undefined && /[=+\-@\t\r]/.test(first))).toEqual([]);
    expect(csv).not.toContain('SO-FOREIGN');
  });

  it('lets no item code that starts with a formula character reach the export', async () => {
    for (const code of ['=1+1', '-A1', '+A1', '@A1']) {
      const refused = await team.admin.callRaw('createPortfolioItem', {
        params: { workspaceId: team.workspaceId },
        body: { code, name: 'Formula pump', kind: 'product', unit: 'unit' },
      });
      expect(refused.status, code).toBe(400);
      expect(JSON.stringify(refused.body)).toMatch(/body\.code/);
    }
  });
});

describe('unserved demand', () => {
  async function beyondRecord(who: Person) {
    const check = await who.call('promiseCheck', { params: on.base, query: { quantity: 100_000, leadTimeDays: 12 } });
    expect(check.body.band).toBe('beyond');
    const body = {
      quantity: 100_000,
      requestedDate: check.body.deliveryDate,
      customer: 'Nordwasser AS',
      thresholdVersion: check.body.threshold.version,
    };
    return { body, record: () => who.callRaw('recordUnservedDemand', { params: on.base, body }) };
  }
  const totals = async () => {
    const answer = await team.rep.call('listCycleUnservedDemand', {
      params: { workspaceId: team.workspaceId, cycleId: on.cycle.id },
    });
    return answer.body.items.find((total: { itemId: string }) => total.itemId === on.item.id) ?? { quantity: 0, count: 0 };
  };

  it('refuses an outsider, a made-up threshold version and a negative quantity, writing nothing', async () => {
    const { body } = await beyondRecord(team.rep);
    const before = await partitionItems(team.workspaceId, undefined, undefined, `#ITEM#${on.item.id}`);
    const attempts: Array<[Person, object, number]> = [
      [other.rep, body, 404],
      [team.rep, { ...body, thresholdVersion: 99 }, 409],
      [team.rep, { ...body, quantity: -5 }, 400],
      [team.rep, { ...body, requestedDate: '2031-01-01' }, 400],
    ];
    for (const [who, attempt, status] of attempts) {
      const answer = await who.callRaw('recordUnservedDemand', { params: on.base, body: attempt });
      expect(answer.status, JSON.stringify(attempt)).toBe(status);
      expect(answer.body).toMatchObject({ error: expect.any(String) });
    }
    expect(await partitionItems(team.workspaceId, undefined, undefined, `#ITEM#${on.item.id}`)).toEqual(before);
  });

  it('keeps the totals equal to what 15 racing records and their racing removals left', async () => {
    const start = await totals();
    const { record, body } = await beyondRecord(team.rep);
    const recorded = await Promise.all(Array.from({ length: 15 }, () => record()));
    expect(recorded.every((answer) => answer.status === 201)).toBe(true);
    expect(await totals()).toMatchObject({ quantity: start.quantity + 15 * body.quantity, count: start.count + 15 });
    const first = recorded[0]?.body;
    const params = { ...on.base, unservedId: first.id };
    const removals = await Promise.all(
      Array.from({ length: 10 }, () =>
        team.rep.callRaw('removeUnservedDemand', { params, query: { expectedVersion: first.version } }),
      ),
    );
    expect(removals.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(removals.filter((answer) => answer.status === 409 || answer.status === 404)).toHaveLength(9);
    expect(await totals()).toMatchObject({ quantity: start.quantity + 14 * body.quantity, count: start.count + 14 });
  });

  it('lets another rep neither correct nor remove a colleague’s record, and an outsider not reach it', async () => {
    const { record } = await beyondRecord(team.rep);
    const mine = (await record()).body;
    const params = { ...on.base, unservedId: mine.id };
    const before = await partitionItems(team.workspaceId, undefined, undefined, `#ITEM#${on.item.id}`);
    const correct = await team.opsRep.callRaw('correctUnservedDemand', {
      params,
      body: { expectedVersion: mine.version, quantity: 1 },
    });
    expect(correct.status).toBe(403);
    const remove = await team.opsRep.callRaw('removeUnservedDemand', { params, query: { expectedVersion: mine.version } });
    expect(remove.status).toBe(403);
    const outsider = await other.rep.callRaw('removeUnservedDemand', { params, query: { expectedVersion: mine.version } });
    expect(outsider.status).toBe(404);
    const crossed = await other.admin.callRaw('removeUnservedDemand', {
      params: { ...params, workspaceId: other.workspaceId },
      query: { expectedVersion: mine.version },
    });
    expect(crossed.status).toBe(404);
    expect(await partitionItems(team.workspaceId, undefined, undefined, `#ITEM#${on.item.id}`)).toEqual(before);
  });
});
