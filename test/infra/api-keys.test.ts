import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiPrefix, type RouteName, routes } from '#contract/index';
import { machinePath, machineRouteNames } from '#contract/machine';
import { AccordStack } from '#infra/accord-stack';
import { readActions } from '#infra/api-function';
import { groupRoutes, writeEntries } from '#infra/function-groups';

/** The machine routes on AWS: their own Lambda authorizer beside the Cognito JWT one, on the same functions. */
type Resource = { Type: string; Properties: Record<string, any> };

const scratch = mkdtempSync(join(tmpdir(), 'accord-keys-'));
const webAssetPath = join(scratch, 'web');
mkdirSync(webAssetPath);
writeFileSync(join(webAssetPath, 'index.html'), '<!doctype html><title>Accord</title>');
const entriesDir = resolve(import.meta.dirname, '../../.build/test-entries/keys');

let app: App;
let stack: AccordStack;
let template: Template;
beforeAll(() => {
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new AccordStack(app, 'Accord-keys', {
    stage: 'keys',
    webAssetPath,
    entriesDir,
    corsOrigins: ['http://localhost:5173'],
  });
  template = Template.fromStack(stack);
});

const resourcesOf = (type: string) => Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const machineKeys = () =>
  machineRouteNames(routes).map((name) => {
    const route = routes[name as RouteName];
    return `${route.method} ${apiPrefix}${machinePath(route)}`;
  });

describe('the API key authorizer', () => {
  it('is a REQUEST authorizer with simple responses on the x-api-key header, and caches nothing', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      Name: 'api-key',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.x-api-key'],
      AuthorizerResultTtlInSeconds: 0,
    });
  });

  it('lets every function that serves a machine route write the table: a key’s use is written, on read routes too', () => {
    const groups = groupRoutes(routes);
    const keyed = groups.filter((group) => group.routes.some((r) => r.machineRouteKey !== undefined));
    expect(keyed.flatMap((group) => group.routes.filter((r) => r.machineRouteKey).map((r) => r.name)).sort()).toEqual(
      machineRouteNames(routes).sort(),
    );
    // The catalogue's read routes are machine routes: their function is the case that needs this.
    expect(keyed.some((group) => group.routes.every((r) => !r.route.writes))).toBe(true);
    const policies = resourcesOf('AWS::IAM::Policy');
    for (const group of keyed) {
      expect(group.access, group.name).toBe('readWrite');
      const roleId = stack.getLogicalId(stack.functions.get(group.name)?.role?.node.defaultChild as never);
      const actions = policies
        .filter(([, policy]) => (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleId))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>)
        .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]));
      for (const action of ['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem']) {
        expect(actions, `${group.name} ${action}`).toContain(action);
      }
    }
  });

  it('guards exactly the machine routes, each on the function that serves the route for people', () => {
    const [[keyAuthorizerId]] = resourcesOf('AWS::ApiGatewayV2::Authorizer').filter(
      ([, resource]) => resource.Properties.AuthorizerType === 'REQUEST',
    ) as [[string, Resource]];
    const apiRoutes = resourcesOf('AWS::ApiGatewayV2::Route').map(([, resource]) => resource.Properties);
    const guarded = apiRoutes.filter((route) => route.AuthorizerId?.Ref === keyAuthorizerId);
    expect(guarded.map((route) => route.RouteKey).sort()).toEqual(machineKeys().sort());
    expect(guarded.every((route) => route.AuthorizationType === 'CUSTOM')).toBe(true);
    // Nothing under /api/machine goes without the key authorizer, and no person's route takes a key.
    const underMachine = apiRoutes.filter((route) => String(route.RouteKey).includes(`${apiPrefix}/machine/`));
    expect(underMachine).toHaveLength(guarded.length);
    for (const name of machineRouteNames(routes)) {
      const route = routes[name as RouteName];
      const twin = apiRoutes.find((r) => r.RouteKey === `${route.method} ${apiPrefix}${machinePath(route)}`);
      const own = apiRoutes.find((r) => r.RouteKey === `${route.method} ${apiPrefix}${route.path}`);
      expect(own?.AuthorizationType, name).toBe('JWT');
      expect(twin?.Target, name).toEqual(own?.Target);
    }
  });

  it('has a function of its own that may only read the table, and API Gateway may invoke it', () => {
    const fnId = stack.getLogicalId(stack.keyAuthorizer.node.defaultChild as never);
    const roleId = stack.getLogicalId(stack.keyAuthorizer.role?.node.defaultChild as never);
    const policies = resourcesOf('AWS::IAM::Policy').filter(([, policy]) =>
      (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleId),
    );
    const actions = policies
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>)
      .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]))
      .filter((action) => action.startsWith('dynamodb:'));
    expect(actions.sort()).toEqual([...readActions].sort());
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) },
    });
  });

  it('lets a browser on an allowed origin send the key header', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowHeaders: Match.arrayWith(['x-api-key']) }),
    });
  });

  it('routes a machine route key to its handler in the generated entry', () => {
    const groups = groupRoutes(routes);
    const entries = writeEntries(groups, join(scratch, 'entries'));
    const catalogue = groups.find((group) => group.routes.some((r) => r.name === 'promiseCheck'));
    const text = readFileSync(entries.get(catalogue?.name ?? '') ?? '', 'utf8');
    const check = routes.promiseCheck;
    expect(text).toContain(`'${check.method} ${apiPrefix}${machinePath(check)}': async () =>`);
    expect(text).toContain(`'${check.method} ${apiPrefix}${check.path}': async () =>`);
  });

  it('passes cdk-nag with the authorizer in place', () => {
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const report = pack.validateScope(app);
      const findings = report.violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings, pack.readPackName).toEqual([]);
    }
  });
});
