import { type IssueStatus, issueStatuses } from '#contract/misalignment/misalignment';
import type { MemberFunction, MemberRole } from '#contract/workspaces/members';

export { type IssueStatus, issueStatuses };

/**
 * Cross-functional planning meetings: the rules, with no I/O. The store asks
 * these functions before writing and turns their refusals into 409s; the web
 * app asks the same functions to explain, before the click, why a button is
 * disabled.
 */
export const meetingTypes = ['budgetPlanning', 'monthlyReview', 'escalation'] as const;
export type MeetingType = (typeof meetingTypes)[number];

export const meetingTypeLabels: Record<MeetingType, string> = {
  budgetPlanning: 'Budget planning',
  monthlyReview: 'Monthly S&OP review',
  escalation: 'Escalation',
};

export const meetingStates = ['draft', 'open', 'inProgress', 'closed'] as const;
export type MeetingState = (typeof meetingStates)[number];

export const meetingStateLabels: Record<MeetingState, string> = {
  draft: 'Draft',
  open: 'Open',
  inProgress: 'In progress',
  closed: 'Closed',
};

export const outcomeKinds = ['information', 'decision', 'action'] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];

export const actionStatuses = ['open', 'done', 'dropped'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

/** Most agenda entries (sections and items) a meeting holds: the order list lives on the meeting item. */
export const maxAgendaEntries = 60;
/** Most outcomes a meeting holds, so the whole meeting stays one bounded Query. */
export const maxOutcomes = 200;
export const maxInvited = 50;

/** Optional links of an agenda item or decision to the issue and threshold records of the cycle. */
export interface AgendaLinks {
  issueId?: string;
  /** The portfolio item whose threshold in the meeting's cycle is discussed. */
  thresholdId?: string;
  thresholdVersion?: number;
}

/** Where an agenda item came from: typed by hand, or moved in from the backlog. */
export type AgendaSource =
  | { kind: 'manual' }
  | { kind: 'issue'; issueId: string }
  | { kind: 'signOff'; thresholdId: string; thresholdVersion: number }
  | { kind: 'action'; meetingId: string; actionId: string };

export interface Meeting {
  id: string;
  workspaceId: string;
  /** The budget cycle the meeting belongs to. */
  cycleId: string;
  title: string;
  meetingType: MeetingType;
  startsAt: string;
  durationMinutes: number;
  location: string;
  invited: string[];
  state: MeetingState;
  /** Agenda entry ids in order; sections and items share one list, items belong to the section above them. */
  agendaOrder: string[];
  /** Bumped by every change of the agenda's order or membership, so concurrent reorders cannot silently lose one. */
  agendaVersion: number;
  /** Bumped by every change to anything in the meeting; the live poll compares only this number. */
  revision: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
}

export interface Attendee {
  email: string;
  name: string;
  function: MemberFunction;
  role: MemberRole;
  present: boolean;
  markedBy: string;
  markedAt: string;
  version: number;
}

export interface AgendaEntry {
  id: string;
  kind: 'section' | 'item';
  title: string;
  /** Minutes planned; sections count the items below them instead. */
  durationMinutes: number;
  presenter: string | null;
  notes: string;
  links: AgendaLinks;
  source: AgendaSource;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A named signer's confirmation of a proposed sign-off, with their function and role when they confirmed. */
export interface SignOffConfirmation {
  email: string;
  sub?: string;
  name: string;
  function: MemberFunction;
  role: MemberRole;
  at: string;
}

/**
 * A sign-off a decision proposes: it signs nothing until each named signer
 * confirms it from their own session, while the meeting runs.
 */
export interface SignOffProposal {
  kind: 'thresholdSignOff';
  thresholdId: string;
  thresholdVersion: number;
  signers: string[];
  /** Who has confirmed so far; absent until the first confirmation. */
  confirmedBy?: SignOffConfirmation[];
}

/** A write another area performs in the same transaction as a decision, or a sign-off it proposes. */
export type DecisionEffect = { kind: 'issueStatus'; issueId: string; status: IssueStatus } | SignOffProposal;

export interface OutcomeBase {
  id: string;
  meetingId: string;
  agendaItemId: string;
  text: string;
  recordedBy: string;
  recordedAt: string;
  updatedAt: string;
  version: number;
}

export interface InformationOutcome extends OutcomeBase {
  kind: 'information';
}

export interface DecisionOutcome extends OutcomeBase {
  kind: 'decision';
  links: AgendaLinks;
  effects: DecisionEffect[];
  /** Present sales and operations managers when a threshold decision was taken: the quorum it relied on. */
  quorum: string[];
}

export interface ActionOutcome extends OutcomeBase {
  kind: 'action';
  owner: string;
  ownerName: string;
  dueDate: string;
  status: ActionStatus;
  /** Meeting that currently follows the action up: its own meeting, then each meeting it was carried to. */
  heldIn: string;
  /** Meetings it was carried to, in order. */
  carriedTo: string[];
  cycleId: string;
}

export type Outcome = InformationOutcome | DecisionOutcome | ActionOutcome;

/** Everything a meeting screen shows, read with one Query over the meeting's item collection. */
export interface FullMeeting {
  meeting: Meeting;
  attendees: Attendee[];
  agenda: AgendaEntry[];
  outcomes: Outcome[];
}

/** An action item as its owner's home screen lists it. */
export interface ActionView extends ActionOutcome {
  meetingTitle: string;
}

/** A proposal for the agenda: a click moves it in as an agenda item with these fields. */
export interface BacklogProposal {
  source: AgendaSource;
  title: string;
  /** One line of context: score, version waiting, owner and due date. */
  detail: string;
  durationMinutes: number;
  links: AgendaLinks;
}

/** A meeting's agenda backlog, by where the proposals come from. */
export interface Backlog {
  topIssues: BacklogProposal[];
  pendingSignOffs: BacklogProposal[];
  openActions: BacklogProposal[];
}

// ---------------------------------------------------------------- state machine

const forward: Record<MeetingState, MeetingState | null> = {
  draft: 'open',
  open: 'inProgress',
  inProgress: 'closed',
  closed: null,
};

/** Whether a change of state reopens a closed meeting, the one transition that is an admin's. */
export const isReopen = (from: MeetingState, to: MeetingState) => from === 'closed' && to === 'inProgress';

/**
 * Why a meeting may not move from `from` to `to` for a member with `role`, or
 * null when it may. Meetings only move forward, one step at a time; only an
 * admin may reopen a closed meeting (back to in progress).
 */
export function transitionRefusal(from: MeetingState, to: MeetingState, role: MemberRole): string | null {
  if (isReopen(from, to)) {
    return role === 'admin' ? null : 'Only an admin can reopen a closed meeting';
  }
  if (forward[from] === to) return role === 'rep' ? 'Only managers and admins run meetings' : null;
  if (from === to) return `The meeting is already ${meetingStateLabels[to].toLowerCase()}`;
  const next = forward[from];
  return next
    ? `The meeting is ${meetingStateLabels[from].toLowerCase()}; it can only move to ${meetingStateLabels[next].toLowerCase()}`
    : 'A closed meeting can only be reopened by an admin';
}

/** The next state a meeting moves to when run, or null when closed. */
export const nextState = (state: MeetingState): MeetingState | null => forward[state];

/** Why the meeting's details, attendance or agenda may not change now, or null. Closed meetings are read-only. */
export function editRefusal(state: MeetingState): string | null {
  return state === 'closed' ? 'The meeting is closed and read-only; an admin can reopen it' : null;
}

/** Why outcomes may not be recorded now, or null: only while the meeting is in progress. */
export function outcomeRefusal(state: MeetingState): string | null {
  if (state === 'inProgress') return null;
  return `Outcomes can be recorded only while the meeting is in progress; it is ${meetingStateLabels[state].toLowerCase()}`;
}

// ---------------------------------------------------------------- attendance and quorum

/** Functions whose managers must both be present for a decision on a threshold. */
export const quorumFunctions = ['sales', 'operations'] as const satisfies readonly MemberFunction[];

const decides = (attendee: Pick<Attendee, 'role'>) => attendee.role === 'manager' || attendee.role === 'admin';

/** Present managers (or admins) of sales and of operations: who can carry a threshold decision. */
export function quorumMembers<A extends Pick<Attendee, 'function' | 'role' | 'present'>>(attendees: A[]) {
  const present = attendees.filter((attendee) => attendee.present && decides(attendee));
  return {
    sales: present.filter((attendee) => attendee.function === 'sales'),
    operations: present.filter((attendee) => attendee.function === 'operations'),
  };
}

/**
 * Why a decision that agrees or changes a threshold cannot be recorded with
 * this attendance, or null when it can: it needs at least one sales and one
 * operations member with role manager or admin marked present.
 */
export function quorumRefusal(attendees: Array<Pick<Attendee, 'function' | 'role' | 'present'>>): string | null {
  const { sales, operations } = quorumMembers(attendees);
  const missing = [sales.length === 0 ? 'sales' : null, operations.length === 0 ? 'operations' : null].filter(Boolean);
  if (missing.length === 0) return null;
  return `A decision on a threshold needs a sales manager and an operations manager present; no ${missing.join(' or ')} manager is marked present`;
}

/** Whether a decision agrees or changes a threshold, and so needs the quorum. */
export function needsQuorum(decision: { links: AgendaLinks; effects: DecisionEffect[] }): boolean {
  return decision.links.thresholdId !== undefined || decision.effects.some((effect) => effect.kind === 'thresholdSignOff');
}

/**
 * Why a decision cannot propose these signers for a threshold sign-off, or
 * null: two people, each present as a sales or operations manager, one of
 * each function. They still sign only by confirming it themselves.
 */
export function signOffRefusal(attendees: Attendee[], signers: string[]): string | null {
  const { sales, operations } = quorumMembers(attendees);
  const eligible = new Map([...sales, ...operations].map((attendee) => [attendee.email, attendee]));
  const strangers = signers.filter((email) => !eligible.has(email));
  if (strangers.length > 0) {
    return `Only sales and operations managers marked present can sign off: ${strangers.join(', ')} cannot`;
  }
  const functions = new Set(signers.map((email) => eligible.get(email)?.function));
  if (!functions.has('sales') || !functions.has('operations')) {
    return 'A threshold sign-off needs a sales manager and an operations manager among the signers';
  }
  // Each signer confirms their own signature, and a version takes one per function: more could never all confirm.
  if (new Set(signers.map((email) => email.toLowerCase())).size !== 2) {
    return 'A threshold sign-off names exactly two signers: one sales manager and one operations manager';
  }
  return null;
}

/** Why `caller` may not mark `email`'s attendance, or null: anyone marks themselves, managers mark anyone. */
export function attendanceRefusal(caller: { email: string; role: MemberRole }, email: string): string | null {
  if (caller.email === email || caller.role !== 'rep') return null;
  return 'Only managers and admins can mark other members’ attendance';
}

/** Why `caller` may not change an action's status, or null: its owner, or a manager or admin. */
export function actionUpdateRefusal(caller: { email: string; role: MemberRole }, action: Pick<ActionOutcome, 'owner'>) {
  if (caller.email === action.owner || caller.role !== 'rep') return null;
  return 'Only the owner of the action or a manager can change its status';
}

// ---------------------------------------------------------------- agenda

export interface AgendaTimes {
  /** Minutes of all items. */
  totalMinutes: number;
  /** Minutes of the items under each section, by section id; items above the first section count under `null`. */
  sections: Array<{ sectionId: string | null; title: string; minutes: number }>;
  /** Minutes over the meeting's length; 0 when it fits. */
  overByMinutes: number;
  overLength: boolean;
}

/** Sums the agenda's durations per section and in total, and flags an agenda longer than the meeting. */
export function agendaTimes(
  agenda: Array<Pick<AgendaEntry, 'id' | 'kind' | 'title' | 'durationMinutes'>>,
  meetingMinutes: number,
): AgendaTimes {
  const sections: AgendaTimes['sections'] = [];
  let current: AgendaTimes['sections'][number] | undefined;
  let totalMinutes = 0;
  for (const entry of agenda) {
    if (entry.kind === 'section') {
      current = { sectionId: entry.id, title: entry.title, minutes: 0 };
      sections.push(current);
      continue;
    }
    if (!current) {
      current = { sectionId: null, title: '(no section)', minutes: 0 };
      sections.push(current);
    }
    current.minutes += entry.durationMinutes;
    totalMinutes += entry.durationMinutes;
  }
  const overByMinutes = Math.max(0, totalMinutes - meetingMinutes);
  return { totalMinutes, sections, overByMinutes, overLength: overByMinutes > 0 };
}

/** The order with entry `id` moved by `delta` places (clamped), for drag and keyboard reordering alike. */
export function moveEntry(order: string[], id: string, delta: number): string[] {
  const from = order.indexOf(id);
  if (from < 0) return order;
  const to = Math.min(order.length - 1, Math.max(0, from + delta));
  if (to === from) return order;
  const next = order.filter((entry) => entry !== id);
  next.splice(to, 0, id);
  return next;
}

/** The order with entry `id` placed where `beforeId` is (or at the end when null). */
export function placeEntry(order: string[], id: string, beforeId: string | null): string[] {
  if (id === beforeId || !order.includes(id)) return order;
  const next = order.filter((entry) => entry !== id);
  const at = beforeId === null ? next.length : next.indexOf(beforeId);
  next.splice(at < 0 ? next.length : at, 0, id);
  return next;
}

/** Why a proposed agenda order cannot replace the current one, or null: it must hold exactly the same entries. */
export function reorderRefusal(current: string[], proposed: string[]): string | null {
  const same =
    proposed.length === current.length &&
    new Set(proposed).size === proposed.length &&
    proposed.every((id) => current.includes(id));
  return same ? null : 'The new order must list every agenda entry exactly once; reload the agenda and try again';
}

// ---------------------------------------------------------------- carry-forward

/**
 * The actions that carry forward into `target`: unfinished (still open), and
 * followed up last in a closed meeting of the same cycle that started no
 * later than the target. Once carried, an action is held by the target, so it
 * is selected again only after the target itself closes with it unfinished:
 * each action moves forward exactly once per meeting.
 */
export function selectCarryForward<A extends Pick<ActionOutcome, 'status' | 'heldIn'>>(
  target: Pick<Meeting, 'id' | 'cycleId' | 'startsAt'>,
  meetings: Array<Pick<Meeting, 'id' | 'cycleId' | 'startsAt' | 'state'>>,
  actions: A[],
): A[] {
  const byId = new Map(meetings.map((meeting) => [meeting.id, meeting]));
  return actions.filter((action) => {
    if (action.status !== 'open' || action.heldIn === target.id) return false;
    const held = byId.get(action.heldIn);
    return held !== undefined && held.cycleId === target.cycleId && held.state === 'closed' && held.startsAt <= target.startsAt;
  });
}
