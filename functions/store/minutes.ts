import type { Outcome } from '../domain/meetings';
import type { MinutesLabels } from '../domain/minutes';
import { batchGetMaxKeys, getByKeys, type TableKey } from './batch-get';
import { issueKey } from './misalignment-keys';
import { portfolioItemKey } from './portfolio';

/**
 * What the minutes call the issues and thresholds a meeting's decisions
 * changed: an issue by its title, a threshold by its portfolio item's code,
 * read by key in one BatchGetItem (per 100). A meeting whose decisions
 * changed nothing reads nothing; a record deleted since keeps its id.
 */
export async function minutesLabels(workspaceId: string, outcomes: Outcome[]): Promise<MinutesLabels> {
  const issueIds = new Set<string>();
  const itemIds = new Set<string>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'decision') continue;
    for (const effect of outcome.effects) {
      if (effect.kind === 'issueStatus') issueIds.add(effect.issueId);
      else itemIds.add(effect.thresholdId);
    }
  }
  const keys: TableKey[] = [
    ...[...issueIds].map((id) => issueKey(workspaceId, id)),
    ...[...itemIds].map((id) => portfolioItemKey(workspaceId, id)),
  ];
  const labels: MinutesLabels = { issues: {}, items: {} };
  for (let start = 0; start < keys.length; start += batchGetMaxKeys) {
    const found = await getByKeys(keys.slice(start, start + batchGetMaxKeys));
    for (const id of issueIds) {
      const title = found.get(issueKey(workspaceId, id))?.title;
      if (typeof title === 'string') labels.issues[id] = title;
    }
    for (const id of itemIds) {
      const code = found.get(portfolioItemKey(workspaceId, id))?.code;
      if (typeof code === 'string') labels.items[id] = code;
    }
  }
  return labels;
}
