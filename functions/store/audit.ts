import { randomUUID } from 'node:crypto';
import type { Caller } from '../domain/views';
import { tableName } from './client';
import { workspacePk } from './keys';

/** What an audit event records: who changed what, when, before and after. */
export interface AuditInput {
  workspaceId: string;
  actor: Pick<Caller, 'email' | 'name'>;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  at: string;
}

/**
 * The Put of an audit event, to be included in the same transaction as the
 * change it describes. Audit events are only ever put, never updated.
 */
export function auditPut(input: AuditInput) {
  const eventId = randomUUID();
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: workspacePk(input.workspaceId),
        sk: `AUDIT#${input.at}#${eventId}`,
        type: 'AuditEvent',
        id: eventId,
        workspaceId: input.workspaceId,
        actorEmail: input.actor.email,
        actorName: input.actor.name,
        action: input.action,
        entity: input.entity,
        entityId: input.entityId,
        before: input.before ?? null,
        after: input.after ?? null,
        at: input.at,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
