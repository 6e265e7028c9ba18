import { actionReminders } from './action-reminders';
import type { Job } from './define';
import { overdueDeliveries } from './overdue-deliveries';

/**
 * Every scheduled job, declared once: the stack creates one EventBridge
 * Scheduler schedule per entry (infra/jobs.ts), and `npm start` runs each on
 * a timer (scripts/local/clock.ts). See docs/mail-and-clock.md to add one.
 */
export const jobs: readonly Job[] = [actionReminders, overdueDeliveries];

export const jobNamed = (name: string) => jobs.find((job) => job.name === name);
