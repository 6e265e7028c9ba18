import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type TestApi } from '#test/support/api';
import { present } from '#test/support/client';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam, pumpTerms } from '#test/support/planning';
import { dynamo, tableName } from '#test/support/table';

let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  api = await startApi();
  team = await planningTeam(api);
});
afterAll(async () => {
  await api.close();
});

describe('threshold versions', () => {
  it('keeps every edit as an immutable version with who, when and a field-by-field diff', async () => {
    const item = await createItem(team, 'CP-100');
    const cycle = await createCycle(team);

    const first = await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 1, signOffs: [], agreed: null, itemCode: 'CP-100' });

    const second = await team.sales.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: {
        terms: { ...pumpTerms, capacityPerWeek: 120, scopeExcluded: ['Installation', 'Commissioning'] },
        expectedVersion: 1,
      },
    });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(2);

    const versions = await team.ops.call('listThresholdVersions', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
    });
    expect(versions.status).toBe(200);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body.items[0]).toMatchObject({ createdBy: team.sales.email, terms: { capacityPerWeek: 120 } });
    expect(versions.body.items[0]?.changes).toEqual([
      { field: 'capacityPerWeek', before: 100, after: 120 },
      { field: 'scopeExcluded', before: ['Installation'], after: ['Installation', 'Commissioning'] },
    ]);
    expect(versions.body.items[1]).toMatchObject({ createdBy: team.ops.email, terms: { capacityPerWeek: 100 } });
  });

  it('answers a stale edit with 409 and the current version, losing nothing', async () => {
    const item = await createItem(team, 'CP-200');
    const cycle = await createCycle(team);
    await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });
    const mine = await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: { ...pumpTerms, setupCost: 500 }, expectedVersion: 1 },
    });
    expect(mine.status).toBe(200);

    const theirs = await team.sales.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: { ...pumpTerms, setupCost: 900 }, expectedVersion: 1 },
    });
    expect(theirs.status).toBe(409);
    expect(theirs.body.details.current).toMatchObject({ version: 2, latest: { terms: { setupCost: 500 } } });

    const again = await team.sales.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });
    expect(again.status).toBe(409);
    const versions = await team.ops.call('listThresholdVersions', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
    });
    expect(versions.body.items).toHaveLength(2);
    expect(versions.body.items[0]?.terms.setupCost).toBe(500);
  });

  it('refuses terms out of range with the failing fields, writing nothing', async () => {
    const item = await createItem(team, 'CP-300');
    const cycle = await createCycle(team);
    const response = await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: {
        terms: { ...pumpTerms, capacityPerWeek: -5, flexLeadTimeDays: 12, currency: 'euro' },
        expectedVersion: null,
      },
    });
    expect(response.status).toBe(400);
    const fields = response.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['body.terms.capacityPerWeek', 'body.terms.currency', 'body.terms.flexLeadTimeDays']);
    const view = await team.ops.call('getThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
    });
    expect(view.body.threshold).toBeNull();
  });
});

describe('dual sign-off', () => {
  it('agrees a version only with a sales and an operations manager, and only the latest', async () => {
    const item = await createItem(team, 'SP-100');
    const cycle = await createCycle(team);
    await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });

    for (const outsider of [team.marketing, team.opsRep, team.rep, team.admin]) {
      const refused = await outsider.call('signOffThreshold', {
        params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
      });
      expect(refused.status, outsider.email).toBe(403);
    }
    const bySales = await team.sales.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    expect(bySales.status).toBe(201);
    expect(bySales.body.signOffs).toMatchObject([{ function: 'sales', email: team.sales.email }]);
    expect(bySales.body.agreed).toBeNull();
    expect(
      (
        await team.sales.call('signOffThreshold', {
          params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
        })
      ).status,
    ).toBe(409);

    const catalogueBefore = await team.rep.call('getCatalogueItem', {
      params: { workspaceId: team.workspaceId, itemId: item.id },
    });
    expect(catalogueBefore.body.agreed).toBeNull();

    const byOps = await team.ops.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    expect(byOps.status).toBe(201);
    expect(byOps.body.agreed).toMatchObject({ version: 1 });
    const agreed = await team.rep.call('getCatalogueItem', { params: { workspaceId: team.workspaceId, itemId: item.id } });
    expect(agreed.body.agreed).toMatchObject({ version: 1, cycleId: cycle.id, terms: { capacityPerWeek: 100 } });
    expect(
      present(agreed.body.agreed)
        .signOffs.map((s: { function: string }) => s.function)
        .sort(),
    ).toEqual(['operations', 'sales']);

    // An edit needs new sign-offs; until then reps keep seeing the agreed version.
    const edited = await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: { ...pumpTerms, capacityPerWeek: 80 }, expectedVersion: 1 },
    });
    expect(edited.body).toMatchObject({ version: 2, signOffs: [], agreed: { version: 1 } });
    const stillOne = await team.rep.call('getCatalogueItem', { params: { workspaceId: team.workspaceId, itemId: item.id } });
    expect(stillOne.body.agreed).toMatchObject({ version: 1, terms: { capacityPerWeek: 100 } });
    const managerView = await team.sales.call('getThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
    });
    expect(managerView.body.threshold).toMatchObject({
      version: 2,
      latest: { terms: { capacityPerWeek: 80 } },
      agreed: { version: 1 },
    });

    const superseded = await team.sales.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    expect(superseded.status).toBe(409);
    expect(superseded.body.message).toMatch(/superseded/);
    expect(superseded.body.details.current.version).toBe(2);

    expect(
      (
        await team.sales.call('signOffThreshold', {
          params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '2' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await team.ops.call('signOffThreshold', {
          params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '2' },
        })
      ).status,
    ).toBe(201);
    const now = await team.rep.call('getCatalogueItem', { params: { workspaceId: team.workspaceId, itemId: item.id } });
    expect(now.body.agreed).toMatchObject({ version: 2, terms: { capacityPerWeek: 80 } });
  });

  it('lets an admin of sales or operations sign', async () => {
    const item = await createItem(team, 'SP-200');
    const cycle = await createCycle(team);
    await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });
    const admin = await team.admin.call('getWorkspace', { params: { workspaceId: team.workspaceId } });
    expect(
      (
        await team.admin.call('updateMember', {
          params: { workspaceId: team.workspaceId, email: team.admin.email },
          body: { function: 'sales', expectedVersion: admin.body.you.version },
        })
      ).status,
    ).toBe(200);
    const signed = await team.admin.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    expect(signed.status).toBe(201);
    expect(signed.body.signOffs).toMatchObject([{ function: 'sales', email: team.admin.email }]);
    const back = await team.admin.call('getWorkspace', { params: { workspaceId: team.workspaceId } });
    await team.admin.call('updateMember', {
      params: { workspaceId: team.workspaceId, email: team.admin.email },
      body: { function: 'management', expectedVersion: back.body.you.version },
    });
  });
});

