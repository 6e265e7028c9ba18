import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import type { Template as TemplateType } from 'aws-cdk-lib/assertions';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnyRoute, apiPrefix, routes } from '#contract/index';
import { AccordStack, type AccordStackProps } from '#infra/accord-stack';
import { defaultBulkThrottle, defaultThrottle } from '#infra/edge';
import { routeKeyOf } from '#infra/function-groups';
import { clientErrorMinRequests } from '#infra/monitoring';
import { originVerifyEnv, originVerifyHeader } from '#test/support/functions';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[]; DeletionPolicy?: string };

const repoRoot = resolve(import.meta.dirname, '../..');
const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };
const recommendedFlags = JSON.parse(
  readFileSync(join(repoRoot, 'node_modules/aws-cdk-lib/recommended-feature-flags.json'), 'utf8'),
) as Record<string, unknown>;

const scratch = mkdtempSync(join(tmpdir(), 'accord-edge-'));
const webAssetPath = join(scratch, 'web');
mkdirSync(webAssetPath);
writeFileSync(join(webAssetPath, 'index.html'), '<!doctype html><title>Accord</title>');

/** Synthesizes the stack as `cdk synth` does, with cdk.json's context (its feature flags), bundling skipped. */
function synth(props: Partial<AccordStackProps> = {}) {
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const stage = props.stage ?? 'edge';
  const stack = new AccordStack(app, `Accord-${stage}`, {
    stage,
    webAssetPath,
    entriesDir: join(repoRoot, '.build/test-entries', stage),
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

const resourcesOf = (template: TemplateType, type: string) =>
  Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const refTo = (value: unknown): string | undefined => {
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (typeof v.Ref === 'string') return v.Ref;
    if (Array.isArray(v['Fn::GetAtt'])) return String(v['Fn::GetAtt'][0]);
  }
  return undefined;
};
const isBucketDeployment = (id: string) => id.startsWith('CustomCDKBucketDeployment');
/** The scheduled jobs' function is invoked by EventBridge Scheduler, never through CloudFront and the API. */
const jobsFunctionId = (stack: AccordStack) => stack.getLogicalId(stack.jobs.fn.node.defaultChild as CfnElement);
const keyAuthorizerId = (stack: AccordStack) => stack.getLogicalId(stack.keyAuthorizer.node.defaultChild as CfnElement);
// The API key authorizer is called by API Gateway itself, never through CloudFront, so it checks no origin header.
const isApiFunction = (stack: AccordStack) => (id: string) =>
  !isBucketDeployment(id) && id !== jobsFunctionId(stack) && id !== keyAuthorizerId(stack);

const routeEntries = Object.entries(routes as Record<string, AnyRoute>);

let edge: ReturnType<typeof synth>;
let template: TemplateType;
beforeAll(() => {
  edge = synth();
  template = edge.template;
});

describe('cdk synth', () => {
  it('sets every feature flag cdk init recommends for this aws-cdk-lib, at the recommended value', () => {
    expect(Object.keys(recommendedFlags).length).toBeGreaterThan(50);
    for (const [flag, value] of Object.entries(recommendedFlags)) expect(cdkJson.context[flag], flag).toEqual(value);
  });

  it('builds the web app the way npm run build:web does, which silences Vite’s config loader notice', () => {
    const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const [build, app] = cdkJson.app.split(' && ');
    expect(build).toMatch(/^npm run --silent build:web -- --logLevel warn$/);
    expect(app).toBe('npx tsx infra/app.ts');
    expect(packageJson.scripts['build:web']).toMatch(/^VITE_CONFIG_NATIVE_IGNORE_WARNING=true vite build /);
  });

  it('keeps the SRP flow off every user pool client', () => {
    const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    expect(clients.length).toBeGreaterThan(0);
    for (const [id, client] of clients) {
      expect(client.Properties.ExplicitAuthFlows ?? [], id).not.toContain('ALLOW_USER_SRP_AUTH');
      expect(client.Properties.ExplicitAuthFlows ?? [], id).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    }
  });
});

describe('the API only through CloudFront', () => {
  const secretId = () => edge.stack.getLogicalId(edge.stack.originSecret.node.defaultChild as never);
  /** The dynamic reference CloudFormation resolves to the secret's value at deploy time. */
  const isReferenceToSecret = (value: unknown) => {
    const text = JSON.stringify(value);
    return text.includes('{{resolve:secretsmanager:') && text.includes(`"Ref":"${secretId()}"`);
  };

  it('generates the shared value in Secrets Manager, so neither the template nor the repository holds it', () => {
    const [, secret] = resourcesOf(template, 'AWS::SecretsManager::Secret').find(([id]) => id === secretId()) ?? [];
    expect(secret?.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    expect(secret?.Properties.SecretString).toBeUndefined();
  });

  it('has CloudFront add the secret header to every request it sends to the API, and only to the API', () => {
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    const apiBehaviour = config.CacheBehaviors.find((b: any) => b.PathPattern === `${apiPrefix}/*`);
    const apiOrigin = config.Origins.find((o: any) => o.Id === apiBehaviour.TargetOriginId);
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('.execute-api.');
    expect(apiOrigin.OriginCustomHeaders).toHaveLength(1);
    const [header] = apiOrigin.OriginCustomHeaders;
    expect(header.HeaderName).toBe(originVerifyHeader);
    expect(isReferenceToSecret(header.HeaderValue)).toBe(true);
    for (const origin of config.Origins.filter((o: any) => o !== apiOrigin)) expect(origin.OriginCustomHeaders).toBeUndefined();
  });

  it('gives every API function the same value to check, through the router every entry is built on', () => {
    const [[, distribution]] = resourcesOf(template, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const sent = distribution.Properties.DistributionConfig.Origins.find((o: any) => o.OriginCustomHeaders).OriginCustomHeaders[0]
      .HeaderValue;
    const functions = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => isApiFunction(edge.stack)(id));
    expect(functions).toHaveLength(edge.stack.functions.size);
    for (const [id, fn] of functions) expect(fn.Properties.Environment.Variables[originVerifyEnv], id).toEqual(sent);
    for (const group of edge.stack.groups) {
      const entry = readFileSync(join(repoRoot, '.build/test-entries/edge', `${group.name}.ts`), 'utf8');
      expect(entry, group.name).toContain('export const handler = createRouter({');
    }
  });

  it('during a rotation, has CloudFront send the new version while the functions accept the new and the previous one', () => {
    const { template: rotating, stack: rotatingStack } = synth({
      stage: 'edgerotate',
      originSecretVersion: 'v-new',
      originSecretPreviousVersion: 'v-old',
    });
    const [[, distribution]] = resourcesOf(rotating, 'AWS::CloudFront::Distribution') as [[string, Resource]];
    const sent = JSON.stringify(
      distribution.Properties.DistributionConfig.Origins.find((o: any) => o.OriginCustomHeaders).OriginCustomHeaders[0]
        .HeaderValue,
    );
    expect(sent).toContain(':SecretString:::v-new}}');
    expect(sent).not.toContain('v-old');
    const functions = resourcesOf(rotating, 'AWS::Lambda::Function').filter(([id]) => isApiFunction(rotatingStack)(id));
    expect(functions).toHaveLength(rotatingStack.functions.size);
    for (const [id, fn] of functions) {
      const accepted = JSON.stringify(fn.Properties.Environment.Variables[originVerifyEnv]);
      expect(accepted, id).toMatch(/:SecretString:::v-new\}\} \{\{resolve:secretsmanager:.*:SecretString:::v-old\}\}/);
    }
  });

  it('lets only this API and the readiness probe invoke the functions', () => {
    const apiId = edge.stack.getLogicalId(edge.stack.api.node.defaultChild as never);
    const permissions = resourcesOf(template, 'AWS::Lambda::Permission').map(([, p]) => p.Properties);
    expect(permissions.length).toBeGreaterThanOrEqual(edge.stack.functions.size);
    for (const permission of permissions) {
      if (permission.Principal === 'apigateway.amazonaws.com') {
        expect(JSON.stringify(permission.SourceArn)).toContain(`"Ref":"${apiId}"`);
      } else {
        // A direct invocation carries no API id, so the router does not ask it for the header.
        expect(permission.Principal).toBe('events.amazonaws.com');
        const [[ruleId]] = resourcesOf(template, 'AWS::Events::Rule') as [[string, Resource]];
        expect(refTo(permission.SourceArn)).toBe(ruleId);
      }
    }
  });
});

describe('throttles', () => {
  const bulkKeys = routeEntries.filter(([, route]) => route.bulk).map(([, route]) => routeKeyOf(route));

  it("marks the routes that move a whole workspace as bulk: backup export and restore, portfolio import, export and update by CSV, issue and commitment exports, delivery import, the sales plan's save and update by CSV, and a cycle's thresholds by CSV", () => {
    expect(
      routeEntries
        .filter(([, route]) => route.bulk)
        .map(([name]) => name)
        .sort(),
    ).toEqual(
      [
        'applyPortfolioCsv',
        'applySalesPlanCsv',
        'applyThresholdCsv',
        'exportMisalignmentIssues',
        'exportPortfolioItems',
        'exportWorkspace',
        'exportWorkspaceCommitments',
        'importDeliveries',
        'importPortfolioItems',
        'previewPortfolioCsv',
        'previewSalesPlanCsv',
        'previewThresholdCsv',
        'restoreWorkspace',
        'saveSalesPlan',
      ].sort(),
    );
  });

  it('throttles each bulk route below the stage default, and no other route', () => {
    const [[, stage]] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: defaultThrottle.rateLimit,
      ThrottlingBurstLimit: defaultThrottle.burstLimit,
    });
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual([...bulkKeys].sort());
    for (const key of bulkKeys) {
      const settings = stage.Properties.RouteSettings[key];
      expect(settings, key).toEqual({
        ThrottlingRateLimit: defaultBulkThrottle.rateLimit,
        ThrottlingBurstLimit: defaultBulkThrottle.burstLimit,
      });
      expect(settings.ThrottlingRateLimit).toBeLessThan(defaultThrottle.rateLimit);
      expect(settings.ThrottlingBurstLimit).toBeLessThan(defaultThrottle.burstLimit);
    }
  });

  it('creates the stage after the routes its settings name, which API Gateway requires', () => {
    const [[, stage]] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const routeIds = new Map(resourcesOf(template, 'AWS::ApiGatewayV2::Route').map(([id, r]) => [r.Properties.RouteKey, id]));
    for (const key of bulkKeys) expect(stage.DependsOn, key).toContain(routeIds.get(key));
  });

  it('refuses a bulk throttle above the stage default', () => {
    expect(() => synth({ stage: 'edgeloose', bulkThrottle: { rateLimit: 500, burstLimit: 1000 } })).toThrow(/stage default/);
  });
});

