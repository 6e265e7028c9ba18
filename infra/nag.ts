import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import type { BackupPlan } from 'aws-cdk-lib/aws-backup';
import type { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Role } from 'aws-cdk-lib/aws-iam';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Subscription } from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import type { ApiFunction } from './api-function';
import type { ScheduledJobs } from './jobs';
import type { Monitoring } from './monitoring';
import type { WebHosting } from './web-hosting';

/**
 * The parts of the Accord stack the findings are attached to. The stack
 * passes itself; naming only these keeps this module below the stack.
 */
export interface NaggedStack extends Stack {
  readonly functions: ReadonlyMap<string, ApiFunction>;
  readonly publicRoutes: readonly HttpRoute[];
  readonly userPool: UserPool;
  readonly web: WebHosting;
  readonly monitoring: Monitoring;
  readonly hasCustomDomain: boolean;
  readonly backupSigningKey: Secret;
  readonly originSecret: Secret;
  readonly backupPlan?: BackupPlan | undefined;
  readonly jobs: ScheduledJobs;
  readonly keyAuthorizer: ApiFunction;
}

/** One accepted cdk-nag finding: the rule, where it applies, and why it is accepted. */
export interface Acknowledgement {
  /** Rule id as cdk-nag reports it, with the finding in brackets where the rule reports one. */
  id: string;
  /** Which constructs it covers, in words (docs/deploy.md's table is generated from these: {@link acknowledgementTable}). */
  scope: string;
  reason: string;
  /** The constructs of the stack it is attached to; never the whole stack or app. */
  targets: (stack: NaggedStack) => IConstruct[];
}

/** The singleton Lambda function that `BucketDeployment` adds to the stack, and its role. */
const bucketDeploymentHandler = (stack: NaggedStack): IConstruct[] =>
  Stack.of(stack)
    .node.children.filter((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))
    .map((child) => child);

const apiFunctionPolicies = (stack: NaggedStack): IConstruct[] =>
  [...stack.functions.values(), stack.keyAuthorizer].flatMap((fn) =>
    fn.role ? [fn.role.node.tryFindChild('DefaultPolicy') ?? fn.role] : [],
  );

/**
 * Every cdk-nag finding (AwsSolutions and Serverless packs) this stack
 * accepts, with the reason. The infra test fails on any finding not listed
 * here, and on any acknowledgement without a rule id or a reason.
 */
