import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorkspaceName, loadDemo } from '#scripts/local/demo';
import { signInAs, startApi, type TestApi } from '#test/support/api';
import { present } from '#test/support/client';
import { useOwnTable } from '#test/support/own-table';

let api: TestApi;
beforeAll(async () => {
  await useOwnTable('demo-meetings');
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('the demo company’s meetings', () => {
  it('has a closed budget meeting with outcomes and actions, and an upcoming review that proposes the open action', async () => {
    await loadDemo();
    const ingrid = await signInAs(api, 'ingrid.admin@halden.example');
    const workspace = present(
      (await ingrid.call('getMe')).body.workspaces.find((w) => w.name === demoWorkspaceName),
      'the demo workspace',
    );
    const meetings = (await ingrid.call('listMeetings', { params: { workspaceId: workspace.id } })).body.items;
    expect(meetings.map((m: { title: string; state: string }) => [m.title, m.state]).sort()).toEqual([
      ['FY2027 budget planning', 'closed'],
      ['Monthly S&OP review', 'draft'],
    ]);
    const [past, upcoming] = ['FY2027 budget planning', 'Monthly S&OP review'].map((title) =>
      present(
        meetings.find((m) => m.title === title),
        title,
      ),
    );
    const full = (await ingrid.call('getMeeting', { params: { workspaceId: workspace.id, meetingId: present(past).id } })).body;
    expect(full.attendees.filter((a: { present: boolean }) => a.present)).toHaveLength(4);
    expect(full.outcomes.map((o: { kind: string }) => o.kind).sort()).toEqual([
      'action',
      'action',
      'decision',
      'decision',
      'information',
    ]);

    const backlog = (
      await ingrid.call('getAgendaBacklog', { params: { workspaceId: workspace.id, meetingId: present(upcoming).id } })
    ).body;
    expect(backlog.openActions.map((p: { title: string }) => p.title)).toEqual([
      'Follow-up: Brief all reps on made-to-order lead times',
    ]);
    const sam = await signInAs(api, 'sam.sales@halden.example');
    expect((await sam.call('listMyActions', { params: { workspaceId: workspace.id } })).body.actions).toEqual([
      expect.objectContaining({ text: 'Brief all reps on made-to-order lead times', meetingTitle: 'FY2027 budget planning' }),
    ]);
  });
});
