import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#functions/table/client';
import { transactWriteUnderContention } from '#functions/table/contention';
import { workspacePk } from '#functions/table/keys';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { createWorkspace } from '#functions/workspaces/workspaces';
import { getIssue, leadTimeOccurrenceWrites, listOccurrences } from './misalignment';

const actor = { sub: 'rep', email: 'rita.rep@hook.example', name: 'Rita' };
let workspaceId: string;

beforeAll(async () => {
  workspaceId = (await createWorkspace({ name: 'Hook Pumps', creator: actor, now: new Date().toISOString() })).id;
});

/** What the promise check's commitment will put beside the hook's items; a stand-in for that record. */
function commitmentPut(id: string, condition?: string) {
  return {
    Put: {
      TableName: tableName(),
      Item: { pk: workspacePk(workspaceId), sk: `TEST_COMMITMENT#${id}`, id },
      ...(condition ? { ConditionExpression: condition } : {}),
    },
  };
}

describe('lead-time occurrences from commitments on "beyond" answers', () => {
  it('creates the item’s lead-time issue for the cycle once, however many commitments race, and counts each', async () => {
    const itemId = randomUUID();
    const now = new Date().toISOString();
    const commitments = Array.from({ length: 12 }, () => randomUUID());
    const results = await Promise.all(
      commitments.map(async (commitmentId) => {
        const hook = leadTimeOccurrenceWrites({
          workspaceId,
          itemId,
          cycleId: 'FY2027',
          commitment: { id: commitmentId, reference: `Order ${commitmentId.slice(0, 4)}`, itemLabel: 'CP-080' },
          actor,
          now,
        });
        await transactWriteUnderContention([commitmentPut(commitmentId), ...hook.items]);
        return hook;
      }),
    );
    const issueIds = new Set(results.map((result) => result.issueId));
    expect(issueIds.size).toBe(1);
    const [issueId] = [...issueIds];
    const issue = await getIssue(workspaceId, issueId ?? '');
    expect(issue).toMatchObject({
      category: 'lead time',
      status: 'open',
      itemIds: [itemId],
      cycleId: 'FY2027',
      title: 'Lead time promised beyond capacity: CP-080',
      occurrenceCount: 12,
      stageCounts: { quoting: 12 },
      version: 1,
    });
    const occurrences = await listOccurrences(workspaceId, issueId ?? '', { limit: 50 });
    expect(occurrences.items.map((occurrence) => occurrence.commitmentId).sort()).toEqual([...commitments].sort());
    for (const commitmentId of commitments) {
      const { Item } = await dynamo.send(
        new GetCommand({ TableName: tableName(), Key: { pk: workspacePk(workspaceId), sk: `TEST_COMMITMENT#${commitmentId}` } }),
      );
      expect(Item?.id).toBe(commitmentId);
    }

    // Another cycle gets its own issue for the same item.
    const nextCycle = leadTimeOccurrenceWrites({
      workspaceId,
      itemId,
      cycleId: 'FY2028',
      commitment: { id: randomUUID() },
      actor,
      now,
    });
    expect(nextCycle.issueId).not.toBe(issueId);
  });

  it('writes nothing when the commitment’s own transaction fails', async () => {
    const itemId = randomUUID();
    const commitmentId = randomUUID();
    const hook = leadTimeOccurrenceWrites({
      workspaceId,
      itemId,
      cycleId: 'FY2027',
      commitment: { id: commitmentId, cost: { 'expedite fees': 250 } },
      actor,
      now: new Date().toISOString(),
    });
    await expect(transactWrite([commitmentPut(commitmentId, 'attribute_exists(pk)'), ...hook.items])).rejects.toBeInstanceOf(
      TransactionConditionFailed,
    );
    expect(await getIssue(workspaceId, hook.issueId)).toBeUndefined();
    expect((await listOccurrences(workspaceId, hook.issueId, { limit: 10 })).items).toEqual([]);
  });

  it('adds to an existing lead-time issue without touching what people edited on it', async () => {
    const itemId = randomUUID();
    const now = new Date().toISOString();
    const first = leadTimeOccurrenceWrites({
      workspaceId,
      itemId,
      cycleId: 'FY2027',
      commitment: { id: randomUUID() },
      actor,
      now,
    });
    await transactWrite([...first.items]);
    const second = leadTimeOccurrenceWrites({
      workspaceId,
      itemId,
      cycleId: 'FY2027',
      commitment: { id: randomUUID(), cost: { 'expedite fees': 99.5 }, itemLabel: 'a different label' },
      actor,
      now,
    });
    await transactWrite([...second.items]);
    const issue = await getIssue(workspaceId, first.issueId);
    expect(issue).toMatchObject({ occurrenceCount: 2, totalCost: 99.5, title: `Lead time promised beyond capacity: ${itemId}` });
  });
});
