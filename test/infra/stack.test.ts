import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionGroupOf, handlerFile } from '#contract/define';
import { type AnyRoute, apiPrefix, type RouteName, routes } from '#contract/index';
import { machinePath, machineRouteNames } from '#contract/machine';
import { AccordStack, type AccordStackProps } from '#infra/accord-stack';
import { readActions, readWriteActions } from '#infra/api-function';
import { groupRoutes, type RouteTable, routeKeyOf } from '#infra/function-groups';
import { acknowledgements, acknowledgementTable } from '#infra/nag';
import { tableDefinition } from '#test/support/table';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

const scratch = mkdtempSync(join(tmpdir(), 'accord-infra-'));
const webAssetPath = join(scratch, 'web');
mkdirSync(webAssetPath);
writeFileSync(join(webAssetPath, 'index.html'), '<!doctype html><title>Accord</title>');

const entriesRoot = resolve(import.meta.dirname, '../../.build/test-entries');

/** Synthesizes a stack with bundling skipped: the template is what these tests check; `npx cdk synth` bundles. */
function synth(props: Partial<AccordStackProps> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AccordStack(app, `Accord-${props.stage ?? 'test'}`, {
    stage: 'test',
    webAssetPath,
    // Entries must sit under the project root for bundling; a folder per stage keeps syntheses apart.
    entriesDir: join(entriesRoot, props.stage ?? 'test'),
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

const routeEntries = Object.entries(routes as Record<string, AnyRoute>);
const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const refTo = (value: unknown): string | undefined => {
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (typeof v.Ref === 'string') return v.Ref;
    if (Array.isArray(v['Fn::GetAtt'])) return String(v['Fn::GetAtt'][0]);
  }
  return undefined;
};
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

let dev: ReturnType<typeof synth>;
let template: Template;
beforeAll(() => {
  dev = synth();
  template = dev.template;
});

describe('the table', () => {
  it('is built from the one table definition: on demand, TTL, PITR, deletion protection, retained', () => {
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
      // AWS owned key: encrypted at rest without a KMS key to pay for or manage (decision in accord-stack.ts).
      SSESpecification: { SSEEnabled: false },
    });
    // cdk-nag's PITR rule does not look at TableV2 (AWS::DynamoDB::GlobalTable), so it is asserted here.
    const [[, table]] = resourcesOf(template, 'AWS::DynamoDB::GlobalTable') as [[string, Resource]];
    expect(table.Properties.Replicas).toHaveLength(1);
    for (const replica of table.Properties.Replicas) {
      expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(replica.DeletionProtectionEnabled).toBe(true);
    }
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('is named per stage and retained in every stage', () => {
    for (const stage of ['dev', 'prod']) {
      const { template: staged } = synth({ stage });
      staged.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({ TableName: `accord-${stage}` }),
      });
      staged.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolName: `accord-${stage}` });
      staged.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: `accord-${stage}` });
      staged.hasResource('AWS::Cognito::UserPool', {
        DeletionPolicy: stage === 'prod' ? 'Retain' : 'Delete',
        Properties: Match.objectLike({ DeletionProtection: stage === 'prod' ? 'ACTIVE' : 'INACTIVE' }),
      });
    }
  });
});

