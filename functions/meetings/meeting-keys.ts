/** Old import path of the meetings' key builders, kept for the backup layouts and reference checks; see the entities modules. */
export {
  agendaKey,
  attendeeKey,
  cycleMeetingsPrefix,
  meetingKey,
  meetingListGsiPk,
  meetingListGsiSk,
  meetingPk,
} from './entities-meeting';
export { outcomeKey, ownerActionsGsiPk, ownerActionsGsiSk } from './entities-outcomes';
