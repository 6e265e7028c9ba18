import { randomUUID } from 'node:crypto';
import {
  type ActionOutcome,
  type AgendaEntry,
  type Meeting,
  maxAgendaEntries,
  selectCarryForward,
} from '#contract/meetings/meetings';
import { compareText } from '#contract/text-order';
import type { TransactItem } from '#functions/table/transactions';
import { named } from '#functions/table/transactions';
import { claimAction } from './entities-actions';
import { agendaEntryEntity } from './entities-agenda';
import { listCycleMeetings } from './entities-meeting';
import { openActionsOfMeeting } from './entities-outcomes';

/**
 * Unfinished actions of a cycle's meetings carry forward into its next
 * meeting: when it opens they arrive on its agenda, each claimed in the same
 * transaction, and until then its backlog proposes them.
 */

/** A new agenda entry with its id and times. */
export function newAgendaEntry(input: Omit<AgendaEntry, 'id' | 'createdAt' | 'updatedAt' | 'version'>, now: string): AgendaEntry {
  return {
    id: randomUUID(),
    ...input,
    durationMinutes: input.kind === 'section' ? 0 : input.durationMinutes,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The Put of a new agenda entry (its place in the order is set by the same transaction's meeting update). */
export const agendaEntryPut = (workspaceId: string, meetingId: string, entry: AgendaEntry): TransactItem =>
  agendaEntryEntity(workspaceId, meetingId).put(entry, { condition: 'attribute_not_exists(pk)' });

/**
 * Open actions of a cycle's meetings other than `exceptId`: one Query per
 * meeting of the cycle that was ever held, which is bounded (a cycle holds a
 * handful of meetings). Outcomes are recorded only while a meeting is in
 * progress and meetings only move forward (a reopened one goes back to in
 * progress), so a draft or open meeting has none to ask for.
 */
async function openActionsOfCycle(workspaceId: string, meetings: Meeting[], exceptId: string): Promise<ActionOutcome[]> {
  const held = meetings.filter(
    (meeting) => meeting.id !== exceptId && (meeting.state === 'inProgress' || meeting.state === 'closed'),
  );
  const perMeeting = await Promise.all(held.map((meeting) => openActionsOfMeeting(workspaceId, meeting.id)));
  return perMeeting.flat();
}

/** The meetings of a cycle, read before the meeting that needs them is (see {@link carryForwardCandidates}). */
export function cycleMeetingsAhead(workspaceId: string, cycleId: string): CycleMeetings {
  const meetings = listCycleMeetings(workspaceId, cycleId);
  // Set aside unawaited when the meeting turns out to be of another cycle: its failure then matters to nobody.
  meetings.catch(() => undefined);
  return { cycleId, meetings };
}

/** A cycle's meetings, as read for the cycle the caller named. */
export interface CycleMeetings {
  cycleId: string;
  meetings: Promise<Meeting[]>;
}

/**
 * Unfinished actions of earlier closed meetings of the cycle that `target`
 * would take over. `ahead`, the meetings of a cycle read beside the target,
 * counts only when it is the target's cycle as stored; otherwise they are
 * read for the target's own cycle now.
 */
export async function carryForwardCandidates(
  workspaceId: string,
  target: Meeting,
  ahead?: CycleMeetings,
): Promise<ActionOutcome[]> {
  const meetings = await (ahead?.cycleId === target.cycleId ? ahead.meetings : listCycleMeetings(workspaceId, target.cycleId));
  const actions = await openActionsOfCycle(workspaceId, meetings, target.id);
  return selectCarryForward(target, meetings, actions).sort((a, b) => compareText(a.dueDate, b.dueDate));
}

/** The claim of a carried action, named so a meeting that took it first is told apart from other failures. */
export const claimCarriedAction = (workspaceId: string, action: ActionOutcome, targetId: string, now: string) =>
  named('carried-action', claimAction(workspaceId, action, targetId, now));

/** The agenda entry that follows a carried action up. */
function followUpEntry(action: ActionOutcome, now: string): AgendaEntry {
  return newAgendaEntry(
    {
      kind: 'item',
      title: `Follow-up: ${action.text}`.slice(0, 200),
      durationMinutes: 5,
      presenter: action.owner,
      notes: `Action of ${action.ownerName}, due ${action.dueDate}, carried forward.`,
      links: {},
      source: { kind: 'action', meetingId: action.meetingId, actionId: action.id },
    },
    now,
  );
}

/** Most actions carried in the transaction that opens a meeting; the rest stay in its backlog. */
const maxCarriedAtOnce = 20;

/** Writes that go with a change of state, and agenda entries they append (the meeting item is updated once). */
export interface StateChangeWrites {
  items: TransactItem[];
  agendaAppend: string[];
}

/**
 * The writes that carry unfinished actions forward when `target` opens: a
 * "Carried-forward actions" section and a follow-up item per action at the
 * end of the agenda, each action claimed in the same transaction.
 */
export async function carryForwardWrites(
  workspaceId: string,
  target: Meeting,
  now: string,
  ahead?: CycleMeetings,
): Promise<StateChangeWrites> {
  const onAgenda = new Set(target.agendaOrder);
  const candidates = (await carryForwardCandidates(workspaceId, target, ahead)).slice(
    0,
    Math.max(0, Math.min(maxCarriedAtOnce, maxAgendaEntries - onAgenda.size - 1)),
  );
  if (candidates.length === 0) return { items: [], agendaAppend: [] };
  const section = newAgendaEntry(
    {
      kind: 'section',
      title: 'Carried-forward actions',
      durationMinutes: 0,
      presenter: null,
      notes: '',
      links: {},
      source: { kind: 'manual' },
    },
    now,
  );
  const entries = candidates.map((action) => followUpEntry(action, now));
  return {
    agendaAppend: [section.id, ...entries.map((entry) => entry.id)],
    items: [
      agendaEntryPut(workspaceId, target.id, section),
      ...entries.map((entry) => agendaEntryPut(workspaceId, target.id, entry)),
      ...candidates.map((action) => claimCarriedAction(workspaceId, action, target.id, now)),
    ],
  };
}
