import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoItems, loadDemo } from '#scripts/local/demo';
import { signInAs, startApi, type TestApi } from '#test/support/api';
import { present } from '#test/support/client';
import { useOwnTable } from '#test/support/own-table';

let api: TestApi;
beforeAll(async () => {
  await useOwnTable('demo');
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('the demo company', () => {
  it('has a cycle in planning with agreed thresholds, pending versions and commitments, loaded once', async () => {
    expect(await loadDemo()).toBe(true);
    expect(await loadDemo()).toBe(false);

    const rep = await signInAs(api, 'rita.rep@halden.example', 'Rita Moreau');
    const workspaceId = present((await rep.call('getMe')).body.workspaces[0], 'a workspace').id;
    const catalogue = await rep.call('listCatalogue', { params: { workspaceId }, query: { limit: 200 } });
    expect(catalogue.body.items).toHaveLength(demoItems.length);
    for (const entry of catalogue.body.items) {
      expect(entry.agreed, entry.item.code).toMatchObject({ version: 1 });
      const agreed = present(entry.agreed, `${entry.item.code} agreed`);
      expect(agreed.terms.flexLeadTimeDays).toBeLessThanOrEqual(agreed.terms.standardLeadTimeDays);
    }
    const pump = present(
      catalogue.body.items.find((entry) => entry.item.code === 'CP-080'),
      'CP-080',
    );
    const check = await rep.call('promiseCheck', {
      params: { workspaceId, itemId: pump.item.id },
      query: { quantity: 1, leadTimeDays: 25 },
    });
    expect(check.body.window.committed).toBe(55);

    const sales = await signInAs(api, 'sam.sales@halden.example', 'Sam Okafor');
    const cycles = await sales.call('listCycles', { params: { workspaceId } });
    // Last year's cycle is closed, this year's is being planned.
    expect(cycles.body.items.map((cycle: { state: string }) => cycle.state).sort()).toEqual(['closed', 'planning']);
    const planning = present(
      cycles.body.items.find((cycle) => cycle.state === 'planning'),
      'the planning cycle',
    );
    const heads = await sales.call('listCycleThresholds', {
      params: { workspaceId, cycleId: planning.id },
      query: { limit: 200 },
    });
    const pending = heads.body.items.filter((head: { version: number }) => head.version === 2);
    expect(pending.length).toBeGreaterThanOrEqual(3);
    expect(pending[0]).toMatchObject({ signOffs: [], agreed: { version: 1 } });

    // One rush order was committed on a beyond answer: it logged an occurrence of the item's lead-time issue.
    const rushed = present(
      catalogue.body.items.find((entry) => entry.item.code === 'CP-150'),
      'CP-150',
    );
    const commitments = await rep.call('listCommitments', { params: { workspaceId, itemId: rushed.item.id } });
    const beyond = present(
      commitments.body.items.find((commitment) => commitment.answer === 'beyond'),
      'a beyond commitment',
    );
    expect(beyond).toMatchObject({ reference: 'Bergen Vann, emergency replacement', occurrenceId: expect.any(String) });
    const issue = await rep.call('getMisalignmentIssue', {
      params: { workspaceId, issueId: present(beyond.leadTimeIssueId, 'its lead-time issue') },
    });
    expect(issue.body).toMatchObject({ category: 'lead time', cycleId: planning.id, occurrenceCount: 1 });
  });
});
