import { CfnOutput, type Stack } from 'aws-cdk-lib';
import { apiPrefix } from '#contract/index';

/** What a deployment prints: where the app is, and what the company's identity provider and operators need. */
export function stackOutputs(
  stack: Stack,
  facts: { origin: string; userPoolId: string; webClientId: string; signInBaseUrl: string; alarmTopicArn: string },
): void {
  new CfnOutput(stack, 'WebUrl', { value: facts.origin, description: 'Open the app here' });
  new CfnOutput(stack, 'ApiUrl', { value: `${facts.origin}${apiPrefix}`, description: 'The API, same origin as the app' });
  new CfnOutput(stack, 'UserPoolId', { value: facts.userPoolId });
  new CfnOutput(stack, 'WebClientId', { value: facts.webClientId });
  new CfnOutput(stack, 'SignInDomain', { value: facts.signInBaseUrl });
  // What the company's identity provider needs registered, known before it is configured here (docs/company-sign-in.md).
  new CfnOutput(stack, 'OidcRedirectUri', {
    value: `${facts.signInBaseUrl}/oauth2/idpresponse`,
    description: 'Company sign-in (OIDC): the redirect URI to register with the identity provider',
  });
  new CfnOutput(stack, 'SamlAcsUrl', {
    value: `${facts.signInBaseUrl}/saml2/idpresponse`,
    description: 'Company sign-in (SAML): the assertion consumer service (reply) URL',
  });
  new CfnOutput(stack, 'SamlAudience', {
    value: `urn:amazon:cognito:sp:${facts.userPoolId}`,
    description: 'Company sign-in (SAML): the audience (entity id) of the service provider',
  });
  new CfnOutput(stack, 'AlarmTopicArn', { value: facts.alarmTopicArn });
}
