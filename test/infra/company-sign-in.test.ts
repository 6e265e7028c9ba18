import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { AccordStack } from '#infra/accord-stack';
import { identityProviderFromContext } from '#infra/company-sign-in';

/**
 * Company sign-in as `-c idp=…` configures it: the context is read as
 * `infra/app.ts` reads it (the app's whole context), and the stack is
 * synthesized from the result.
 */
const scratch = mkdtempSync(join(tmpdir(), 'accord-idp-'));
const webAssetPath = join(scratch, 'web');
mkdirSync(webAssetPath);
writeFileSync(join(webAssetPath, 'index.html'), '<!doctype html><title>Accord</title>');
const entriesRoot = resolve(import.meta.dirname, '../../.build/test-entries');

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

/** Synthesizes the stack from CDK context, as `cdk synth -c …` would, with bundling skipped. */
function synthWithContext(stage: string, context: Record<string, string>) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new AccordStack(app, `Accord-${stage}`, {
    stage,
    webAssetPath,
    entriesDir: join(entriesRoot, stage),
    identityProvider: identityProviderFromContext(app.node.getAllContext()),
  });
  const template = Template.fromStack(stack);
  return { app, stack, template };
}

const only = (template: Template, type: string): [string, Resource] => {
  const found = Object.entries(template.findResources(type)) as Array<[string, Resource]>;
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};

/** The `config.json` the deployment uploads beside the app, as staged in the cloud assembly. */
function deployedConfig(app: App): Record<string, any> {
  const outdir = app.synth().directory;
  for (const entry of readdirSync(outdir)) {
    if (!entry.startsWith('asset.')) continue;
    const file = join(outdir, entry, 'config.json');
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // not the config asset
    }
  }
  throw new Error('No config.json asset in the cloud assembly');
}

const entra = {
  idp: 'oidc',
  idpName: 'Entra',
  idpLabel: 'Microsoft',
  idpIssuer: 'https://login.microsoftonline.com/6f1c2d3e-0000-4000-8000-00000000abcd/v2.0',
  idpClientId: '0a1b2c3d-1111-4222-8333-444455556666',
  idpClientSecretName: 'accord/entra-client-secret',
};
const okta = {
  idp: 'saml',
  idpName: 'Okta',
  idpMetadataUrl: 'https://example.okta.com/app/exk123/sso/saml/metadata',
  idpEmailAttribute: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
};

describe('company sign-in settings from context', () => {
  it('reads nothing when no idp key is given', () => {
    expect(identityProviderFromContext({ stage: 'dev', alarmEmail: 'ops@example.com' })).toBeUndefined();
  });

  it('reads an OIDC provider with the email, its verification and the name mapped by default', () => {
    expect(identityProviderFromContext(entra)).toEqual({
      kind: 'oidc',
      name: 'Entra',
      label: 'Microsoft',
      issuerUrl: entra.idpIssuer,
      clientId: entra.idpClientId,
      clientSecretName: 'accord/entra-client-secret',
      scopes: ['openid', 'email', 'profile'],
      attributes: { email: 'email', name: 'name', emailVerified: 'email_verified' },
    });
  });

  it('reads a SAML provider, labelled by its name unless told otherwise', () => {
    expect(identityProviderFromContext(okta)).toEqual({
      kind: 'saml',
      name: 'Okta',
      label: 'Okta',
      metadataUrl: okta.idpMetadataUrl,
      attributes: { email: okta.idpEmailAttribute, name: 'name', emailVerified: 'email_verified' },
    });
  });

  it('fails synth naming every missing key of an incomplete configuration', () => {
    expect(() => identityProviderFromContext({ idp: 'oidc', idpName: 'Entra', idpIssuer: entra.idpIssuer })).toThrow(
      /^Company sign-in with -c idp=oidc is missing -c idpClientId=… \(.+\), -c idpClientSecretName=… \(.+\)$/,
    );
    expect(() => identityProviderFromContext({ idp: 'saml', idpName: 'Okta' })).toThrow(
      'Company sign-in with -c idp=saml is missing -c idpMetadataUrl=… (the https URL of the SAML metadata document)',
    );
    expect(() => identityProviderFromContext({ idp: 'saml', idpMetadataUrl: okta.idpMetadataUrl })).toThrow(
      /missing -c idpName=…/,
    );
  });

  it('fails synth on keys without -c idp, keys of the other kind, unknown keys and an unknown kind', () => {
    expect(() => identityProviderFromContext({ idpName: 'Entra', idpClientId: 'x' })).toThrow(
      '-c idpName, -c idpClientId configure company sign-in, which needs -c idp=oidc or -c idp=saml',
    );
    expect(() => identityProviderFromContext({ ...okta, idpClientId: 'x' })).toThrow(
      '-c idpClientId does not apply to -c idp=saml',
    );
    // A misspelt key (or a secret passed on the command line) is refused, not ignored.
    expect(() => identityProviderFromContext({ ...entra, idpClientSecret: 'hunter2' })).toThrow(
      /^Unknown company sign-in setting -c idpClientSecret; known: /,
    );
    expect(() => identityProviderFromContext({ ...entra, idp: 'ldap' })).toThrow('-c idp must be oidc or saml, got "ldap"');
  });

  it('fails synth on a name Cognito would refuse or reserves, an http URL, and scopes without openid', () => {
    for (const idpName of ['E', 'has space', '_Entra', 'x'.repeat(33), 'Google', 'cognito']) {
      expect(() => identityProviderFromContext({ ...entra, idpName }), idpName).toThrow(/-c idpName must be 3 to 32/);
    }
    expect(() => identityProviderFromContext({ ...entra, idpIssuer: 'http://login.example.com' })).toThrow(
      /-c idpIssuer must be an https URL/,
    );
    expect(() => identityProviderFromContext({ ...okta, idpMetadataUrl: 'https://example.okta.com/m?x=1' })).toThrow(
      /-c idpMetadataUrl must be an https URL/,
    );
    expect(() => identityProviderFromContext({ ...entra, idpScopes: 'email profile' })).toThrow(/must include openid/);
    expect(() => identityProviderFromContext({ ...entra, idpLabel: 'x'.repeat(41) })).toThrow(/-c idpLabel must be at most 40/);
  });
});

