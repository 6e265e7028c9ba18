import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ActionOutcome,
  type ActionStatus,
  type ActionView,
  type AgendaEntry,
  type AgendaLinks,
  actionUpdateRefusal,
  type DecisionEffect,
  type DecisionOutcome,
  type Meeting,
  maxOutcomes,
  needsQuorum,
  type Outcome,
  outcomeRefusal,
  quorumMembers,
  quorumRefusal,
  selectCarryForward,
  signOffRefusal,
} from '#contract/meetings/meetings';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/audit/audit';
import { BadRequest, Conflict, Forbidden, NotFound, ValidationFailed } from '#functions/kernel/errors';
import { dynamo, tableName } from '#functions/table/client';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { brokenReference, type Reference, referenceChecks, referencesOf } from '#functions/table/references';
import { TransactionConditionFailed } from '#functions/table/transactions';
import { getMember } from '#functions/workspaces/workspaces';
import { reminderEntryPut } from './action-reminders';
import { attendeeKey, meetingPk, outcomeKey, ownerActionsGsiPk, ownerActionsGsiSk } from './meeting-keys';
import { linkedWrites } from './meeting-links';
import {
  type Actor,
  addAgendaEntry,
  agendaEntryPut,
  changeMeetingState,
  getFullMeeting,
  getMeeting,
  listCycleMeetings,
  meetingConflict,
  meetingTransaction,
  type NewAgendaEntry,
  newAgendaEntry,
  removeAgendaEntry,
  type StateChangeWrites,
  type TransactItem,
  toOutcome,
  touchMeeting,
} from './meetings';

export type OutcomeInput =
  | { kind: 'information'; agendaItemId: string; text: string }
  | { kind: 'decision'; agendaItemId: string; text: string; links: AgendaLinks; effects: DecisionEffect[] }
  | { kind: 'action'; agendaItemId: string; text: string; owner: string; dueDate: string };

function outcomeItem(workspaceId: string, outcome: Outcome, meetingTitle: string) {
  const base = { ...outcomeKey(workspaceId, outcome.meetingId, outcome.id), type: 'Outcome', workspaceId, ...outcome };
  if (outcome.kind !== 'action') return base;
  return {
    ...base,
    meetingTitle,
    gsi1pk: ownerActionsGsiPk(workspaceId, outcome.owner),
    gsi1sk: ownerActionsGsiSk(outcome.status, outcome.dueDate, outcome.id),
  };
}

/** Only present attendees who still count for the quorum keep it: checked in the decision's own transaction. */
const stillPresent = (workspaceId: string, meetingId: string, email: string): TransactItem => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: attendeeKey(workspaceId, meetingId, email),
    ConditionExpression: 'present = :true',
    ExpressionAttributeValues: { ':true': true },
  },
});

/**
 * Records an outcome of an agenda item: information, a decision or an action
 * item, only while the meeting is in progress. A decision that agrees or
 * changes a threshold needs a sales and an operations manager present, and
 * its linked writes (issue status, threshold sign-off) are written in the
 * same transaction as the decision, or not at all.
 */
