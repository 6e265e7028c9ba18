import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import {
  type ActionOutcome,
  type ActionView,
  actionStatuses,
  type DecisionEffect,
  issueStatuses,
  type Outcome,
  type SignOffConfirmation,
} from '#contract/meetings/meetings';
import { memberFunctions, memberRoles } from '#contract/workspaces/members';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, gsi1, indexKey, itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import type { TransactItem } from '#functions/table/transactions';
import { attendeeKey, linksSchema, meetingPk } from './entities-meeting';

/**
 * Outcomes of a meeting (information, decisions, action items): sk
 * `OUTCOME#<outcomeId>` in the meeting's partition. Action items are also on
 * gsi1 under their owner, open ones first, so "my actions" is one Query;
 * their items carry the meeting's title for that list.
 */
export const outcomeKey = (workspaceId: string, meetingId: string, outcomeId: string) =>
  itemKey(meetingPk(workspaceId, meetingId), `OUTCOME#${outcomeId}`);

export const ownerActionsGsiPk = (workspaceId: string, email: string) => `${workspacePk(workspaceId)}#ACTIONS#${email}`;
/** Open actions sort first, by due date; finished ones after them. */
export const ownerActionsGsiSk = (status: string, dueDate: string, actionId: string) =>
  `${status === 'open' ? '0-OPEN' : '1-DONE'}#${dueDate}#${actionId}`;
const openActionsPrefix = '0-OPEN';

const confirmationSchema: z.ZodMiniType<SignOffConfirmation> = lazySchema(() =>
  z.object({
    email: z.string(),
    sub: z.optional(z.string()),
    name: z.string(),
    function: z.enum(memberFunctions),
    role: z.enum(memberRoles),
    at: z.string(),
  }),
);

const effectSchema: z.ZodMiniType<DecisionEffect> = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('issueStatus'), issueId: z.string(), status: z.enum(issueStatuses) }),
    z.object({
      kind: z.literal('thresholdSignOff'),
      thresholdId: z.string(),
      thresholdVersion: z.number(),
      signers: z.array(z.string()),
      confirmedBy: z.optional(z.array(confirmationSchema)),
    }),
  ]),
);

const base = {
  id: lazySchema(() => z.string()),
  meetingId: lazySchema(() => z.string()),
  agendaItemId: lazySchema(() => z.string()),
  text: lazySchema(() => z.string()),
  recordedBy: lazySchema(() => z.string()),
  recordedAt: lazySchema(() => z.string()),
  updatedAt: lazySchema(() => z.string()),
  version: lazySchema(() => z.number()),
};

const actionShape = {
  ...base,
  kind: lazySchema(() => z.literal('action')),
  owner: lazySchema(() => z.string()),
  ownerName: lazySchema(() => z.string()),
  dueDate: lazySchema(() => z.string()),
  status: lazySchema(() => z.enum(actionStatuses)),
  heldIn: lazySchema(() => z.string()),
  carriedTo: lazySchema(() => z.array(z.string())),
  cycleId: lazySchema(() => z.string()),
};

const outcomeSchema: z.ZodMiniType<Outcome> = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ ...base, kind: z.literal('information') }),
    z.object({
      ...base,
      kind: z.literal('decision'),
      links: linksSchema,
      effects: z.array(effectSchema),
      quorum: z.array(z.string()),
    }),
    z.object(actionShape),
  ]),
);

const actionSchema: z.ZodMiniType<ActionOutcome> = lazySchema(() => z.object(actionShape));
const actionViewSchema: z.ZodMiniType<ActionView> = lazySchema(() =>
  z.object({ ...actionShape, meetingTitle: z._default(z.string(), '') }),
);

/**
 * The outcomes of one meeting. An action item is listed under its owner on
 * gsi1 and carries the workspace id and the meeting's title (`extra`).
 */
export const outcomeEntity = (workspaceId: string, meetingId: string) =>
  defineEntity({
    type: 'Outcome',
    schema: outcomeSchema,
    keys: (outcome) => ({
      ...outcomeKey(workspaceId, meetingId, outcome.id),
      ...(outcome.kind === 'action'
        ? indexKey(ownerActionsGsiPk(workspaceId, outcome.owner), ownerActionsGsiSk(outcome.status, outcome.dueDate, outcome.id))
        : {}),
    }),
  });

/** The item of a new outcome, with what the owner's action list shows beside it. */
export function outcomePut(workspaceId: string, outcome: Outcome, meetingTitle: string): TransactItem {
  return outcomeEntity(workspaceId, outcome.meetingId).put(outcome, {
    extra: outcome.kind === 'action' ? { workspaceId, meetingTitle } : { workspaceId },
    condition: 'attribute_not_exists(pk)',
  });
}

/** An outcome as stored now, with the meeting title its action item carries, or undefined. */
export async function readOutcome(
  workspaceId: string,
  meetingId: string,
  outcomeId: string,
): Promise<{ outcome: Outcome; meetingTitle: string } | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: outcomeKey(workspaceId, meetingId, outcomeId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const outcome = outcomeEntity(workspaceId, meetingId).parse(Item);
  return { outcome, meetingTitle: typeof Item.meetingTitle === 'string' ? Item.meetingTitle : '' };
}

/** A page of a member's open action items in a workspace, soonest due first. */
export function listOpenActionsOf(
  workspaceId: string,
  email: string,
  page: { limit: number; cursor?: string },
): Promise<Page<ActionView>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: gsi1.name,
      KeyConditionExpression: '#gpk = :pk AND begins_with(#gsk, :open)',
      ExpressionAttributeNames: { '#gpk': gsi1.pk, '#gsk': gsi1.sk },
      ExpressionAttributeValues: { ':pk': ownerActionsGsiPk(workspaceId, email), ':open': openActionsPrefix },
    },
    page,
    (item) => actionViewSchema.parse(item),
  );
}

/** The open action items recorded in one meeting (one Query of its outcomes). */
export function openActionsOfMeeting(workspaceId: string, meetingId: string): Promise<ActionOutcome[]> {
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'kind = :action AND #status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': meetingPk(workspaceId, meetingId),
        ':prefix': 'OUTCOME#',
        ':action': 'action',
        ':open': 'open',
      },
    },
    (item) => actionSchema.parse(item),
  );
}

/** Only present attendees who still count for the quorum keep it: checked in the decision's own transaction. */
export const stillPresent = (workspaceId: string, meetingId: string, email: string): TransactItem => ({
  ConditionCheck: {
    TableName: tableName(),
    Key: attendeeKey(workspaceId, meetingId, email),
    ConditionExpression: 'present = :true',
    ExpressionAttributeValues: { ':true': true },
  },
});

/** A decision's effects as confirmed so far, conditional on the decision's version. */
export function decisionEffectsUpdate(
  workspaceId: string,
  meetingId: string,
  decisionId: string,
  effects: DecisionEffect[],
  expectedVersion: number,
  now: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: outcomeKey(workspaceId, meetingId, decisionId),
      UpdateExpression: 'SET effects = :effects, updatedAt = :now, version = version + :one',
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':effects': effects, ':now': now, ':one': 1, ':expected': expectedVersion },
    },
  };
}