describe('the stack with company sign-in', () => {
  const oidc = synthWithContext('oidc', { ...entra, idpClientSecretField: 'secret' });
  const saml = synthWithContext('saml', okta);

  it('federates an OIDC provider whose client secret stays in Secrets Manager', () => {
    const [, provider] = only(oidc.template, 'AWS::Cognito::UserPoolIdentityProvider');
    expect(provider.Properties).toMatchObject({
      ProviderName: 'Entra',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: entra.idpClientId,
        oidc_issuer: entra.idpIssuer,
        authorize_scopes: 'openid email profile',
        attributes_request_method: 'GET',
      },
      AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
    });
    // A dynamic reference CloudFormation resolves at deploy time: no secret in the template.
    expect(provider.Properties.ProviderDetails.client_secret).toBe(
      '{{resolve:secretsmanager:accord/entra-client-secret:SecretString:secret::}}',
    );
  });

  it('federates a SAML provider by its metadata URL, with sign-in started only from the app', () => {
    const [, provider] = only(saml.template, 'AWS::Cognito::UserPoolIdentityProvider');
    expect(provider.Properties).toMatchObject({
      ProviderName: 'Okta',
      ProviderType: 'SAML',
      ProviderDetails: { MetadataURL: okta.idpMetadataUrl, IDPInit: false },
      AttributeMapping: { email: okta.idpEmailAttribute, email_verified: 'email_verified', name: 'name' },
    });
  });

  it('offers the provider on the web client beside password sign-in, created after the provider', () => {
    for (const [stack, name] of [
      [oidc, 'Entra'],
      [saml, 'Okta'],
    ] as const) {
      const [providerId] = only(stack.template, 'AWS::Cognito::UserPoolIdentityProvider');
      const [, client] = only(stack.template, 'AWS::Cognito::UserPoolClient');
      expect(client.Properties.SupportedIdentityProviders, name).toEqual(['COGNITO', name]);
      expect(client.DependsOn, name).toContain(providerId);
    }
  });

  it('lets Cognito write the mapped email, and still gives nobody a token that could change their own', () => {
    for (const { template } of [oidc, saml]) {
      const [, client] = only(template, 'AWS::Cognito::UserPoolClient');
      // Cognito writes a federated person's mapped attributes through the client they sign in with.
      expect(client.Properties.WriteAttributes).toEqual(expect.arrayContaining(['email', 'email_verified', 'name']));
      // Writing one's own attributes takes an access token with this scope; no token of this client has it.
      expect(client.Properties.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
      expect(client.Properties.AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
      // No SRP, password or custom flow that would issue tokens outside the OAuth scopes.
      expect(client.Properties.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
      expect(client.Properties.AllowedOAuthFlows).toEqual(['code']);
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      });
    }
  });

  it('tells the web app which provider to offer, by name and label', () => {
    expect(deployedConfig(oidc.app).auth).toMatchObject({
      mode: 'cognito',
      identityProvider: { name: 'Entra', label: 'Microsoft' },
    });
    expect(deployedConfig(saml.app).auth).toMatchObject({ identityProvider: { name: 'Okta', label: 'Okta' } });
  });

  it('adds nothing without a provider, and outputs what a provider needs registered either way', () => {
    const plain = synthWithContext('plain', {});
    expect(plain.template.findResources('AWS::Cognito::UserPoolIdentityProvider')).toEqual({});
    const [, client] = only(plain.template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect(client.Properties.WriteAttributes).not.toContain('email');
    expect(deployedConfig(plain.app).auth.identityProvider).toBeUndefined();
    for (const { template } of [plain, oidc]) {
      const onSignInDomain = (path: string) => ({
        'Fn::Join': ['', ['https://', Match.anyValue(), '.auth.', { Ref: 'AWS::Region' }, `.amazoncognito.com${path}`]],
      });
      template.hasOutput('OidcRedirectUri', { Value: onSignInDomain('/oauth2/idpresponse') });
      template.hasOutput('SamlAcsUrl', { Value: onSignInDomain('/saml2/idpresponse') });
      template.hasOutput('SamlAudience', { Value: { 'Fn::Join': ['', ['urn:amazon:cognito:sp:', Match.anyValue()]] } });
    }
  });

  it('passes cdk-nag with either provider', () => {
    for (const stack of [oidc, saml]) {
      for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
        const report = pack.validateScope(stack.app);
        const findings = report.violations.map(
          (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        );
        expect(findings, pack.readPackName).toEqual([]);
      }
    }
  });
});
