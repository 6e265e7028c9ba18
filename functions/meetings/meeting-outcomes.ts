/**
 * Old import path kept for the demo loader and the jobs test, with their old
 * names: they record past meetings, so their outcomes take any due date.
 */
export { changeMeetingState as moveMeeting } from './service-lifecycle';
export { updateActionStatus, writeOutcome as recordOutcome } from './service-outcomes';