describe('operations', () => {
  it('logs the API Gateway and the Lambda request ids in each access log line, so they join the function logs', () => {
    const [[, stage]] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      integrationRequestId: '$context.integration.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('alarms when the API’s p99 latency stays high for 15 minutes', () => {
    const apiId = edge.stack.getLogicalId(edge.stack.api.node.defaultChild as never);
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'accord-edge-api-p99-latency',
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: apiId } }],
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 3000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('alarms on a spike of 4xx answers as a share of enough traffic', () => {
    const alarm = resourcesOf(template, 'AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .find((a) => a.AlarmName === 'accord-edge-api-4xx');
    expect(alarm?.Threshold).toBe(25);
    const metrics = alarm?.Metrics as Array<Record<string, any>>;
    const expression = metrics.find((m) => m.Expression);
    expect(expression?.Expression).toBe(`IF(requests >= ${clientErrorMinRequests}, 100 * clientErrors / requests, 0)`);
    const byId = Object.fromEntries(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat]));
    expect(byId.clientErrors).toMatchObject({
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: '4xx' },
      Stat: 'Sum',
      Period: 300,
    });
    expect(byId.requests).toMatchObject({
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count' },
      Stat: 'Sum',
      Period: 300,
    });
  });

  it('keeps the logs of the function that uploads the web app for a month, not forever', () => {
    const [[, deployFn]] = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => isBucketDeployment(id)) as [
      [string, Resource],
    ];
    const logGroupId = refTo(deployFn.Properties.LoggingConfig?.LogGroup);
    expect(logGroupId).toBeDefined();
    expect(template.findResources('AWS::Logs::LogGroup')[logGroupId ?? '']?.Properties.RetentionInDays).toBe(30);
  });

  it('adds no AWS Backup plan unless asked to', () => {
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
    template.resourceCountIs('AWS::Backup::BackupSelection', 0);
  });

  it('backs the table up daily into a retained vault, keeping each copy 35 days, with -c backupPlan=true', () => {
    const { stack, template: backedUp } = synth({ stage: 'edgebackup', backupPlan: true });
    const [[planId, plan]] = resourcesOf(backedUp, 'AWS::Backup::BackupPlan') as [[string, Resource]];
    const [rule] = plan.Properties.BackupPlan.BackupPlanRule;
    expect(plan.Properties.BackupPlan.BackupPlanRule).toHaveLength(1);
    expect(rule.ScheduleExpression).toMatch(/^cron\(0 5 \* \* \? \*\)$/);
    expect(rule.Lifecycle).toEqual({ DeleteAfterDays: 35 });
    const [[vaultId, vault]] = resourcesOf(backedUp, 'AWS::Backup::BackupVault') as [[string, Resource]];
    expect(refTo(rule.TargetBackupVault)).toBe(vaultId);
    expect(vault.DeletionPolicy).toBe('Retain');
    const [[, selection]] = resourcesOf(backedUp, 'AWS::Backup::BackupSelection') as [[string, Resource]];
    expect(refTo(selection.Properties.BackupPlanId)).toBe(planId);
    const tableId = stack.getLogicalId(stack.table.node.defaultChild as never);
    expect(selection.Properties.BackupSelection.Resources).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
  });
});

describe('cdk-nag with the recommended feature flags', () => {
  it('finds nothing unacknowledged, with every option on', () => {
    const stages = [
      edge,
      // Bound to an account and region, as `cdk synth` is with credentials: findings then name them (and the partition) literally.
      synth({
        stage: 'edgeprod',
        env: { account: '123456789012', region: 'eu-west-1' },
        alarmEmail: 'ops@example.com',
        backupPlan: true,
        originSecretVersion: 'v-1234',
      }),
      synth({ stage: 'edgeregion', env: { region: 'us-east-1' } }),
    ];
    for (const stage of stages) {
      for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
        const report = pack.validateScope(stage.app);
        const findings = report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        );
        expect(findings, pack.readPackName).toEqual([]);
      }
    }
  });
});
