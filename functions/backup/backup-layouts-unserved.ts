import {
  unservedCycleGsiPk,
  unservedItemGsiPk,
  unservedItemGsiSk,
  unservedSk,
  unservedTotalSk,
} from '#functions/catalogue/unserved-keys';
import { itemCollectionPk } from '#functions/portfolio/item-collection';
import { count, day, id, nullableText, number, type RecordLayout, stamps, text } from './backup-record-kit';

/** Unserved demand and its per-cycle totals, both in their item's collection (see catalogue/entities-unserved.ts). */
export const unservedLayouts: Record<string, RecordLayout> = {
  UnservedDemand: {
    attributes: {
      id,
      workspaceId: id,
      itemId: id,
      itemCode: text,
      unit: text,
      quantity: number,
      requestedDate: day,
      customer: text,
      note: nullableText,
      thresholdVersion: count,
      cycleId: id,
      cycleName: text,
      recordedBy: text,
      recordedByName: text,
      ...stamps,
    },
    required: ['id', 'itemId', 'cycleId', 'requestedDate'],
    refs: [
      ['itemId', 'item'],
      ['cycleId', 'cycle'],
    ],
    keys: (ws, r) => ({
      pk: itemCollectionPk(ws, String(r.itemId)),
      sk: unservedSk(String(r.id)),
      gsi1pk: unservedItemGsiPk(ws, String(r.itemId), String(r.cycleId)),
      gsi1sk: unservedItemGsiSk(String(r.requestedDate), String(r.id)),
    }),
  },
  UnservedTotal: {
    attributes: { workspaceId: id, itemId: id, itemCode: text, unit: text, cycleId: id, quantity: number, count: number },
    required: ['itemId', 'cycleId'],
    refs: [
      ['itemId', 'item'],
      ['cycleId', 'cycle'],
    ],
    keys: (ws, r) => ({
      pk: itemCollectionPk(ws, String(r.itemId)),
      sk: unservedTotalSk(String(r.cycleId)),
      gsi1pk: unservedCycleGsiPk(ws, String(r.cycleId)),
      gsi1sk: String(r.itemId),
    }),
  },
};
