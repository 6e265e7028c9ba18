import type { KeptScope } from '#contract/catalogue/kept-rate';
import { workspacePk } from '#functions/table/keys';

/**
 * Kept-rate counters, one item per scope and promised week:
 *
 * | key                               | what                                                  |
 * | --------------------------------- | ----------------------------------------------------- |
 * | `WS#<ws>#KEPT#<scope>#<id>`       | the scope's partition: a rate is one Query of it      |
 * | `WEEK#<monday>`                   | the counts of one week                                |
 * | gsi1 `WS#<ws>#KEPT`               | every counter of the workspace, for its backup        |
 * | gsi1 `<scope>#<id>#<monday>`      |                                                       |
 *
 * The partitions are outside the workspace's own and its owners'
 * collections, so a backup finds them through the index; each counter
 * carries its scope and id, from which a restore builds its keys.
 */
export const keptPk = (workspaceId: string, scope: KeptScope, scopeId: string) =>
  `${workspacePk(workspaceId)}#KEPT#${scope}#${scopeId}`;
export const keptSk = (week: string) => `WEEK#${week}`;
export const keptListGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#KEPT`;
export const keptListGsiSk = (scope: KeptScope, scopeId: string, week: string) => `${scope}#${scopeId}#${week}`;
