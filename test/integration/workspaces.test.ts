import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '#contract/index';
import { type ApiResponse, type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

async function workspaceOf(admin: Person, name = 'Acme Valves') {
  const created = await admin.call('createWorkspace', { body: { name } });
  expect(created.status).toBe(201);
  return created.body as {
    id: string;
    name: string;
    adminCount: number;
    you: { role: string; function: string; version: number };
  };
}

describe('workspaces', () => {
  it('makes the creator the first admin and lists the workspace on their home', async () => {
    const admin = await api.person('creator');
    const workspace = await workspaceOf(admin);
    expect(workspace.you).toMatchObject({ role: 'admin', email: admin.email, version: 1 });
    expect(workspace.adminCount).toBe(1);

    const me = await admin.call('getMe');
    expect(me.status).toBe(200);
    expect(me.body.workspaces).toEqual([{ id: workspace.id, name: 'Acme Valves', function: 'management', role: 'admin' }]);

    const read = await admin.call('getWorkspace', { params: { workspaceId: workspace.id } });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: workspace.id, name: 'Acme Valves', you: { role: 'admin' } });
  });

  it('lets an invited person see the workspace with the function and role they were given', async () => {
    const admin = await api.person('admin');
    const workspace = await workspaceOf(admin);
    const inviteeEmail = uniqueEmail('Olga.Ops');
    const invited = await admin.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: {
        email: inviteeEmail.toUpperCase(),
        name: 'Olga',
        function: 'operations',
        role: 'manager',
      },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({
      email: inviteeEmail.toLowerCase(),
      function: 'operations',
      role: 'manager',
      invitedBy: admin.email,
    });

    const invitee = await signInAs(api, inviteeEmail.toLowerCase(), 'Olga');
    const me = await invitee.call('getMe');
    expect(me.body.workspaces).toEqual([{ id: workspace.id, name: 'Acme Valves', function: 'operations', role: 'manager' }]);
    const read = await invitee.call('getWorkspace', { params: { workspaceId: workspace.id } });
    expect(read.status).toBe(200);
    expect(read.body.you).toMatchObject({ role: 'manager', function: 'operations' });

    const members = await invitee.call('listMembers', { params: { workspaceId: workspace.id } });
    expect(members.body.members.map((m: { email: string }) => m.email).sort()).toEqual(
      [admin.email, inviteeEmail.toLowerCase()].sort(),
    );
  });

  it('keeps a workspace invisible to members of another workspace', async () => {
    const insider = await api.person('insider');
    const outsider = await api.person('outsider');
    const workspace = await workspaceOf(insider, 'Insider Co');
    await workspaceOf(outsider, 'Outsider Co');

    const params = { workspaceId: workspace.id };
    const reads: Array<readonly [RouteName, () => Promise<ApiResponse<unknown>>]> = [
      ['getWorkspace', () => outsider.call('getWorkspace', { params })],
      ['listMembers', () => outsider.call('listMembers', { params })],
      ['listPortfolioItems', () => outsider.call('listPortfolioItems', { params })],
    ];
    for (const [path, read] of reads) {
      const response = await read();
      expect(response.status, path).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('Insider Co');
    }
    const invite = await outsider.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: {
        email: uniqueEmail('x'),
        function: 'sales',
        role: 'admin',
      },
    });
    expect(invite.status).toBe(404);
    const me = await outsider.call('getMe');
    expect(me.body.workspaces.map((w: { name: string }) => w.name)).toEqual(['Outsider Co']);
  });

  it('refuses invitations from non-admins and duplicate invitations', async () => {
    const admin = await api.person('admin');
    const workspace = await workspaceOf(admin);
    const repEmail = uniqueEmail('rep');
    await admin.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: { email: repEmail, function: 'sales', role: 'rep' },
    });
    const rep = await signInAs(api, repEmail);

    const byRep = await rep.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: {
        email: uniqueEmail('friend'),
        function: 'sales',
        role: 'admin',
      },
    });
    expect(byRep.status).toBe(403);
    expect(byRep.body).toMatchObject({ error: 'Forbidden', message: expect.stringContaining('admin') });

    const again = await admin.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: {
        email: repEmail,
        function: 'finance',
        role: 'manager',
      },
    });
    expect(again.status).toBe(409);
    const members = await admin.call('listMembers', { params: { workspaceId: workspace.id } });
    expect(members.body.members).toHaveLength(2);
    expect(members.body.members.find((m: { email: string }) => m.email === repEmail)).toMatchObject({
      function: 'sales',
      role: 'rep',
    });
  });

  it('changes a member with optimistic concurrency: a stale version gets 409 with the current member', async () => {
    const admin = await api.person('admin');
    const workspace = await workspaceOf(admin);
    const email = uniqueEmail('sam');
    await admin.call('inviteMember', { params: { workspaceId: workspace.id }, body: { email, function: 'sales', role: 'rep' } });

    const promoted = await admin.call('updateMember', {
      params: { workspaceId: workspace.id, email },
      body: { role: 'manager', expectedVersion: 1 },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'manager', version: 2 });

    const stale = await admin.call('updateMember', {
      params: { workspaceId: workspace.id, email },
      body: { function: 'finance', expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ role: 'manager', function: 'sales', version: 2 });
  });

  it('never leaves a workspace without an admin', async () => {
    const admin = await api.person('admin');
    const workspace = await workspaceOf(admin);

    const demote = await admin.call('updateMember', {
      params: { workspaceId: workspace.id, email: admin.email },
      body: { role: 'manager', expectedVersion: 1 },
    });
    expect(demote.status).toBe(409);
    expect(demote.body.message).toMatch(/at least one admin/);
    const leave = await admin.call('removeMember', {
      params: { workspaceId: workspace.id, email: admin.email },
      query: { expectedVersion: 1 },
    });
    expect(leave.status).toBe(409);

    const second = uniqueEmail('second-admin');
    await admin.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: { email: second, function: 'finance', role: 'admin' },
    });
    const nowAllowed = await admin.call('updateMember', {
      params: { workspaceId: workspace.id, email: admin.email },
      body: { role: 'manager', expectedVersion: 1 },
    });
    expect(nowAllowed.status).toBe(200);
    const read = await (await signInAs(api, second)).call('getWorkspace', { params: { workspaceId: workspace.id } });
    expect(read.body.adminCount).toBe(1);
  });

  it('removes a member, who then no longer sees the workspace', async () => {
    const admin = await api.person('admin');
    const workspace = await workspaceOf(admin);
    const email = uniqueEmail('leaver');
    await admin.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: { email, function: 'marketing', role: 'rep' },
    });
    const removed = await admin.call('removeMember', {
      params: { workspaceId: workspace.id, email: email },
      query: { expectedVersion: 1 },
    });
    expect(removed.status).toBe(200);
    const leaver = await signInAs(api, email);
    expect((await leaver.call('getWorkspace', { params: { workspaceId: workspace.id } })).status).toBe(404);
    expect((await leaver.call('getMe')).body.workspaces).toEqual([]);
  });
});
