import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import type { CfnStage, HttpRoute, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { BackupPlan, BackupPlanRule, BackupResource } from 'aws-cdk-lib/aws-backup';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** What the API's access log records of each request. */
export const apiAccessLogFields = {
  requestId: '$context.requestId',
  // The Lambda request id: the same value as requestId in the function's own log lines.
  integrationRequestId: '$context.integration.requestId',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  user: '$context.authorizer.claims.sub',
  // On the machine routes: the API key the authorizer verified.
  apiKey: '$context.authorizer.keyId',
};

/** Requests per second and burst, as API Gateway throttles them. */
export interface Throttle {
  rateLimit: number;
  burstLimit: number;
}

/** The stage default: every route not listed in the stage's route settings. */
export const defaultThrottle: Throttle = { rateLimit: 50, burstLimit: 100 };

/**
 * The bulk routes' limit: each call reads or writes a whole workspace's worth
 * of records (export, import, restore), so a handful per second is plenty for
 * people and keeps one caller from draining the table's capacity or the
 * account's Lambda concurrency for everyone else.
 */
export const defaultBulkThrottle: Throttle = { rateLimit: 5, burstLimit: 10 };

/**
 * Gives each bulk route its own, lower throttle in the stage's route settings.
 * The stage depends on the routes: API Gateway refuses settings for a route
 * key that does not exist yet.
 */
export function throttleRoutes(stage: HttpStage, routes: ReadonlyMap<string, HttpRoute[]>, limit: Throttle): void {
  if (routes.size === 0) return;
  if (limit.rateLimit > defaultThrottle.rateLimit || limit.burstLimit > defaultThrottle.burstLimit) {
    throw new Error('The bulk routes’ throttle must not exceed the stage default');
  }
  const cfnStage = stage.node.defaultChild as CfnStage;
  cfnStage.routeSettings = Object.fromEntries(
    [...routes.keys()].map((routeKey) => [
      routeKey,
      // A JSON map in CloudFormation, so CDK passes its keys through: they are written as CloudFormation spells them.
      { ThrottlingRateLimit: limit.rateLimit, ThrottlingBurstLimit: limit.burstLimit },
    ]),
  );
  for (const route of [...routes.values()].flat()) stage.node.addDependency(route);
}

/**
 * The shared secret CloudFront sends to the API in `x-origin-verify`. Secrets
 * Manager generates it, so the value never appears in the template or the
 * repository; CloudFormation resolves the reference at deploy time. Passing a
 * version id pins that version (the rotation step in docs/operations.md).
 */
export function originVerifySecret(scope: Construct, stage: string, versionId?: string, previousVersionId?: string) {
  const secret = new Secret(scope, 'OriginVerifySecret', {
    description: `Accord ${stage}: the header value CloudFront adds to API requests, proving they came through it`,
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
    // Nothing is signed with it: a new deployment simply gets a new one.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const value = (versionId ? SecretValue.secretsManager(secret.secretArn, { versionId }) : secret.secretValue).unsafeUnwrap();
  // While CloudFront takes minutes to switch to a new value, the functions accept the old one too.
  const previous = previousVersionId
    ? SecretValue.secretsManager(secret.secretArn, { versionId: previousVersionId }).unsafeUnwrap()
    : undefined;
  // The values go into CloudFront's origin config and the functions' environment, both of
  // which only the account's own operators can read; see docs/operations.md.
  return { secret, value, accepted: previous ? `${value} ${previous}` : value };
}

/**
 * AWS Backup of the table, daily, each recovery point kept 35 days, in a vault
 * of its own. On top of point-in-time recovery (35 days, to the second), it
 * keeps copies that survive the table's deletion and can be restored to a new table.
 */
export function tableBackupPlan(scope: Construct, name: string, table: ITableV2): BackupPlan {
  // Daily at 05:00 UTC, each recovery point deleted after 35 days.
  const plan = new BackupPlan(scope, 'BackupPlan', {
    backupPlanName: `${name}-daily`,
    backupPlanRules: [BackupPlanRule.daily()],
  });
  plan.addSelection('Table', { resources: [BackupResource.fromArn(table.tableArn)] });
  return plan;
}