export const acknowledgements: Acknowledgement[] = [
  {
    id: 'AwsSolutions-APIG4',
    scope: 'public routes of the route table (only `GET /api/health`, `GET /api/ready` and `GET /api/openapi.json`)',
    reason:
      'Routes the route table marks public need no sign-in by design: the health check answers a constant and reads no data; the readiness check reads one fixed key that no record uses; the OpenAPI document is generated from the route table and reads no data. Every other route has the Cognito JWT authorizer, or on the machine routes the API key authorizer, asserted by the infra test.',
    targets: (stack) => [...stack.publicRoutes],
  },
  {
    id: 'AwsSolutions-COG8',
    scope: 'the user pool',
    reason:
      'The Essentials feature plan is used: the pool is invitation-only and requires TOTP MFA, which covers the account-takeover risks Plus threat protection addresses for a small internal user base. Plus is priced per monthly active user with no free tier; set `featurePlan: FeaturePlan.PLUS` if the company requires adaptive authentication.',
    targets: (stack) => [stack.userPool],
  },
  {
    id: 'AwsSolutions-CFR1',
    scope: 'the CloudFront distribution',
    reason: 'Planning teams and sales reps work from any country; the app is protected by sign-in, not by geography.',
    targets: (stack) => [stack.web.distribution],
  },
  {
    id: 'AwsSolutions-CFR2',
    scope: 'the CloudFront distribution',
    reason:
      'No WAF web ACL by default: every API route but the health check needs a Cognito JWT, the API stage is throttled, and the site is static. A web ACL costs a monthly fee at zero traffic and must live in us-east-1; attach one with the distribution `webAclId` if required.',
    targets: (stack) => [stack.web.distribution],
  },
  {
    id: 'AwsSolutions-CFR4',
    scope: 'the CloudFront distribution, only when no custom domain is configured',
    reason:
      'With the default *.cloudfront.net certificate CloudFront cannot enforce a minimum TLS version. Browsers that reach the app negotiate TLS 1.2+, and the HSTS header is set. Passing `domain` (name + ACM certificate) enforces TLSv1.2_2021 and drops this acknowledgement.',
    targets: (stack) => (stack.hasCustomDomain ? [] : [stack.web.distribution]),
  },
  {
    id: 'AwsSolutions-SMG4',
    scope: 'the backup signing key',
    reason:
      'The key signs workspace backups so a restore takes only what this deployment exported; rotating it would make every backup made before the rotation unrestorable. Replace it deliberately (and keep the old one to restore older backups) rather than on a schedule.',
    targets: (stack) => [stack.backupSigningKey],
  },
  {
    id: 'AwsSolutions-SMG4',
    scope: 'the origin secret CloudFront sends to the API',
    reason:
      'CloudFront and the API functions read the value when CloudFormation deploys them, not at run time, so a scheduled rotation would change it under both and refuse every API request until the next deployment. It is rotated by a deployment that pins the new version for both at once (docs/operations.md).',
    targets: (stack) => [stack.originSecret],
  },
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    scope: 'the role of the AWS Backup plan’s table selection (only with `-c backupPlan=true`)',
    reason:
      'AWS Backup assumes this role to take the daily backups; the AWS managed backup policy is the one AWS keeps in step with the service’s needs (DynamoDB backups with advanced features), and the selection names only the Accord table.',
    targets: (stack) => stack.backupPlan?.node.findAll().filter((child) => child instanceof Role) ?? [],
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    scope: 'the API functions’ roles and the API key authorizer’s',
    reason:
      'Only the X-Ray actions (xray:PutTraceSegments, xray:PutTelemetryRecords) use Resource "*": X-Ray does not support resource-level permissions. The infra test asserts no other action in these policies has a wildcard resource.',
    targets: apiFunctionPolicies,
  },
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    scope: 'the scheduled jobs function’s role',
    reason:
      'As for the API functions: only the X-Ray actions use Resource "*", since X-Ray has no resource-level permissions. Its table grant is the read-write one of the API functions (no Scan), and its SES grant, when mail is configured, names the one identity.',
    targets: (stack) => [stack.jobs.fn.role?.node.tryFindChild('DefaultPolicy') ?? stack.jobs.fn],
  },
  {
    id: 'Serverless-LambdaDLQ',
    scope: 'the scheduled jobs function',
    reason:
      'A failed job run leaves its period’s run marker unfinished, so the next scheduled run (hourly) takes the same period up again; a dead-letter queue would hold invocations that carry nothing but the job’s name. Failures raise the jobs function’s error alarm.',
    targets: (stack) => [stack.jobs.fn],
  },
  {
    id: 'Serverless-SNSRedrivePolicy',
    scope: 'the alarm email subscription (only with `-c alarmEmail=…`)',
    reason:
      'An undeliverable alarm email loses no information: the alarm state and history stay in CloudWatch and on the dashboard. A dead-letter queue would be an SQS queue nobody reads.',
    targets: (stack) => stack.monitoring.topic.node.findAll().filter((child) => child instanceof Subscription),
  },
  {
    id: 'Serverless-EventBusDLQ',
    scope: 'the scheduled readiness probe',
    reason:
      'A missed probe needs no retry or dead-letter queue: the next one follows five minutes later, and a probe that keeps failing to run shows as the readiness function’s errors alarm.',
    targets: (stack) => (stack.monitoring.readinessProbe ? [stack.monitoring.readinessProbe] : []),
  },
  {
    id: 'Serverless-LambdaDLQ',
    scope: 'the API functions and the API key authorizer',
    reason:
      'API Gateway invokes these functions synchronously and the caller receives the error; a dead-letter queue only receives failed asynchronous invocations, so it would stay empty. Failures raise the per-function error alarm.',
    targets: (stack) => [...stack.functions.values(), stack.keyAuthorizer],
  },
  ...(
    [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'The deploy-time function of aws-cdk-lib BucketDeployment, which copies the built web app into the site bucket, uses the AWS managed logging policy; its role is not configurable.',
      ],
      [
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'BucketDeployment reads the web app asset from the CDK bootstrap bucket with the grants aws-cdk-lib generates.',
      ],
      [
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'BucketDeployment reads the CDK asset bucket and the site bucket with the grants aws-cdk-lib generates.',
      ],
      ['AwsSolutions-IAM5[Action::s3:List*]', 'BucketDeployment lists the site bucket to prune files of the previous web build.'],
      [
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'BucketDeployment deletes files of the previous web build from the site bucket (and nowhere else).',
      ],
      ['AwsSolutions-IAM5[Action::s3:Abort*]', 'BucketDeployment aborts its own failed multipart uploads to the site bucket.'],
      [
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        'BucketDeployment reads the web app asset, whose object key is only known at deploy time, from the CDK bootstrap asset bucket.',
      ],
      [
        'AwsSolutions-IAM5[Resource::<WebSiteD504717C.Arn>/*]',
        'BucketDeployment writes every file of the web app into the site bucket; the object keys are the build’s file names.',
      ],
      [
        'AwsSolutions-IAM5[Resource::*]',
        'BucketDeployment invalidates index.html and config.json in CloudFront after an upload; the CloudFront invalidation grant aws-cdk-lib generates is not scoped to one distribution.',
      ],
      [
        'AwsSolutions-L1',
        'The deploy-time function of BucketDeployment runs the runtime aws-cdk-lib pins for it; it updates with aws-cdk-lib and serves no requests.',
      ],
      [
        'Serverless-LambdaLatestVersion',
        'The deploy-time function of BucketDeployment runs the runtime aws-cdk-lib pins for it; it updates with aws-cdk-lib and serves no requests.',
      ],
      [
        'Serverless-LambdaDLQ',
        'The deploy-time function of BucketDeployment reports failure to CloudFormation, which rolls the deployment back; a dead-letter queue would hold nothing to act on.',
      ],
      [
        'Serverless-LambdaTracing',
        'The deploy-time function of BucketDeployment runs once per deployment and serves no requests; there is no request path to trace.',
      ],
    ] as const
  ).map(
    ([id, reason]): Acknowledgement => ({
      id,
      scope: 'the BucketDeployment function that uploads the web app (deploy time only)',
      reason,
      targets: bucketDeploymentHandler,
    }),
  ),
];

