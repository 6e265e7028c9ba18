import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AccordStack } from './accord-stack';
import { identityProviderFromContext } from './company-sign-in';

const app = new App();
const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};
const list = (key: string) =>
  context(key)
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const stage = context('stage') ?? 'dev';
if (!/^[a-z][a-z0-9-]{1,15}$/.test(stage)) throw new Error(`stage must be lowercase letters, digits or dashes, got "${stage}"`);
const domainNames = list('domain');
const certificateArn = context('certificateArn');
if (domainNames && !certificateArn) throw new Error('-c domain=… needs -c certificateArn=… (an ACM certificate in us-east-1)');

new AccordStack(app, `Accord-${stage}`, {
  stage,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  alarmEmail: context('alarmEmail'),
  corsOrigins: list('corsOrigins'),
  domain: domainNames && certificateArn ? { names: domainNames, certificateArn } : undefined,
  mail: context('sesIdentity') ? { identity: String(context('sesIdentity')), from: context('mailFrom') } : undefined,
  reservedConcurrency: context('reservedConcurrency') ? Number(context('reservedConcurrency')) : undefined,
  identityProvider: identityProviderFromContext(app.node.getAllContext()),
  refreshTokenDays: context('refreshTokenDays') ? Number(context('refreshTokenDays')) : undefined,
  backupPlan: context('backupPlan') === 'true',
  originSecretVersion: context('originSecretVersion'),
  originSecretPreviousVersion: context('originSecretPreviousVersion'),
  description: `Accord (${stage}): sales & operations planning workspace`,
});

// cdk-nag runs on every synth; a finding that is not acknowledged in infra/nag.ts fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
