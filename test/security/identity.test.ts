import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';

/**
 * Identity that cannot be changed by its owner: an email must be verified,
 * and a membership belongs to the identity (`sub`) that first used it, not to
 * whoever later holds a token with the same email.
 * (The kernel's refusal of an unverified email is proved beside it, in
 * functions/kernel/identity.test.ts.)
 */
let api: TestApi;
let admin: Person;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('identity-admin');
});
afterAll(async () => {
  await api.close();
});

/** A token of the local issuer for this email under a chosen identity. */
async function tokenFor(email: string, sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return api.auth.signClaims({
    sub,
    email,
    email_verified: true,
    name: email,
    token_use: 'id',
    iss: api.auth.issuer,
    aud: api.auth.audience,
    iat: now,
    exp: now + 600,
  });
}

const getAs = (token: string, path: string) => api.raw('GET', `/api${path}`, { headers: { authorization: `Bearer ${token}` } });

async function workspaceWithInvitee() {
  const created = await admin.call('createWorkspace', { body: { name: `Identity ${randomUUID().slice(0, 8)}` } });
  expect(created.status).toBe(201);
  const email = uniqueEmail('identity-invitee');
  const invited = await admin.call('inviteMember', {
    params: { workspaceId: created.body.id },
    body: { email, function: 'sales', role: 'rep' },
  });
  expect(invited.status).toBe(201);
  return { workspaceId: created.body.id as string, email };
}

describe('a membership is bound to the identity that first uses it', () => {
  it('refuses a token with the same email and another sub once the invitee has signed in', async () => {
    const { workspaceId, email } = await workspaceWithInvitee();
    const first = await tokenFor(email, randomUUID());
    const second = await tokenFor(email, randomUUID());
    expect((await getAs(first, `/workspaces/${workspaceId}`)).status).toBe(200);

    const refused = await getAs(second, `/workspaces/${workspaceId}`);
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({ error: 'NotFound', message: 'Workspace not found' });
    expect((await getAs(second, `/workspaces/${workspaceId}/members`)).status).toBe(404);
    // Their list of workspaces leaves it out too; the bound identity still sees it.
    expect(((await getAs(second, '/me')).body.workspaces as { id: string }[]).map((w) => w.id)).not.toContain(workspaceId);
    expect(((await getAs(first, '/me')).body.workspaces as { id: string }[]).map((w) => w.id)).toContain(workspaceId);
    expect((await getAs(first, `/workspaces/${workspaceId}`)).status).toBe(200);
  });

  it('binds the creator at creation, so their email under another identity is never a member', async () => {
    const created = await admin.call('createWorkspace', { body: { name: 'Creator bound' } });
    const impostor = await tokenFor(admin.email, randomUUID());
    expect((await getAs(impostor, `/workspaces/${created.body.id}`)).status).toBe(404);
    const invite = await api.raw('POST', `/api/workspaces/${created.body.id}/members`, {
      body: JSON.stringify({ email: uniqueEmail('x'), function: 'sales', role: 'rep' }),
      headers: { authorization: `Bearer ${impostor}`, 'content-type': 'application/json' },
    });
    expect(invite.status).toBe(404);
    expect((await admin.call('getWorkspace', { params: { workspaceId: created.body.id } })).status).toBe(200);
  });

  it('binds once when two identities with the invited email make their first requests at the same time', async () => {
    for (let round = 0; round < 4; round++) {
      const { workspaceId, email } = await workspaceWithInvitee();
      const subs = [randomUUID(), randomUUID()];
      const tokens = await Promise.all(subs.map((sub) => tokenFor(email, sub)));
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          getAs(tokens[i % 2] ?? '', `/workspaces/${workspaceId}`).then((r) => [i % 2, r.status]),
        ),
      );
      const winners = new Set(answers.filter(([, status]) => status === 200).map(([side]) => side));
      expect(winners.size, JSON.stringify(answers)).toBe(1);
      expect(answers.every(([, status]) => status === 200 || status === 404)).toBe(true);
      const winner = [...winners][0] ?? 0;
      // Afterwards the answer is the same for each identity, every time.
      expect((await getAs(tokens[winner] ?? '', `/workspaces/${workspaceId}`)).status).toBe(200);
      expect((await getAs(tokens[1 - winner] ?? '', `/workspaces/${workspaceId}`)).status).toBe(404);
    }
  });

  it('keeps the binding when an admin changes the member, even when the change races the first request', async () => {
    const { workspaceId, email } = await workspaceWithInvitee();
    const owner = await tokenFor(email, randomUUID());
    const [bound, changed] = await Promise.all([
      getAs(owner, `/workspaces/${workspaceId}`),
      admin.call('updateMember', { params: { workspaceId, email: email }, body: { role: 'manager', expectedVersion: 1 } }),
    ]);
    expect(bound.status).toBe(200);
    expect(changed.status).toBe(200);
    const again = await admin.call('updateMember', {
      params: { workspaceId, email: email },
      body: {
        function: 'finance',
        expectedVersion: 2,
      },
    });
    expect(again.status).toBe(200);
    expect((await getAs(await tokenFor(email, randomUUID()), `/workspaces/${workspaceId}`)).status).toBe(404);
    const view = await getAs(owner, `/workspaces/${workspaceId}`);
    expect(view.status).toBe(200);
    expect(view.body.you).toMatchObject({ role: 'manager', function: 'finance' });
  });

  it('binds a person signed in through a company identity provider like any other, by their user pool sub', async () => {
    const { workspaceId, email } = await workspaceWithInvitee();
    // As Cognito issues it after federation: the pool's own sub, a provider-prefixed username, and the
    // identities claim; email and email_verified come from the provider through the attribute mapping.
    const federated = (sub: string, providerUserId: string) => {
      const now = Math.floor(Date.now() / 1000);
      return api.auth.signClaims({
        sub,
        'cognito:username': `Entra_${providerUserId}`,
        identities: [{ userId: providerUserId, providerName: 'Entra', providerType: 'OIDC', issuer: null, primary: 'true' }],
        email: email.toUpperCase(),
        email_verified: true,
        name: 'Fenna Federated',
        token_use: 'id',
        iss: api.auth.issuer,
        aud: api.auth.audience,
        iat: now,
        exp: now + 600,
      });
    };
    const sub = randomUUID();
    const providerUserId = randomUUID();
    const first = await getAs(await federated(sub, providerUserId), `/workspaces/${workspaceId}`);
    expect(first.status).toBe(200);
    expect(first.body.you).toMatchObject({ email, role: 'rep' });
    // Signing in again (a new token, the same pool user) keeps the membership.
    expect((await getAs(await federated(sub, providerUserId), `/workspaces/${workspaceId}`)).status).toBe(200);
    // A password account with the same email, or the same email from another provider account, is another identity.
    expect((await (await signInAs(api, email)).call('getWorkspace', { params: { workspaceId } })).status).toBe(404);
    expect((await getAs(await federated(randomUUID(), randomUUID()), `/workspaces/${workspaceId}`)).status).toBe(404);
  });

  it('gives the same local identity for the same email on every sign-in, so signing in again keeps the membership', async () => {
    const { workspaceId, email } = await workspaceWithInvitee();
    expect((await (await signInAs(api, email)).call('getWorkspace', { params: { workspaceId } })).status).toBe(200);
    expect((await (await signInAs(api, email, 'Again')).call('getWorkspace', { params: { workspaceId } })).status).toBe(200);
  });
});
