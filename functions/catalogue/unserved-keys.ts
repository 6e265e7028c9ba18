import { itemCollectionPk } from '#functions/portfolio/item-collection';
import { workspacePk } from '#functions/table/keys';

/**
 * Unserved demand lives in its item's collection:
 *
 * | key                                        | what                                            |
 * | ------------------------------------------ | ----------------------------------------------- |
 * | `UNSERVED#<id>`                            | one lost order                                  |
 * | gsi1 `<item collection>#UNSERVED#<cycle>`  | … listed per item and cycle by requested date   |
 * | `UNSERVED-TOTAL#<cycleId>`                 | the item's totals in a cycle, kept in each write |
 * | gsi1 `WS#<ws>#CYCLE#<cycle>#UNSERVED`      | … listed per cycle across items (the review)    |
 *
 * So the item's list per cycle and the review per cycle are each one Query,
 * and the totals are one GetItem, however much demand was lost.
 */
export const unservedSk = (unservedId: string) => `UNSERVED#${unservedId}`;
export const unservedTotalSk = (cycleId: string) => `UNSERVED-TOTAL#${cycleId}`;
export const unservedItemGsiPk = (workspaceId: string, itemId: string, cycleId: string) =>
  `${itemCollectionPk(workspaceId, itemId)}#UNSERVED#${cycleId}`;
export const unservedItemGsiSk = (requestedDate: string, unservedId: string) => `${requestedDate}#${unservedId}`;
export const unservedCycleGsiPk = (workspaceId: string, cycleId: string) =>
  `${workspacePk(workspaceId)}#CYCLE#${cycleId}#UNSERVED`;
