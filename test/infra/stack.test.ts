import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnyRoute, apiPrefix, routes } from '../../functions/routes/index';
import { tableDefinition } from '../../functions/store/table-definition';
import { AccordStack } from '../../infra/accord-stack';

let template: Template;
beforeAll(() => {
  // Bundling is exercised by `npx cdk synth` and the benchmarks; here the template is what matters.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new AccordStack(app, 'Accord-test', { stage: 'test' }));
});

const routeEntries = Object.entries(routes as Record<string, AnyRoute>);

describe('the CDK stack', () => {
  it('builds the table from the one table definition, retained and recoverable', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableDefinition.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((gsi) =>
        Match.objectLike({
          IndexName: gsi.indexName,
          KeySchema: [
            { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
            { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
          ],
        }),
      ),
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: tableDefinition.timeToLiveAttribute, Enabled: true },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('has one ARM64 function on the newest Node runtime per route of the route table', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Architectures: ['arm64'], Runtime: 'nodejs24.x' },
    });
    const descriptions = Object.values(functions).map((fn) => String(fn.Properties.Description));
    for (const [name, route] of routeEntries) {
      expect(descriptions, name).toContain(`${route.method} ${apiPrefix}${route.path}: ${route.summary}`);
    }
    expect(Object.keys(functions)).toHaveLength(routeEntries.length);
  });

  it('has exactly the API routes of the route table, all but public ones behind the JWT authorizer', () => {
    const apiRoutes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((resource) => ({
      key: String(resource.Properties.RouteKey),
      authorization: String(resource.Properties.AuthorizationType ?? 'NONE'),
    }));
    const expected = routeEntries.map(([, route]) => ({
      key: `${route.method} ${apiPrefix}${route.path}`,
      authorization: route.access.kind === 'public' ? 'NONE' : 'JWT',
    }));
    expect(apiRoutes.sort((a, b) => a.key.localeCompare(b.key))).toEqual(expected.sort((a, b) => a.key.localeCompare(b.key)));
  });

  it('gives read-only routes no write permission on the table', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    const readOnly = routeEntries
      .filter(([, route]) => !route.writes)
      .map(([name]) => name.charAt(0).toUpperCase() + name.slice(1));
    expect(readOnly.length).toBeGreaterThan(0);
    for (const fnName of readOnly) {
      const policy = policies.find((p) => JSON.stringify(p.Properties.Roles).includes(`${fnName}FnServiceRole`));
      expect(policy, fnName).toBeDefined();
      const actions = JSON.stringify(policy?.Properties.PolicyDocument);
      for (const action of writeActions) expect(actions, `${fnName} ${action}`).not.toContain(action);
    }
  });
});