export async function recordOutcome(
  workspaceId: string,
  meetingId: string,
  input: OutcomeInput,
  actor: Caller,
  now: string,
): Promise<Outcome> {
  const full = await getFullMeeting(workspaceId, meetingId);
  const { meeting, attendees } = full;
  const refusal = outcomeRefusal(meeting.state);
  if (refusal) throw new Conflict(refusal, { current: meeting });
  if (full.outcomes.length >= maxOutcomes) throw new Conflict(`A meeting holds at most ${maxOutcomes} outcomes`);
  const entry = full.agenda.find((candidate) => candidate.id === input.agendaItemId);
  if (entry?.kind !== 'item') throw new BadRequest('agendaItemId must be an item of this meeting’s agenda');

  const base = {
    id: randomUUID(),
    meetingId,
    agendaItemId: entry.id,
    text: input.text,
    recordedBy: actor.email,
    recordedAt: now,
    updatedAt: now,
    version: 1,
  };
  const checks: TransactItem[] = [];
  let linked: (outcome: DecisionOutcome) => Promise<TransactItem[]> = async () => [];
  let outcome: Outcome;
  if (input.kind === 'information') {
    outcome = { ...base, kind: 'information' };
  } else if (input.kind === 'action') {
    const owner = await getMember(workspaceId, input.owner);
    if (!owner) throw new ValidationFailed([{ field: 'body.owner', message: 'must be a member of this workspace' }]);
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
    const links = { ...entry.links, ...input.links };
    const decision: DecisionOutcome = { ...base, kind: 'decision', links, effects: input.effects, quorum: [] };
    if (needsQuorum(decision)) {
      const noQuorum = quorumRefusal(attendees);
      if (noQuorum) throw new Conflict(noQuorum);
      const { sales, operations } = quorumMembers(attendees);
      decision.quorum = [...sales, ...operations].map((attendee) => attendee.email);
      const [salesLead, operationsLead] = [sales[0], operations[0]];
      if (salesLead && operationsLead) {
        checks.push(
          stillPresent(workspaceId, meetingId, salesLead.email),
          stillPresent(workspaceId, meetingId, operationsLead.email),
        );
      }
    }
    for (const effect of decision.effects) {
      if (effect.kind !== 'thresholdSignOff') continue;
      const signOff = signOffRefusal(attendees, effect.signers);
      if (signOff) throw new Conflict(signOff);
    }
    outcome = decision;
    linked = (value) => linkedWrites({ workspaceId, meeting, decision: value, attendees, actor, now });
  }

  const head: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: outcomeItem(workspaceId, outcome, meeting.title),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    touchMeeting(workspaceId, meetingId, now, 'inProgress'),
    ...checks,
  ];
  const links = outcome.kind === 'decision' ? await linked(outcome) : [];
  const items: TransactItem[] = [
    ...head,
    ...links,
    auditPut({
      workspaceId,
      actor,
      action: `meeting.${outcome.kind}Recorded`,
      entity: 'meeting',
      entityId: meetingId,
      after: outcome,
      at: now,
    }),
    // After the head, so a failed condition's index still names the head's part.
    ...(outcome.kind === 'action' ? [reminderEntryPut(workspaceId, outcome)] : []),
  ];
  items.push(...(await referenceChecks(workspaceId, outcomeReferences(input), items)));
  try {
    await meetingTransaction(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed) {
      if (error.index === 1) throw meetingConflict(error.current, outcomeRefusal('closed') ?? 'The meeting changed');
      if (error.index > 1 && error.index < head.length) {
        throw new Conflict('The sales or operations manager was marked absent meanwhile; the decision needs both present');
      }
      if (error.index >= head.length && error.index < head.length + links.length) {
        throw new Conflict('A record the decision changes was changed meanwhile; nothing was recorded. Reload and decide again', {
          current: error.current,
        });
      }
    }
    throw error;
  }
  return outcome;
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

async function getAction(workspaceId: string, meetingId: string, actionId: string): Promise<ActionOutcome> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: outcomeKey(workspaceId, meetingId, actionId), ConsistentRead: true }),
  );
  const outcome = Item ? toOutcome(Item) : undefined;
  if (outcome?.kind !== 'action') throw new NotFound('Action item not found');
  return outcome;
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
  actor: Actor,
  now: string,
): Promise<ActionOutcome> {
  const before = await getAction(workspaceId, meetingId, actionId);
  const refusal = actionUpdateRefusal(actor, before);
  if (refusal) throw new Forbidden(refusal);
  const after: ActionOutcome = { ...before, status: input.status, updatedAt: now, version: before.version + 1 };
  try {
    await meetingTransaction([
      {
        Update: {
          TableName: tableName(),
          Key: outcomeKey(workspaceId, meetingId, actionId),
          UpdateExpression: 'SET #status = :status, gsi1sk = :gsi1sk, updatedAt = :now, version = version + :one',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': input.status,
            ':gsi1sk': ownerActionsGsiSk(input.status, before.dueDate, actionId),
            ':now': now,
            ':one': 1,
            ':expected': input.expectedVersion,
          },
        },
      },
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
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      throw new Conflict(`The action changed since version ${input.expectedVersion}`, {
        current: error.current ? toOutcome(error.current) : undefined,
      });
    }
    throw error;
  }
  return after;
}

/** A page of a member's open action items in a workspace, soonest due first. */
export async function listOpenActionsOf(
  workspaceId: string,
  email: string,
  page: { limit: number; cursor?: string },
): Promise<Page<ActionView>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :open)',
      ExpressionAttributeValues: {
        ':pk': ownerActionsGsiPk(workspaceId, email),
        ':open': ownerActionsGsiSk('open', '', '').split('#')[0],
      },
    },
    page,
    (item) => ({ ...(toOutcome(item) as ActionOutcome), meetingTitle: (item.meetingTitle as string) ?? '' }),
  );
}

// ---------------------------------------------------------------- carry-forward

/**
 * Open actions of a cycle's meetings other than `exceptId`: one Query per
 * meeting of the cycle, which is bounded (a cycle holds a handful of meetings).
 */
export async function openActionsOfCycle(workspaceId: string, meetings: Meeting[], exceptId: string): Promise<ActionOutcome[]> {
  const perMeeting = await Promise.all(
    meetings
      .filter((meeting) => meeting.id !== exceptId)
      .map((meeting) =>
        queryAll(
          {
            TableName: tableName(),
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: 'kind = :action AND #status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pk': meetingPk(workspaceId, meeting.id),
              ':prefix': 'OUTCOME#',
              ':action': 'action',
              ':open': 'open',
            },
          },
          (item) => toOutcome(item) as ActionOutcome,
        ),
      ),
  );
  return perMeeting.flat();
}

