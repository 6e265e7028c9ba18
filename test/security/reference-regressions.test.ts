import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signInAs, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { partitionItems, snapshot } from '#test/support/snapshot';

/**
 * The references found stored in another workspace's name, each refused
 * now: 400 naming the field, nothing written in either workspace.
 */
let api: TestApi;

interface Side {
  id: string;
  admin: Person;
  itemId: string;
  cycleId: string;
  issueId: string;
  meetingId: string;
  entryId: string;
}
let mine: Side;
let theirs: Side;

async function side(label: string): Promise<Side> {
  const admin = await api.person(`${label}-admin`);
  const id = (await admin.call('createWorkspace', { body: { name: `${label} Pumps` } })).body.id as string;
  const itemId = (
    await admin.call('createPortfolioItem', {
      params: { workspaceId: id },
      body: { code: `P-${label}`, name: 'Pump', kind: 'product', unit: 'unit' },
    })
  ).body.id;
  const cycleId = (
    await admin.call('createCycle', {
      params: { workspaceId: id },
      body: { name: 'FY', startDate: '2026-01-01', endDate: '2027-12-31' },
    })
  ).body.id;
  const issueId = (
    await admin.call('createMisalignmentIssue', {
      params: { workspaceId: id },
      body: { title: 'Late pumps', category: 'lead time' },
    })
  ).body.id;
  const meetingId = (
    await admin.call('createMeeting', {
      params: { workspaceId: id },
      body: {
        cycleId,
        title: 'Planning',
        meetingType: 'budgetPlanning',
        startsAt: '2027-01-12T09:00:00Z',
        durationMinutes: 60,
      },
    })
  ).body.id;
  const entryId = (await admin.call('addAgendaEntry', { params: { workspaceId: id, meetingId }, body: { title: 'Lead times' } }))
    .body.id;
  for (const value of [itemId, cycleId, issueId, meetingId, entryId]) expect(value).toEqual(expect.any(String));
  return { id, admin, itemId, cycleId, issueId, meetingId, entryId };
}

beforeAll(async () => {
  api = await startApi();
  mine = await side('mine');
  theirs = await side('theirs');
});
afterAll(async () => {
  await api.close();
});

const everything = async (ws: Side) => [
  ...(await snapshot(ws.id)),
  ...(await partitionItems(ws.id, undefined, undefined, `#MEETING#${ws.meetingId}`)).map((item) => JSON.stringify(item)),
];

/** Sends a write from my workspace's admin and expects 400 naming `field`, with both workspaces unchanged. */
async function refusedNaming(field: string, send: () => Promise<{ status: number; body: any }>) {
  const before = [await everything(mine), await everything(theirs)];
  const answer = await send();
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.details).toEqual([expect.objectContaining({ field })]);
  expect([await everything(mine), await everything(theirs)]).toEqual(before);
}

