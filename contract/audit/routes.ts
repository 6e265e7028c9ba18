import { workspaceParams } from '#contract/common';
import { manager, returns, route } from '#contract/define';
import type { AuditEventView } from './audit';
import { auditQuery } from './schemas';

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
