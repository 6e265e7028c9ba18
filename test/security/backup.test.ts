import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '#contract/views';
import { generateCommitments, generateItems } from '#scripts/bench/generate';
import { agreedItem, benchTeam } from '#scripts/bench/requests';
import { demoPeople, demoWorkspaceName, loadDemo } from '#scripts/local/demo';
import { exportAll, type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { present } from '#test/support/client';
import { useOwnTable } from '#test/support/own-table';
import { auditEvents, partitionItems, snapshot } from '#test/support/snapshot';
import { restoredWorkspaceId, storedMember, storedWorkspacesOf, whileApiSends } from '#test/support/table';

let api: TestApi;
let admin: Person;
let sourceId: string;
const memberEmails = [uniqueEmail('backup-sales'), uniqueEmail('backup-ops')];

beforeAll(async () => {
  await useOwnTable('backup');
  api = await startApi();
  admin = await api.person('backup-admin');
  sourceId = (await admin.call('createWorkspace', { body: { name: 'Backed Up Pumps' } })).body.id;
  await admin.call('inviteMember', {
    params: { workspaceId: sourceId },
    body: { email: present(memberEmails[0]), function: 'sales', role: 'manager' },
  });
  await admin.call('inviteMember', {
    params: { workspaceId: sourceId },
    body: { email: present(memberEmails[1]), function: 'operations', role: 'rep' },
  });
  await admin.call('updateMember', {
    params: { workspaceId: sourceId, email: memberEmails[1] ?? '' },
    body: {
      role: 'manager',
      expectedVersion: 1,
    },
  });
  for (let i = 0; i < 7; i++) {
    const created = await admin.call('createPortfolioItem', {
      params: { workspaceId: sourceId },
      body: {
        code: `BK-${i}`,
        name: `Backed pump ${i} “ünïcode”`,
        kind: i % 2 ? 'service' : 'product',
        unit: i % 2 ? 'hour' : 'unit',
        description: `Line one\nline two ${i}`,
      },
    });
    expect(created.status).toBe(201);
  }
});
afterAll(async () => {
  await api.close();
});

const rewrite = (value: unknown, from: string, to: string) => JSON.parse(JSON.stringify(value).split(from).join(to));
/** The person's subject, from their token: a restore's workspace id derives from it. */
const subOf = (person: Person) => JSON.parse(Buffer.from(person.token.split('.')[1] ?? '', 'base64url').toString()).sub as string;
const keyOf = (record: Record<string, any>) => `${record.pk} ${record.sk}`;
/**
 * Takes off the marks a restore puts on sign-offs (they were given in the
 * backed-up workspace, not signed anew), checking each names the export;
 * answers how many it found.
 */
function unmarkSignOffs(record: Record<string, any>, exportId: string): number {
  let marked = 0;
  const stack: unknown[] = [record];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    for (const [name, inner] of Object.entries(value)) {
      if ((name === 'signOffs' || name === 'agreedSignOffs') && Array.isArray(inner) && record.type !== 'AuditEvent') {
        for (const signOff of inner) {
          expect(signOff.restoredFrom, `${record.sk} ${name}`).toBe(exportId);
          delete signOff.restoredFrom;
          marked++;
        }
      } else {
        stack.push(inner);
      }
    }
  }
  return marked;
}
/** Fields of the workspace record that an import sets anew. */
const volatileWorkspaceFields = ['version', 'updatedAt', 'createdAt', 'createdBy', 'restoredFrom'];

