import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Commitment } from '#contract/catalogue/commitments';
import type { Caller } from '#contract/views';
import { commitmentDeliveryIndexWrites, commitmentsByReference } from '#functions/catalogue/deliveries-entities';
import { commitmentEntity, newCommitmentPut } from '#functions/catalogue/entities';
import { writeOutcome } from '#functions/meetings/service-outcomes';
import { leadTimeOccurrenceWrites } from '#functions/misalignment/misalignment';
import { dynamo as apiDynamo } from '#functions/table/client';
import { transactWrite } from '#functions/table/transactions';
import { getMember, listWorkspacesOf } from '#functions/workspaces/workspaces';

/**
 * The tests' one door to the table, beside the API rather than through it:
 * for setting up a state no route makes (an item of an older format, a
 * commitment promised in the past, a counter near its cap), for checking what
 * a request wrote, and for watching or failing the API's own requests to
 * DynamoDB. Every other test file comes here instead of importing the API's
 * table code, so a change of the storage layout has one place to follow.
 */
export const dynamo = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);

/** The table of this test file (a file may take one of its own: own-table.ts). */
export function tableName(): string {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set: test/support/env.ts sets it');
  return name;
}

// Keys, as the API lays items out.
/** The id of the workspace a person's restore of a backup makes. */
export { restoredWorkspaceId } from '#functions/backup/backup';
export { reminderQueuePk } from '#functions/meetings/entities-reminders';
export {
  agreedSk,
  commitmentSk,
  commitmentsGsiPk,
  commitmentsGsiSk,
  itemCollectionPk,
  weekSk,
} from '#functions/portfolio/item-collection';
export { portfolioItemKey, workspacePk } from '#functions/table/keys';
/** The table's keys and indexes, which the stack must create as the API's code expects them. */
export { tableDefinition } from '#functions/table/table-definition';

/** A membership as stored (undefined when the person is not a member). */
export const storedMember = (workspaceId: string, email: string) => getMember(workspaceId, email);

/** The workspaces a person's membership items lead to. */
export const storedWorkspacesOf = (email: string) => listWorkspacesOf(email);

/** The commitments the reference index holds for each reference. */
export const indexedReferences = (workspaceId: string, references: string[]) => commitmentsByReference(workspaceId, references);

/** A commitment's item exactly as recording one stores it. */
export const commitmentItem = (commitment: Commitment) => commitmentEntity.item(commitment);

/**
 * Writes a commitment with its delivery index entries, as recording one
 * writes them: the API refuses a promised date in the past, and late
 * deliveries need one.
 */
export async function writeCommitment(commitment: Commitment): Promise<void> {
  await transactWrite([newCommitmentPut(commitment), ...commitmentDeliveryIndexWrites(commitment)]);
}

/** Records a meeting outcome at a moment of the caller's choosing, e.g. an action whose due date is long past. */
export const writeOutcomeAt = (
  workspaceId: string,
  meetingId: string,
  input: Parameters<typeof writeOutcome>[2],
  actor: Caller,
  now: string,
) => writeOutcome(workspaceId, meetingId, input, actor, now);

/** Logs a lead-time occurrence as a commitment on a "beyond" answer does, without the commitment. */
export async function writeLeadTimeOccurrence(input: Parameters<typeof leadTimeOccurrenceWrites>[0]) {
  const hook = leadTimeOccurrenceWrites(input);
  await transactWrite(hook.items);
  return hook;
}

type Command = { constructor: { name: string }; input: Record<string, unknown> };
type Send = (command: Command) => Promise<unknown>;

/**
 * Runs `call` (requests to the in-process API) with every DynamoDB request
 * the API sends passed through `intercept`, which may look at it, fail it or
 * send it on with `send`.
 */
export async function whileApiSends<T>(intercept: (command: Command, send: Send) => Promise<unknown>, call: () => Promise<T>) {
  const original = apiDynamo.send.bind(apiDynamo) as (command: Command, ...rest: unknown[]) => Promise<unknown>;
  apiDynamo.send = ((command: Command, ...rest: unknown[]) =>
    intercept(command, (sent) => original(sent, ...rest))) as typeof apiDynamo.send;
  try {
    return await call();
  } finally {
    apiDynamo.send = original as typeof apiDynamo.send;
  }
}

/**
 * Runs `call` with a condition that never holds added to the first part of
 * each transaction the API writes whose key contains `keyPart` (an issue's
 * or an item's id): as if that record had changed meanwhile. A transaction's
 * parts are written all together or not at all, so none of them may be found
 * afterwards.
 */
export function withFailingWrite<T>(keyPart: string, call: () => Promise<T>): Promise<T> {
  return whileApiSends((command, send) => {
    if (!(command instanceof TransactWriteCommand)) return send(command);
    const parts = command.input.TransactItems ?? [];
    const target = parts.findIndex((part) => {
      const write = part.Put ?? part.Update ?? part.Delete ?? part.ConditionCheck;
      const key = part.Put ? { pk: part.Put.Item?.pk, sk: part.Put.Item?.sk } : write && 'Key' in write ? write.Key : {};
      return JSON.stringify(key).includes(keyPart);
    });
    if (target < 0) return send(command);
    const failing = parts.map((part, index) => {
      if (index !== target) return part;
      const [kind, write] = Object.entries(part).find(([, value]) => value) ?? [];
      if (!kind || !write) return part;
      const { ConditionExpression: condition } = write as { ConditionExpression?: string };
      const never = 'attribute_exists(neverWritten)';
      return { [kind]: { ...write, ConditionExpression: condition ? `(${condition}) AND ${never}` : never } };
    });
    return send(new TransactWriteCommand({ ...command.input, TransactItems: failing }));
  }, call);
}
