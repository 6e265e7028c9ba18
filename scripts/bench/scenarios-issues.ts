import { pumpTerms } from '#scripts/fixtures/terms';
import { type BenchTeam, ok, proposeSignOff, type Scenario } from './scenario-kit';

export function misalignmentScenarios(): Record<string, Scenario> {
  return {
    listMisalignmentIssues: async (t) => {
      await t.issue();
      return { who: t.rep, method: 'GET', path: `${t.w}/misalignment-issues` };
    },
    exportMisalignmentIssues: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/exports/misalignment-issues` }),
    createMisalignmentIssue: async (t) => ({
      who: t.admin,
      method: 'POST',
      path: `${t.w}/misalignment-issues`,
      body: { title: 'Quotes promise ten days', category: 'lead time' },
    }),
    getMisalignmentIssue: async (t) => ({
      who: t.rep,
      method: 'GET',
      path: `${t.w}/misalignment-issues/${(await t.issue()).id}`,
    }),
    updateMisalignmentIssue: async (t) => {
      const issue = await t.issue();
      return {
        who: t.admin,
        method: 'PATCH',
        path: `${t.w}/misalignment-issues/${issue.id}`,
        body: { title: 'Renamed issue', expectedVersion: issue.version },
      };
    },
    listOccurrences: async (t) => {
      const issue = await t.issue();
      await t.occurrence(issue.id);
      return { who: t.rep, method: 'GET', path: `${t.w}/misalignment-issues/${issue.id}/occurrences` };
    },
    logOccurrence: async (t) => ({
      who: t.rep,
      method: 'POST',
      path: `${t.w}/misalignment-issues/${(await t.issue()).id}/occurrences`,
      body: { occurredOn: '2026-03-02', detectedAt: 'customer complaint', cost: { 'expedite fees': 800 }, currency: 'EUR' },
    }),
    correctOccurrence: async (t) => {
      const issue = await t.issue();
      const occurrence = await t.occurrence(issue.id);
      return {
        who: t.rep,
        method: 'PATCH',
        path: `${t.w}/misalignment-issues/${issue.id}/occurrences/${occurrence.id}`,
        body: { notes: 'Corrected', expectedVersion: occurrence.version },
      };
    },
    getScoringModel: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/scoring-model` }),
    saveScoringModel: async (t) => {
      const model = await ok(t.admin.get(`${t.w}/scoring-model`), 'scoring model');
      const { version: _version, ...fields } = model;
      return {
        who: t.admin,
        method: 'PUT',
        path: `${t.w}/scoring-model`,
        body: {
          weights: model.weights,
          costScale: model.costScale,
          recentCostScale: model.recentCostScale,
          frequencyScale: model.frequencyScale,
          votesPerManager: model.votesPerManager,
          currency: model.currency,
          expectedVersion: fields.expectedVersion ?? model.version ?? 0,
        },
      };
    },
    getRanking: async (t) => {
      const cycleId = (await t.cycle()).id as string;
      const issue = await t.issue({ cycleId });
      await t.occurrence(issue.id);
      return { who: t.rep, method: 'GET', path: `${t.w}/cycles/${cycleId}/ranking` };
    },
    castVotes: async (t) => {
      const cycleId = (await t.cycle()).id as string;
      const issue = await t.issue({ cycleId });
      return {
        who: t.sales,
        method: 'PUT',
        path: `${t.w}/cycles/${cycleId}/votes`,
        body: { allocations: [{ issueId: issue.id, votes: 2 }], expectedVersion: 0 },
      };
    },
    freezeRanking: async (t) => {
      // A freeze needs a real budget cycle of the workspace.
      const cycleId = (await t.cycle()).id as string;
      await t.issue({ cycleId });
      return { who: t.admin, method: 'POST', path: `${t.w}/cycles/${cycleId}/freeze`, body: { note: 'Agreed' } };
    },
  };
}

