/** Old import path of the reminder queue, kept for the jobs test; see entities-reminders.ts. */
export { reminderQueuePk } from './entities-reminders';
