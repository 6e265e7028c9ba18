import * as z from 'zod';
import { auditEventSk } from './audit';
import { cycleKey } from './cycle-records';
import {
  agreedSk,
  commitmentSk,
  commitmentsGsiPk,
  commitmentsGsiSk,
  cycleThresholdsGsiPk,
  headSk,
  itemCollectionPk,
  thresholdsGsiSk,
  versionSk,
  weekSk,
} from './item-collection';
import { auditPk, userGsiPk, workspacePk } from './keys';
import {
  agendaKey,
  attendeeKey,
  meetingKey,
  meetingListGsiPk,
  meetingListGsiSk,
  outcomeKey,
  ownerActionsGsiPk,
  ownerActionsGsiSk,
} from './meeting-keys';
import {
  freezeKey,
  frozenEntryKey,
  issueDayKey,
  issueDaysGsiPk,
  issueDaysGsiSk,
  issueKey,
  occurrenceKey,
  scoringModelKey,
  votesKey,
} from './misalignment-keys';
import { codeKey, itemsGsiPk, portfolioItemKey } from './portfolio-keys';

/**
 * What a restore accepts of each record type, declared once per type: the
 * attributes it may carry (anything else is refused), the ids it carries that
 * must name records of the same backup, and how its keys are built in the
 * restored workspace. Keys are never taken from the file: a record's old
 * keys serve only to read the id of the parent it lives under when the
 * record does not carry it (an attendee's meeting, say), and that id must be
 * a record of the backup too. A record type or attribute added to the store
 * is added here, once, or its backups do not restore.
 */

type Rec = Record<string, unknown>;
export interface RecordKeys {
  pk: string;
  sk: string;
  gsi1pk?: string;
  gsi1sk?: string;
}

/** The kinds of record another record may point at, and the attribute that is their id. */
export type RefKind = 'item' | 'cycle' | 'issue' | 'meeting' | 'agenda' | 'commitment' | 'occurrence';
export const refTargets: Record<RefKind, { type: string; field: string }> = {
  item: { type: 'PortfolioItem', field: 'id' },
  cycle: { type: 'BudgetCycle', field: 'id' },
  issue: { type: 'MisalignmentIssue', field: 'id' },
  meeting: { type: 'Meeting', field: 'id' },
  agenda: { type: 'AgendaEntry', field: 'id' },
  commitment: { type: 'Commitment', field: 'id' },
  occurrence: { type: 'Occurrence', field: 'id' },
};

/** Lets a key builder read what it needs of another record of the backup (a code marker reads its item's code). */
export type Lookup = (kind: RefKind, id: string) => Rec | undefined;

export interface RecordLayout {
  attributes: Record<string, z.ZodType>;
  /** Attribute names of a pattern (an issue's `cost#<type>`), with their schema. */
  patterns?: Array<[RegExp, z.ZodType]>;
  /** The parent the record lives under when it does not carry its id: read from its old partition key. */
  parent?: { partition: 'ITEM' | 'MEETING' | 'CYCLE'; kind: RefKind };
  /** Attributes holding ids of the backup's records: `a.b` walks into objects, `a[]` into every element of a list. */
  refs?: Array<[path: string, kind: RefKind]>;
  /** Attributes that must hold a value. */
  required?: string[];
  keys(workspaceId: string, record: Rec, parent: string, lookup: Lookup): RecordKeys;
}

const text = z.string();
const nonEmpty = z.string().min(1, 'must not be empty');
const id = z.uuid({ message: 'must be an id (UUID)' });
const email = z.email({ message: 'must be an email address' });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');
const count = z.number().int().nonnegative();
const number = z.number();
const flag = z.boolean();
const nullableId = id.nullable();
const nullableText = text.nullable();
/** Nested values: their depth and size are bounded for every record before any schema runs. */
const json = z.unknown();
const ids = z.array(id);
const emails = z.array(email);

const stamps = { createdAt: text, updatedAt: text, createdBy: text, version: count };