describe('requests per threshold route', () => {
  /** The DynamoDB commands the local server reports for a call: the membership check comes first. */
  const commandsOf = (response: { headers: Headers }) => response.headers.get('x-accord-db-commands')?.split(',');

  it('reads cycle, item, head and published threshold in one BatchGetItem before writing', async () => {
    const item = await createItem(team, 'RQ-100');
    const cycle = await createCycle(team);
    const read = ['GetItemCommand', 'BatchGetItemCommand'];
    const readThenWrite = [...read, 'TransactWriteItemsCommand'];

    const empty = await team.sales.call('getThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
    });
    expect(empty.body.threshold).toBeNull();
    expect(commandsOf(empty)).toEqual(read);
    const saved = await team.sales.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });
    expect(saved.status).toBe(200);
    expect(commandsOf(saved)).toEqual(readThenWrite);
    const bySales = await team.sales.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    expect(bySales.body.agreed).toBeNull();
    expect(commandsOf(bySales)).toEqual(readThenWrite);
    // The sign-off that agrees also publishes: the item and the published threshold came with the same read.
    const byOps = await team.ops.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    expect(byOps.body.agreed).toMatchObject({ version: 1 });
    expect(commandsOf(byOps)).toEqual(readThenWrite);
    const view = await team.sales.call('getThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
    });
    expect(view.body).toMatchObject({ cycle: { id: cycle.id }, item: { id: item.id }, threshold: { version: 1 } });
    expect(commandsOf(view)).toEqual(read);

    // Still 404 for what is not there, cycle first.
    const unknownItem = await team.sales.call('getThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: randomUUID() },
    });
    expect(unknownItem.status).toBe(404);
    expect(unknownItem.body.message).toMatch(/Portfolio item/);
    const unknownCycle = await team.sales.call('getThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: randomUUID(), itemId: randomUUID() },
    });
    expect(unknownCycle.status).toBe(404);
    expect(unknownCycle.body.message).toMatch(/Budget cycle/);
  });
});

