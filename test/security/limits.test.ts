import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { list, maxPageSize } from '#contract/common';
import { counterAttribute, workspaceCaps } from '#contract/limits';
import { type Person, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { pathOf, routeEntries, samplePathParams } from '#test/support/route-samples';

let api: TestApi;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('limits-admin');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Limits Ltd' } })).body.id;
  for (let i = 0; i < 4; i++) {
    const invited = await admin.call('inviteMember', {
      params: { workspaceId },
      body: {
        email: uniqueEmail(`m${i}`),
        function: 'sales',
        role: 'rep',
      },
    });
    expect(invited.status).toBe(201);
    const item = await admin.call('createPortfolioItem', {
      params: { workspaceId },
      body: {
        code: `L-${i}`,
        name: `L ${i}`,
        kind: 'service',
        unit: 'hour',
      },
    });
    expect(item.status).toBe(201);
  }
});
afterAll(async () => {
  await api.close();
});

/** GET routes that need nothing but the workspace id: the lists a workspace screen loads. */
const workspaceLists = routeEntries.filter(
  ([, route]) =>
    route.method === 'GET' &&
    route.access.kind === 'member' &&
    !(route as { unpaged?: string }).unpaged &&
    /^\/workspaces\/\{workspaceId\}\/[\w-]+$/.test(route.path),
);
const arrayField = (body: Record<string, unknown>) => Object.entries(body).find(([, value]) => Array.isArray(value))?.[0];

async function setCounter(collection: string, value: number) {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: process.env.DYNAMODB_ENDPOINT,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  await client.send(
    new UpdateCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: `WS#${workspaceId}`, sk: 'WORKSPACE' },
      UpdateExpression: 'SET #count = :value',
      ExpressionAttributeNames: { '#count': counterAttribute(collection) },
      ExpressionAttributeValues: { ':value': value },
    }),
  );
  client.destroy();
}

describe('limits', () => {
  it('pages every list of the route table with a cursor, and refuses page sizes over the limit by name', async () => {
    const covered: string[] = [];
    for (const [name, route] of workspaceLists) {
      const params = samplePathParams(route, workspaceId);
      // The route is any list of the table, so its query is not typed here.
      const list = (query?: Record<string, unknown>) => admin.callRaw(name, { params, query });
      // First as a screen asks for it, with no query: a route that answers one
      // document (no array in it) is not a list; one that answers an array must page.
      const plain = await list();
      expect(plain.status, name).toBe(200);
      const field = arrayField(plain.body);
      if (!field) continue;
      expect(plain.body, `${name} lists ${field} without a cursor`).toHaveProperty('nextCursor');
      const whole = await list({ limit: maxPageSize });
      expect(whole.status, name).toBe(200);

      const paged: unknown[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { status: number; body: any } = await list({ limit: 1, cursor: cursor ?? undefined });
        expect(page.status, name).toBe(200);
        expect(page.body[field].length, name).toBeLessThanOrEqual(1);
        paged.push(...page.body[field]);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 50);
      expect(paged, name).toEqual(whole.body[field]);

      const tooMany = await list({ limit: maxPageSize + 1 });
      expect(tooMany.status, name).toBe(400);
      expect(tooMany.body.details, name).toEqual([{ field: 'query.limit', message: `must be at most ${maxPageSize}` }]);
      const forged = await list({ cursor: Buffer.from('{"pk":"WS#other","sk":"x"}').toString('base64url') });
      expect(forged.status, name).toBe(400);
      // Malformed percent-encoding, sent as is: no client would encode it so.
      const garbage = await admin.get(`${pathOf(route, params).slice(4)}?cursor=%%%`);
      expect(garbage.status, name).toBe(400);
      covered.push(`${name} (${pages} pages of 1)`);
    }
    console.log(`limits: ${covered.length} paged lists checked: ${covered.join(', ')}`);
    expect(covered.length).toBeGreaterThanOrEqual(2);
  });

  it('refuses the member past the workspace cap with a 422 naming the limit, and writes nothing', async () => {
    const members = (await admin.call('listMembers', { params: { workspaceId } })).body.members.length;
    await setCounter('members', workspaceCaps.members - 1);
    expect(
      (
        await admin.call('inviteMember', {
          params: { workspaceId },
          body: { email: uniqueEmail('last'), function: 'sales', role: 'rep' },
        })
      ).status,
    ).toBe(201);
    const over = await admin.call('inviteMember', {
      params: { workspaceId },
      body: {
        email: uniqueEmail('over'),
        function: 'sales',
        role: 'rep',
      },
    });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({
      error: 'LimitExceeded',
      details: { limit: 'workspace.members', max: workspaceCaps.members },
    });
    expect((await admin.call('listMembers', { params: { workspaceId } })).body.members.length).toBe(members + 1);
    await setCounter('members', members + 1);
  });

  it('refuses the portfolio item past the workspace cap', async () => {
    await setCounter('portfolioItems', workspaceCaps.portfolioItems);
    const over = await admin.call('createPortfolioItem', {
      params: { workspaceId },
      body: {
        code: 'OVER',
        name: 'Over',
        kind: 'product',
        unit: 'unit',
      },
    });
    expect(over.status).toBe(422);
    expect(over.body.message).toContain(`limit of ${workspaceCaps.portfolioItems} portfolioItems`);
    const codes = (await admin.call('listPortfolioItems', { params: { workspaceId } })).body.items.map(
      (i: { code: string }) => i.code,
    );
    expect(codes).not.toContain('OVER');
  });

  it('refuses query parameters and bodies on routes that take none', async () => {
    const query = await admin.callRaw('getWorkspace', { params: { workspaceId }, query: { debug: 1 } });
    expect(query.status).toBe(400);
    expect(query.body.message).toBe('This route takes no query parameters');
    const body = await admin.call('getWorkspace', { params: { workspaceId }, headers: {} });
    expect(body.status).toBe(200);
    const deleteWithBody = await admin.callRaw('removeMember', {
      params: { workspaceId, email: admin.email },
      query: { expectedVersion: 1 },
      body: {
        reason: 'x',
      },
    });
    expect(deleteWithBody.status).toBe(400);
    expect(deleteWithBody.body.message).toBe('This route takes no body');
  });

  it('names the body size limit, and caps lists in bodies', async () => {
    const huge = await admin.call('createWorkspace', { body: { name: 'z'.repeat(70_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.details).toEqual({ limit: 'bodyBytes', max: 65536 });
    const result = list(z.string(), 3).safeParse(['a', 'b', 'c', 'd']);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must hold at most 3 items');
  });
});