const layouts: Record<string, RecordLayout> = {
  Member: {
    attributes: {
      email,
      name: text,
      role: nonEmpty,
      function: nonEmpty,
      invitedBy: text,
      workspaceId: id,
      workspaceName: text,
      sub: text,
      ...stamps,
    },
    required: ['email'],
    keys: (ws, r) => ({
      pk: workspacePk(ws),
      sk: `MEMBER#${r.email}`,
      gsi1pk: userGsiPk(String(r.email)),
      gsi1sk: workspacePk(ws),
    }),
  },
  PortfolioItem: {
    attributes: {
      id,
      code: nonEmpty,
      name: text,
      kind: text,
      unit: text,
      description: text,
      owner: nullableText,
      archived: flag,
      search: text,
      agreed: json,
      agreedAt: nullableText,
      workspaceId: id,
      ...stamps,
    },
    required: ['id', 'code'],
    keys: (ws, r) => ({ ...portfolioItemKey(ws, String(r.id)), gsi1pk: itemsGsiPk(ws), gsi1sk: String(r.code) }),
  },
  PortfolioCode: {
    attributes: { itemId: id },
    required: ['itemId'],
    refs: [['itemId', 'item']],
    keys: (ws, r, _parent, lookup) => codeKey(ws, String(lookup('item', String(r.itemId))?.code)),
  },
  AgreedThreshold: {
    attributes: { archived: flag, agreed: json, workspaceId: id, version: count },
    parent: { partition: 'ITEM', kind: 'item' },
    keys: (ws, _r, item) => ({ pk: itemCollectionPk(ws, item), sk: agreedSk }),
  },
  CapacityBucket: {
    attributes: { week: day, committed: number, version: count },
    required: ['week'],
    parent: { partition: 'ITEM', kind: 'item' },
    keys: (ws, r, item) => ({ pk: itemCollectionPk(ws, item), sk: weekSk(String(r.week)) }),
  },
  Commitment: {
    attributes: {
      id,
      itemId: id,
      itemCode: text,
      thresholdCycleId: id,
      thresholdVersion: count,
      occurrenceId: nullableId,
      leadTimeIssueId: nullableId,
      cancelledBy: nullableText,
      cancelledAt: nullableText,
      reference: text,
      deliveryDate: day,
      allocation: json,
      quantity: number,
      recordedBy: text,
      recordedByName: text,
      answer: text,
      status: text,
      workspaceId: id,
      ...stamps,
    },
    required: ['id', 'itemId', 'deliveryDate'],
    refs: [
      ['itemId', 'item'],
      ['thresholdCycleId', 'cycle'],
      ['occurrenceId', 'occurrence'],
      ['leadTimeIssueId', 'issue'],
    ],
    keys: (ws, r) => ({
      pk: itemCollectionPk(ws, String(r.itemId)),
      sk: commitmentSk(String(r.id)),
      gsi1pk: commitmentsGsiPk(ws),
      gsi1sk: commitmentsGsiSk(String(r.deliveryDate), String(r.id)),
    }),
  },
  ThresholdHead: {
    attributes: {
      itemId: id,
      cycleId: id,
      itemCode: text,
      itemName: text,
      signOffs: json,
      agreedSignOffs: json,
      agreed: json,
      latest: json,
      revision: count,
      workspaceId: id,
      version: count,
      updatedAt: text,
    },
    required: ['itemId', 'cycleId'],
    refs: [
      ['itemId', 'item'],
      ['cycleId', 'cycle'],
    ],
    keys: (ws, r) => ({
      pk: itemCollectionPk(ws, String(r.itemId)),
      sk: headSk(String(r.cycleId)),
      gsi1pk: cycleThresholdsGsiPk(ws, String(r.cycleId)),
      gsi1sk: thresholdsGsiSk(String(r.itemId)),
    }),
  },
  ThresholdVersion: {
    attributes: {
      itemId: id,
      cycleId: id,
      version: z.number().int().min(1),
      createdByName: text,
      origin: json,
      changes: json,
      terms: json,
      signOffs: json,
      workspaceId: id,
      createdAt: text,
      createdBy: text,
    },
    required: ['itemId', 'cycleId', 'version'],
    refs: [
      ['itemId', 'item'],
      ['cycleId', 'cycle'],
    ],
    keys: (ws, r) => ({ pk: itemCollectionPk(ws, String(r.itemId)), sk: versionSk(String(r.cycleId), Number(r.version)) }),
  },
  BudgetCycle: {
    attributes: {
      id,
      name: text,
      startDate: day,
      endDate: day,
      holidays: z.array(day),
      state: text,
      copiedFrom: nullableId,
      workspaceId: id,
      ...stamps,
    },
    required: ['id'],
    refs: [['copiedFrom', 'cycle']],
    keys: (ws, r) => cycleKey(ws, String(r.id)),
  },
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
      functions: z.array(text),
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

/** A record of a backup that a restore refuses: the attribute and why. */
export class RecordProblem extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

/** The layout of a record type, or null for a type Accord does not export. */
export const layoutOf = (type: unknown): RecordLayout | null =>
  typeof type === 'string' && Object.hasOwn(layouts, type) ? (layouts[type] ?? null) : null;

/** Types a backup holds besides the workspace record itself. */
export const restorableTypes = Object.keys(layouts);

const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'type']);
const keyText = z.string().min(1, 'must not be empty');

