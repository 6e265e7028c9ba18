import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '#test/support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

const requestsOf = (response: { headers: Headers }) => Number(response.headers.get('x-accord-db-requests'));

describe('the DynamoDB request meter', () => {
  it('reports what each call cost: nothing for health, one transaction for a create', async () => {
    expect(requestsOf(await api.raw('GET', '/api/health'))).toBe(0);
    const admin = await api.person('meter');
    const created = await admin.call('createWorkspace', { body: { name: 'Metered Ltd' } });
    expect(created.status).toBe(201);
    expect(requestsOf(created)).toBe(1);
  });

  it('counts the membership check and the read of a workspace route', async () => {
    const admin = await api.person('meter');
    const { id } = (await admin.call('createWorkspace', { body: { name: 'Metered Ltd' } })).body;
    const read = await admin.call('getWorkspace', { params: { workspaceId: id } });
    expect(read.status).toBe(200);
    expect(requestsOf(read)).toBeLessThanOrEqual(2);
    expect(requestsOf(read)).toBeGreaterThanOrEqual(1);
  });

  it('spends nothing on input the schema refuses', async () => {
    const admin = await api.person('meter');
    const refused = await admin.call('createWorkspace', { body: { name: '' } });
    expect(refused.status).toBe(400);
    expect(requestsOf(refused)).toBe(0);
  });
});