describe('what reps may do', () => {
  it('never shows a rep a pending version, and refuses every edit', async () => {
    const item = await createItem(team, 'GP-100');
    const cycle = await createCycle(team);
    await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });

    expect(
      (await team.rep.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id } }))
        .status,
    ).toBe(403);
    expect(
      (
        await team.rep.call('listThresholdVersions', {
          params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
        })
      ).status,
    ).toBe(403);
    expect(
      (await team.rep.call('listCycleThresholds', { params: { workspaceId: team.workspaceId, cycleId: cycle.id } })).status,
    ).toBe(403);
    expect(
      (
        await team.rep.call('saveThreshold', {
          params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
          body: { terms: pumpTerms, expectedVersion: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await team.rep.call('createCycle', {
          params: { workspaceId: team.workspaceId },
          body: {
            name: 'x',
            startDate: '2026-01-01',
            endDate: '2026-12-31',
          },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await team.rep.call('changeCycleState', {
          params: { workspaceId: team.workspaceId, cycleId: cycle.id },
          body: { to: 'planning', expectedVersion: 1 },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await team.rep.call('updatePortfolioItem', {
          params: { workspaceId: team.workspaceId, itemId: item.id },
          body: { name: 'x', expectedVersion: 1 },
        })
      ).status,
    ).toBe(403);

    const entry = await team.rep.call('getCatalogueItem', { params: { workspaceId: team.workspaceId, itemId: item.id } });
    expect(entry.status).toBe(200);
    expect(entry.body.agreed).toBeNull();
    expect(JSON.stringify(entry.body)).not.toContain('latest');
    const check = await team.rep.call('promiseCheck', {
      params: { workspaceId: team.workspaceId, itemId: item.id },
      query: { quantity: 5, leadTimeDays: 20 },
    });
    expect(check.status).toBe(404);
    expect(check.body.message).toMatch(/no agreed threshold/);
  });
});

describe('budget cycles', () => {
  it('moves only forward, one state at a time, and freezes thresholds once agreed', async () => {
    const item = await createItem(team, 'MP-100');
    const cycle = await createCycle(team);
    const skip = await team.sales.call('changeCycleState', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id },
      body: { to: 'agreed', expectedVersion: 1 },
    });
    expect(skip.status).toBe(409);
    expect(skip.body.message).toMatch(/only move to planning/);
    const planning = await team.sales.call('changeCycleState', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id },
      body: { to: 'planning', expectedVersion: 1 },
    });
    expect(planning.body).toMatchObject({ state: 'planning', version: 2 });
    const stale = await team.sales.call('changeCycleState', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id },
      body: { to: 'agreed', expectedVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details.current).toMatchObject({ state: 'planning', version: 2 });
    await agree(team, cycle.id, item.id);
    expect(
      (
        await team.sales.call('changeCycleState', {
          params: { workspaceId: team.workspaceId, cycleId: cycle.id },
          body: { to: 'agreed', expectedVersion: 2 },
        })
      ).status,
    ).toBe(200);
    const back = await team.sales.call('changeCycleState', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id },
      body: { to: 'planning', expectedVersion: 3 },
    });
    expect(back.status).toBe(409);

    const frozen = await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: {
        terms: { ...pumpTerms, setupCost: 1 },
        expectedVersion: 1,
      },
    });
    expect(frozen.status).toBe(409);
    expect(frozen.body.message).toMatch(/agreed/);
    expect(
      (
        await team.sales.call('changeCycleState', {
          params: { workspaceId: team.workspaceId, cycleId: cycle.id },
          body: { to: 'closed', expectedVersion: 3 },
        })
      ).body.state,
    ).toBe('closed');
  });

  it('starts a new cycle from the last one’s agreed thresholds, as proposals linked to their origin', async () => {
    const agreedItem = await createItem(team, 'DP-100');
    const pendingItem = await createItem(team, 'DP-200');
    const previous = await createCycle(team, 'FY2026 budget');
    await agree(team, previous.id, agreedItem.id, { ...pumpTerms, capacityPerWeek: 70 });
    await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: previous.id, itemId: pendingItem.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });

    const next = await createCycle(team, 'FY2028 budget', { copyFrom: previous.id, startDate: '2027-06-01' });
    expect(next.copied).toBe(1);
    const list = await team.sales.call('listCycleThresholds', { params: { workspaceId: team.workspaceId, cycleId: next.id } });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      itemId: agreedItem.id,
      version: 1,
      agreed: null,
      latest: { terms: { capacityPerWeek: 70 }, origin: { cycleId: previous.id, cycleName: 'FY2026 budget', version: 1 } },
    });
    // The proposal is not agreed: reps keep seeing the previous cycle's agreement.
    const entry = await team.rep.call('getCatalogueItem', { params: { workspaceId: team.workspaceId, itemId: agreedItem.id } });
    expect(entry.body.agreed).toMatchObject({ cycleId: previous.id, version: 1 });
  });
});

describe('audit', () => {
  it('writes an audit event with every threshold change, refused ones writing none', async () => {
    const audited = async () => {
      const result = await dynamo.send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `WS#${team.workspaceId}#AUDIT`, ':prefix': 'AUDIT#' },
          ConsistentRead: true,
        }),
      );
      return (result.Items ?? []).filter((event) => event.entity === 'threshold' && String(event.entityId).startsWith(item.id));
    };
    const item = await createItem(team, 'AUD-1');
    const cycle = await createCycle(team);
    await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: null },
    });
    await team.sales.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    await team.sales.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    await team.ops.call('saveThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id },
      body: { terms: pumpTerms, expectedVersion: 7 },
    });
    await team.ops.call('signOffThreshold', {
      params: { workspaceId: team.workspaceId, cycleId: cycle.id, itemId: item.id, version: '1' },
    });
    const events = await audited();
    expect(events.map((event) => event.action).sort()).toEqual([
      'threshold.agreed',
      'threshold.signedOff',
      'threshold.versionSaved',
    ]);
    const agreedEvent = events.find((event) => event.action === 'threshold.agreed');
    expect(agreedEvent).toMatchObject({ actorEmail: team.ops.email, before: { version: 1 }, after: { agreed: true } });
  });
});
