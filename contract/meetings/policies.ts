import { dueDateRefusal } from '#contract/dates';
import type { Refusal } from '#contract/refusal';
import type { MemberRole } from '#contract/workspaces/members';
import {
  type ActionOutcome,
  type AgendaEntry,
  type Attendee,
  actionUpdateRefusal,
  attendanceRefusal,
  type DecisionEffect,
  type DecisionOutcome,
  editRefusal,
  isReopen,
  type Meeting,
  type MeetingState,
  maxAgendaEntries,
  maxOutcomes,
  needsQuorum,
  outcomeRefusal,
  quorumRefusal,
  reorderRefusal,
  type SignOffProposal,
  signOffRefusal,
  transitionRefusal,
} from './meetings';
import { confirmationFor } from './sign-off-proposals';

/**
 * Who may do what to a meeting's records, row by row: pure rules over the
 * records as read, each returning the refusal a service throws, or null. The
 * route's access rule has already let a member of the right role in; these
 * decide on the meeting itself (its state, its version, who owns an action,
 * whom a sign-off names).
 */

/** Someone acting in a meeting, with the role the rules weigh. */
export interface MeetingActor {
  email: string;
  role: MemberRole;
}

const conflict = (reason: string, current?: unknown): Refusal =>
  current === undefined ? { kind: 'conflict', reason } : { kind: 'conflict', reason, details: { current } };

/** Why the meeting's details, attendance or agenda may not change now (closed meetings are read-only), or null. */
export function meetingEditPolicy(meeting: Meeting): Refusal | null {
  const reason = editRefusal(meeting.state);
  return reason ? conflict(reason, meeting) : null;
}

/** Why a change of the meeting's details, based on `expectedVersion`, may not be written, or null. */
export function meetingUpdatePolicy(meeting: Meeting, expectedVersion: number): Refusal | null {
  return meetingEditPolicy(meeting) ?? staleMeeting(meeting, expectedVersion);
}

function staleMeeting(meeting: Meeting, expectedVersion: number): Refusal | null {
  return meeting.version === expectedVersion ? null : conflict(`Meeting changed since version ${expectedVersion}`, meeting);
}

/**
 * Who may move a meeting to `to`: managers and admins run it forward one step
 * at a time; only an admin reopens a closed one (anyone else is forbidden,
 * not merely too late).
 */
export function stateChangePolicy(
  meeting: Meeting,
  to: MeetingState,
  expectedVersion: number,
  actor: MeetingActor,
): Refusal | null {
  const reason = transitionRefusal(meeting.state, to, actor.role);
  if (reason && isReopen(meeting.state, to)) return { kind: 'forbidden', reason };
  if (reason) return conflict(reason, meeting);
  return staleMeeting(meeting, expectedVersion);
}

/** Who may mark `email` present or absent: anyone themselves, managers and admins anyone. */
export function attendancePolicy(actor: MeetingActor, email: string): Refusal | null {
  const reason = attendanceRefusal(actor, email);
  return reason ? { kind: 'forbidden', reason } : null;
}

/** Whether an entry may be added to the agenda as it is now, before `beforeId` (or at the end). */
export function agendaAddPolicy(meeting: Meeting, beforeId: string | undefined): Refusal | null {
  if (meeting.agendaOrder.length >= maxAgendaEntries) return conflict(`An agenda holds at most ${maxAgendaEntries} entries`);
  if (beforeId && !meeting.agendaOrder.includes(beforeId)) return { kind: 'invalid', reason: 'beforeId is not on this agenda' };
  return null;
}

/** Whether an agenda entry may leave the agenda: not once outcomes were recorded on it. */
export function agendaRemovePolicy(entryId: string, outcomes: Array<{ agendaItemId: string }>): Refusal | null {
  return outcomes.some((outcome) => outcome.agendaItemId === entryId)
    ? conflict('This agenda item has recorded outcomes and stays in the minutes')
    : null;
}

/** Whether `order` may replace the agenda's order, computed from `expectedAgendaVersion`. */
export function reorderPolicy(meeting: Meeting, order: string[], expectedAgendaVersion: number): Refusal | null {
  const closed = meetingEditPolicy(meeting);
  if (closed) return closed;
  if (meeting.agendaVersion !== expectedAgendaVersion) {
    return conflict(`The agenda changed since version ${expectedAgendaVersion}`, meeting);
  }
  const reason = reorderRefusal(meeting.agendaOrder, order);
  return reason ? conflict(reason, meeting) : null;
}

/**
 * Whether an outcome may be recorded on agenda `entry`: only while the
 * meeting is in progress, within the meeting's bound, on an item (not a
 * section) of its agenda.
 */
export function outcomePolicy(
  meeting: Meeting,
  entry: Pick<AgendaEntry, 'kind'> | undefined,
  outcomeCount: number,
): Refusal | null {
  const reason = outcomeRefusal(meeting.state);
  if (reason) return conflict(reason, meeting);
  if (outcomeCount >= maxOutcomes) return conflict(`A meeting holds at most ${maxOutcomes} outcomes`);
  if (entry?.kind !== 'item') return { kind: 'invalid', reason: 'agendaItemId must be an item of this meeting’s agenda' };
  return null;
}

/** Whether a new action may be due on `dueDate`: not before the workspace's today. */
export function actionDueDatePolicy(dueDate: string, today: string): Refusal | null {
  const reason = dueDateRefusal(dueDate, today);
  return reason ? { kind: 'invalid', reason, field: 'body.dueDate' } : null;
}

/**
 * Whether a decision may be taken with this attendance: one on a threshold
 * needs a sales and an operations manager present, and a sign-off it proposes
 * names two of them, one of each function.
 */
export function decisionPolicy(
  decision: { links: DecisionOutcome['links']; effects: DecisionEffect[] },
  attendees: Attendee[],
): Refusal | null {
  if (needsQuorum(decision)) {
    const reason = quorumRefusal(attendees);
    if (reason) return conflict(reason);
  }
  for (const effect of decision.effects) {
    if (effect.kind !== 'thresholdSignOff') continue;
    const reason = signOffRefusal(attendees, effect.signers);
    if (reason) return conflict(reason);
  }
  return null;
}

/** Who may change an action item's status: its owner, or a manager or admin. */
export function actionUpdatePolicy(actor: MeetingActor, action: Pick<ActionOutcome, 'owner'>): Refusal | null {
  const reason = actionUpdateRefusal(actor, action);
  return reason ? { kind: 'forbidden', reason } : null;
}

const kinds = { 403: 'forbidden', 404: 'not-found', 409: 'conflict' } as const;

/**
 * The sign-off proposal of `decision` that `email` may confirm now, or the
 * refusal: only a signer the decision names confirms, only their own
 * signature, and only while the meeting that proposed it is in progress.
 */
export function signOffConfirmationPolicy(
  meeting: Pick<Meeting, 'state' | 'closedAt'>,
  decision: DecisionOutcome,
  email: string,
): { proposal: SignOffProposal; index: number } | { refusal: Refusal } {
  const found = confirmationFor(meeting, decision, email);
  if (!('status' in found)) return found;
  const kind = kinds[found.status];
  return { refusal: kind === 'conflict' ? conflict(found.message, decision) : { kind, reason: found.message } };
}