/**
 * The rule id as cdk-nag reports it for this stack: findings name the account
 * and region literally when the stack is bound to an environment. An ARN built
 * from the stack's region (the CDK asset bucket's) then names the partition
 * literally too (the `enablePartitionLiterals` flag); AWS managed policy ARNs,
 * which name no region, keep `${AWS::Partition}`.
 */
export function findingId(stack: Stack, id: string): string {
  const literal = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  const partition = id.includes('<AWS::Region>') ? literal(stack.partition, '<AWS::Partition>') : '<AWS::Partition>';
  return id
    .replaceAll('<AWS::Partition>', partition)
    .replaceAll('<AWS::AccountId>', literal(stack.account, '<AWS::AccountId>'))
    .replaceAll('<AWS::Region>', literal(stack.region, '<AWS::Region>'));
}

/** Attaches every acknowledgement to its constructs. */
export function acknowledgeFindings(stack: NaggedStack): void {
  for (const { id, reason, targets } of acknowledgements) {
    for (const target of targets(stack)) Validations.of(target).acknowledge({ id: findingId(stack, id), reason });
  }
}

/** Where docs/deploy.md's generated table of acknowledgements begins and ends. */
export const acknowledgementTableMarkers = {
  start: '<!-- generated from infra/nag.ts by `npx tsx scripts/docs/nag-table.ts`; do not edit by hand -->',
  end: '<!-- end of the generated table -->',
} as const;

/**
 * The acknowledgements as the Markdown table docs/deploy.md shows, one row
 * each (rule, where, why), so the reasons are written once, here. The infra
 * test checks the guide holds exactly this table.
 */
export function acknowledgementTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  return [
    acknowledgementTableMarkers.start,
    '| rule | where | why |',
    '|---|---|---|',
    ...acknowledgements.map((ack) => `| \`${ack.id}\` | ${cell(ack.scope)} | ${cell(ack.reason)} |`),
    acknowledgementTableMarkers.end,
  ].join('\n');
}
