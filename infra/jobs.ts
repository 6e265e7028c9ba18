import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { Job } from '#functions/jobs/define';
import { scheduleExpression } from '#functions/jobs/define';
import { ApiFunction } from './api-function';

/** Where mail goes on AWS. */
export interface MailSettings {
  /** A verified SES identity: a domain (`example.com`) or an email address. */
  identity: string;
  /** The sender address. Default: the identity when it is an address, else `accord@<domain>`. */
  from?: string;
}

export interface ScheduledJobsProps {
  name: string;
  jobs: readonly Job[];
  table: ITableV2;
  indexNames: readonly string[];
  projectRoot: string;
  depsLockFilePath: string;
  logRetention: RetentionDays;
  /** The app's address, for links in mail. */
  appUrl: string;
  mail?: MailSettings;
  reservedConcurrency?: number;
}

/** The sender address of mail settings. */
export const senderOf = (mail: MailSettings) =>
  mail.from ?? (mail.identity.includes('@') ? mail.identity : `accord@${mail.identity}`);

/**
 * Lets a function send mail through SES: `ses:SendEmail` on the one verified
 * identity (never `*`), the sender and the app's address in its environment.
 * Without mail settings it only gets the app's address, and sends nothing.
 */
export function grantMail(fn: ApiFunction, appUrl: string, mail: MailSettings | undefined): void {
  fn.addEnvironment('APP_URL', appUrl);
  if (!mail) return;
  // The identity ends up in an IAM resource: only a plain domain or address, never a pattern.
  const domainOrAddress = /^([a-z0-9!#$%&'+/=?^_`{|}~.-]+@)?([a-z0-9-]+\.)+[a-z]{2,}$/i;
  if (!domainOrAddress.test(mail.identity))
    throw new Error(`sesIdentity must be a domain or an email address, got "${mail.identity}"`);
  if (mail.from !== undefined && !/^[^@\s]+@[^@\s]+$/.test(mail.from))
    throw new Error(`mailFrom must be an email address, got "${mail.from}"`);
  fn.addEnvironment('MAIL_FROM', senderOf(mail));
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        Stack.of(fn).formatArn({
          service: 'ses',
          resource: 'identity',
          resourceName: mail.identity,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    }),
  );
}

/**
 * The clock on AWS: one function runs every job of `functions/jobs/`, and an
 * EventBridge Scheduler schedule per job invokes it with `{ "job": <name> }`
 * through a role that may invoke that function only. Each run is idempotent
 * per period (run markers in the table), so a retried or doubled invocation
 * has no second effect.
 */
export class ScheduledJobs extends Construct {
  readonly fn: ApiFunction;
  readonly schedulerRole: Role;
  readonly schedules: CfnSchedule[] = [];

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    this.fn = new ApiFunction(this, 'Fn', {
      entry: `${props.projectRoot}/functions/jobs/lambda.ts`,
      projectRoot: props.projectRoot,
      depsLockFilePath: props.depsLockFilePath,
      description: `${props.name} scheduled jobs: ${props.jobs.map((job) => job.name).join(', ')}`.slice(0, 256),
      logRetention: props.logRetention,
      // The API functions' timeout: a run stops taking work before it (functions/jobs/action-reminders.ts),
      // and its lease, far longer, keeps a second run out meanwhile.
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    this.fn.bindTable(props.table, 'readWrite', props.indexNames);
    grantMail(this.fn, props.appUrl, props.mail);

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: `Lets EventBridge Scheduler invoke the ${props.name} jobs function, and nothing else`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    // The function itself, not its versions or aliases (`:*`), which the L2 target would add.
    this.schedulerRole.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
    for (const job of props.jobs) {
      this.schedules.push(
        new CfnSchedule(this, `${job.name}Schedule`, {
          name: `${props.name}-${job.name}`.slice(0, 64),
          description: job.summary.slice(0, 512),
          scheduleExpression: scheduleExpression(job.schedule),
          scheduleExpressionTimezone: 'Etc/UTC',
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: this.fn.functionArn,
            roleArn: this.schedulerRole.roleArn,
            input: JSON.stringify({ job: job.name }),
            // A run that could not be delivered is retried a little; after that the next scheduled
            // run takes the period up again (its marker is not done), so no dead-letter queue.
            retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 30 * 60 },
          },
        }),
      );
    }
  }
}
