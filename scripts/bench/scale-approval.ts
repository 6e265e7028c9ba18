import type { TestApi } from '#test/support/api';
import { approvalPollMs } from '#web/lib/approval-poll.ts';
import type { Figure } from './report';
import { benchTeam } from './requests';
import { ok } from './scenario-kit';
import { awaitingCommitment } from './scenarios-planning';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The value at share `p` of the sorted values (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * One round: the rep's item page polls its commitments every
 * {@link approvalPollMs}, as the web app does while one awaits approval
 * (a timer that fires whether or not the last answer came). An operations
 * manager approves at a random moment of the poll's cycle; the round's time
 * runs from sending the approval to the first poll answer that says
 * `approved`.
 */
async function approvalRound(t: Awaited<ReturnType<typeof benchTeam>>): Promise<number> {
  const { commitment, path, itemId } = await awaitingCommitment(t);
  const listPath = `${t.w}/catalogue/${itemId}/commitments?limit=200`;
  let approvedAt: number | undefined;
  let seenAt: number | undefined;
  let failure: Error | undefined;
  const poll = async () => {
    const answer = await t.rep.get(listPath);
    if (answer.status !== 200) throw new Error(`the rep's poll answered ${answer.status}`);
    const mine = answer.body.items.find((row: { id: string }) => row.id === commitment.id);
    if (approvedAt !== undefined && seenAt === undefined && mine?.status === 'approved') seenAt = performance.now();
  };
  const timer = setInterval(() => {
    poll().catch((error: Error) => {
      failure ??= error;
    });
  }, approvalPollMs);
  try {
    // The page has been open a while: the approval lands anywhere in the poll's cycle.
    await sleep(approvalPollMs + Math.random() * approvalPollMs);
    approvedAt = performance.now();
    await ok(t.ops.post(`${path}/approve`, { expectedVersion: commitment.version }), 'approve');
    const giveUp = performance.now() + 30_000;
    while (seenAt === undefined && failure === undefined && performance.now() < giveUp) await sleep(10);
  } finally {
    clearInterval(timer);
  }
  if (failure) throw failure;
  if (seenAt === undefined) throw new Error('the rep never saw the approval');
  return seenAt - approvedAt;
}

/**
 * Approval latency: how long after an operations manager approves a rep's
 * flex commitment the rep's item page shows it approved, p95 over at least
 * 20 rounds (issue 17: within 2 s).
 */
export async function measureApprovalLatency(api: TestApi, quick: boolean): Promise<Figure[]> {
  const rounds = quick ? 20 : 40;
  const team = await benchTeam(api, 'Approval latency');
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) times.push(await approvalRound(team));
  const p95 = percentile(times, 0.95);
  return [
    {
      section: 'scale',
      name: `approval seen on the rep's item page, p95 of ${rounds}`,
      value: p95,
      unit: 'ms',
      target: { op: '<=', limit: 2000 },
      note: `median ${percentile(times, 0.5).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms; polling every ${approvalPollMs} ms while a commitment awaits approval`,
    },
  ];
}
