import type { AuditEventView } from '../domain/audit';
import { auditQuery } from '../schemas/audit';
import { workspaceParams } from '../schemas/common';
import { manager, returns, route } from './define';

/** The audit trail: read-only by design, no route writes or changes an audit event. */
export const auditRoutes = {
  listAuditEvents: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/audit-events',
    handler: 'audit/list',
    summary: 'Audit events of the workspace, newest first, filtered by entity, action, actor or time',
    access: manager,
    writes: false,
    params: workspaceParams,
    query: auditQuery,
    response: returns<{ events: AuditEventView[]; nextCursor: string | null }>(),
  }),
};
