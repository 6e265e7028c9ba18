/** Old import path kept for the demo loader; the use cases live in the service-*.ts modules. */
export { addAgendaEntry } from './service-agenda';
export { markAttendance } from './service-attendance';
export { type Actor, createMeeting } from './service-lifecycle';
