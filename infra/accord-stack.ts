import { resolve } from 'node:path';
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { type AnyRoute, apiPrefix, routes } from '../functions/routes/index';
import { tableDefinition } from '../functions/store/table-definition';
import { ApiFunction } from './api-function';

export interface AccordStackProps extends StackProps {
  /** `dev` or `prod`: names resources and decides whether data outlives the stack. */
  stage: string;
}

const handlersRoot = resolve(import.meta.dirname, '../functions/handlers');

/** PascalCase construct id from a route name, e.g. `inviteMember` → `InviteMember`. */
const idOf = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Accord on AWS: the one table, one Lambda function per route of the route
 * table, and an HTTP API whose routes are the route table's, guarded by a
 * Cognito JWT authorizer except where a route is public.
 */
export class AccordStack extends Stack {
  readonly table: TableV2;
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: AccordStackProps) {
    super(scope, id, props);
    const isProd = props.stage === 'prod';

    const gsiKeys = tableDefinition.globalSecondaryIndexes;
    this.table = new TableV2(this, 'Table', {
      tableName: `accord-${props.stage}`,
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: gsiKeys.map((gsi) => ({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: AttributeType.STRING },
      })),
      billing: Billing.onDemand(),
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const userPool = new UserPool(this, 'UserPool', {
      userPoolName: `accord-${props.stage}`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const webClient = new UserPoolClient(this, 'WebClient', {
      userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: { flows: { authorizationCodeGrant: true } },
    });

    this.api = new HttpApi(this, 'Api', {
      apiName: `accord-${props.stage}`,
      corsPreflight: {
        allowOrigins: ['http://localhost:4280'],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
      },
    });
    const authorizer = new HttpUserPoolAuthorizer('Cognito', userPool, { userPoolClients: [webClient] });

    for (const [name, route] of Object.entries(routes as Record<string, AnyRoute>)) {
      const fn = new ApiFunction(this, `${idOf(name)}Fn`, {
        entry: resolve(handlersRoot, `${route.handler}.ts`),
        description: `${route.method} ${apiPrefix}${route.path}: ${route.summary}`,
      });
      fn.bindTable(this.table, route.writes ? 'readWrite' : 'read');
      this.api.addRoutes({
        path: `${apiPrefix}${route.path}`,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${idOf(name)}Integration`, fn),
        authorizer: route.access.kind === 'public' ? undefined : authorizer,
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: webClient.userPoolClientId });
  }
}
