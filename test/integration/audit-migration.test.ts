import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveAuditEvents } from '#scripts/migrate/audit-partition';
import { type Person, startApi, type TestApi } from '#test/support/api';
import { useOwnTable } from '#test/support/own-table';
import { auditEvents, partitionItems } from '#test/support/snapshot';
import { dynamo, tableName } from '#test/support/table';

let api: TestApi;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  // A table of its own: the migration scans the whole table.
  await useOwnTable('audit-migration');
  api = await startApi();
  admin = await api.person('migration-admin');
  workspaceId = (await admin.call('createWorkspace', { body: { name: 'Upgraded Pumps' } })).body.id;
});
afterAll(async () => {
  await api.close();
});

describe('moving audit events written before they had a partition of their own', () => {
  it('moves each into the audit partition, where the audit trail shows it, and finds nothing left on a second run', async () => {
    const old = Array.from({ length: 60 }, (_, index) => {
      const at = new Date(Date.UTC(2025, 0, 1, 0, index)).toISOString();
      return {
        pk: `WS#${workspaceId}`,
        sk: `AUDIT#${at}#old-${index}`,
        type: 'AuditEvent',
        id: `old-${index}`,
        workspaceId,
        actorEmail: admin.email,
        actorName: 'Admin',
        action: 'portfolioItem.created',
        entity: 'portfolioItem',
        entityId: `item-${index}`,
        before: null,
        after: { code: `OLD-${index}` },
        at,
      };
    });
    for (const item of old) await dynamo.send(new PutCommand({ TableName: tableName(), Item: item }));
    const before = await auditEvents(workspaceId);

    expect(await moveAuditEvents()).toBe(60);
    expect((await partitionItems(workspaceId)).filter((item) => item.type === 'AuditEvent')).toEqual([]);
    const after = await auditEvents(workspaceId);
    expect(after).toHaveLength(before.length + 60);
    expect(after).toEqual(expect.arrayContaining(old.map((item) => ({ ...item, pk: `WS#${workspaceId}#AUDIT` }))));
    const trail = await admin.call('listAuditEvents', {
      params: { workspaceId },
      query: { limit: 200, entity: 'portfolioItem' },
    });
    expect(trail.body.events).toHaveLength(60);
    expect(trail.body.events[0]).toMatchObject({ id: 'old-59', entityId: 'item-59' });

    expect(await moveAuditEvents()).toBe(0);
    expect(await auditEvents(workspaceId)).toHaveLength(after.length);
  });
});