describe('the functions', () => {
  const groups = groupRoutes(routes as Record<string, AnyRoute>);

  it('serve every route of the route table exactly once, grouped by area and table access', () => {
    const served = groups.flatMap((group) => group.routes.map((r) => r.name)).sort();
    expect(served).toEqual(routeEntries.map(([name]) => name).sort());
    for (const group of groups) {
      for (const r of group.routes) {
        expect(functionGroupOf(r.handler), r.name).toBe(group.name.split('-')[0]);
        // A machine route's group writes whatever the route does: an API key's use is written (functions/access/key-use.ts).
        const keyed = group.routes.some((other) => other.machineRouteKey !== undefined);
        expect(r.route.writes || keyed ? 'readWrite' : 'read', r.name).toBe(group.access);
        expect(r.route.access.kind === 'public', r.name).toBe(group.public);
      }
    }
    expect(dev.stack.functions.size).toBe(groups.length);
  });

  it('route each key to its own handler in the generated entry', () => {
    for (const group of groups) {
      const entry = readFileSync(join(entriesRoot, 'test', `${group.name}.ts`), 'utf8');
      group.routes.forEach((r, index) => {
        expect(entry).toContain(`'${r.routeKey}': async () => route${index},`);
        expect(entry).toContain(`import * as route${index} from '../../../functions/${handlerFile(r.handler)}';`);
      });
    }
  });

  it('run on the newest Node runtime, ARM64, traced, with sized memory and timeout and their own log group', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function').filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
    );
    // One per group of routes, the scheduled jobs function and the API key authorizer, built the same way.
    expect(functions).toHaveLength(groups.length + 2);
    const logGroups = new Map(resourcesOf(template, 'AWS::Logs::LogGroup'));
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Architectures: ['arm64'],
        Runtime: 'nodejs24.x',
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
        Timeout: 10,
        LoggingConfig: { LogFormat: 'JSON' },
      });
      const logGroup = logGroups.get(refTo(fn.Properties.LoggingConfig.LogGroup) ?? '');
      expect(logGroup?.Properties.RetentionInDays, id).toBe(30);
    }
  });

  it('reserve concurrency only when asked to, since new accounts cannot reserve from their quota of 10', () => {
    expect(
      template.findResources('AWS::Lambda::Function', { Properties: { ReservedConcurrentExecutions: Match.anyValue() } }),
    ).toEqual({});
    const { template: reserved } = synth({ reservedConcurrency: 20 });
    const fns = resourcesOf(reserved, 'AWS::Lambda::Function').filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'));
    for (const [id, fn] of fns) expect(fn.Properties.ReservedConcurrentExecutions, id).toBe(20);
  });

  it('keeps logs longer in prod', () => {
    const { template: prod } = synth({ stage: 'prod' });
    for (const [id, group] of resourcesOf(prod, 'AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays, id).toBe(90);
  });

  it('every log group has a retention', () => {
    const logGroups = resourcesOf(template, 'AWS::Logs::LogGroup');
    expect(logGroups.length).toBeGreaterThan(groups.length);
    for (const [id, group] of logGroups) expect(group.Properties.RetentionInDays, id).toBeGreaterThan(0);
  });

  it('grant each function only the table actions its routes need, on this table and its indexes', () => {
    const roles = new Map(resourcesOf(template, 'AWS::IAM::Role'));
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    const [[tableId]] = resourcesOf(template, 'AWS::DynamoDB::GlobalTable') as [[string, Resource]];
    for (const group of groups) {
      const fn = dev.stack.functions.get(group.name);
      const roleId = dev.stack.getLogicalId(fn?.role?.node.defaultChild as never);
      expect(roles.has(roleId), group.name).toBe(true);
      const statements = policies
        .filter(([, policy]) => policy.Properties.Roles.some((role: unknown) => refTo(role) === roleId))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
      const tableStatements = statements.filter((s) => asArray(s.Action).some((a: string) => a.startsWith('dynamodb:')));
      expect(tableStatements, group.name).toHaveLength(1);
      const [statement] = tableStatements as [Record<string, any>];
      expect(asArray(statement.Action).sort(), group.name).toEqual(
        [...(group.access === 'read' ? readActions : readWriteActions)].sort(),
      );
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain(tableId);
      for (const gsi of tableDefinition.globalSecondaryIndexes) expect(resources).toContain(`/index/${gsi.indexName}`);
      expect(resources).not.toContain('*');
      // The only wildcard resource is X-Ray's, which has no resource-level permissions.
      for (const s of statements.filter((s) => JSON.stringify(s.Resource) === '"*"')) {
        for (const action of asArray(s.Action)) expect(action, group.name).toMatch(/^xray:/);
      }
      expect(JSON.stringify(statements)).not.toMatch(/dynamodb:\*|dynamodb:Scan|dynamodb:DeleteTable|logs:\*/);
    }
  });

  it('keep the backup signing key in Secrets Manager, retained, readable and named only by the backup functions', () => {
    const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret');
    const secretIdOf = (construct: { node: { defaultChild?: unknown } }) =>
      dev.stack.getLogicalId(construct.node.defaultChild as never);
    // The other secret is the origin value CloudFront sends to the API (test/infra/edge.test.ts).
    expect(secrets.map(([id]) => id).sort()).toEqual(
      [secretIdOf(dev.stack.backupSigningKey), secretIdOf(dev.stack.originSecret)].sort(),
    );
    const [secretId, secret] = secrets.find(([id]) => id === secretIdOf(dev.stack.backupSigningKey)) as [string, Resource];
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.DeletionPolicy).toBe('Retain');
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    for (const group of groups) {
      const fn = dev.stack.functions.get(group.name);
      const roleId = dev.stack.getLogicalId(fn?.role?.node.defaultChild as never);
      const fnId = dev.stack.getLogicalId(fn?.node.defaultChild as never);
      const isBackup = group.routes.some((r) => r.handler.startsWith('backup/'));
      const reads = policies
        .filter(([, policy]) => policy.Properties.Roles.some((role: unknown) => refTo(role) === roleId))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
        .filter((statement) => JSON.stringify(statement.Resource).includes(secretId));
      expect(reads.length > 0, group.name).toBe(isBackup);
      for (const statement of reads) {
        expect(asArray(statement.Action).sort(), group.name).toEqual([
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
        ]);
      }
      const environment = functions.find(([id]) => id === fnId)?.[1].Properties.Environment?.Variables ?? {};
      expect(refTo(environment.BACKUP_SIGNING_KEY_SECRET), group.name).toBe(isBackup ? secretId : undefined);
    }
    expect(groups.filter((group) => group.routes.some((r) => r.handler.startsWith('backup/')))).toHaveLength(2);
  });

  it('gives no other role access to the table', () => {
    const functionRoles = new Set(
      [...dev.stack.functions.values(), dev.stack.jobs.fn, dev.stack.keyAuthorizer].map((fn) =>
        dev.stack.getLogicalId(fn.role?.node.defaultChild as never),
      ),
    );
    for (const [id, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
      if (JSON.stringify(policy.Properties.PolicyDocument).includes('dynamodb:')) {
        expect(
          policy.Properties.Roles.every((role: unknown) => functionRoles.has(refTo(role) ?? '')),
          id,
        ).toBe(true);
      }
    }
  });
});

