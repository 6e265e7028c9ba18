import { claimJobRun, finishJobRun } from './job-runs';

/**
 * When a job runs: every `everyMinutes`, optionally only between two UTC
 * hours. On AWS this becomes an EventBridge Scheduler expression
 * ({@link scheduleExpression}); locally `npm start` runs the job on a timer of
 * the same interval (any hour: a laptop is rarely on at 06:00).
 */
export interface JobSchedule {
  everyMinutes: number;
  /** First and last UTC hour in which runs start, e.g. `[6, 23]`. Default: all day. */
  utcHours?: [number, number];
}

/** What a run did: whether the period's work is finished, and counts for the log and the run marker. */
export interface JobOutcome {
  done: boolean;
  summary: Record<string, number>;
}

/** A scheduled job, declared once in `functions/jobs/index.ts`. */
export interface Job {
  /** Lowercase words with dashes; names the run markers and the schedule. */
  name: string;
  summary: string;
  schedule: JobSchedule;
  /**
   * The period a moment belongs to, e.g. the UTC day `2026-11-30`: the job's
   * effect happens once per period, however often it runs in it.
   */
  period: (now: Date) => string;
  /** How long a run may hold its period before another run may take over (longer than a run can last). */
  leaseMs: number;
  /** The work of one period; runs again in the same period only after a run that returned `done: false`. */
  run: (context: { period: string; now: Date }) => Promise<JobOutcome>;
}

/** The EventBridge Scheduler expression of a schedule. */
export function scheduleExpression(schedule: JobSchedule): string {
  const { everyMinutes: every, utcHours } = schedule;
  if (!Number.isInteger(every) || every < 1 || (every > 60 && every % 60 !== 0) || (every < 60 && 60 % every !== 0)) {
    throw new Error(`everyMinutes must divide an hour or be whole hours, got ${every}`);
  }
  if (!utcHours) return `rate(${every} minute${every === 1 ? '' : 's'})`;
  const [from, to] = utcHours;
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= 23)) {
    throw new Error(`utcHours must be two hours 0–23 in order, got ${from}, ${to}`);
  }
  const minutes = every < 60 ? `0/${every}` : '0';
  const hours = every <= 60 ? `${from}-${to}` : `${from}-${to}/${every / 60}`;
  return `cron(${minutes} ${hours} * * ? *)`;
}

/** The UTC day of a moment, `YYYY-MM-DD`: the period of a daily job. */
export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

export type RunResult = { ran: false; period: string } | ({ ran: true; period: string; runs: number } & JobOutcome);

/**
 * Runs a job for the period `now` falls in, once: it claims the period's run
 * marker first (see `store/job-runs.ts`) and does nothing when the period is
 * done or another run holds it. A run that fails leaves the period partial,
 * so the next scheduled run takes it up again.
 */
export async function runJob(job: Job, now = new Date()): Promise<RunResult> {
  const period = job.period(now);
  const run = await claimJobRun(job.name, period, now, job.leaseMs);
  if (!run) return { ran: false, period };
  let outcome: JobOutcome;
  try {
    outcome = await job.run({ period, now });
  } catch (error) {
    await finishJobRun(run, 'partial', { failed: 1 }, new Date());
    throw error;
  }
  await finishJobRun(run, outcome.done ? 'done' : 'partial', outcome.summary, new Date());
  return { ran: true, period, runs: run.runs, ...outcome };
}
