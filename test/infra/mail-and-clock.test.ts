import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccordStack, type AccordStackProps } from '#infra/accord-stack';
import { lambdaEsbuildOptions } from '#infra/lambda-bundling';
import { mailingHandlers } from '#test/support/functions';
import { declaredJobs } from '#test/support/jobs';

type Resource = { Type: string; Properties: Record<string, any> };

const scratch = mkdtempSync(join(tmpdir(), 'accord-infra-mail-'));
const webAssetPath = join(scratch, 'web');
mkdirSync(webAssetPath);
writeFileSync(join(webAssetPath, 'index.html'), '<!doctype html><title>Accord</title>');
const entriesRoot = resolve(import.meta.dirname, '../../.build/test-entries');

function synth(props: Partial<AccordStackProps> = {}) {
  const stage = props.stage ?? 'clock';
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AccordStack(app, `Accord-${stage}`, {
    stage,
    webAssetPath,
    entriesDir: join(entriesRoot, stage),
    env: { account: '123456789012', region: 'eu-west-1' },
    ...props,
  });
  return { app, stack, template: Template.fromStack(stack) };
}

const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const refTo = (value: any): string | undefined => value?.Ref ?? value?.['Fn::GetAtt']?.[0];

/** Every statement of the policies attached to a role. */
function statementsOf(template: Template, roleId: string): Array<Record<string, any>> {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties.Roles.some((role: unknown) => refTo(role) === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

let plain: ReturnType<typeof synth>;
let withSes: ReturnType<typeof synth>;
beforeAll(() => {
  plain = synth();
  withSes = synth({ stage: 'ses', mail: { identity: 'halden.example' } });
});

const idOf = (s: ReturnType<typeof synth>, construct: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(construct.node.defaultChild as never);

describe('the clock on AWS', () => {
  it('has one EventBridge Scheduler schedule per job, invoking the jobs function with the job’s name', () => {
    const schedules = resourcesOf(plain.template, 'AWS::Scheduler::Schedule').map(([, s]) => s.Properties);
    expect(schedules).toHaveLength(declaredJobs().length);
    const fnId = idOf(plain, plain.stack.jobs.fn);
    for (const job of declaredJobs()) {
      const schedule = schedules.find((s) => JSON.parse(s.Target.Input).job === job.name);
      expect(schedule, job.name).toMatchObject({
        ScheduleExpression: job.expression,
        ScheduleExpressionTimezone: 'Etc/UTC',
        State: 'ENABLED',
        Target: { RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 1800 } },
      });
      expect(refTo(schedule?.Target.Arn)).toBe(fnId);
      expect(refTo(schedule?.Target.RoleArn)).toBe(idOf(plain, plain.stack.jobs.schedulerRole));
    }
    expect(declaredJobs()[0]?.expression).toBe('cron(0 6-23 * * ? *)');
  });

  it('invokes through a role only the scheduler of this account assumes, allowed to invoke the jobs function only', () => {
    const roleId = idOf(plain, plain.stack.jobs.schedulerRole);
    const role = resourcesOf(plain.template, 'AWS::IAM::Role').find(([id]) => id === roleId)?.[1];
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
    const statements = statementsOf(plain.template, roleId);
    expect(statements).toHaveLength(1);
    const fnId = idOf(plain, plain.stack.jobs.fn);
    expect(statements[0]?.Action).toBe('lambda:InvokeFunction');
    expect(statements[0]?.Resource).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
  });

  it('runs the jobs on the same runtime as the API, with read-write table access and no scan, and alarms on failures', () => {
    const fnId = idOf(plain, plain.stack.jobs.fn);
    const fn = resourcesOf(plain.template, 'AWS::Lambda::Function').find(([id]) => id === fnId)?.[1];
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 10 });
    const statements = statementsOf(plain.template, idOf(plain, plain.stack.jobs.fn.role as never));
    const actions = statements.flatMap((s) => asArray(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem']));
    expect(actions).not.toContain('dynamodb:Scan');
    const alarms = resourcesOf(plain.template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.AlarmName);
    expect(alarms).toContain('accord-clock-jobs-errors');
  });
});

describe('mail on AWS', () => {
  const sesStatements = (s: ReturnType<typeof synth>) =>
    resourcesOf(s.template, 'AWS::IAM::Policy')
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
      .filter((statement) => JSON.stringify(statement.Action).includes('ses:'));

  it('grants no SES action to anyone and names no sender without -c sesIdentity', () => {
    expect(sesStatements(plain)).toEqual([]);
    for (const [, fn] of resourcesOf(plain.template, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment?.Variables?.MAIL_FROM).toBeUndefined();
    }
  });

  it('grants ses:SendEmail on that identity only, to the functions that mail and no other', () => {
    const identityArn = JSON.stringify({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:identity/halden.example']],
    });
    const mailing = [
      withSes.stack.jobs.fn,
      ...withSes.stack.groups
        .filter((group) => group.routes.some((r) => mailingHandlers.includes(r.handler)))
        .map((group) => withSes.stack.functions.get(group.name)),
    ];
    // The jobs function, the members function (invitations), the outcomes function (sign-off requests), the
    // commitments and orders functions (approval requests) and the decisions function (approved or declined).
    expect(mailing).toHaveLength(6);
    const mailingRoles = new Set(mailing.map((fn) => idOf(withSes, fn?.role as never)));
    for (const [id, policy] of resourcesOf(withSes.template, 'AWS::IAM::Policy')) {
      const statements = (policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>).filter((s) =>
        JSON.stringify(s.Action).includes('ses:'),
      );
      const role = refTo(policy.Properties.Roles[0]) ?? '';
      expect(statements.length > 0, id).toBe(mailingRoles.has(role));
      for (const statement of statements) {
        expect(statement.Action).toBe('ses:SendEmail');
        expect(JSON.stringify(statement.Resource)).toBe(identityArn);
      }
    }
    for (const fn of mailing) {
      const fnId = idOf(withSes, fn as never);
      const variables = resourcesOf(withSes.template, 'AWS::Lambda::Function').find(([id]) => id === fnId)?.[1].Properties
        .Environment.Variables;
      expect(variables.MAIL_FROM).toBe('accord@halden.example');
      expect(variables.APP_URL).toBeDefined();
    }
  });

  it('sends from the identity itself when it is an address, and refuses an identity that is a pattern', () => {
    const address = synth({ stage: 'sesaddr', mail: { identity: 'planning@halden.example' } });
    const fnId = idOf(address, address.stack.jobs.fn);
    const variables = resourcesOf(address.template, 'AWS::Lambda::Function').find(([id]) => id === fnId)?.[1].Properties
      .Environment.Variables;
    expect(variables.MAIL_FROM).toBe('planning@halden.example');
    expect(() => synth({ stage: 'sesbad', mail: { identity: '*' } })).toThrow(/sesIdentity/);
  });

  it('passes cdk-nag with and without SES', () => {
    for (const stage of [plain, withSes]) {
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

describe('the jobs function bundle', () => {
  it('bundles as the stack bundles it, under the 350 KiB target, and refuses a job that is not declared', async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'accord-jobs-bundle-')), 'index.mjs');
    await build(lambdaEsbuildOptions(resolve(import.meta.dirname, '../../functions/jobs/lambda.ts'), outfile));
    expect(statSync(outfile).size / 1024).toBeLessThan(350);
    const bundled = (await import(pathToFileURL(outfile).href)) as { handler: (event: unknown) => Promise<unknown> };
    await expect(bundled.handler({ job: 'no-such-job' })).rejects.toThrow('No job named no-such-job');
  });
});
