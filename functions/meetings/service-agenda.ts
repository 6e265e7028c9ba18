import { type AgendaEntry, type AgendaLinks, type AgendaSource, type Meeting, placeEntry } from '#contract/meetings/meetings';
import { agendaAddPolicy, agendaRemovePolicy, meetingEditPolicy, reorderPolicy } from '#contract/meetings/policies';
import { Refused, refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { brokenReference, type Reference, referenceChecks, referencesOf } from '#functions/table/references';
import { named, type TransactItem, TransactionConditionFailed } from '#functions/table/transactions';
import { releaseAction } from './entities-actions';
import { agendaEntryDelete, agendaEntryEntity, agendaEntryUpdate, readAgendaEntry } from './entities-agenda';
import { agendaOrderUpdate, meetingTransaction, touchMeeting } from './entities-meeting';
import { agendaEntryPut, carryForwardCandidates, claimCarriedAction, newAgendaEntry } from './service-carry-forward';
import { getAction } from './service-outcomes';
import { getFullMeeting, getMeeting, meetingConflict } from './service-reads';

export interface NewAgendaEntry {
  kind: AgendaEntry['kind'];
  title: string;
  durationMinutes: number;
  presenter: string | null;
  notes: string;
  links: AgendaLinks;
  source: AgendaSource;
}

/** What an agenda entry names: its presenter, the issue and threshold it links to and the proposal it came from. */
function agendaReferences(input: { presenter?: string | null; links?: AgendaLinks; source?: AgendaSource }): Reference[] {
  const source = input.source;
  return [
    ...referencesOf('body.presenter', 'member', [input.presenter]),
    ...referencesOf('body.links.issueId', 'issue', [input.links?.issueId]),
    ...referencesOf('body.links.thresholdId', 'threshold', [input.links?.thresholdId]),
    ...referencesOf('body.source.issueId', 'issue', [source?.kind === 'issue' ? source.issueId : undefined]),
    ...referencesOf('body.source.thresholdId', 'threshold', [source?.kind === 'signOff' ? source.thresholdId : undefined]),
  ];
}

/**
 * Computes a change of the agenda's order from the meeting as read and writes
 * it conditionally (the part named `agenda-order`); when another change of
 * the order got in between, reads again and recomputes, since adding or
 * removing an entry does not depend on where the others are.
 */
async function withAgendaOrder(
  workspaceId: string,
  meetingId: string,
  write: (meeting: Meeting) => TransactItem[],
  asRead?: Meeting,
): Promise<Meeting> {
  for (let attempt = 1; ; attempt++) {
    // A caller that has just read the meeting consistently hands it over for the first attempt: one round trip less.
    const meeting = attempt === 1 && asRead ? asRead : await getMeeting(workspaceId, meetingId);
    const refusal = meetingEditPolicy(meeting);
    if (refusal) throw new Refused(refusal);
    try {
      await meetingTransaction(write(meeting));
      return meeting;
    } catch (error) {
      const orderMoved =
        error instanceof TransactionConditionFailed &&
        error.part === 'agenda-order' &&
        error.current !== undefined &&
        error.current.agendaVersion !== meeting.agendaVersion &&
        error.current.state !== 'closed';
      if (!orderMoved || attempt >= 4) throw error;
    }
  }
}

const orderUpdate = (workspaceId: string, meeting: Meeting, order: string[], now: string) =>
  named('agenda-order', agendaOrderUpdate(workspaceId, meeting.id, order, meeting.agendaVersion, now));

/**
 * Adds a section or item to the agenda, before `beforeId` or at the end. An
 * entry that follows up an action from an earlier meeting claims that action
 * in the same transaction, so the same action is never followed up in two
 * meetings at once.
 */
export async function addAgendaEntry(
  workspaceId: string,
  meetingId: string,
  input: NewAgendaEntry & { beforeId?: string },
  actor: Caller,
  now: string,
): Promise<AgendaEntry> {
  const { beforeId, ...fields } = input;
  const source = input.source;
  const claims: TransactItem[] = [];
  if (source.kind === 'action') {
    const meeting = await getMeeting(workspaceId, meetingId);
    const action = (await carryForwardCandidates(workspaceId, meeting)).find(
      (candidate) => candidate.id === source.actionId && candidate.meetingId === source.meetingId,
    );
    if (!action) throw refuse.conflict('That action is finished or already followed up in another meeting');
    claims.push(claimCarriedAction(workspaceId, action, meetingId, now));
  }
  const entry = newAgendaEntry(fields, now);
  const checks = await referenceChecks(workspaceId, agendaReferences(input), claims);
  let sent: TransactItem[] = [];
  try {
    await withAgendaOrder(workspaceId, meetingId, (meeting) => {
      const refusal = agendaAddPolicy(meeting, beforeId);
      if (refusal) throw new Refused(refusal);
      const order = placeEntry([...meeting.agendaOrder, entry.id], entry.id, beforeId ?? null);
      sent = [
        orderUpdate(workspaceId, meeting, order, now),
        agendaEntryPut(workspaceId, meetingId, entry),
        ...claims,
        auditPut({
          workspaceId,
          actor,
          action: 'meeting.agendaAdded',
          entity: 'meeting',
          entityId: meetingId,
          after: entry,
          at: now,
        }),
        ...checks,
      ];
      return sent;
    });
  } catch (error) {
    const refused = brokenReference(error, sent);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed) {
      if (error.part === 'agenda-order') throw meetingConflict(error.current, 'The agenda changed meanwhile; try again');
      if (error.part === 'carried-action') {
        throw refuse.conflict('The proposal was already taken into another meeting’s agenda', { current: error.current });
      }
    }
    throw error;
  }
  return entry;
}

