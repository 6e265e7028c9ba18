/** An audit event as the API shows it: who changed what, when, before and after. Never edited. */
export interface AuditEventView {
  id: string;
  workspaceId: string;
  at: string;
  actorEmail: string;
  actorName: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}
