import { workspacePk } from '#functions/table/keys';

/**
 * The item collection of one portfolio item: `WS#<ws>#ITEM#<itemId>`. It
 * holds everything about the item that grows over time, so nothing about one
 * item is ever read by reading the whole workspace:
 *
 * | sort key                          | what                                              |
 * | --------------------------------- | ------------------------------------------------- |
 * | `CHECK#WEEK#<monday>`             | capacity committed in that week                   |
 * | `CHECK#~AGREED`                   | the agreed threshold reps see and checks use      |
 * | `COMMIT#<id>`                     | a commitment and the weeks it took capacity from  |
 * | `CYCLE#<cycleId>#HEAD`            | the threshold of the item in a cycle              |
 * | `CYCLE#<cycleId>#V#<000001>`      | its immutable versions                            |
 *
 * The promise check reads exact keys, in one BatchGetItem: `CHECK#~AGREED`
 * and `CHECK#WEEK#<monday>` for each week from this one to the delivery
 * week. No key range could do that in one request: the agreed threshold
 * sits at one end of the week buckets, so a range from it to this week or to
 * the delivery week would also cover every week booked beyond the delivery,
 * or every week gone by. The check's cost thus follows the weeks it asks
 * about, never the number of items, commitments, versions or weeks booked
 * further ahead. An answer that searches for later dates reads the buckets
 * after those weeks with a Query bounded by its search horizon
 * (`sk BETWEEN CHECK#WEEK#<next monday> AND CHECK#WEEK#<last monday>`).
 * The decision and its figures: docs/decisions/0004-exact-key-promise-check.md.
 */
export const itemCollectionPk = (workspaceId: string, itemId: string) => `${workspacePk(workspaceId)}#ITEM#${itemId}`;

export const weekSk = (monday: string) => `CHECK#WEEK#${monday}`;
export const agreedSk = 'CHECK#~AGREED';
export const commitmentSk = (commitmentId: string) => `COMMIT#${commitmentId}`;
export const headSk = (cycleId: string) => `CYCLE#${cycleId}#HEAD`;
export const versionSk = (cycleId: string, version: number) => `CYCLE#${cycleId}#V#${String(version).padStart(6, '0')}`;
export const versionPrefix = (cycleId: string) => `CYCLE#${cycleId}#V#`;

/** gsi1 partition listing the thresholds of one cycle across items. */
export const cycleThresholdsGsiPk = (workspaceId: string, cycleId: string) => `${workspacePk(workspaceId)}#CYCLE#${cycleId}`;
/** Its sort key: the threshold of one item. */
export const thresholdsGsiSk = (itemId: string) => `THRESHOLD#${itemId}`;
/** gsi1 partition listing a workspace's commitments, newest delivery last. */
export const commitmentsGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#COMMITMENTS`;
export const commitmentsGsiSk = (deliveryDate: string, commitmentId: string) => `${deliveryDate}#${commitmentId}`;