describe('the API', () => {
  it('has exactly the routes of the route table, all but public ones behind the JWT authorizer, machine twins behind the API key authorizer', () => {
    const authorizers = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers.map(([, resource]) => resource.Properties.AuthorizerType).sort()).toEqual(['JWT', 'REQUEST']);
    const [authorizerId, authorizer] = authorizers.find(([, resource]) => resource.Properties.AuthorizerType === 'JWT') ?? [];
    expect(authorizer?.Properties.AuthorizerType).toBe('JWT');
    const [keyAuthorizerId] = authorizers.find(([, resource]) => resource.Properties.AuthorizerType === 'REQUEST') ?? [];
    const apiRoutes = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([, resource]) => ({
      key: String(resource.Properties.RouteKey),
      authorization: String(resource.Properties.AuthorizationType ?? 'NONE'),
      authorizer: refTo(resource.Properties.AuthorizerId) ?? null,
    }));
    const expected = routeEntries.map(([, route]) => {
      const isPublic = route.access.kind === 'public';
      return { key: routeKeyOf(route), authorization: isPublic ? 'NONE' : 'JWT', authorizer: isPublic ? null : authorizerId };
    });
    const machine = machineRouteNames(routes).map((name) => ({
      key: routeKeyOf({ method: routes[name as RouteName].method, path: machinePath(routes[name as RouteName]) }),
      authorization: 'CUSTOM',
      authorizer: keyAuthorizerId,
    }));
    expect(machine.length).toBeGreaterThanOrEqual(4);
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    expect(apiRoutes.sort(byKey)).toEqual([...expected, ...machine].sort(byKey));
    expect(
      expected
        .filter((route) => route.authorization === 'NONE')
        .map((route) => route.key)
        .sort(),
    ).toEqual([`GET ${apiPrefix}/health`, `GET ${apiPrefix}/openapi.json`, `GET ${apiPrefix}/ready`]);
  });

  it('sends each route to the function of its group', () => {
    const integrations = new Map(resourcesOf(template, 'AWS::ApiGatewayV2::Integration'));
    const groupOf = new Map(
      groupRoutes(routes as Record<string, AnyRoute>).flatMap((g) =>
        g.routes.flatMap((r) =>
          [r.routeKey, ...(r.machineRouteKey ? [r.machineRouteKey] : [])].map((key) => [key, g.name] as const),
        ),
      ),
    );
    for (const [, route] of resourcesOf(template, 'AWS::ApiGatewayV2::Route')) {
      const target = String(route.Properties.Target['Fn::Join'][1][1].Ref);
      const integration = integrations.get(target);
      const fn = dev.stack.functions.get(groupOf.get(route.Properties.RouteKey) ?? '');
      expect(refTo(integration?.Properties.IntegrationUri), route.Properties.RouteKey).toBe(
        dev.stack.getLogicalId(fn?.node.defaultChild as never),
      );
    }
  });

  it('logs access to a log group with retention and throttles the stage', () => {
    const [[, stage]] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const logGroup =
      template.findResources('AWS::Logs::LogGroup')[refTo(stage.Properties.AccessLogSettings.DestinationArn) ?? ''];
    expect(logGroup?.Properties.RetentionInDays).toBe(30);
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
  });

  it('allows no cross-origin calls unless a stage names its extra origins', () => {
    expect(template.findResources('AWS::ApiGatewayV2::Api', { Properties: { CorsConfiguration: Match.anyValue() } })).toEqual({});
    const { template: withCors } = synth({ corsOrigins: ['http://localhost:5173'] });
    withCors.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['http://localhost:5173'] }),
    });
  });
});

