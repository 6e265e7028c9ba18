import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { sendActionReminders } from '#functions/jobs/action-reminders';
import { type RunResult, runJob, scheduleExpression } from '#functions/jobs/define';
import { jobNamed, jobs } from '#functions/jobs/index';
import { jobRunKey } from '#functions/jobs/job-runs';
import { findOverdue } from '#functions/jobs/overdue-deliveries';
import { dynamo, tableName } from './table';

/**
 * The tests' one door to the scheduled jobs: a job runs as the jobs function
 * runs it (found by name in the job table, claimed for its period), only at a
 * moment the test chooses instead of the clock's.
 */
export async function runJobAt(name: string, now: Date): Promise<RunResult> {
  const job = jobNamed(name);
  if (!job) throw new Error(`No job named ${name}`);
  return runJob(job, now);
}

/** The names in the job table, each scheduled by the stack. */
export const jobNames = () => jobs.map((job) => job.name);

/** Each declared job with the schedule expression the stack must give it. */
export const declaredJobs = () => jobs.map((job) => ({ name: job.name, expression: scheduleExpression(job.schedule) }));

/** A job's run marker of one period, as stored. */
export async function runMarker(name: string, period: string) {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: jobRunKey(name, period) }));
  return Item;
}

/** The action reminders' work of one day, cut short after `cap` reminders as a run's cap or deadline cuts it. */
export const sendActionRemindersCapped = (day: string, now: Date, cap: number) => sendActionReminders(day, now, cap);

/** The commitment ids the overdue-deliveries job would raise on `day`, without raising them. */
export async function overdueOn(day: string, now: Date): Promise<string[]> {
  const found = await findOverdue(day, now, 5000);
  return found.notifications.map(({ commitment }) => commitment.id);
}