export function meetingScenarios(): Record<string, Scenario> {
  const m = (t: BenchTeam, id: string) => `${t.w}/meetings/${id}`;
  const openMeeting = async (t: BenchTeam) => {
    const meeting = await t.meeting();
    const opened = await ok(t.admin.post(`${m(t, meeting.id)}/state`, { to: 'open', expectedVersion: meeting.version }), 'open');
    return opened;
  };
  /** A meeting under way with one agenda item, where outcomes can be recorded. */
  const runningMeeting = async (t: BenchTeam) => {
    const meeting = await t.meeting();
    const entry = await t.agendaItem(meeting.id);
    const opened = await ok(t.admin.post(`${m(t, meeting.id)}/state`, { to: 'open', expectedVersion: meeting.version }), 'open');
    await ok(t.admin.post(`${m(t, meeting.id)}/state`, { to: 'inProgress', expectedVersion: opened.version }), 'start');
    return { meetingId: meeting.id as string, entryId: entry.id as string };
  };
  return {
    listMeetings: async (t) => {
      await t.meeting();
      return { who: t.rep, method: 'GET', path: `${t.w}/meetings` };
    },
    createMeeting: async (t) => ({
      who: t.admin,
      method: 'POST',
      path: `${t.w}/meetings`,
      body: {
        cycleId: (await t.cycle()).id,
        title: 'Quarterly review',
        meetingType: 'budgetPlanning',
        startsAt: '2027-03-12T09:00:00Z',
        durationMinutes: 60,
      },
    }),
    getMeeting: async (t) => ({ who: t.rep, method: 'GET', path: m(t, (await t.meeting()).id) }),
    pollMeeting: async (t) => ({ who: t.rep, method: 'GET', path: `${m(t, (await t.meeting()).id)}/revision` }),
    updateMeeting: async (t) => {
      const meeting = await t.meeting();
      return {
        who: t.admin,
        method: 'PATCH',
        path: m(t, meeting.id),
        body: { title: 'Renamed', expectedVersion: meeting.version },
      };
    },
    changeMeetingState: async (t) => {
      const meeting = await t.meeting();
      return {
        who: t.admin,
        method: 'POST',
        // As the meeting screen calls it: naming the meeting's cycle it has loaded.
        path: `${m(t, meeting.id)}/state?cycleId=${meeting.cycleId}`,
        body: { to: 'open', expectedVersion: meeting.version },
      };
    },
    markAttendance: async (t) => {
      const meeting = await openMeeting(t);
      return {
        who: t.admin,
        method: 'PUT',
        path: `${m(t, meeting.id)}/attendance/${encodeURIComponent(t.rep.email)}`,
        body: { present: true },
      };
    },
    addAgendaEntry: async (t) => ({
      who: t.admin,
      method: 'POST',
      path: `${m(t, (await t.meeting()).id)}/agenda`,
      body: { title: 'Capacity for Q3', durationMinutes: 15 },
    }),
    updateAgendaEntry: async (t) => {
      const meeting = await t.meeting();
      const entry = await t.agendaItem(meeting.id);
      return {
        who: t.admin,
        method: 'PATCH',
        path: `${m(t, meeting.id)}/agenda/${entry.id}`,
        body: { title: 'Capacity for Q4', expectedVersion: entry.version },
      };
    },
    removeAgendaEntry: async (t) => {
      const meeting = await t.meeting();
      const entry = await t.agendaItem(meeting.id);
      return { who: t.admin, method: 'DELETE', path: `${m(t, meeting.id)}/agenda/${entry.id}?expectedVersion=${entry.version}` };
    },
    reorderAgenda: async (t) => {
      const meeting = await t.meeting();
      const first = await t.agendaItem(meeting.id);
      const second = await t.agendaItem(meeting.id);
      const current = await ok(t.admin.get(m(t, meeting.id)), 'get meeting');
      return {
        who: t.admin,
        method: 'PUT',
        path: `${m(t, meeting.id)}/agenda-order`,
        body: { order: [second.id, first.id], expectedAgendaVersion: current.meeting.agendaVersion },
      };
    },
    getAgendaBacklog: async (t) => {
      const meeting = await t.meeting();
      // As the meeting screen calls it: naming the meeting's cycle it has loaded.
      return { who: t.admin, method: 'GET', path: `${m(t, meeting.id)}/backlog?limit=10&cycleId=${meeting.cycleId}` };
    },
    recordOutcome: async (t) => {
      const { meetingId, entryId } = await runningMeeting(t);
      return {
        who: t.admin,
        method: 'POST',
        path: `${m(t, meetingId)}/outcomes`,
        body: { kind: 'information', agendaItemId: entryId, text: 'Capacity holds' },
      };
    },
    updateAction: async (t) => {
      const { meetingId, entryId } = await runningMeeting(t);
      // An action is done once: each round finishes one recorded for it.
      const open = async () => {
        const action = await ok(
          t.admin.post(`${m(t, meetingId)}/outcomes`, {
            kind: 'action',
            agendaItemId: entryId,
            text: 'Send the new lead times',
            owner: t.rep.email,
            dueDate: '2027-02-01',
          }),
          'record action',
        );
        return {
          path: `${m(t, meetingId)}/actions/${action.id}`,
          body: { status: 'done', expectedVersion: action.version ?? 1 },
        };
      };
      return { who: t.rep, method: 'PATCH', ...(await open()), callOfRound: open };
    },
    confirmSignOff: async (t) => {
      const { meetingId, entryId } = await runningMeeting(t);
      const { meeting } = await ok(t.admin.get(m(t, meetingId)), 'get meeting');
      const item = await t.item();
      const threshold = `${t.w}/cycles/${meeting.cycleId}/thresholds/${item.id}`;
      for (const person of [t.sales, t.ops]) {
        await ok(
          t.admin.request('PUT', `${m(t, meetingId)}/attendance/${encodeURIComponent(person.email)}`, { present: true }),
          'mark',
        );
      }
      // A signer confirms a proposal once: each round proposes the sign-off of a new version of the threshold.
      let version: number | null = null;
      const proposed = async () => {
        // Each version a unit more capacity: a version equal to the one before is refused.
        const terms = { ...pumpTerms, capacityPerWeek: pumpTerms.capacityPerWeek + (version ?? 0) };
        const saved = await ok(t.sales.request('PUT', threshold, { terms, expectedVersion: version }), 'save');
        version = saved.version;
        const decision = await proposeSignOff(t, m(t, meetingId), entryId, { itemId: item.id, version: saved.version });
        // As the meeting screen calls it: naming the meeting's cycle and the proposal's item it has loaded.
        const hints = `cycleId=${meeting.cycleId}&itemId=${item.id}`;
        return { path: `${m(t, meetingId)}/outcomes/${decision.id}/confirm-sign-off?${hints}` };
      };
      return { who: t.sales, method: 'POST', ...(await proposed()), callOfRound: proposed };
    },
    listMyActions: async (t) => ({ who: t.rep, method: 'GET', path: `${t.w}/my-actions` }),
    exportMinutes: async (t) => ({ who: t.rep, method: 'GET', path: `${m(t, (await t.meeting()).id)}/minutes.md` }),
  };
}
