import { describe, expect, it } from 'vitest';
import {
  type Attendee,
  agendaTimes,
  attendanceRefusal,
  editRefusal,
  type FullMeeting,
  type Meeting,
  moveEntry,
  needsQuorum,
  outcomeRefusal,
  placeEntry,
  quorumRefusal,
  reorderRefusal,
  selectCarryForward,
  signOffRefusal,
  transitionRefusal,
} from '#contract/meetings/meetings';
import { minutesMarkdown, minutesOf } from '#contract/meetings/minutes';
import { awaitingConfirmation, confirmationFor, proposalState } from '#contract/meetings/sign-off-proposals';

describe('transitionRefusal', () => {
  it('lets managers run a meeting forward one step at a time', () => {
    expect(transitionRefusal('draft', 'open', 'manager')).toBeNull();
    expect(transitionRefusal('open', 'inProgress', 'manager')).toBeNull();
    expect(transitionRefusal('inProgress', 'closed', 'admin')).toBeNull();
  });

  it('refuses skipping a step, going back, and repeating a state', () => {
    expect(transitionRefusal('draft', 'inProgress', 'admin')).toBe('The meeting is draft; it can only move to open');
    expect(transitionRefusal('inProgress', 'open', 'admin')).toBe('The meeting is in progress; it can only move to closed');
    expect(transitionRefusal('open', 'open', 'admin')).toBe('The meeting is already open');
    expect(transitionRefusal('closed', 'draft', 'admin')).toBe('A closed meeting can only be reopened by an admin');
  });

  it('lets only an admin reopen a closed meeting', () => {
    expect(transitionRefusal('closed', 'inProgress', 'admin')).toBeNull();
    expect(transitionRefusal('closed', 'inProgress', 'manager')).toBe('Only an admin can reopen a closed meeting');
  });

  it('keeps reps from running meetings', () => {
    expect(transitionRefusal('draft', 'open', 'rep')).toBe('Only managers and admins run meetings');
  });
});

describe('editRefusal and outcomeRefusal', () => {
  it('makes a closed meeting read-only', () => {
    expect(editRefusal('closed')).toMatch(/closed and read-only/);
    for (const state of ['draft', 'open', 'inProgress'] as const) expect(editRefusal(state)).toBeNull();
  });

  it('takes outcomes only while in progress', () => {
    expect(outcomeRefusal('inProgress')).toBeNull();
    expect(outcomeRefusal('draft')).toBe('Outcomes can be recorded only while the meeting is in progress; it is draft');
    expect(outcomeRefusal('open')).toMatch(/it is open$/);
    expect(outcomeRefusal('closed')).toMatch(/it is closed$/);
  });
});

const person = (email: string, fn: Attendee['function'], role: Attendee['role'], present = true): Attendee => ({
  email,
  name: email.split('@')[0] ?? email,
  function: fn,
  role,
  present,
  markedBy: email,
  markedAt: '2027-01-01T09:00:00.000Z',
  version: 1,
});

describe('quorumRefusal', () => {
  it('is met by a present sales manager and a present operations admin', () => {
    expect(quorumRefusal([person('s@x', 'sales', 'manager'), person('o@x', 'operations', 'admin')])).toBeNull();
  });

  it('names the missing function', () => {
    expect(quorumRefusal([person('s@x', 'sales', 'manager')])).toMatch(/no operations manager is marked present$/);
    expect(quorumRefusal([])).toMatch(/no sales or operations manager/);
  });

  it('does not count reps, absent managers or other functions', () => {
    expect(
      quorumRefusal([
        person('s@x', 'sales', 'rep'),
        person('o@x', 'operations', 'manager', false),
        person('f@x', 'finance', 'manager'),
        person('m@x', 'management', 'admin'),
      ]),
    ).toMatch(/no sales or operations manager/);
  });
});

describe('needsQuorum', () => {
  it('applies to decisions that link or sign a threshold, not to others', () => {
    expect(needsQuorum({ links: { thresholdId: 'a' }, effects: [] })).toBe(true);
    expect(
      needsQuorum({ links: {}, effects: [{ kind: 'thresholdSignOff', thresholdId: 't', thresholdVersion: 2, signers: [] }] }),
    ).toBe(true);
    expect(needsQuorum({ links: { issueId: 'i' }, effects: [{ kind: 'issueStatus', issueId: 'i', status: 'resolved' }] })).toBe(
      false,
    );
  });
});