/** Checks a record's attributes against its type's layout: throws the first problem. */
export function checkAttributes(record: Rec, layout: RecordLayout, sourceWorkspaceId: string) {
  for (const [name, value] of Object.entries(record)) {
    if (keyAttributes.has(name)) {
      if (!keyText.safeParse(value).success) throw new RecordProblem(name, 'must be a non-empty string');
      continue;
    }
    const schema = Object.hasOwn(layout.attributes, name)
      ? layout.attributes[name]
      : layout.patterns?.find(([pattern]) => pattern.test(name))?.[1];
    if (!schema) throw new RecordProblem(name, `is not an attribute of a ${String(record.type)} record`);
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new RecordProblem(name, parsed.error.issues[0]?.message ?? 'is not valid');
    if (name === 'workspaceId' && value !== sourceWorkspaceId) throw new RecordProblem(name, 'must be the exported workspace');
  }
  for (const name of ['pk', 'sk', ...(layout.required ?? [])]) {
    if (record[name] === undefined || record[name] === null) throw new RecordProblem(name, 'is required');
  }
}

/** The parent id a record lives under, from its old partition key (`WS#<source>#MEETING#<id>`). */
export function parentOf(record: Rec, layout: RecordLayout, sourceWorkspaceId: string): string {
  if (!layout.parent) return '';
  const prefix = `${workspacePk(sourceWorkspaceId)}#${layout.parent.partition}#`;
  const pk = String(record.pk);
  const parent = pk.startsWith(prefix) ? pk.slice(prefix.length) : '';
  if (!id.safeParse(parent).success) {
    throw new RecordProblem('pk', `must be a ${layout.parent.partition.toLowerCase()} partition of the exported workspace`);
  }
  return parent;
}

/** Every id a record points at, with the attribute path that holds it. */
export function refsOf(record: Rec, layout: RecordLayout): Array<{ field: string; kind: RefKind; id: unknown }> {
  const found: Array<{ field: string; kind: RefKind; id: unknown }> = [];
  for (const [path, kind] of layout.refs ?? []) {
    let values: Array<{ field: string; value: unknown }> = [{ field: '', value: record }];
    for (const step of path.split('.')) {
      const list = step.endsWith('[]');
      const name = list ? step.slice(0, -2) : step;
      values = values.flatMap(({ field, value }) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
        const inner = (value as Rec)[name];
        const at = field ? `${field}.${name}` : name;
        if (!list) return [{ field: at, value: inner }];
        return Array.isArray(inner) ? inner.map((element, index) => ({ field: `${at}.${index}`, value: element })) : [];
      });
    }
    for (const { field, value } of values) {
      if (value !== null && value !== undefined) found.push({ field, kind, id: value });
    }
  }
  return found;
}
