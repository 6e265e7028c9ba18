import { randomUUID } from 'node:crypto';
import type {
  ActionOutcome,
  ActionStatus,
  ActionView,
  AgendaLinks,
  DecisionEffect,
  DecisionOutcome,
  Outcome,
} from '#contract/meetings/meetings';
import { needsQuorum, outcomeRefusal, quorumMembers } from '#contract/meetings/meetings';
import { actionDueDatePolicy, actionUpdatePolicy, decisionPolicy, outcomePolicy } from '#contract/meetings/policies';
import type { NotificationView } from '#contract/notifications/notifications';
import { Refused, refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { brokenReference, type Reference, referenceChecks, referencesOf } from '#functions/table/references';
import { named, partOf, type TransactItem, TransactionConditionFailed } from '#functions/table/transactions';
import { getMember, workspaceToday } from '#functions/workspaces/workspaces';
import { decisionEffectWrites } from './decision-effects';
import { actionStatusUpdate } from './entities-actions';
import { meetingTransaction, touchMeeting } from './entities-meeting';
import { listOpenActionsOf, outcomeEntity, outcomePut, readOutcome, stillPresent } from './entities-outcomes';
import { reminderEntryPut } from './entities-reminders';
import type { Actor } from './service-lifecycle';
import { getFullMeeting, meetingConflict } from './service-reads';
import { signOffRequests } from './sign-off-requests';

export type OutcomeInput =
  | { kind: 'information'; agendaItemId: string; text: string }
  | { kind: 'decision'; agendaItemId: string; text: string; links: AgendaLinks; effects: DecisionEffect[] }
  | { kind: 'action'; agendaItemId: string; text: string; owner: string; dueDate: string };

/** An outcome as stored, with the notifications stored with it (to mail once it is stored). */
export interface RecordedOutcome {
  outcome: Outcome;
  notifications: NotificationView[];
}

/**
 * Records an outcome a member asks for: a new action may not be due before
 * the workspace's today. See {@link writeOutcome} for the rest.
 */
export async function recordOutcome(
  workspaceId: string,
  meetingId: string,
  input: OutcomeInput,
  actor: Caller,
  now: string,
): Promise<RecordedOutcome> {
  if (input.kind === 'action') {
    const refusal = actionDueDatePolicy(input.dueDate, await workspaceToday(workspaceId, now));
    if (refusal) throw new Refused(refusal);
  }
  return writeOutcomeNotifying(workspaceId, meetingId, input, actor, now);
}

/** Names a decision's writes in other areas' records, keeping a name their area gave. */
const asEffect = (item: TransactItem) => (partOf(item) ? item : named('decision-effect', item));

/**
 * Records an outcome of an agenda item: information, a decision or an action
 * item, only while the meeting is in progress. A decision that agrees or
 * changes a threshold needs a sales and an operations manager present, and
 * its effects in other areas' records (issue status, threshold sign-off) are
 * written in the same transaction as the decision, or not at all. Unlike
 * {@link recordOutcome} it takes any due date, for recording past meetings.
 */
export async function writeOutcome(
  workspaceId: string,
  meetingId: string,
  input: OutcomeInput,
  actor: Caller,
  now: string,
): Promise<Outcome> {
  return (await writeOutcomeNotifying(workspaceId, meetingId, input, actor, now)).outcome;
}

/**
 * {@link writeOutcome}, answering also the notifications written with the
 * outcome: a decision proposing sign-offs asks its named signers to confirm.
 */
async function writeOutcomeNotifying(
  workspaceId: string,
  meetingId: string,
  input: OutcomeInput,
  actor: Caller,
  now: string,
): Promise<RecordedOutcome> {
  const full = await getFullMeeting(workspaceId, meetingId);
  const { meeting, attendees } = full;
  const entry = full.agenda.find((candidate) => candidate.id === input.agendaItemId);
  const refusal = outcomePolicy(meeting, entry, full.outcomes.length);
  if (refusal) throw new Refused(refusal);

  const base = {
    id: randomUUID(),
    meetingId,
    agendaItemId: input.agendaItemId,
    text: input.text,
    recordedBy: actor.email,
    recordedAt: now,
    updatedAt: now,
    version: 1,
  };
  const checks: TransactItem[] = [];
  let outcome: Outcome;
  if (input.kind === 'information') {
    outcome = { ...base, kind: 'information' };
  } else if (input.kind === 'action') {
    const owner = await getMember(workspaceId, input.owner);
    if (!owner) throw refuse.invalid('must be a member of this workspace', 'body.owner');
    outcome = {
      ...base,
      kind: 'action',
      owner: owner.email,
      ownerName: owner.name,
      dueDate: input.dueDate,
      status: 'open',
      heldIn: meetingId,
      carriedTo: [],
      cycleId: meeting.cycleId,
    };
  } else {
    const links = { ...entry?.links, ...input.links };
    const decision: DecisionOutcome = { ...base, kind: 'decision', links, effects: input.effects, quorum: [] };
    const noDecision = decisionPolicy(decision, attendees);
    if (noDecision) throw new Refused(noDecision);
    if (needsQuorum(decision)) {
      const { sales, operations } = quorumMembers(attendees);
      decision.quorum = [...sales, ...operations].map((attendee) => attendee.email);
      for (const lead of [sales[0], operations[0]]) {
        if (lead) checks.push(named('quorum', stillPresent(workspaceId, meetingId, lead.email)));
      }
    }
    outcome = decision;
  }

  const effects =
    outcome.kind === 'decision'
      ? (await decisionEffectWrites({ workspaceId, meeting, decision: outcome, actor, now })).map(asEffect)
      : [];
  const effectParts = new Set(effects.map(partOf));
  const notices =
    outcome.kind === 'decision' ? signOffRequests(workspaceId, meeting, outcome, actor, now) : { writes: [], notifications: [] };
  const items: TransactItem[] = [
    named('outcome', outcomePut(workspaceId, outcome, meeting.title)),
    named('meeting', touchMeeting(workspaceId, meetingId, now, 'inProgress')),
    ...checks,
    ...effects,
    auditPut({
      workspaceId,
      actor,
      action: `meeting.${outcome.kind}Recorded`,
      entity: 'meeting',
      entityId: meetingId,
      after: outcome,
      at: now,
    }),
    ...(outcome.kind === 'action' ? [reminderEntryPut(workspaceId, outcome)] : []),
    ...notices.writes,
  ];
  items.push(...(await referenceChecks(workspaceId, outcomeReferences(input), items)));
  try {
    await meetingTransaction(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed) {
      if (error.part === 'meeting') throw meetingConflict(error.current, outcomeRefusal('closed') ?? 'The meeting changed');
      if (error.part === 'quorum') {
        throw refuse.conflict('The sales or operations manager was marked absent meanwhile; the decision needs both present');
      }
      if (error.part !== undefined && effectParts.has(error.part)) {
        throw refuse.conflict(
          'A record the decision changes was changed meanwhile; nothing was recorded. Reload and decide again',
          {
            current: error.current,
          },
        );
      }
    }
    throw error;
  }
  return { outcome, notifications: notices.notifications };
}

/** What an outcome names: an action's owner, a decision's linked issue and threshold. */
function outcomeReferences(input: OutcomeInput): Reference[] {
  if (input.kind === 'action') return referencesOf('body.owner', 'member', [input.owner]);
  if (input.kind !== 'decision') return [];
  return [
    ...referencesOf('body.links.issueId', 'issue', [input.links.issueId]),
    ...referencesOf('body.links.thresholdId', 'threshold', [input.links.thresholdId]),
  ];
}

/** An action item of a meeting, as stored now. */
export async function getAction(workspaceId: string, meetingId: string, actionId: string): Promise<ActionOutcome> {
  const found = await readOutcome(workspaceId, meetingId, actionId);
  if (found?.outcome.kind !== 'action') throw refuse.notFound('Action item not found');
  return found.outcome;
}

/**
 * Changes an action item's status: its owner follows it up after the
 * meeting, so this stays possible once the meeting is closed. Conditional on
 * the version the change was based on.
 */
export async function updateActionStatus(
  workspaceId: string,
  meetingId: string,
  actionId: string,
  input: { status: ActionStatus; expectedVersion: number },
  actorToBe: Actor | Promise<Actor>,
  now: string,
): Promise<ActionOutcome> {
  // Who is asking (their role) is read beside the action.
  const [before, actor] = await Promise.all([getAction(workspaceId, meetingId, actionId), actorToBe]);
  const refusal = actionUpdatePolicy(actor, before);
  if (refusal) throw new Refused(refusal);
  const after: ActionOutcome = { ...before, status: input.status, updatedAt: now, version: before.version + 1 };
  try {
    await meetingTransaction([
      named('action', actionStatusUpdate(workspaceId, before, input.status, input.expectedVersion, now)),
      touchMeeting(workspaceId, meetingId, now, 'any'),
      ...(before.heldIn !== meetingId ? [touchMeeting(workspaceId, before.heldIn, now, 'any')] : []),
      auditPut({
        workspaceId,
        actor,
        action: 'meeting.actionUpdated',
        entity: 'action',
        entityId: actionId,
        before,
        after,
        at: now,
      }),
      // A reopened action is reminded of again (its entry left the queue when it was finished).
      ...(input.status === 'open' && before.status !== 'open' ? [reminderEntryPut(workspaceId, after)] : []),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'action') {
      throw refuse.conflict(`The action changed since version ${input.expectedVersion}`, {
        current: error.current ? outcomeEntity(workspaceId, meetingId).parse(error.current) : undefined,
      });
    }
    throw error;
  }
  return after;
}

/** The caller's open action items in the workspace, soonest due first, a page at a time. */
export async function listMyActions(
  workspaceId: string,
  email: string,
  page: { limit: number; cursor?: string },
): Promise<{ actions: ActionView[]; nextCursor: string | null }> {
  const found = await listOpenActionsOf(workspaceId, email, page);
  return { actions: found.items, nextCursor: found.nextCursor };
}
