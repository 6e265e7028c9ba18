import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { agendaKey, attendeeKey, meetingKey, meetingListGsiPk, meetingListGsiSk } from '#functions/meetings/entities-meeting';
import { outcomeKey, ownerActionsGsiPk, ownerActionsGsiSk } from '#functions/meetings/entities-outcomes';
import { issueDayKey, issueDaysGsiPk, issueDaysGsiSk } from '#functions/misalignment/entities-issue-days';
import { issueKey } from '#functions/misalignment/entities-issues';
import { occurrenceKey } from '#functions/misalignment/entities-occurrences';
import { freezeKey, frozenEntryKey, votesKey } from '#functions/misalignment/entities-ranking';
import { scoringModelKey } from '#functions/misalignment/entities-scoring';
import { auditEventSk } from '#functions/table/audit-trail';
import { auditPk } from '#functions/table/keys';
import {
  count,
  day,
  email,
  emails,
  flag,
  id,
  ids,
  json,
  nonEmpty,
  nullableId,
  nullableText,
  number,
  type RecordLayout,
  RecordProblem,
  stamps,
  text,
} from './backup-record-kit';

/** Layouts of the misalignment, ranking, meeting and audit records. */
export const issueAndMeetingLayouts: Record<string, RecordLayout> = {
  MisalignmentIssue: {
    attributes: {
      id,
      title: text,
      titleLower: text,
      description: text,
      category: text,
      status: text,
      currency: text,
      owner: nullableText,
      functions: lazySchema(() => z.array(text)),
      itemIds: ids,
      cycleId: nullableId,
      meetingIds: ids,
      thresholdVersionIds: json,
      decisions: json,
      totalCostMinor: number,
      occurrenceCount: count,
      lastLoggedAt: nullableText,
      workspaceId: id,
      ...stamps,
    },
    patterns: [[/^(cost|stage|recentCost)#.{1,64}$/, number]],
    required: ['id'],
    refs: [
      ['itemIds[]', 'item'],
      ['cycleId', 'cycle'],
      ['meetingIds[]', 'meeting'],
    ],
    keys: (ws, r) => issueKey(ws, String(r.id)),
  },
  Occurrence: {
    attributes: {
      id,
      issueId: id,
      cost: json,
      notes: text,
      updatedBy: text,
      loggedAt: text,
      commitmentId: nullableId,
      reporter: text,
      reference: text,
      detectedAt: text,
      currency: text,
      occurredOn: day,
      totalCost: number,
      workspaceId: id,
      version: count,
      updatedAt: text,
    },
    required: ['id', 'issueId'],
    refs: [
      ['issueId', 'issue'],
      ['commitmentId', 'commitment'],
    ],
    keys: (ws, r) => occurrenceKey(ws, String(r.issueId), String(r.id)),
  },
  IssueDay: {
    attributes: { issueId: id, day, occurrenceCount: number, costMinor: number },
    required: ['issueId', 'day'],
    refs: [['issueId', 'issue']],
    keys: (ws, r) => ({
      ...issueDayKey(ws, String(r.issueId), String(r.day)),
      gsi1pk: issueDaysGsiPk(ws),
      gsi1sk: issueDaysGsiSk(String(r.day), String(r.issueId)),
    }),
  },
  ScoringModel: {
    attributes: {
      votesPerManager: number,
      costScale: number,
      recentCostScale: number,
      frequencyScale: number,
      currency: text,
      weights: json,
      updatedBy: nullableText,
      updatedAt: nullableText,
      version: count,
    },
    keys: (ws) => scoringModelKey(ws),
  },
  CycleVotes: {
    attributes: { cycleId: id, email, name: text, allocations: json, version: count, updatedAt: text },
    required: ['cycleId', 'email'],
    refs: [
      ['cycleId', 'cycle'],
      ['allocations[].issueId', 'issue'],
    ],
    keys: (ws, r) => votesKey(ws, String(r.cycleId), String(r.email)),
  },
  RankingFreeze: {
    attributes: {
      cycleId: id,
      freezeId: id,
      note: text,
      entryCount: count,
      frozenBy: text,
      frozenByName: text,
      frozenAt: text,
      scoringModel: json,
      meetingId: nullableId,
    },
    required: ['cycleId'],
    refs: [
      ['cycleId', 'cycle'],
      ['meetingId', 'meeting'],
    ],
    keys: (ws, r) => freezeKey(ws, String(r.cycleId)),
  },
  FrozenRankingEntry: {
    attributes: { entry: json },
    required: ['entry'],
    parent: { partition: 'CYCLE', kind: 'cycle' },
    refs: [['entry.issueId', 'issue']],
    keys: (ws, r, cycle) => {
      const [, freezeId = '', rank = ''] = /^FROZEN#([0-9a-f-]{36})#(\d{6})$/.exec(String(r.sk)) ?? [];
      if (!id.safeParse(freezeId).success) throw new RecordProblem('sk', 'must be a frozen ranking entry key');
      return frozenEntryKey(ws, cycle, freezeId, Number(rank));
    },
  },
  Meeting: {
    attributes: {
      id,
      cycleId: id,
      title: text,
      meetingType: text,
      startsAt: nonEmpty,
      durationMinutes: number,
      location: text,
      invited: emails,
      state: text,
      agendaOrder: ids,
      agendaVersion: count,
      revision: count,
      closedAt: nullableText,
      workspaceId: id,
      ...stamps,
    },
    required: ['id', 'cycleId', 'startsAt'],
    refs: [
      ['cycleId', 'cycle'],
      ['agendaOrder[]', 'agenda'],
    ],
    keys: (ws, r) => ({
      ...meetingKey(ws, String(r.id)),
      gsi1pk: meetingListGsiPk(ws),
      gsi1sk: meetingListGsiSk(String(r.cycleId), String(r.startsAt), String(r.id)),
    }),
  },
  Attendee: {
    attributes: {
      email,
      name: text,
      role: text,
      function: text,
      present: flag,
      markedAt: text,
      markedBy: text,
      version: count,
    },
    required: ['email'],
    parent: { partition: 'MEETING', kind: 'meeting' },
    keys: (ws, r, meeting) => attendeeKey(ws, meeting, String(r.email)),
  },
  AgendaEntry: {
    attributes: {
      id,
      title: text,
      kind: text,
      notes: text,
      presenter: nullableText,
      source: json,
      links: json,
      durationMinutes: number,
      version: count,
      createdAt: text,
      updatedAt: text,
    },
    required: ['id'],
    parent: { partition: 'MEETING', kind: 'meeting' },
    refs: [
      ['links.issueId', 'issue'],
      ['links.thresholdId', 'item'],
    ],
    keys: (ws, r, meeting) => agendaKey(ws, meeting, String(r.id)),
  },
  Outcome: {
    attributes: {
      id,
      meetingId: id,
      kind: text,
      text,
      owner: email,
      ownerName: text,
      dueDate: day,
      status: text,
      agendaItemId: id,
      cycleId: id,
      heldIn: id,
      meetingTitle: text,
      carriedTo: ids,
      recordedBy: text,
      recordedAt: text,
      quorum: json,
      effects: json,
      links: json,
      workspaceId: id,
      version: count,
      updatedAt: text,
    },
    required: ['id', 'meetingId', 'kind'],
    parent: { partition: 'MEETING', kind: 'meeting' },
    refs: [
      ['meetingId', 'meeting'],
      ['agendaItemId', 'agenda'],
      ['cycleId', 'cycle'],
      ['heldIn', 'meeting'],
      ['carriedTo[]', 'meeting'],
      ['links.issueId', 'issue'],
      ['links.thresholdId', 'item'],
    ],
    keys: (ws, r, meeting) => {
      if (r.meetingId !== meeting) throw new RecordProblem('meetingId', 'must be the meeting the outcome is in');
      const key = outcomeKey(ws, meeting, String(r.id));
      if (r.kind !== 'action') return key;
      for (const field of ['owner', 'dueDate', 'status']) {
        if (typeof r[field] !== 'string') throw new RecordProblem(field, 'is required of an action');
      }
      return {
        ...key,
        gsi1pk: ownerActionsGsiPk(ws, String(r.owner)),
        gsi1sk: ownerActionsGsiSk(String(r.status), String(r.dueDate), String(r.id)),
      };
    },
  },
  AuditEvent: {
    attributes: {
      id,
      at: nonEmpty,
      actorEmail: text,
      actorName: text,
      action: text,
      entity: text,
      entityId: text,
      before: json,
      after: json,
      workspaceId: id,
    },
    required: ['id', 'at'],
    keys: (ws, r) => ({ pk: auditPk(ws), sk: auditEventSk(String(r.at), String(r.id)) }),
  },
};