describe('signOffRefusal', () => {
  const attendees = [person('s@x', 'sales', 'manager'), person('o@x', 'operations', 'manager'), person('r@x', 'sales', 'rep')];

  it('accepts a present sales and operations manager', () => {
    expect(signOffRefusal(attendees, ['s@x', 'o@x'])).toBeNull();
  });

  it('refuses signers who are not present managers, and signers of one function only', () => {
    expect(signOffRefusal(attendees, ['s@x', 'r@x'])).toMatch(/r@x cannot/);
    expect(signOffRefusal(attendees, ['s@x'])).toMatch(/needs a sales manager and an operations manager/);
  });
});

describe('sign-off proposals', () => {
  const proposal = (confirmedBy: string[] = []) => ({
    kind: 'thresholdSignOff' as const,
    thresholdId: 't',
    thresholdVersion: 2,
    signers: ['s@x', 'O@x'],
    confirmedBy: confirmedBy.map((email) => ({
      email,
      name: email,
      function: 'sales' as const,
      role: 'manager' as const,
      at: '2027-01-10T09:30:00.000Z',
    })),
  });
  const decision = { recordedAt: '2027-01-10T09:20:00.000Z' };
  const running = { state: 'inProgress' as const, closedAt: null };

  it('waits for every named signer, matching emails case-insensitively', () => {
    expect(awaitingConfirmation(proposal())).toEqual(['s@x', 'O@x']);
    expect(awaitingConfirmation(proposal(['o@x']))).toEqual(['s@x']);
    expect(proposalState(proposal(['s@x']), decision, running)).toBe('awaiting');
    expect(proposalState(proposal(['s@x', 'o@x']), decision, running)).toBe('confirmed');
  });

  it('lapses when the meeting closed after the decision with a confirmation missing, even once reopened', () => {
    const closedLater = { closedAt: '2027-01-10T10:00:00.000Z' };
    expect(proposalState(proposal(['s@x']), decision, closedLater)).toBe('lapsed');
    expect(proposalState(proposal(['s@x', 'o@x']), decision, closedLater)).toBe('confirmed');
    // Closed before this decision was recorded (then reopened): not lapsed.
    expect(proposalState(proposal(), decision, { closedAt: '2027-01-10T09:00:00.000Z' })).toBe('awaiting');
    const reopened = { state: 'inProgress' as const, ...closedLater };
    expect(confirmationFor(reopened, { ...decision, effects: [proposal()] }, 's@x')).toMatchObject({ status: 409 });
  });

  it('offers a confirmation only to a named signer who has not confirmed, while the meeting runs', () => {
    const withProposal = { ...decision, effects: [proposal(['s@x'])] };
    expect(confirmationFor(running, withProposal, 'o@x')).toMatchObject({ index: 0 });
    expect(confirmationFor(running, withProposal, 's@x')).toMatchObject({ status: 409 });
    expect(confirmationFor(running, withProposal, 'admin@x')).toMatchObject({ status: 403 });
    expect(confirmationFor({ state: 'open', closedAt: null }, withProposal, 'o@x')).toMatchObject({ status: 409 });
    expect(confirmationFor(running, { ...decision, effects: [] }, 'o@x')).toMatchObject({ status: 404 });
  });

  it('refuses a proposal that names more than one signer per function', () => {
    const attendees = [
      person('s@x', 'sales', 'manager'),
      person('s2@x', 'sales', 'manager'),
      person('o@x', 'operations', 'manager'),
    ];
    expect(signOffRefusal(attendees, ['s@x', 's2@x', 'o@x'])).toMatch(/exactly two signers/);
  });
});

describe('attendanceRefusal', () => {
  it('lets anyone mark themselves and managers mark anyone', () => {
    expect(attendanceRefusal({ email: 'r@x', role: 'rep' }, 'r@x')).toBeNull();
    expect(attendanceRefusal({ email: 'm@x', role: 'manager' }, 'r@x')).toBeNull();
    expect(attendanceRefusal({ email: 'r@x', role: 'rep' }, 'm@x')).toMatch(/Only managers and admins/);
  });
});

describe('agendaTimes', () => {
  const entry = (id: string, kind: 'section' | 'item', durationMinutes = 0) => ({ id, kind, title: id, durationMinutes });

  it('sums items per section and in total, and flags an agenda longer than the meeting', () => {
    const agenda = [
      entry('intro', 'item', 5),
      entry('S1', 'section'),
      entry('a', 'item', 20),
      entry('b', 'item', 25),
      entry('S2', 'section'),
      entry('c', 'item', 40),
    ];
    const times = agendaTimes(agenda, 60);
    expect(times.totalMinutes).toBe(90);
    expect(times.sections).toEqual([
      { sectionId: null, title: '(no section)', minutes: 5 },
      { sectionId: 'S1', title: 'S1', minutes: 45 },
      { sectionId: 'S2', title: 'S2', minutes: 40 },
    ]);
    expect(times.overByMinutes).toBe(30);
    expect(times.overLength).toBe(true);
  });

  it('does not flag an agenda that exactly fills the meeting', () => {
    const times = agendaTimes([entry('a', 'item', 30), entry('b', 'item', 30)], 60);
    expect(times).toMatchObject({ totalMinutes: 60, overByMinutes: 0, overLength: false });
  });
});