describe('sign-in', () => {
  it('is an invitation-only user pool with a strong password policy and required TOTP MFA', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it('keeps identity out of its owner’s hands: no SRP flow, email not writable, a new email only once verified', () => {
    const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    expect(clients.length).toBeGreaterThan(0);
    for (const [id, client] of clients) {
      expect(client.Properties.ExplicitAuthFlows, id).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
      expect(client.Properties.WriteAttributes, id).toEqual(expect.any(Array));
      expect(client.Properties.WriteAttributes, id).not.toContain('email');
      expect(client.Properties.WriteAttributes, id).not.toContain('email_verified');
    }
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
  });

  it('has a public SPA client for the authorization code flow (PKCE) returning to the app', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(['openid', 'email', 'profile']),
      CallbackURLs: [{ 'Fn::Join': ['', ['https://', Match.anyValue(), '/auth/callback']] }],
      SupportedIdentityProviders: ['COGNITO'],
    });
  });

  it('keeps a sign-in for a working week of renewals by default, with revocable refresh tokens and hourly ID tokens', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      RefreshTokenValidity: 5 * 24 * 60,
      IdTokenValidity: 60,
      TokenValidityUnits: Match.objectLike({ RefreshToken: 'minutes', IdToken: 'minutes' }),
      EnableTokenRevocation: true,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('takes the refresh-token lifetime from refreshTokenDays and refuses a lifetime Cognito would not', () => {
    const { template: fortnight } = synth({ stage: 'fortnight', refreshTokenDays: 14 });
    fortnight.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      RefreshTokenValidity: 14 * 24 * 60,
      EnableTokenRevocation: true,
    });
    for (const refreshTokenDays of [0, 1.5, 3651, Number.NaN]) {
      expect(() => synth({ stage: 'badrefresh', refreshTokenDays }), String(refreshTokenDays)).toThrow(/refreshTokenDays/);
    }
  });
});

