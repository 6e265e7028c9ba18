import { App } from 'aws-cdk-lib';
import { AccordStack } from './accord-stack';

const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
if (!/^[a-z][a-z0-9-]{1,15}$/.test(stage)) throw new Error(`stage must be lowercase letters, digits or dashes, got "${stage}"`);

new AccordStack(app, `Accord-${stage}`, {
  stage,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
