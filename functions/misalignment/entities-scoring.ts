import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import { defaultScoringModel, type ScoringModel } from '#contract/misalignment/misalignment';
import { dynamo, tableName } from '#functions/table/client';
import { defineEntity, itemKey } from '#functions/table/entity';
import { workspacePk } from '#functions/table/keys';
import { named, type TransactItem } from '#functions/table/transactions';

/** The scoring model is one item of the workspace partition. */
export const scoringModelKey = (workspaceId: string) => itemKey(workspacePk(workspaceId), 'SCORING_MODEL');

const nullableText = () => z._default(z.nullable(z.string()), null);
const weight = (name: keyof ScoringModel['weights']) => z._default(z.number(), defaultScoringModel.weights[name]);

/** A stored scoring model; a frozen ranking keeps a copy of the one it was scored with. */
export const scoringModel = lazySchema(() =>
  z.object({
    weights: z._default(
      z.object({
        cost: weight('cost'),
        recentCost: weight('recentCost'),
        frequency: weight('frequency'),
        detection: weight('detection'),
      }),
      () => ({ ...defaultScoringModel.weights }),
    ),
    costScale: z.number(),
    recentCostScale: z.number(),
    frequencyScale: z.number(),
    votesPerManager: z.number(),
    currency: z.string(),
    updatedAt: nullableText(),
    updatedBy: nullableText(),
    version: z.number(),
  }),
);

/** The workspace's scoring model (the record carries its workspace in its key only, so it is passed in). */
export const scoringModelEntity = defineEntity({
  type: 'ScoringModel',
  schema: lazySchema(() => z.extend(scoringModel, { workspaceId: z.string() })),
  keys: (model) => scoringModelKey(model.workspaceId),
});

/** A stored scoring model, or the default (version 0) when the admin has not saved one yet. */
export function modelOf(item: Record<string, unknown> | undefined): ScoringModel {
  return item ? scoringModel.parse(item) : defaultScoringModel;
}

export async function getScoringModelItem(workspaceId: string): Promise<ScoringModel> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: scoringModelKey(workspaceId), ConsistentRead: true }),
  );
  return modelOf(Item);
}

/** The scoring model replaced, conditional on the version it was based on (0: none saved yet); named `model`. */
export function scoringModelPut(workspaceId: string, model: ScoringModel, expectedVersion: number): TransactItem {
  const { workspaceId: _, ...item } = scoringModelEntity.item({ ...model, workspaceId });
  return named('model', {
    Put: {
      TableName: tableName(),
      Item: item,
      ...(expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
    },
  });
}