/** Unfinished actions of earlier closed meetings of the cycle that `target` would take over. */
export async function carryForwardCandidates(workspaceId: string, target: Meeting): Promise<ActionOutcome[]> {
  const meetings = await listCycleMeetings(workspaceId, target.cycleId);
  const actions = await openActionsOfCycle(workspaceId, meetings, target.id);
  return selectCarryForward(target, meetings, actions).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
}

/**
 * Hands an action over to `target`: conditional on it still being open and
 * held by the meeting it was selected from, so two meetings opening at once
 * cannot both take it, and one meeting never takes it twice.
 */
export function claimAction(workspaceId: string, action: ActionOutcome, targetId: string, now: string): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: outcomeKey(workspaceId, action.meetingId, action.id),
      UpdateExpression:
        'SET heldIn = :target, carriedTo = list_append(carriedTo, :targetList), updatedAt = :now, version = version + :one',
      ConditionExpression: 'heldIn = :held AND #status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':target': targetId,
        ':targetList': [targetId],
        ':held': action.heldIn,
        ':open': 'open',
        ':now': now,
        ':one': 1,
      },
    },
  };
}

/** The agenda entry that follows a carried action up. */
export function followUpEntry(action: ActionOutcome, now: string): AgendaEntry {
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

/**
 * The writes that carry unfinished actions forward when `target` opens: a
 * "Carried-forward actions" section and a follow-up item per action at the
 * end of the agenda, each action claimed in the same transaction.
 */
export async function carryForwardWrites(workspaceId: string, target: Meeting, now: string): Promise<StateChangeWrites> {
  const onAgenda = new Set(target.agendaOrder);
  const candidates = (await carryForwardCandidates(workspaceId, target)).slice(
    0,
    Math.max(0, Math.min(maxCarriedAtOnce, 60 - onAgenda.size - 1)),
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
      ...candidates.map((action) => claimAction(workspaceId, action, target.id, now)),
    ],
  };
}

/**
 * Runs a meeting one step on (or reopens it). Opening carries the cycle's
 * unfinished actions forward in the same transaction; when another meeting
 * took one of them at the same moment, the selection is made again.
 */
export async function moveMeeting(
  workspaceId: string,
  meetingId: string,
  to: Meeting['state'],
  expectedVersion: number,
  actor: Actor,
  now: string,
): Promise<Meeting> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await changeMeetingState(
        workspaceId,
        meetingId,
        to,
        expectedVersion,
        actor,
        now,
        to === 'open' ? (meeting) => carryForwardWrites(workspaceId, meeting, now) : undefined,
      );
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (attempt >= 3) throw new Conflict('Actions were carried forward by another meeting meanwhile; try again');
    }
  }
}

/**
 * Adds an entry to the agenda. An entry that follows up an action from an
 * earlier meeting claims that action in the same transaction, so the same
 * action is never followed up in two meetings at once.
 */
export async function addToAgenda(
  workspaceId: string,
  meetingId: string,
  input: NewAgendaEntry & { beforeId?: string },
  actor: Caller,
  now: string,
): Promise<AgendaEntry> {
  const source = input.source;
  if (source.kind !== 'action') return addAgendaEntry(workspaceId, meetingId, input, actor, now);
  const meeting = await getMeeting(workspaceId, meetingId);
  const action = (await carryForwardCandidates(workspaceId, meeting)).find(
    (candidate) => candidate.id === source.actionId && candidate.meetingId === source.meetingId,
  );
  if (!action) throw new Conflict('That action is finished or already followed up in another meeting');
  return addAgendaEntry(workspaceId, meetingId, input, actor, now, [claimAction(workspaceId, action, meetingId, now)]);
}

/**
 * Removes an agenda entry. Removing the follow-up of a carried action hands
 * the action back to the meeting that held it before, so it is proposed
 * again instead of being stuck with a meeting that no longer discusses it.
 */
export async function removeFromAgenda(
  workspaceId: string,
  meetingId: string,
  entryId: string,
  expectedVersion: number,
  actor: Caller,
  now: string,
): Promise<void> {
  await removeAgendaEntry(workspaceId, meetingId, entryId, expectedVersion, actor, now, async (entry) => {
    if (entry.source.kind !== 'action') return [];
    const action = await getAction(workspaceId, entry.source.meetingId, entry.source.actionId);
    if (action.heldIn !== meetingId) return [];
    const hops = action.carriedTo.length;
    return [
      {
        Update: {
          TableName: tableName(),
          Key: outcomeKey(workspaceId, action.meetingId, action.id),
          UpdateExpression: `SET heldIn = :previous, updatedAt = :now, version = version + :one REMOVE carriedTo[${hops - 1}]`,
          ConditionExpression: 'heldIn = :meeting AND size(carriedTo) = :hops',
          ExpressionAttributeValues: {
            ':previous': action.carriedTo[hops - 2] ?? action.meetingId,
            ':meeting': meetingId,
            ':hops': hops,
            ':now': now,
            ':one': 1,
          },
        },
      },
    ];
  });
}
