import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { workspaceRoutes } from '#contract/workspaces/routes';
import { defineHandler } from '#functions/kernel/http';
import { ServiceUnavailable } from '#functions/runtime/errors';
import { dynamo, tableName } from '#functions/table/client';

/**
 * Readiness, unlike liveness, asks the database: one GetItem of a key no
 * record uses, the cheapest read the table's read-only grant allows. Any
 * failure means "not ready", whatever its kind.
 */
export const handler = defineHandler(workspaceRoutes.ready, async () => {
  try {
    await dynamo.send(
      new GetCommand({ TableName: tableName(), Key: { pk: 'READINESS', sk: 'READINESS' }, ProjectionExpression: 'pk' }),
    );
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', message: 'Readiness check failed', error: String(error) }));
    throw new ServiceUnavailable('The database is not answering');
  }
  return { status: 'ready' as const, database: 'ok' as const };
});