/** Changes an agenda entry, conditional on its version; a stale one gets 409 with the entry as it is now. */
export async function updateAgendaEntry(
  workspaceId: string,
  meetingId: string,
  entryId: string,
  patch: Partial<Pick<AgendaEntry, 'title' | 'durationMinutes' | 'presenter' | 'notes' | 'links'>> & { expectedVersion: number },
  actor: Caller,
  now: string,
): Promise<AgendaEntry> {
  const { expectedVersion, ...changes } = patch;
  // Read beside the membership check, so the answer needs no read after the write.
  const before = readAgendaEntry(workspaceId, meetingId, entryId);
  before.catch(() => undefined);
  const items: TransactItem[] = [
    named('entry', agendaEntryUpdate(workspaceId, meetingId, entryId, changes, expectedVersion, now)),
    named('meeting', touchMeeting(workspaceId, meetingId, now, 'editable')),
    auditPut({
      workspaceId,
      actor,
      action: 'meeting.agendaUpdated',
      entity: 'meeting',
      entityId: meetingId,
      after: { entryId, ...changes },
      at: now,
    }),
  ];
  items.push(...(await referenceChecks(workspaceId, agendaReferences(changes), items)));
  try {
    await meetingTransaction(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed) {
      if (error.part === 'entry') {
        if (!error.current) throw refuse.notFound('Agenda entry not found');
        throw refuse.conflict(`The agenda entry changed since version ${expectedVersion}`, {
          current: agendaEntryEntity(workspaceId, meetingId).parse(error.current),
        });
      }
      if (error.part === 'meeting') throw meetingConflict(error.current, 'The meeting changed meanwhile');
    }
    throw error;
  }
  const entries = agendaEntryEntity(workspaceId, meetingId);
  const seen = await before.catch(() => undefined);
  // The write was conditional on this version, so the entry it changed is the one read: the answer is that
  // entry with the changes. Read again only when another change got in between the read and the write.
  if (seen?.version === expectedVersion) {
    const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
    return entries.parse({ ...seen, ...set, version: expectedVersion + 1, updatedAt: now });
  }
  const entry = await readAgendaEntry(workspaceId, meetingId, entryId);
  if (!entry) throw refuse.notFound('Agenda entry not found');
  return entry;
}

/**
 * Removes an agenda entry that has no outcomes yet. Removing the follow-up of
 * a carried action hands the action back to the meeting that held it before,
 * so it is proposed again instead of being stuck with a meeting that no
 * longer discusses it.
 */
export async function removeAgendaEntry(
  workspaceId: string,
  meetingId: string,
  entryId: string,
  expectedVersion: number,
  actor: Caller,
  now: string,
): Promise<void> {
  const full = await getFullMeeting(workspaceId, meetingId);
  const entry = full.agenda.find((candidate) => candidate.id === entryId);
  if (!entry) throw refuse.notFound('Agenda entry not found');
  const refusal = agendaRemovePolicy(entryId, full.outcomes);
  if (refusal) throw new Refused(refusal);
  const release: TransactItem[] = [];
  if (entry.source.kind === 'action') {
    const action = await getAction(workspaceId, entry.source.meetingId, entry.source.actionId);
    if (action.heldIn === meetingId) release.push(named('released-action', releaseAction(workspaceId, action, meetingId, now)));
  }
  try {
    await withAgendaOrder(
      workspaceId,
      meetingId,
      (meeting) => [
        orderUpdate(
          workspaceId,
          meeting,
          meeting.agendaOrder.filter((id) => id !== entryId),
          now,
        ),
        named('entry', agendaEntryDelete(workspaceId, meetingId, entryId, expectedVersion)),
        ...release,
        auditPut({
          workspaceId,
          actor,
          action: 'meeting.agendaRemoved',
          entity: 'meeting',
          entityId: meetingId,
          before: entry,
          at: now,
        }),
      ],
      full.meeting,
    );
  } catch (error) {
    if (error instanceof TransactionConditionFailed) {
      if (error.part === 'entry') {
        throw refuse.conflict(`The agenda entry changed since version ${expectedVersion}`, {
          current: error.current ? agendaEntryEntity(workspaceId, meetingId).parse(error.current) : undefined,
        });
      }
      if (error.part === 'agenda-order') throw meetingConflict(error.current, 'The agenda changed meanwhile; try again');
      if (error.part === 'released-action') throw refuse.conflict('The agenda changed meanwhile; try again');
    }
    throw error;
  }
}

/**
 * Replaces the agenda's order, conditional on the agenda version the new
 * order was computed from. Two people reordering at once: the second gets
 * 409 with the current meeting (order and agenda version) and applies their
 * move again on top of it, so neither move is lost.
 */
export async function reorderAgenda(
  workspaceId: string,
  meetingId: string,
  order: string[],
  expectedAgendaVersion: number,
  actor: Caller,
  now: string,
): Promise<Meeting> {
  const meeting = await getMeeting(workspaceId, meetingId);
  const refusal = reorderPolicy(meeting, order, expectedAgendaVersion);
  if (refusal) throw new Refused(refusal);
  try {
    await meetingTransaction([
      orderUpdate(workspaceId, meeting, order, now),
      auditPut({
        workspaceId,
        actor,
        action: 'meeting.agendaReordered',
        entity: 'meeting',
        entityId: meetingId,
        before: meeting.agendaOrder,
        after: order,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'agenda-order') {
      throw meetingConflict(error.current, `The agenda changed since version ${expectedAgendaVersion}`);
    }
    throw error;
  }
  return { ...meeting, agendaOrder: order, agendaVersion: expectedAgendaVersion + 1, revision: meeting.revision + 1 };
}
