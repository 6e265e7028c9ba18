import type { TestProject } from 'vitest/node';
import { ensureTable, startDynamoLocal } from '#scripts/local/dynamo-local';

export const testTableName = 'accord-test';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    tableName: string;
  }
}

/** Starts one in-memory DynamoDB Local for the whole run and creates the table from the table definition. */
export default async function setup(project: TestProject) {
  const database = await startDynamoLocal({ dataDir: null });
  await ensureTable(database.endpoint, testTableName);
  project.provide('dynamoEndpoint', database.endpoint);
  project.provide('tableName', testTableName);
  return async () => {
    await database.stop();
  };
}
