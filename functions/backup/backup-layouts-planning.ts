import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { approvalMarkerSk, awaitingGsiPk, awaitingGsiSk } from '#functions/catalogue/entities-approvals';
import { codeKey, itemsGsiPk, portfolioItemKey } from '#functions/portfolio/entities';
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
} from '#functions/portfolio/item-collection';
import { userGsiPk, workspacePk } from '#functions/table/keys';
import { cycleKey } from '#functions/thresholds/entities-cycles';
import {
  count,
  day,
  email,
  flag,
  id,
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

/** What a commitment record may carry; its approval markers carry a copy of it. */
const commitmentAttributes = {
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
  customer: nullableText,
  // Commitments recorded before the whole promise was kept carry `deliveryDate`, the promised date.
  deliveryDate: day,
  requestedDate: day,
  promisedDate: day,
  orderValue: lazySchema(() => z.nullable(number)),
  flexCost: json,
  allocation: json,
  quantity: number,
  deliveredQuantity: number,
  deliveredAt: nullableText,
  missedReason: nullableText,
  missedNote: nullableText,
  deliveryOccurrenceId: nullableText,
  recordedBy: text,
  recordedByName: text,
  answer: text,
  status: text,
  decidedBy: nullableText,
  decidedByName: nullableText,
  decidedAt: nullableText,
  decisionReason: nullableText,
  timeToDecisionMs: lazySchema(() => z.nullable(number)),
  workspaceId: id,
  ...stamps,
};

/** Layouts of the workspace, portfolio, budget cycle, threshold and commitment records. */
export const planningLayouts: Record<string, RecordLayout> = {
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
      family: text,
      listPrice: lazySchema(() => z.nullable(number)),
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
    attributes: commitmentAttributes,
    required: ['id', 'itemId'],
    refs: [
      ['itemId', 'item'],
      ['thresholdCycleId', 'cycle'],
      ['occurrenceId', 'occurrence'],
      ['leadTimeIssueId', 'issue'],
      ['deliveryOccurrenceId', 'occurrence'],
    ],
    keys: (ws, r) => {
      const promised = r.promisedDate ?? r.deliveryDate;
      if (promised === undefined || promised === null) throw new RecordProblem('promisedDate', 'is required');
      return {
        pk: itemCollectionPk(ws, String(r.itemId)),
        sk: commitmentSk(String(r.id)),
        gsi1pk: commitmentsGsiPk(ws),
        gsi1sk: commitmentsGsiSk(String(promised), String(r.id)),
      };
    },
  },
  CommitmentApproval: {
    attributes: commitmentAttributes,
    required: ['id', 'itemId', 'recordedBy', 'createdAt', 'status'],
    refs: [
      ['id', 'commitment'],
      ['itemId', 'item'],
    ],
    keys: (ws, r) => {
      const marker = { recordedBy: String(r.recordedBy), createdAt: String(r.createdAt), id: String(r.id) };
      return {
        pk: workspacePk(ws),
        sk: approvalMarkerSk(marker),
        ...(r.status === 'awaiting approval' ? { gsi1pk: awaitingGsiPk(ws), gsi1sk: awaitingGsiSk(marker) } : {}),
      };
    },
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
      version: lazySchema(() => z.int().check(z.minimum(1))),
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
      holidays: lazySchema(() => z.array(day)),
      state: text,
      copiedFrom: nullableId,
      workspaceId: id,
      ...stamps,
    },
    required: ['id'],
    refs: [['copiedFrom', 'cycle']],
    keys: (ws, r) => cycleKey(ws, String(r.id)),
  },
};
