import { resolve } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { apiPrefix } from '#contract/define';
import { apiKeyHeader, machinePath } from '#contract/machine';
import { tableDefinition } from '#functions/table/table-definition';
import { ApiFunction } from './api-function';
import type { FunctionGroup } from './function-groups';

/** What the machine routes are added to: the Accord stack's API, table and function groups. */
export interface MachineRouteHost extends Construct {
  readonly api: HttpApi;
  readonly table: ITableV2;
  readonly groups: readonly FunctionGroup[];
}

export interface MachineRoutesProps {
  stage: string;
  logRetention: RetentionDays;
  reservedConcurrency?: number;
}

const projectRoot = resolve(import.meta.dirname, '..');

/**
 * The machine routes (docs/decisions/0006-api-keys.md): each route the route
 * table flags `machine` once more under `/api/machine`, on the same function,
 * behind a Lambda authorizer of its own that verifies the workspace API key in
 * the `x-api-key` header (functions/integration/authorizer.ts). Simple responses;
 * no caching, so a revoked key is refused from the next request and every
 * request reaches the per-key rate limit. The authorizer may only read the table.
 */
export function addMachineRoutes(
  host: MachineRouteHost,
  integrations: ReadonlyMap<string, HttpLambdaIntegration>,
  props: MachineRoutesProps,
) {
  const fn = new ApiFunction(host, 'ApiKeyAuthorizerFn', {
    entry: resolve(projectRoot, 'functions/integration/authorizer.ts'),
    projectRoot,
    depsLockFilePath: resolve(projectRoot, 'package-lock.json'),
    description: `Accord ${props.stage}: verifies workspace API keys on the machine routes`,
    logRetention: props.logRetention,
    reservedConcurrentExecutions: props.reservedConcurrency,
  });
  fn.bindTable(
    host.table,
    'read',
    tableDefinition.globalSecondaryIndexes.map((gsi) => gsi.indexName),
  );
  const authorizer = new HttpLambdaAuthorizer('ApiKey', fn, {
    authorizerName: 'api-key',
    responseTypes: [HttpLambdaResponseType.SIMPLE],
    identitySource: [`$request.header.${apiKeyHeader}`],
    resultsCacheTtl: Duration.seconds(0),
  });
  const routes: HttpRoute[] = [];
  for (const group of host.groups) {
    const integration = integrations.get(group.name);
    for (const r of group.routes) {
      if (!r.machineRouteKey || !integration) continue;
      routes.push(
        ...host.api.addRoutes({
          path: `${apiPrefix}${machinePath(r.route)}`,
          methods: [HttpMethod[r.route.method]],
          integration,
          authorizer,
        }),
      );
    }
  }
  return { fn, authorizer, routes };
}
