import { SecretValue } from 'aws-cdk-lib';
import {
  type IUserPoolIdentityProvider,
  OidcAttributeRequestMethod,
  ProviderAttribute,
  type UserPool,
  UserPoolIdentityProviderOidc,
  UserPoolIdentityProviderSaml,
  UserPoolIdentityProviderSamlMetadata,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';

/** Which claim (OIDC) or assertion attribute (SAML) of the company's identity provider fills each user pool attribute. */
export interface ProviderAttributeNames {
  email: string;
  /** The full name; the user pool requires it, so a federated person without one cannot be created. */
  name: string;
  /**
   * Whether the identity provider vouches for the email. Cognito sets a
   * federated person's `email_verified` only from this mapping, and the API
   * refuses tokens whose email is not verified, so a provider that does not
   * send it lets nobody in rather than everybody.
   */
  emailVerified: string;
}

interface CommonSettings {
  /** The provider's name in the user pool, also sent as `identity_provider` to the authorize endpoint. */
  name: string;
  /** What the sign-in button says after "Sign in with". */
  label: string;
  attributes: ProviderAttributeNames;
}

export interface OidcProviderSettings extends CommonSettings {
  kind: 'oidc';
  /** The issuer; Cognito discovers the endpoints from its `/.well-known/openid-configuration`. */
  issuerUrl: string;
  clientId: string;
  /** Name or ARN of the Secrets Manager secret holding the client secret; only a reference enters the template. */
  clientSecretName: string;
  /** The JSON key holding the client secret when the secret is a set of key/value pairs. */
  clientSecretField?: string;
  scopes: string[];
}

export interface SamlProviderSettings extends CommonSettings {
  kind: 'saml';
  metadataUrl: string;
}

/** A company identity provider federated into the user pool. */
export type CompanyIdentityProvider = OidcProviderSettings | SamlProviderSettings;

/** What `config.json` tells the web app about the company sign-in button. */
export interface CompanySignInConfig {
  name: string;
  label: string;
}

interface KeySpec {
  kinds: Array<'oidc' | 'saml'>;
  required: boolean;
  hint: string;
}

/** Every context key of company sign-in, with what it is for: a key not listed here is a typo and fails synth. */
export const identityProviderContextKeys: Record<string, KeySpec> = {
  idpName: {
    kinds: ['oidc', 'saml'],
    required: true,
    hint: 'the provider name in the user pool, 3 to 32 letters, digits, dots or dashes, e.g. Entra',
  },
  idpLabel: { kinds: ['oidc', 'saml'], required: false, hint: 'the button text after "Sign in with"; default: idpName' },
  idpIssuer: {
    kinds: ['oidc'],
    required: true,
    hint: 'the OpenID Connect issuer URL, e.g. https://login.microsoftonline.com/<tenant id>/v2.0',
  },
  idpClientId: { kinds: ['oidc'], required: true, hint: 'the client (application) id registered with the provider' },
  idpClientSecretName: {
    kinds: ['oidc'],
    required: true,
    hint: 'the name or ARN of the Secrets Manager secret that holds the client secret',
  },
  idpClientSecretField: {
    kinds: ['oidc'],
    required: false,
    hint: 'the JSON key of the client secret when the secret holds key/value pairs',
  },
  idpScopes: { kinds: ['oidc'], required: false, hint: 'space-separated scopes; default: openid email profile' },
  idpMetadataUrl: { kinds: ['saml'], required: true, hint: 'the https URL of the SAML metadata document' },
  idpEmailAttribute: {
    kinds: ['oidc', 'saml'],
    required: false,
    hint: 'the claim or attribute carrying the email; default: email',
  },
  idpNameAttribute: {
    kinds: ['oidc', 'saml'],
    required: false,
    hint: 'the claim or attribute carrying the full name; default: name',
  },
  idpEmailVerifiedAttribute: {
    kinds: ['oidc', 'saml'],
    required: false,
    hint: 'the claim or attribute saying "true" when the provider vouches for the email; default: email_verified',
  },
};

/** Names Cognito keeps for its own and the social providers. */
const reservedNames = new Set(['cognito', 'google', 'facebook', 'loginwithamazon', 'signinwithapple']);
const namePattern = /^[A-Za-z0-9][A-Za-z0-9.-]{1,30}[A-Za-z0-9]$/;
const tokenPattern = /^[\x21-\x7e]+$/;
const secretNamePattern = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;

const setting = (key: string, hint = identityProviderContextKeys[key]?.hint) => `-c ${key}=… (${hint})`;

function httpsUrl(key: string, value: string): string {
  const url = URL.parse(value);
  if (url?.protocol !== 'https:' || url.search !== '' || url.hash !== '' || value.length > 2048) {
    throw new Error(`-c ${key} must be an https URL without query or fragment, got "${value}"`);
  }
  return value;
}

function bounded(key: string, value: string, max: number, pattern = tokenPattern): string {
  if (value.length > max || !pattern.test(value)) {
    throw new Error(`-c ${key} must be at most ${max} printable characters without spaces, got "${value}"`);
  }
  return value;
}

/**
 * Reads the company identity provider from CDK context (`-c idp=oidc …` or
 * `-c idp=saml …`), or undefined when none is configured. Fails synth with a
 * message naming every missing or misplaced key, so a half-configured
 * provider never reaches CloudFormation, and on any `idp…` key it does not
 * know, so a typo is not silently ignored.
 */
export function identityProviderFromContext(context: Record<string, unknown>): CompanyIdentityProvider | undefined {
  const value = (key: string): string | undefined => {
    const raw = context[key];
    if (raw === undefined || raw === null || raw === '') return undefined;
    return String(raw).trim() || undefined;
  };
  const given = Object.keys(context).filter((key) => /^idp[A-Z]/.test(key) && value(key) !== undefined);
  const unknown = given.filter((key) => !(key in identityProviderContextKeys));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown company sign-in setting ${unknown.map((key) => `-c ${key}`).join(', ')}; known: ${Object.keys(identityProviderContextKeys).join(', ')}`,
    );
  }
  const kind = value('idp');
  if (kind === undefined) {
    if (given.length > 0) {
      throw new Error(
        `${given.map((key) => `-c ${key}`).join(', ')} configure company sign-in, which needs -c idp=oidc or -c idp=saml`,
      );
    }
    return undefined;
  }
  if (kind !== 'oidc' && kind !== 'saml') throw new Error(`-c idp must be oidc or saml, got "${kind}"`);

  const misplaced = given.filter((key) => !identityProviderContextKeys[key]?.kinds.includes(kind));
  if (misplaced.length > 0) {
    throw new Error(
      `${misplaced.map((key) => `-c ${key}`).join(', ')} ${misplaced.length > 1 ? 'do' : 'does'} not apply to -c idp=${kind}`,
    );
  }
  const missing = Object.entries(identityProviderContextKeys)
    .filter(([key, spec]) => spec.required && spec.kinds.includes(kind) && value(key) === undefined)
    .map(([key]) => key);
  if (missing.length > 0) {
    throw new Error(`Company sign-in with -c idp=${kind} is missing ${missing.map((key) => setting(key)).join(', ')}`);
  }

  const name = value('idpName') ?? '';
  if (!namePattern.test(name) || reservedNames.has(name.toLowerCase())) {
    throw new Error(
      `-c idpName must be 3 to 32 letters, digits, dots or dashes, starting and ending with a letter or digit, and not a name Cognito reserves (Cognito, Google, Facebook, LoginWithAmazon, SignInWithApple); got "${name}"`,
    );
  }
  const label = value('idpLabel') ?? name;
  if (label.length > 40 || /\p{Cc}/u.test(label)) throw new Error(`-c idpLabel must be at most 40 characters, got "${label}"`);
  const attributes: ProviderAttributeNames = {
    email: bounded('idpEmailAttribute', value('idpEmailAttribute') ?? 'email', 256),
    name: bounded('idpNameAttribute', value('idpNameAttribute') ?? 'name', 256),
    emailVerified: bounded('idpEmailVerifiedAttribute', value('idpEmailVerifiedAttribute') ?? 'email_verified', 256),
  };

  if (kind === 'saml') {
    return { kind, name, label, attributes, metadataUrl: httpsUrl('idpMetadataUrl', value('idpMetadataUrl') ?? '') };
  }
  const scopes = (value('idpScopes') ?? 'openid email profile').split(/[\s,]+/).filter(Boolean);
  for (const scope of scopes) bounded('idpScopes', scope, 256);
  if (!scopes.includes('openid')) throw new Error(`-c idpScopes must include openid, got "${scopes.join(' ')}"`);
  const clientSecretName = value('idpClientSecretName') ?? '';
  if (!secretNamePattern.test(clientSecretName)) {
    throw new Error(`-c idpClientSecretName must be a Secrets Manager secret name or ARN, got "${clientSecretName}"`);
  }
  const clientSecretField = value('idpClientSecretField');
  return {
    kind,
    name,
    label,
    attributes,
    issuerUrl: httpsUrl('idpIssuer', value('idpIssuer') ?? ''),
    clientId: bounded('idpClientId', value('idpClientId') ?? '', 255),
    clientSecretName,
    ...(clientSecretField ? { clientSecretField: bounded('idpClientSecretField', clientSecretField, 256) } : {}),
    scopes,
  };
}

/**
 * Federates the company's identity provider into the user pool. A federated
 * person is a user of the pool like any other (their own `sub`, an
 * `identities` claim naming the provider), so workspace invitations by email
 * and the binding of a membership to its first `sub` apply unchanged.
 */
export function addCompanyIdentityProvider(
  scope: Construct,
  userPool: UserPool,
  settings: CompanyIdentityProvider,
): IUserPoolIdentityProvider {
  const attributeMapping = {
    email: ProviderAttribute.other(settings.attributes.email),
    emailVerified: ProviderAttribute.other(settings.attributes.emailVerified),
    fullname: ProviderAttribute.other(settings.attributes.name),
  };
  if (settings.kind === 'saml') {
    return new UserPoolIdentityProviderSaml(scope, 'CompanyIdentityProvider', {
      userPool,
      name: settings.name,
      metadata: UserPoolIdentityProviderSamlMetadata.url(settings.metadataUrl),
      // Sign-in starts at the app, never at the provider: an unsolicited assertion has no PKCE state to match.
      idpInitiated: false,
      attributeMapping,
    });
  }
  return new UserPoolIdentityProviderOidc(scope, 'CompanyIdentityProvider', {
    userPool,
    name: settings.name,
    issuerUrl: settings.issuerUrl,
    clientId: settings.clientId,
    // A dynamic reference resolved by CloudFormation at deploy time: the secret never enters the template or cdk.out.
    clientSecret: SecretValue.secretsManager(settings.clientSecretName, {
      ...(settings.clientSecretField ? { jsonField: settings.clientSecretField } : {}),
    }).unsafeUnwrap(),
    scopes: settings.scopes,
    attributeRequestMethod: OidcAttributeRequestMethod.GET,
    attributeMapping,
  });
}

/** The part of `config.json` that shows the company sign-in button. */
export const companySignInConfig = (settings: CompanyIdentityProvider): CompanySignInConfig => ({
  name: settings.name,
  label: settings.label,
});
