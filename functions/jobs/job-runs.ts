import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { dynamo, tableName } from '#functions/table/client';

/**
 * Run markers of scheduled jobs (functions/jobs/). One item per job and
 * period, `pk = JOB#<name>#<period>`, `sk = RUN`, in a partition of its own
 * (jobs span workspaces, so the key does not start with one), expiring by
 * TTL a while after its period.
 *
 * A run claims the marker with a conditional Put before doing any work. The
 * claim succeeds when no run of that period happened yet, when the last one
 * stopped at its cap with work left (`partial`), or when a run holding it
 * has outlived its lease (it crashed). So a second run of a finished period
 * does nothing, and two runs at once never both work.
 */
const jobRun = lazySchema(() =>
  z.object({
    job: z.string(),
    period: z.string(),
    runId: z.string(),
    status: z.enum(['running', 'partial', 'done']),
    /** Runs that claimed this period so far. */
    runs: z.number(),
    startedAt: z.string(),
    leaseUntil: z.string(),
    finishedAt: z.optional(z.string()),
    summary: z.optional(z.record(z.string(), z.number())),
  }),
);
export type JobRun = z.infer<typeof jobRun>;
export type RunStatus = JobRun['status'];

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

export const jobRunKey = (job: string, period: string) => ({ pk: `JOB#${job}#${period}`, sk: 'RUN' });

/** How long a marker is kept after it is written: long enough to outlive any retry of its period. */
const keepSeconds = 35 * 24 * 3600;

export async function getJobRun(job: string, period: string): Promise<JobRun | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: jobRunKey(job, period), ConsistentRead: true }),
  );
  return Item ? jobRun.parse(Item) : undefined;
}

/** Claims a period for a run; undefined when the period is done or another run holds it. */
export async function claimJobRun(job: string, period: string, now: Date, leaseMs: number): Promise<JobRun | undefined> {
  const before = await getJobRun(job, period);
  if (before?.status === 'done') return undefined;
  const run: JobRun = {
    job,
    period,
    runId: randomUUID(),
    status: 'running',
    runs: (before?.runs ?? 0) + 1,
    startedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
  };
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...jobRunKey(job, period), type: 'JobRun', ...run, expiresAt: Math.floor(now.getTime() / 1000) + keepSeconds },
        // Exactly the marker that was read, unless there was none: a run that
        // claimed it meanwhile changed its runId, and wins.
        ConditionExpression: before
          ? 'runId = :seen AND (#status = :partial OR (#status = :running AND leaseUntil < :now))'
          : 'attribute_not_exists(pk)',
        ...(before
          ? {
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':seen': before.runId,
                ':partial': 'partial',
                ':running': 'running',
                ':now': now.toISOString(),
              },
            }
          : {}),
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
  return run;
}

/** Records how a run ended, if it still holds its period. */
export async function finishJobRun(run: JobRun, status: 'partial' | 'done', summary: Record<string, number>, now: Date) {
  try {
    await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: jobRunKey(run.job, run.period),
        UpdateExpression: 'SET #status = :status, summary = :summary, finishedAt = :now',
        ConditionExpression: 'runId = :mine',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':summary': summary, ':now': now.toISOString(), ':mine': run.runId },
      }),
    );
  } catch (error) {
    // A run that outlived its lease was taken over; the newer run reports.
    if (!isConditionFailure(error)) throw error;
  }
}
