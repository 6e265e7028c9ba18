import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromThisMachine } from '#scripts/local/outbox-page';
import { type Person, startApi, type TestApi, uniqueEmail } from '#test/support/api';

const outbox = mkdtempSync(join(tmpdir(), 'accord-outbox-'));
let api: TestApi;
beforeAll(async () => {
  process.env.MAIL_OUTBOX_DIR = outbox;
  process.env.APP_URL = 'http://accord.test/';
  api = await startApi({ outboxDir: outbox });
});
afterAll(async () => {
  delete process.env.MAIL_OUTBOX_DIR;
  delete process.env.APP_URL;
  await api.close();
});

async function page(path: string) {
  const response = await fetch(`${api.baseUrl}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function workspaceOf(admin: Person, name: string) {
  const created = await admin.call('createWorkspace', { body: { name } });
  expect(created.status).toBe(201);
  return created.body as { id: string };
}

describe('the invitation mail', () => {
  it('reaches the invitee through the outbox, listed and shown by the outbox page', async () => {
    const admin = await api.person('inviting-admin');
    const workspace = await workspaceOf(admin, 'Acme <b>Valves</b>');
    const invitee = uniqueEmail('invitee');
    const invited = await admin.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: { email: invitee, function: 'sales', role: 'rep' },
    });
    expect(invited.status).toBe(201);

    const list = await page('/local/outbox');
    expect(list.status).toBe(200);
    expect(list.type).toMatch(/^text\/html/);
    const row = list.text.split('\n').find((line) => line.includes(invitee));
    expect(row).toContain('You were invited to Acme &lt;b&gt;Valves&lt;/b&gt; on Accord');
    const id = /data-id="([^"]+)"/.exec(row ?? '')?.[1];
    expect(id).toBeDefined();

    const shown = await page(`/local/outbox/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(`You were invited to Acme &lt;b&gt;Valves&lt;/b&gt; by inviting-admin (${admin.email}).`);
    expect(shown.text).toContain(`Open the workspace: http://accord.test/w/${workspace.id}`);
    expect(shown.text).not.toContain('<b>Valves</b>');
  });

  it('is sent once for an invitation retried with the same idempotency key', async () => {
    const admin = await api.person('retrying-admin');
    const workspace = await workspaceOf(admin, 'Retry Works');
    const invitee = uniqueEmail('retried');
    const body = { email: invitee, function: 'operations', role: 'manager' } as const;
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const first = await admin.call('inviteMember', { params: { workspaceId: workspace.id }, body, headers });
    const second = await admin.call('inviteMember', { params: { workspaceId: workspace.id }, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const list = await page('/local/outbox');
    expect(list.text.split('\n').filter((line) => line.includes(invitee))).toHaveLength(1);
  });

  it('is not sent when the invitation is refused', async () => {
    const admin = await api.person('refused-admin');
    const workspace = await workspaceOf(admin, 'Refusals');
    const outsider = await api.person('outsider');
    const invitee = uniqueEmail('never-invited');
    const refused = await outsider.call('inviteMember', {
      params: { workspaceId: workspace.id },
      body: {
        email: invitee,
        function: 'sales',
        role: 'rep',
      },
    });
    expect(refused.status).toBe(404);
    expect((await page('/local/outbox')).text).not.toContain(invitee);
  });
});

describe('the outbox page', () => {
  it('answers 404 for an id that is not an outbox message, including a path out of the folder', async () => {
    expect((await page('/local/outbox/nope')).status).toBe(404);
    expect((await page('/local/outbox/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await page('/local/outbox/20261130T000000000Z-00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('is for this machine only', () => {
    const from = (remoteAddress: string) => fromThisMachine({ socket: { remoteAddress } } as never);
    expect(from('127.0.0.1')).toBe(true);
    expect(from('::1')).toBe(true);
    expect(from('::ffff:127.0.0.1')).toBe(true);
    expect(from('10.0.0.7')).toBe(false);
    expect(from('::ffff:192.168.1.20')).toBe(false);
  });
});
