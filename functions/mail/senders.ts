/**
 * Handlers (as the route table names them) that send mail. The stack grants the
 * functions serving them `ses:SendEmail` on the configured identity and names
 * the sender and the app's address in their environment; a unit test checks
 * that every handler using the mailer is listed here.
 */
export const mailingHandlers: readonly string[] = [
  'workspaces/members/invite',
  'meetings/outcomes/record-outcome',
  'catalogue/commitments/record',
  'catalogue/decisions/approve',
  'catalogue/decisions/decline',
  'catalogue/orders/record',
];
