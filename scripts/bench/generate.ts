import { randomUUID } from 'node:crypto';
import type { Caller } from '#contract/views';
import { recordCommitment } from '#functions/catalogue/commitments';
import { createIssue, logOccurrence } from '#functions/misalignment/misalignment';
import { createPortfolioItem } from '#functions/portfolio/portfolio';

/**
 * Scale data for the benchmark (and, at small sizes, for a test): written
 * through the store's own functions, so every record has exactly the keys,
 * aggregates and audit events the API would give it, only without HTTP.
 */

/** Runs `task` for 0..count-1 with at most `parallel` in flight. */
export async function inParallel(count: number, parallel: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const index = next++;
        await task(index);
      }
    }),
  );
}

const parallel = 16;
const now = () => new Date().toISOString();

/** Adds `count` portfolio items to a workspace; answers their ids. */
export async function generateItems(workspaceId: string, actor: Caller, count: number, prefix = 'G'): Promise<string[]> {
  const ids: string[] = [];
  const tag = randomUUID().slice(0, 4).toUpperCase();
  await inParallel(count, parallel, async (index) => {
    const item = await createPortfolioItem(
      workspaceId,
      {
        code: `${prefix}${tag}-${index}`,
        name: `Generated pump ${index}`,
        kind: 'product',
        unit: 'unit',
        description: '',
        owner: null,
      },
      actor,
      now(),
    );
    ids.push(item.id);
  });
  return ids;
}

/**
 * Records `count` commitments of one unit each, spread round-robin over the
 * given items (which need an agreed threshold) and over delivery weeks, so
 * no week runs out of capacity.
 */
export async function generateCommitments(workspaceId: string, itemIds: string[], actor: Caller, count: number): Promise<void> {
  const today = new Date();
  // One item at a time per worker: commitments on one item contend for its capacity buckets.
  const perItem = Math.ceil(count / itemIds.length);
  await inParallel(itemIds.length, parallel, async (itemIndex) => {
    const itemId = itemIds[itemIndex] ?? '';
    for (let n = 0; n < perItem && itemIndex * perItem + n < count; n++) {
      const delivery = new Date(today.getTime() + (30 + (n % 600)) * 86_400_000).toISOString().slice(0, 10);
      await recordCommitment(
        { workspaceId, itemId, reference: `GEN-${itemIndex}-${n}`, quantity: 1, deliveryDate: delivery },
        actor,
        now(),
      );
    }
  });
}

/** Logs `count` issues in a cycle; answers their ids. */
export async function generateIssues(
  workspaceId: string,
  actor: Caller,
  count: number,
  cycleId: string | null,
): Promise<string[]> {
  const ids: string[] = [];
  await inParallel(count, parallel, async (index) => {
    const issue = await createIssue(
      workspaceId,
      {
        title: `Generated issue ${index}`,
        description: '',
        category: index % 2 ? 'lead time' : 'scope',
        itemIds: [],
        functions: [],
        owner: null,
        cycleId,
        meetingIds: [],
        thresholdVersionIds: [],
        currency: 'EUR',
      },
      actor,
      now(),
    );
    ids.push(issue.id);
  });
  return ids;
}

/** Logs `count` occurrences spread round-robin over the issues, on dates over the past year. */
export async function generateOccurrences(workspaceId: string, issueIds: string[], actor: Caller, count: number): Promise<void> {
  const perIssue = Math.ceil(count / issueIds.length);
  // One issue per worker at a time: occurrences of one issue update its aggregates.
  await inParallel(issueIds.length, parallel, async (issueIndex) => {
    const issueId = issueIds[issueIndex] ?? '';
    for (let n = 0; n < perIssue && issueIndex * perIssue + n < count; n++) {
      const occurredOn = new Date(Date.now() - ((issueIndex + n) % 360) * 86_400_000).toISOString().slice(0, 10);
      await logOccurrence(
        workspaceId,
        issueId,
        {
          occurredOn,
          reference: `GEN-${n}`,
          detectedAt: 'delivery',
          cost: { 'expedite fees': 100 + (n % 50) },
          currency: 'EUR',
          notes: '',
        },
        actor,
        now(),
      );
    }
  });
}
