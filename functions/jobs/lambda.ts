import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { withDeadline } from '#functions/runtime/deadline';
import { runJob } from './define';
import { jobNamed } from './index';

/** What each schedule sends: the job to run. */
const jobEvent = lazySchema(() => z.object({ job: z.string().check(z.maxLength(60)) }));

/**
 * The jobs function: EventBridge Scheduler invokes it with `{ "job": <name> }`.
 * An unknown job or a failed run throws, so the invocation counts as an error
 * (alarmed) and the scheduler's retry policy applies.
 */
export async function handler(event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) {
  const { job: name } = jobEvent.parse(event);
  const job = jobNamed(name);
  if (!job) throw new Error(`No job named ${name}`);
  // The same time budget as an API request: a run stops early enough to record where it stopped.
  const result = await withDeadline(context?.getRemainingTimeInMillis() ?? 10_000, () => runJob(job));
  console.log(JSON.stringify({ level: 'info', message: 'Job run', job: name, ...result }));
  return result;
}
