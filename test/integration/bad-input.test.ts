import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, startApi, type TestApi } from '#test/support/api';

let api: TestApi;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('admin');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Input Checks Ltd' } })).body.id;
});
afterAll(async () => {
  await api.close();
});

const membersPath = () => `/api/workspaces/${workspaceId}/members`;

async function memberCount() {
  return (await admin.call('listMembers', { params: { workspaceId } })).body.members.length as number;
}

describe('bad input', () => {
  it('answers malformed JSON with 400 naming the problem, writing nothing', async () => {
    const before = await memberCount();
    const response = await api.raw('POST', membersPath(), {
      body: '{"email": "a@b.example", ',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'BadRequest', message: expect.stringContaining('Malformed JSON') });
    expect(await memberCount()).toBe(before);
  });

  it('lists every failing field for wrong types, unknown fields and oversize strings', async () => {
    const before = await memberCount();
    const response = await admin.callRaw('inviteMember', {
      params: { workspaceId },
      body: {
        email: 42,
        name: 'x'.repeat(500),
        function: 'astrology',
        role: 'admin',
        isOwner: true,
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('ValidationFailed');
    const fields = (response.body.details as Array<{ field: string }>).map((d) => d.field).sort();
    expect(fields).toEqual(['body.email', 'body.function', 'body.isOwner', 'body.name']);
    expect(await memberCount()).toBe(before);
  });

  it('refuses a body that is not JSON, one over the size limit, and a missing one', async () => {
    const asText = await api.raw('POST', membersPath(), {
      body: 'email=a@b.example',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/plain' },
    });
    expect(asText.status).toBe(415);
    const huge = await admin.call('createWorkspace', { body: { name: 'y'.repeat(70 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body.message).toMatch(/limit of 65536 bytes/);
    const empty = await admin.callRaw('createWorkspace', { headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(empty.body.details).toEqual([{ field: 'body', message: expect.any(String) }]);
  });

  it('refuses a malformed path parameter before touching the store', async () => {
    const response = await admin.call('getWorkspace', { params: { workspaceId: 'not-an-id' } });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ field: 'path.workspaceId', message: 'must be an id (UUID)' }]);
  });

  it('answers unknown routes with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['DELETE', '/api/workspaces'],
      ['GET', '/api'],
    ] as const) {
      const response = await api.raw(method, path, { headers: { authorization: `Bearer ${admin.token}` } });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body).toMatchObject({ error: 'NotFound' });
    }
  });

  it('answers 401 to a missing, forged or expired token', async () => {
    const missing = await api.raw('GET', '/api/me');
    expect(missing.status).toBe(401);
    expect(missing.body.error).toBe('Unauthorized');

    const [header, payload] = admin.token.split('.');
    const tampered = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    tampered.email = 'intruder@test.example';
    const forgedToken = `${header}.${Buffer.from(JSON.stringify(tampered)).toString('base64url')}.${admin.token.split('.')[2]}`;
    const forged = await api.raw('GET', '/api/me', { headers: { authorization: `Bearer ${forgedToken}` } });
    expect(forged.status).toBe(401);

    const otherKey = new TextEncoder().encode('a-secret-that-is-not-the-servers-key');
    const selfSigned = await new SignJWT({ email: admin.email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .sign(otherKey);
    expect((await api.raw('GET', '/api/me', { headers: { authorization: `Bearer ${selfSigned}` } })).status).toBe(401);

    const { token: expired } = await api.auth.signIn({ email: admin.email, name: 'Admin' }, -60);
    expect((await api.raw('GET', '/api/me', { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
  });

  it('keeps serving after all of the above', async () => {
    expect((await admin.call('getMe')).status).toBe(200);
    expect((await api.raw('GET', '/api/health')).body).toEqual({ status: 'ok' });
  });
});
