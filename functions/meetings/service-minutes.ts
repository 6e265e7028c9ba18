import type { Outcome } from '#contract/meetings/meetings';
import { type MinutesLabels, minutesMarkdown } from '#contract/meetings/minutes';
import { issueKey } from '#functions/misalignment/entities-issues';
import { portfolioItemKey } from '#functions/portfolio/portfolio';
import { batchGetMaxKeys, getByKeys, type TableKey } from '#functions/table/batch-get';
import { getFullMeeting } from './service-reads';

/** The meeting's minutes as a Markdown document, naming what its decisions changed. */
export async function exportMinutes(workspaceId: string, meetingId: string): Promise<string> {
  const full = await getFullMeeting(workspaceId, meetingId);
  return minutesMarkdown(full, await minutesLabels(workspaceId, full.outcomes));
}

/**
 * What the minutes call the issues and thresholds a meeting's decisions
 * changed: an issue by its title, a threshold by its portfolio item's code,
 * read by key in one BatchGetItem (per 100). A meeting whose decisions
 * changed nothing reads nothing; a record deleted since keeps its id.
 */
export async function minutesLabels(workspaceId: string, outcomes: Outcome[]): Promise<MinutesLabels> {
  // Each record to name, once: where its label goes and the attribute it is.
  const wanted = new Map<string, { key: TableKey; id: string; into: keyof MinutesLabels; attribute: string }>();
  for (const outcome of outcomes) {
    if (outcome.kind !== 'decision') continue;
    for (const effect of outcome.effects) {
      const entry =
        effect.kind === 'issueStatus'
          ? { key: issueKey(workspaceId, effect.issueId), id: effect.issueId, into: 'issues' as const, attribute: 'title' }
          : {
              key: portfolioItemKey(workspaceId, effect.thresholdId),
              id: effect.thresholdId,
              into: 'items' as const,
              attribute: 'code',
            };
      wanted.set(`${entry.key.pk}\u0000${entry.key.sk}`, entry);
    }
  }
  const entries = [...wanted.values()];
  const labels: MinutesLabels = { issues: {}, items: {} };
  for (let start = 0; start < entries.length; start += batchGetMaxKeys) {
    const chunk = entries.slice(start, start + batchGetMaxKeys);
    const found = await getByKeys(chunk.map((entry) => entry.key));
    for (const { key, id, into, attribute } of chunk) {
      const label = found.get(key)?.[attribute];
      if (typeof label === 'string') labels[into][id] = label;
    }
  }
  return labels;
}