describe('the web app', () => {
  it('lives in private, SSL-only buckets', () => {
    const buckets = resourcesOf(template, 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = resourcesOf(template, 'AWS::S3::BucketPolicy').find(([, p]) => refTo(p.Properties.Bucket) === id);
      expect(JSON.stringify(policy?.[1].Properties.PolicyDocument), id).toContain('"aws:SecureTransport":"false"');
    }
    // Nothing grants read to everyone: the site bucket is read by CloudFront only.
    for (const [, policy] of resourcesOf(template, 'AWS::S3::BucketPolicy')) {
      for (const s of policy.Properties.PolicyDocument.Statement) {
        if (s.Effect === 'Allow') expect(s.Principal).not.toBe('*');
      }
    }
  });

  it('is served by CloudFront over HTTPS through origin access control, with security headers', () => {
    const [[oacId]] = resourcesOf(template, 'AWS::CloudFront::OriginAccessControl') as [[string, Resource]];
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    const s3Origin = config.Origins.find((o: any) => o.S3OriginConfig);
    expect(refTo(s3Origin.OriginAccessControlId)).toBe(oacId);
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Logging).toBeDefined();
    const [[headersId, headers]] = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, Resource]];
    expect(refTo(config.DefaultCacheBehavior.ResponseHeadersPolicyId)).toBe(headersId);
    const security = headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy)).toContain("frame-ancestors 'none'");
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true });
    expect(security.FrameOptions.FrameOption).toBe('DENY');
  });

  it('falls back to index.html for app routes without rewriting API errors', () => {
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    // Distribution-wide error pages would turn API 403/404 answers into index.html.
    expect(config.CustomErrorResponses).toBeUndefined();
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual(
      [{ EventType: 'viewer-request', FunctionARN: Match.anyValue() as never }].map((a) => ({
        ...a,
        FunctionARN: config.DefaultCacheBehavior.FunctionAssociations[0].FunctionARN,
      })),
    );
    const [[, fn]] = resourcesOf(template, 'AWS::CloudFront::Function') as [[string, Resource]];
    const handler = new Function(`${fn.Properties.FunctionCode}; return handler;`)() as (e: unknown) => { uri: string };
    const uriOf = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriOf('/w/abc/members')).toBe('/index.html');
    expect(uriOf('/')).toBe('/index.html');
    expect(uriOf('/assets/index-abc123.js')).toBe('/assets/index-abc123.js');
    expect(uriOf('/config.json')).toBe('/config.json');
    expect(uriOf('/favicon.svg')).toBe('/favicon.svg');
    expect(uriOf('/auth/callback')).toBe('/index.html');
    expect(uriOf('/w/abc/members/sam.sales@example.com')).toBe('/index.html');
  });

  it('sends /api/* to the HTTP API uncached, forwarding Authorization', () => {
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    const [api] = config.CacheBehaviors.filter((b: any) => b.PathPattern === `${apiPrefix}/*`);
    expect(api).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // managed CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // managed AllViewerExceptHostHeader
    });
    expect(api.FunctionAssociations).toBeUndefined();
    const origin = config.Origins.find((o: any) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(origin.DomainName)).toContain('.execute-api.');
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
  });

  it('deploys config.json for Cognito sign-in beside the app', () => {
    const [[, deployment]] = resourcesOf(template, 'Custom::CDKBucketDeployment') as [[string, Resource]];
    expect(deployment.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
    // The client id and sign-in domain are deploy-time values, filled into config.json by the deployment.
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain(`"Ref":"${dev.stack.getLogicalId(dev.stack.webClient.node.defaultChild as never)}"`);
    expect(markers).toContain(`"Ref":"${dev.stack.getLogicalId(dev.stack.signInDomain.node.defaultChild as never)}"`);
  });

  it('uses a custom domain with TLS 1.2 when given one', () => {
    const { template: custom } = synth({
      domain: { names: ['accord.example.com'], certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
    });
    custom.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['accord.example.com'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
    custom.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://accord.example.com/auth/callback'] });
  });
});

describe('monitoring', () => {
  it('alarms on every function’s errors and throttles, API 5xx and table throttles, into one topic', () => {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const [[topicId]] = resourcesOf(template, 'AWS::SNS::Topic') as [[string, Resource]];
    for (const alarm of alarms) expect(alarm.AlarmActions.map(refTo)).toEqual([topicId]);
    const names = alarms.map((alarm) => String(alarm.AlarmName)).sort();
    const expected = [
      ...[...dev.stack.functions.keys(), 'jobs', 'api-key-authorizer'].flatMap((group) => [
        `accord-test-${group}-errors`,
        `accord-test-${group}-throttles`,
      ]),
      'accord-test-api-5xx',
      'accord-test-api-p99-latency',
      'accord-test-api-4xx',
      'accord-test-table-throttles',
      'accord-test-not-ready',
    ].sort();
    expect(names).toEqual(expected);
    const tableAlarm = alarms.find((alarm) => alarm.AlarmName === 'accord-test-table-throttles');
    expect(JSON.stringify(tableAlarm?.Metrics)).toMatch(/ReadThrottleEvents.*WriteThrottleEvents/);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('readiness on AWS', () => {
  it('asks the readiness route every five minutes and alarms when it finds the database away', () => {
    const readyKey = `GET ${apiPrefix}/ready`;
    const group = dev.stack.groups.find((g) => g.routes.some((r) => r.routeKey === readyKey));
    expect(group?.public).toBe(true);
    const fnId = template.toJSON().Resources
      ? resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith(`${group?.id}Fn`))?.[0]
      : undefined;
    expect(fnId).toBeDefined();
    const [rule] = resourcesOf(template, 'AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rule?.ScheduleExpression).toBe('rate(5 minutes)');
    expect(JSON.stringify(rule?.Targets[0].Arn)).toContain(String(fnId));
    expect(JSON.parse(rule?.Targets[0].Input)).toMatchObject({ routeKey: readyKey, rawPath: `${apiPrefix}/ready` });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });

    const [filter] = resourcesOf(template, 'AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
    expect(filter?.FilterPattern).toContain('Readiness check failed');
    const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .find((a) => a.AlarmName === 'accord-test-not-ready');
    expect(alarm).toMatchObject({
      MetricName: filter?.MetricTransformations[0].MetricName,
      Namespace: filter?.MetricTransformations[0].MetricNamespace,
      Threshold: 1,
    });
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the AwsSolutions and Serverless packs', () => {
    for (const stage of [dev, synth({ stage: 'prod', alarmEmail: 'ops@example.com' })]) {
      for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
        const report = pack.validateScope(stage.app);
        const findings = report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        );
        expect(findings, pack.readPackName).toEqual([]);
      }
    }
  });

  it('names a rule and a real reason in every acknowledgement, each used and listed in the deployment guide', () => {
    // Every optional part on, so the acknowledgements for optional constructs are checked too.
    const withEmail = synth({ stage: 'mail', alarmEmail: 'ops@example.com', backupPlan: true });
    const readme = readFileSync(resolve(import.meta.dirname, '../../docs/deploy.md'), 'utf8');
    for (const ack of acknowledgements) {
      expect(ack.id).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
      expect(ack.reason.length, ack.id).toBeGreaterThan(60);
      expect(ack.targets(dev.stack).length + ack.targets(withEmail.stack).length, ack.id).toBeGreaterThan(0);
      expect(readme.includes(`| \`${ack.id}\``), `docs/deploy.md lists ${ack.id}`).toBe(true);
    }
    // The guide's table is generated from the acknowledgements, so its reasons cannot drift from them; the
    // formatter pads its cells, so cells are compared, not bytes.
    const cells = (table: string) =>
      table
        .trim()
        .split('\n')
        .map((line) => line.split('|').map((cell) => cell.trim().replace(/^-+$/, '---')));
    const generated = acknowledgementTable();
    const [first, last] = [generated.split('\n')[0] ?? '', generated.split('\n').at(-1) ?? ''];
    const inGuide = readme.slice(readme.indexOf(first), readme.indexOf(last) + last.length);
    expect(cells(inGuide), 'docs/deploy.md: run `npx tsx scripts/docs/nag-table.ts`').toEqual(cells(generated));
  });
});

describe('resource headroom', () => {
  /** A synthetic route table: `areas` areas, each with read and write routes, `total` routes in all. */
  function syntheticRoutes(total: number, areas: number): RouteTable {
    const table: RouteTable = {};
    for (let i = 0; i < total; i++) {
      const area = `area${i % areas}`;
      const writes = i % 2 === 1;
      table[`route${i}`] = {
        method: writes ? 'POST' : 'GET',
        path: `/workspaces/{workspaceId}/${area}/r${i}`,
        handler: `${area}/r${i}`,
        summary: `Synthetic route ${i}`,
        access: { kind: 'member' },
        writes,
      };
    }
    return table;
  }
  const countFor = (total: number, areas: number) =>
    Object.keys(synth({ stage: `h${total}x${areas}`, routes: syntheticRoutes(total, areas) }).template.toJSON().Resources).length;

  it('costs one CloudFormation resource per route and a fixed few per function', () => {
    const base = countFor(20, 5);
    expect(countFor(40, 5) - base).toBe(20);
    const perFunction = (countFor(20, 6) - base) / 2;
    expect(perFunction).toBeLessThanOrEqual(8);
  });

  it('keeps 100 routes in 15 areas (30 functions) well under the 500-resource limit', () => {
    expect(countFor(100, 15)).toBeLessThan(400);
  });
});
