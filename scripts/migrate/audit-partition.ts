import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '#functions/table/client';
import { transactWrite } from '#functions/table/transactions';

/** Audit event moves per transaction: a Put and a Delete each, within DynamoDB's 100 actions. */
const movesPerTransaction = 50;

/**
 * Moves audit events written before they had a partition of their own
 * (`WS#<ws>`, sort key `AUDIT#…`) to the audit partition (`WS#<ws>#AUDIT`),
 * where the audit trail reads them. Each move puts the event there and
 * deletes it from the workspace partition in one transaction, so an event
 * is never in both or in neither; run again, it finds nothing left to move.
 * One Scan of the table, for a one-off upgrade. Answers how many it moved.
 */
export async function moveAuditEvents(): Promise<number> {
  let moved = 0;
  let start: ScanCommandOutput['LastEvaluatedKey'];
  do {
    const page: ScanCommandOutput = await dynamo.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'begins_with(sk, :audit) AND NOT contains(pk, :suffix)',
        ExpressionAttributeValues: { ':audit': 'AUDIT#', ':suffix': '#AUDIT' },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    const events = page.Items ?? [];
    for (let at = 0; at < events.length; at += movesPerTransaction) {
      const batch = events.slice(at, at + movesPerTransaction);
      await transactWrite(
        batch.flatMap((event) => [
          {
            Put: {
              TableName: tableName(),
              Item: { ...event, pk: `${String(event.pk)}#AUDIT` },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Delete: { TableName: tableName(), Key: { pk: event.pk, sk: event.sk } } },
        ]),
      );
      moved += batch.length;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return moved;
}