describe('backup', () => {
  it('exports a workspace and restores it as a new one, round-tripping every record', async () => {
    const exported = await exportAll(admin, sourceId);
    expect(exported.status).toBe(200);
    const records = exported.body.records as Array<Record<string, any>>;
    const types = new Set(records.map((r) => r.type));
    expect([...types].sort()).toEqual(['AuditEvent', 'Member', 'PortfolioCode', 'PortfolioItem', 'Workspace']);

    const restoredWs = await admin.call('restoreWorkspace', { body: exported.body });
    expect(restoredWs.status).toBe(201);
    const targetId = restoredWs.body.workspaceId;
    expect(targetId).not.toBe(sourceId);
    expect(restoredWs.body).toMatchObject({ name: 'Backed Up Pumps', imported: records.length });

    const again = await exportAll(admin, targetId);
    const restored = new Map((again.body.records as Array<Record<string, any>>).map((r) => [keyOf(r), r]));
    let matched = 0;
    for (const original of records) {
      const expected = rewrite(original, sourceId, targetId);
      const actual = restored.get(keyOf(expected)) ?? {};
      expect(actual, keyOf(expected)).toHaveProperty('sk', expected.sk);
      if (expected.sk === 'WORKSPACE') {
        for (const field of volatileWorkspaceFields) {
          delete expected[field];
          delete actual[field];
        }
      }
      expect(actual).toEqual(expected);
      matched++;
    }
    const extra = [...restored.values()].filter((r) => !records.some((o) => keyOf(rewrite(o, sourceId, targetId)) === keyOf(r)));
    expect(extra.map((r) => r.action).sort()).toEqual(['workspace.restored']);
    // The backup's members find the restored workspace in their list.
    expect((await storedWorkspacesOf(memberEmails[0] ?? '')).map((w) => w.id)).toContain(targetId);
    console.log(
      `backup: ${records.length} records exported, ${matched} round-tripped identically, ${extra.length} new audit events`,
    );

    const items = (await admin.call('listPortfolioItems', { params: { workspaceId: targetId }, query: { limit: 200 } })).body
      .items;
    expect(items.map((i: { code: string }) => i.code).sort()).toEqual(['BK-0', 'BK-1', 'BK-2', 'BK-3', 'BK-4', 'BK-5', 'BK-6']);
    expect(items.every((i: { workspaceId: string }) => i.workspaceId === targetId)).toBe(true);
    const ops = await signInAs(api, memberEmails[1] ?? '');
    const me = await ops.call('getMe');
    expect(me.body.workspaces.map((w: { id: string }) => w.id).sort()).toEqual([sourceId, targetId].sort());
    const workspace = await ops.call('getWorkspace', { params: { workspaceId: targetId } });
    expect(workspace.body).toMatchObject({
      name: 'Backed Up Pumps',
      adminCount: 1,
      you: { role: 'manager', function: 'operations' },
    });
    expect(
      (
        await admin.call('createPortfolioItem', {
          params: { workspaceId: targetId },
          body: { code: 'BK-0', name: 'dup', kind: 'product', unit: 'unit' },
        })
      ).status,
    ).toBe(409);
  });

  it('round-trips a whole company: every item collection of thresholds, commitments, issues and meetings', async () => {
    // The demo company writes through every store, so it has a record of every kind.
    await loadDemo();
    const demoAdmin = demoPeople[0];
    if (!demoAdmin) throw new Error('no demo admin');
    const demo = (await storedWorkspacesOf(demoAdmin.email)).find((workspace) => workspace.name === demoWorkspaceName);
    if (!demo) throw new Error('demo not loaded');
    const owner = await signInAs(api, demoAdmin.email, demoAdmin.name);

    const exported = await exportAll(owner, demo.id);
    expect(exported.status).toBe(200);
    const records = exported.body.records as Array<Record<string, any>>;
    const types = new Set(records.map((r) => String(r.type)));
    for (const type of [
      'ThresholdVersion',
      'AgreedThreshold',
      'Commitment',
      'MisalignmentIssue',
      'Occurrence',
      'Meeting',
      'AgendaEntry',
      'Outcome',
    ]) {
      expect(types, type).toContain(type);
    }
    const partitions = new Set(
      records.map((r) =>
        String(r.pk)
          .replace(demo.id, 'ws')
          .replace(/#[0-9a-f-]{36}$/, '#id'),
      ),
    );
    expect([...partitions].sort()).toEqual(
      expect.arrayContaining(['WS#ws', 'WS#ws#ISSUE#id', 'WS#ws#ITEM#id', 'WS#ws#MEETING#id']),
    );

    const imported = await owner.call('restoreWorkspace', { body: exported.body });
    expect(imported.status).toBe(201);
    const targetId = imported.body.workspaceId;
    const again = await exportAll(owner, targetId);
    const restored = new Map((again.body.records as Array<Record<string, any>>).map((r) => [keyOf(r), r]));
    let marked = 0;
    for (const record of restored.values()) marked += unmarkSignOffs(record, exported.body.exportId);
    expect(marked).toBeGreaterThan(0);
    for (const original of records) {
      const expected = rewrite(original, demo.id, targetId);
      const actual = restored.get(keyOf(expected)) ?? {};
      if (expected.sk === 'WORKSPACE') {
        for (const field of volatileWorkspaceFields) {
          delete expected[field];
          delete actual[field];
        }
      }
      expect(actual, keyOf(expected)).toEqual(expected);
    }
    console.log(`backup: the demo company's ${records.length} records in ${partitions.size} kinds of partition round-tripped`);

    const catalogue = await owner.call('listCatalogue', { params: { workspaceId: targetId }, query: { limit: 200 } });
    expect(catalogue.body.items.length).toBe(
      (await owner.call('listCatalogue', { params: { workspaceId: demo.id }, query: { limit: 200 } })).body.items.length,
    );
  });

  it('restores a small backup in one request: records, workspace, admin and audit event in one transaction', async () => {
    const exported = await exportAll(admin, sourceId);
    const restorer = await api.person('backup-restorer');
    const restored = await restorer.call('restoreWorkspace', { body: exported.body });
    expect(restored.status).toBe(201);
    expect(restored.headers.get('x-accord-db-commands')).toBe('TransactWriteItemsCommand');
    const targetId = restored.body.workspaceId;
    // Whoever restores is the copy's admin; the backup's own admin stays one too.
    expect((await storedMember(targetId, restorer.email))?.role).toBe('admin');
    expect((await storedMember(targetId, admin.email))?.role).toBe('admin');
    const workspace = await restorer.call('getWorkspace', { params: { workspaceId: targetId } });
    expect(workspace.body).toMatchObject({ name: 'Backed Up Pumps', adminCount: 2, createdBy: restorer.email });
    const records = (await exportAll(restorer, targetId)).body.records as Array<Record<string, any>>;
    expect(records.length).toBe(exported.body.records.length + 2);
  });

  it('restores one export once per person: again answers 409 naming the restored workspace, writing nothing', async () => {
    const exported = await exportAll(admin, sourceId);
    const first = await admin.call('restoreWorkspace', { body: exported.body });
    expect(first.status).toBe(201);
    const targetId = first.body.workspaceId;
    expect(targetId).toBe(restoredWorkspaceId({ sub: subOf(admin) }, exported.body));
    await admin.call('createPortfolioItem', {
      params: { workspaceId: targetId },
      body: {
        code: 'NEW',
        name: 'Added after',
        kind: 'product',
        unit: 'unit',
      },
    });
    const before = await snapshot(targetId);
    const again = await admin.call('restoreWorkspace', { body: exported.body });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`This backup was already restored as workspace ${targetId}`);
    expect(await snapshot(targetId)).toEqual(before);
  });

  it('writes a large backup in batches and the workspace last; interrupted, it is not there, and run again it completes', async () => {
    const team = await benchTeam(api, 'Large Pumps');
    await generateItems(team.workspaceId, { sub: team.admin.email, email: team.admin.email, name: 'Admin' }, 60);
    const exported = await exportAll(team.admin, team.workspaceId);
    expect(exported.body.records.length).toBeGreaterThan(100);
    const targetId = restoredWorkspaceId({ sub: subOf(team.admin) }, exported.body);
    const restore = () => team.admin.callRaw('restoreWorkspace', { body: exported.body });
    let cut = false;
    const interrupted = await whileApiSends((command, send) => {
      if (!cut && command instanceof TransactWriteCommand) {
        cut = true;
        return Promise.reject(new Error('connection lost'));
      }
      return send(command);
    }, restore);
    expect(cut).toBe(true);
    expect(interrupted.status, JSON.stringify(interrupted.body)).toBeGreaterThanOrEqual(500);
    // The records are written, the workspace is not: nobody sees a half restore.
    expect((await partitionItems(targetId)).filter((r) => r.type === 'PortfolioItem').length).toBe(60);
    expect((await team.admin.call('getWorkspace', { params: { workspaceId: targetId } })).status).toBe(404);
    expect((await storedWorkspacesOf(team.admin.email)).map((w) => w.id)).not.toContain(targetId);

    const resumed = await restore();
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(201);
    expect(resumed.body).toMatchObject({ workspaceId: targetId, imported: exported.body.records.length });
    const restored = await exportAll(team.admin, targetId);
    expect(restored.body.records.length).toBe(exported.body.records.length + 1);
    expect(
      (await team.admin.call('listPortfolioItems', { params: { workspaceId: targetId }, query: { limit: 200 } })).body.items,
    ).toHaveLength(60);

    // A large restore checks before it writes: run once more, it overwrites nothing.
    await team.admin.call('createPortfolioItem', {
      params: { workspaceId: targetId },
      body: {
        code: 'LATER',
        name: 'Later',
        kind: 'product',
        unit: 'unit',
      },
    });
    const before = await snapshot(targetId);
    const again = await restore();
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already restored/);
    expect(await snapshot(targetId)).toEqual(before);
  });

  it('refuses records of another workspace smuggled into an export: the file no longer matches its signature', async () => {
    const exported = await exportAll(admin, sourceId);
    const victimId = (await (await api.person('victim')).call('createWorkspace', { body: { name: 'Victim' } })).body.id;
    const records = [...exported.body.records];
    records.splice(records.length - 1, 0, { pk: `WS#${victimId}`, sk: 'MEMBER#evil@test.example', type: 'Member' });
    const pages = exported.body.pages.map((page: { records: number }, index: number, all: unknown[]) =>
      index === all.length - 1 ? { ...page, records: page.records + 1 } : page,
    );
    const body = { ...exported.body, records, pages };
    const response = await admin.call('restoreWorkspace', { body });
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/does not match its signature/);
    expect((await admin.call('getWorkspace', { params: { workspaceId: victimId } })).status).toBe(404);
    const notMade = restoredWorkspaceId({ sub: subOf(admin) }, body);
    expect(await partitionItems(notMade)).toEqual([]);
  });

  it('pages an export by the collections it reads, every record once, and the pages together restore whole', async () => {
    const team = await benchTeam(api, 'Paged Pumps');
    const { itemId } = await agreedItem(team);
    const rep: Caller = { sub: team.rep.email, email: team.rep.email, name: team.rep.email };
    // More items than one page's owners, and one item collection longer than one page's share of it.
    await generateItems(team.workspaceId, { ...rep, email: team.admin.email, sub: team.admin.email }, 20);
    await generateCommitments(team.workspaceId, [itemId], rep, 260);

    const pages: Array<Array<Record<string, any>>> = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: any } = await team.admin.call('exportWorkspace', {
        params: { workspaceId: team.workspaceId },
        query: { cursor: cursor ?? undefined },
      });
      expect(page.status).toBe(200);
      pages.push(page.body.records);
      cursor = page.body.nextCursor;
    } while (cursor && pages.length < 100);
    expect(cursor).toBeNull();
    // The first page is the workspace's own partition: what a first request reads is bounded, whatever else it holds.
    expect(new Set(pages[0]?.map((r) => r.pk))).toEqual(new Set([`WS#${team.workspaceId}`]));

    const records = pages.flat();
    const keys = records.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    const collection = `WS#${team.workspaceId}#ITEM#${itemId}`;
    const stored = await partitionItems(team.workspaceId, undefined, undefined, `#ITEM#${itemId}`);
    expect(stored.length).toBeGreaterThan(260);
    expect(records.filter((r) => r.pk === collection).map(keyOf)).toEqual(stored.map(keyOf));
    expect(pages.filter((page) => page.some((r) => r.pk === collection)).length).toBeGreaterThanOrEqual(2);
    const audit = await auditEvents(team.workspaceId);
    expect(records.filter((r) => r.type === 'AuditEvent').map(keyOf)).toEqual(audit.map(keyOf));
    expect(records.filter((r) => r.type === 'PortfolioItem')).toHaveLength(21);

    const whole = await exportAll(team.admin, team.workspaceId);
    expect(whole.pages).toBe(pages.length);
    expect(whole.body).not.toHaveProperty('nextCursor');
    const imported = await team.admin.call('restoreWorkspace', { body: whole.body });
    expect(imported.status).toBe(201);
    expect(imported.body.imported).toBe(records.length);
    const again = await exportAll(team.admin, imported.body.workspaceId);
    expect(again.body.records.length).toBe(records.length + 1);
    console.log(`backup: ${records.length} records exported in ${pages.length} pages and restored whole`);
  });

  it('refuses one page of a longer export as a backup, writing nothing', async () => {
    const first = await admin.call('exportWorkspace', { params: { workspaceId: sourceId } });
    expect(first.status).toBe(200);
    expect(typeof first.body.nextCursor).toBe('string');
    const response = await admin.callRaw('restoreWorkspace', { body: first.body });
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual(
      expect.arrayContaining([{ field: 'body.nextCursor', message: expect.stringContaining('one page of an export') }]),
    );
    expect(await partitionItems(restoredWorkspaceId({ sub: subOf(admin) }, first.body))).toEqual([]);
  });

  it('refuses export cursors it did not give out or that name another workspace', async () => {
    const path = `/workspaces/${sourceId}/export`;
    const otherId = (await (await api.person('other-export')).call('createWorkspace', { body: { name: 'Other' } })).body.id;
    const forge = (position: unknown) => `${path}?cursor=${Buffer.from(JSON.stringify(position)).toString('base64url')}`;
    for (const forged of [
      `${path}?cursor=%%%`,
      forge({ section: 99 }),
      forge({ section: 1, key: { pk: `WS#${otherId}`, sk: 'ITEM#' } }),
      forge({ section: 0, key: { pk: `WS#${otherId}`, sk: 'WORKSPACE' } }),
      forge({ section: 1, collection: { pk: `WS#${otherId}#ITEM#x`, key: { pk: `WS#${otherId}#ITEM#x`, sk: 'a' } } }),
    ]) {
      const response = await admin.get(forged);
      expect(response.status, forged).toBe(400);
      expect(JSON.stringify(response.body)).not.toContain(otherId);
    }
  });
});