describe('references stay inside the workspace', () => {
  it('refuses an issue that names another workspace’s portfolio item', async () => {
    await refusedNaming('body.itemIds', () =>
      mine.admin.call('createMisalignmentIssue', {
        params: { workspaceId: mine.id },
        body: { title: 'x', category: 'scope', itemIds: [mine.itemId, theirs.itemId] },
      }),
    );
  });

  it('refuses an issue in another workspace’s budget cycle, on create and on edit', async () => {
    await refusedNaming('body.cycleId', () =>
      mine.admin.call('createMisalignmentIssue', {
        params: { workspaceId: mine.id },
        body: { title: 'x', category: 'scope', cycleId: theirs.cycleId },
      }),
    );
    await refusedNaming('body.cycleId', () =>
      mine.admin.call('updateMisalignmentIssue', {
        params: { workspaceId: mine.id, issueId: mine.issueId },
        body: { cycleId: theirs.cycleId, expectedVersion: 1 },
      }),
    );
  });

  it('refuses an issue owner who is a member of another workspace only', async () => {
    await refusedNaming('body.owner', () =>
      mine.admin.call('createMisalignmentIssue', {
        params: { workspaceId: mine.id },
        body: { title: 'x', category: 'scope', owner: theirs.admin.email },
      }),
    );
  });

  it('refuses an agenda entry linked to another workspace’s issue or threshold', async () => {
    await refusedNaming('body.links.issueId', () =>
      mine.admin.call('addAgendaEntry', {
        params: { workspaceId: mine.id, meetingId: mine.meetingId },
        body: { title: 'x', links: { issueId: theirs.issueId } },
      }),
    );
    await refusedNaming('body.links.thresholdId', () =>
      mine.admin.call('addAgendaEntry', {
        params: { workspaceId: mine.id, meetingId: mine.meetingId },
        body: { title: 'x', links: { thresholdId: theirs.itemId, thresholdVersion: 1 } },
      }),
    );
    await refusedNaming('body.links.issueId', () =>
      mine.admin.call('updateAgendaEntry', {
        params: { workspaceId: mine.id, meetingId: mine.meetingId, entryId: mine.entryId },
        body: { links: { issueId: theirs.issueId }, expectedVersion: 1 },
      }),
    );
  });

  it('refuses a presenter or an invitee who is not a member', async () => {
    const stranger = uniqueEmail('stranger');
    await refusedNaming('body.presenter', () =>
      mine.admin.call('addAgendaEntry', {
        params: { workspaceId: mine.id, meetingId: mine.meetingId },
        body: { title: 'x', presenter: stranger },
      }),
    );
    await refusedNaming('body.presenter', () =>
      mine.admin.call('addAgendaEntry', {
        params: { workspaceId: mine.id, meetingId: mine.meetingId },
        body: { title: 'x', presenter: theirs.admin.email },
      }),
    );
    await refusedNaming('body.invited', () =>
      mine.admin.call('createMeeting', {
        params: { workspaceId: mine.id },
        body: {
          cycleId: mine.cycleId,
          title: 'Review',
          meetingType: 'budgetPlanning',
          startsAt: '2027-02-01T09:00:00Z',
          durationMinutes: 30,
          invited: [mine.admin.email, stranger],
        },
      }),
    );
  });

  it('accepts the same references when they are the workspace’s own', async () => {
    const sales = uniqueEmail('sales');
    expect(
      (
        await mine.admin.call('inviteMember', {
          params: { workspaceId: mine.id },
          body: { email: sales, function: 'sales', role: 'manager' },
        })
      ).status,
    ).toBe(201);
    await signInAs(api, sales);
    const issue = await mine.admin.call('createMisalignmentIssue', {
      params: { workspaceId: mine.id },
      body: {
        title: 'Linked',
        category: 'scope',
        itemIds: [mine.itemId],
        cycleId: mine.cycleId,
        owner: sales,
        meetingIds: [mine.meetingId],
      },
    });
    expect(issue.status).toBe(201);
    const entry = await mine.admin.call('addAgendaEntry', {
      params: { workspaceId: mine.id, meetingId: mine.meetingId },
      body: {
        title: 'Linked',
        presenter: sales,
        links: { issueId: mine.issueId, thresholdId: mine.itemId },
      },
    });
    expect(entry.status).toBe(201);
  });

  it('checks every reference of a write too large for one transaction, refusing one that is not the workspace’s', async () => {
    const rows = Array.from({ length: 50 }, (_, index) => `BULK-${index},Bulk pump ${index},product,unit`);
    const report = await mine.admin.call('importPortfolioItems', {
      params: { workspaceId: mine.id },
      body: { csv: ['code,name,kind,unit', ...rows].join('\n') },
    });
    expect(report.body.imported).toBe(50);
    const itemIds = report.body.items.map((entry: { id: string }) => entry.id);
    const meetingIds: string[] = [];
    for (let index = 0; index < 49; index++) {
      const meeting = await mine.admin.call('createMeeting', {
        params: { workspaceId: mine.id },
        body: {
          cycleId: mine.cycleId,
          title: `Weekly ${index}`,
          meetingType: 'budgetPlanning',
          startsAt: '2027-03-01T09:00:00Z',
          durationMinutes: 30,
        },
      });
      meetingIds.push(meeting.body.id);
    }
    // 99 references and the issue with its audit event: more than one transaction holds.
    await refusedNaming('body.meetingIds', () =>
      mine.admin.call('createMisalignmentIssue', {
        params: { workspaceId: mine.id },
        body: {
          title: 'Bulk',
          category: 'scope',
          itemIds,
          meetingIds: [...meetingIds.slice(0, 48), theirs.meetingId],
        },
      }),
    );
    await refusedNaming('body.itemIds', () =>
      mine.admin.call('createMisalignmentIssue', {
        params: { workspaceId: mine.id },
        body: { title: 'Bulk', category: 'scope', itemIds: [theirs.itemId, ...itemIds.slice(1)], meetingIds },
      }),
    );
    expect(
      (
        await mine.admin.call('createMisalignmentIssue', {
          params: { workspaceId: mine.id },
          body: { title: 'Bulk', category: 'scope', itemIds, meetingIds },
        })
      ).status,
    ).toBe(201);
  });

  it('refuses an imported item whose owner is not a member, importing the other rows', async () => {
    const csv = [
      'code,name,kind,unit,owner',
      `OWN-1,Owned,product,unit,${theirs.admin.email}`,
      `OWN-2,Mine,product,unit,${mine.admin.email}`,
    ];
    const report = await mine.admin.call('importPortfolioItems', {
      params: { workspaceId: mine.id },
      body: { csv: csv.join('\n') },
    });
    expect(report.body.imported).toBe(1);
    expect(report.body.items).toEqual([expect.objectContaining({ row: 3, code: 'OWN-2' })]);
    expect(report.body.errors).toEqual([{ row: 2, field: 'owner', reason: 'must be a member of this workspace' }]);
  });
});