describe('agenda order', () => {
  it('moves an entry up or down, clamped at the ends', () => {
    expect(moveEntry(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moveEntry(['a', 'b', 'c'], 'a', 1)).toEqual(['b', 'a', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveEntry(['a', 'b', 'c'], 'x', 1)).toEqual(['a', 'b', 'c']);
  });

  it('places a dragged entry before another, or last', () => {
    expect(placeEntry(['a', 'b', 'c'], 'c', 'a')).toEqual(['c', 'a', 'b']);
    expect(placeEntry(['a', 'b', 'c'], 'a', null)).toEqual(['b', 'c', 'a']);
  });

  it('accepts only a permutation of the current entries', () => {
    expect(reorderRefusal(['a', 'b'], ['b', 'a'])).toBeNull();
    expect(reorderRefusal(['a', 'b'], ['a'])).toMatch(/exactly once/);
    expect(reorderRefusal(['a', 'b'], ['a', 'a'])).toMatch(/exactly once/);
    expect(reorderRefusal(['a', 'b'], ['a', 'c'])).toMatch(/exactly once/);
  });
});

describe('selectCarryForward', () => {
  const meeting = (id: string, startsAt: string, state: Meeting['state'], cycleId = 'cycle') => ({
    id,
    cycleId,
    startsAt,
    state,
  });
  const meetings = [
    meeting('jan', '2027-01-10T09:00:00.000Z', 'closed'),
    meeting('feb', '2027-02-10T09:00:00.000Z', 'draft'),
    meeting('mar', '2027-03-10T09:00:00.000Z', 'draft'),
    meeting('other', '2027-01-05T09:00:00.000Z', 'closed', 'other-cycle'),
    meeting('janOpen', '2027-01-20T09:00:00.000Z', 'inProgress'),
  ];
  const action = (id: string, heldIn: string, status: 'open' | 'done' | 'dropped' = 'open') => ({ id, heldIn, status });

  it('takes the open actions of earlier closed meetings of the same cycle', () => {
    const actions = [action('a1', 'jan'), action('a2', 'jan', 'done'), action('a3', 'other'), action('a4', 'janOpen')];
    const feb = meetings[1] as Meeting;
    expect(selectCarryForward(feb, meetings, actions).map((a) => a.id)).toEqual(['a1']);
  });

  it('selects an action once: after it moved to the next meeting, a later one does not take it until that one closes', () => {
    const [, feb, mar] = meetings as [Meeting, Meeting, Meeting];
    const carried = [action('a1', 'feb')];
    expect(selectCarryForward(feb, meetings, carried)).toEqual([]);
    expect(selectCarryForward(mar, meetings, carried)).toEqual([]);
    const febClosed = meetings.map((m) => (m.id === 'feb' ? { ...m, state: 'closed' as const } : m));
    expect(selectCarryForward(mar, febClosed, carried).map((a) => a.id)).toEqual(['a1']);
  });

  it('never carries backwards in time', () => {
    const early = meeting('dec', '2026-12-10T09:00:00.000Z', 'draft');
    expect(selectCarryForward(early, [...meetings, early], [action('a1', 'jan')])).toEqual([]);
  });
});

describe('minutesMarkdown', () => {
  it('lists attendees by function, the agenda with outcomes, decisions and actions, escaping Markdown', () => {
    const full: FullMeeting = {
      meeting: {
        id: 'm',
        workspaceId: 'w',
        cycleId: 'c',
        title: 'FY27 budget | lead times',
        meetingType: 'budgetPlanning',
        startsAt: '2027-01-10T09:00:00.000Z',
        durationMinutes: 90,
        location: 'Room 2',
        invited: [],
        state: 'closed',
        agendaOrder: ['s', 'i'],
        agendaVersion: 3,
        revision: 9,
        createdBy: 'a@x',
        createdAt: '',
        updatedAt: '',
        closedAt: '',
        version: 4,
      },
      attendees: [
        person('s@x', 'sales', 'manager'),
        person('o@x', 'operations', 'manager'),
        person('r@x', 'sales', 'rep', false),
      ],
      agenda: [
        {
          id: 's',
          kind: 'section',
          title: 'Thresholds',
          durationMinutes: 0,
          presenter: null,
          notes: '',
          links: {},
          source: { kind: 'manual' },
          createdAt: '',
          updatedAt: '',
          version: 1,
        },
        {
          id: 'i',
          kind: 'item',
          title: 'CP-050 lead time',
          durationMinutes: 20,
          presenter: 'o@x',
          notes: '',
          links: {},
          source: { kind: 'manual' },
          createdAt: '',
          updatedAt: '',
          version: 1,
        },
      ],
      outcomes: [
        {
          id: 'd',
          kind: 'decision',
          meetingId: 'm',
          agendaItemId: 'i',
          text: 'Lead time *6 weeks*',
          links: {},
          effects: [],
          quorum: [],
          recordedBy: 's@x',
          recordedAt: '',
          updatedAt: '',
          version: 1,
        },
        {
          id: 'a',
          kind: 'action',
          meetingId: 'm',
          agendaItemId: 'i',
          text: 'Tell the reps',
          owner: 's@x',
          ownerName: 'Sam',
          dueDate: '2027-01-31',
          status: 'open',
          heldIn: 'm',
          carriedTo: [],
          cycleId: 'c',
          recordedBy: 's@x',
          recordedAt: '',
          updatedAt: '',
          version: 1,
        },
      ],
    };
    const markdown = minutesMarkdown(full);
    expect(markdown).toContain('# Minutes: FY27 budget \\| lead times');
    expect(markdown).toContain('- **sales**: s (manager)');
    expect(markdown).toContain('- **operations**: o (manager)');
    expect(markdown).toContain('- **absent**: r');
    expect(markdown).toContain('### Thresholds');
    expect(markdown).toContain('- CP-050 lead time (20 min, o@x)');
    expect(markdown).toContain('  - decision: Lead time \\*6 weeks\\*');
    expect(markdown).toContain('| Tell the reps | Sam | 2027-01-31 | open |');
  });

  it('says which proposed sign-offs lapsed and who did not confirm', () => {
    const signOff = {
      id: 'p',
      kind: 'decision' as const,
      meetingId: 'm',
      agendaItemId: 'i',
      text: 'Agree CP-050',
      links: {},
      quorum: [],
      recordedBy: 's@x',
      recordedAt: '2027-01-10T09:20:00.000Z',
      updatedAt: '',
      version: 2,
      effects: [
        {
          kind: 'thresholdSignOff' as const,
          thresholdId: 't',
          thresholdVersion: 2,
          signers: ['s@x', 'o@x'],
          confirmedBy: [{ email: 's@x', name: 'Sam', function: 'sales' as const, role: 'manager' as const, at: '' }],
        },
      ],
    };
    const meeting = { closedAt: '2027-01-10T10:30:00.000Z', state: 'closed' } as Meeting;
    const full: FullMeeting = {
      meeting: {
        ...meeting,
        title: 't',
        meetingType: 'escalation',
        startsAt: '2027-01-10T09:00:00.000Z',
        durationMinutes: 30,
        location: '',
      },
      attendees: [],
      agenda: [],
      outcomes: [signOff],
    };
    const labels = { issues: {}, items: { t: 'CP-050' } };
    expect(minutesMarkdown(full, labels)).toContain(
      'sign-off of threshold of CP-050 v2 by s@x, o@x lapsed: o@x did not confirm before the meeting closed',
    );
    expect(minutesMarkdown({ ...full, meeting: { ...full.meeting, closedAt: null, state: 'inProgress' } }, labels)).toContain(
      'proposed, awaiting confirmation by o@x',
    );
  });
});

describe('minutesOf', () => {
  it('numbers agenda items across sections', () => {
    const entry = (id: string, kind: 'section' | 'item') => ({
      id,
      kind,
      title: id,
      durationMinutes: 5,
      presenter: null,
      notes: '',
      links: {},
      source: { kind: 'manual' as const },
      createdAt: '',
      updatedAt: '',
      version: 1,
    });
    const minutes = minutesOf({
      meeting: {
        id: 'm',
        workspaceId: 'w',
        cycleId: 'c',
        title: 't',
        meetingType: 'escalation',
        startsAt: '2027-01-10T09:00:00.000Z',
        durationMinutes: 30,
        location: '',
        invited: [],
        state: 'draft',
        agendaOrder: [],
        agendaVersion: 1,
        revision: 1,
        createdBy: '',
        createdAt: '',
        updatedAt: '',
        closedAt: null,
        version: 1,
      },
      attendees: [],
      agenda: [
        entry('a', 'item'),
        entry('S', 'section'),
        entry('b', 'item'),
        entry('c', 'item'),
        entry('T', 'section'),
        entry('d', 'item'),
      ],
      outcomes: [],
    });
    expect(minutes.sections.map((s) => [s.title, s.start, s.items.map((i) => i.entry.id)])).toEqual([
      [null, 1, ['a']],
      ['S', 2, ['b', 'c']],
      ['T', 4, ['d']],
    ]);
  });
});
