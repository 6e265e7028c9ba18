import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import type { Answer } from '#test/support/client';
import { routeEntries } from '#test/support/route-samples';
import { auditEvents, partitionItems } from '#test/support/snapshot';

let api: TestApi;
let admin: Person;
let workspaceId: string;
let managerEmail: string;
let started: string;

beforeAll(async () => {
  api = await startApi();
  admin = await api.person('audit-admin');
  started = new Date().toISOString();
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Audited Ltd' } })).body.id;
  managerEmail = uniqueEmail('audit-manager');
  await admin.call('inviteMember', {
    params: { workspaceId },
    body: { email: managerEmail, function: 'operations', role: 'manager' },
  });
  await admin.call('updateMember', {
    params: { workspaceId, email: managerEmail },
    body: {
      function: 'finance',
      expectedVersion: 1,
    },
  });
  const manager = await signInAs(api, managerEmail);
  await manager.call('createPortfolioItem', {
    params: { workspaceId },
    body: {
      code: 'AUD-1',
      name: 'Audited pump',
      kind: 'product',
      unit: 'unit',
    },
  });
});
afterAll(async () => {
  await api.close();
});

describe('the audit trail', () => {
  it('lists every change newest first with who, what, before and after', async () => {
    const response = await admin.call('listAuditEvents', { params: { workspaceId } });
    expect(response.status).toBe(200);
    const actions = response.body.events.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['portfolioItem.created', 'member.updated', 'member.invited', 'workspace.created']);
    const update = response.body.events[1];
    expect(update).toMatchObject({
      actorEmail: admin.email,
      entity: 'member',
      entityId: managerEmail,
      before: { function: 'operations', version: 1 },
      after: { function: 'finance', version: 2 },
    });
    expect(response.body.nextCursor).toBeNull();
  });

  it('filters by entity, action, actor and time, and pages with a cursor', async () => {
    const byEntity = await admin.call('listAuditEvents', { params: { workspaceId }, query: { entity: 'member' } });
    expect(byEntity.body.events.map((e: { action: string }) => e.action)).toEqual(['member.updated', 'member.invited']);
    const byActor = await admin.call('listAuditEvents', {
      params: { workspaceId },
      query: { actor: managerEmail.toUpperCase() },
    });
    expect(byActor.body.events.map((e: { action: string }) => e.action)).toEqual(['portfolioItem.created']);
    const byAction = await admin.call('listAuditEvents', { params: { workspaceId }, query: { action: 'workspace.created' } });
    expect(byAction.body.events).toHaveLength(1);
    const future = await admin.call('listAuditEvents', {
      params: { workspaceId },
      query: { from: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(future.body.events).toEqual([]);
    const past = await admin.call('listAuditEvents', { params: { workspaceId }, query: { to: started } });
    expect(past.body.events).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse<Answer<'listAuditEvents'>> = await admin.call('listAuditEvents', {
        params: { workspaceId },
        query: { limit: 1, cursor: cursor ?? undefined },
      });
      seen.push(...page.body.events.map((e) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(4);

    const bad = await admin.call('listAuditEvents', { params: { workspaceId }, query: { from: 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('query.from');
  });

  it('is for admins and managers only', async () => {
    const repEmail = uniqueEmail('audit-rep');
    await admin.call('inviteMember', { params: { workspaceId }, body: { email: repEmail, function: 'sales', role: 'rep' } });
    const rep = await signInAs(api, repEmail);
    expect((await rep.call('listAuditEvents', { params: { workspaceId } })).status).toBe(403);
    expect((await (await signInAs(api, managerEmail)).call('listAuditEvents', { params: { workspaceId } })).status).toBe(200);
  });

  it('offers no route that writes audit events, and no code but the audit store that addresses them', async () => {
    const auditRoutes = routeEntries.filter(([, route]) => /audit/i.test(route.path));
    expect(auditRoutes.length).toBeGreaterThan(0);
    for (const [name, route] of auditRoutes) {
      expect(route.method, name).toBe('GET');
      expect(route.writes, name).toBe(false);
    }
    const root = resolve(import.meta.dirname, '../../functions');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const addressing = files.filter((file) => readFileSync(join(root, file), 'utf8').includes('AUDIT#'));
    expect(addressing.map((file) => relative(root, join(root, file)))).toEqual(['table/audit-trail.ts']);
    const stored = (await auditEvents(workspaceId)).filter((item) => item.type === 'AuditEvent');
    expect(stored.length).toBeGreaterThanOrEqual(5);
    // The workspace's own partition holds none: its reads never step over the audit trail.
    expect((await partitionItems(workspaceId)).filter((item) => item.type === 'AuditEvent')).toEqual([]);
  });
});
