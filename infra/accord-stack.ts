import { resolve } from 'node:path';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, type HttpRoute, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { BackupPlan } from 'aws-cdk-lib/aws-backup';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  type IUserPoolIdentityProvider,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type AnyRoute, apiPrefix, routes } from '#contract/index';
import { apiKeyHeader } from '#contract/machine';
import { jobs } from '#functions/jobs/index';
import { originVerifyEnv } from '#functions/kernel/router';
import { mailingHandlers } from '#functions/mail/senders';
import { tableDefinition } from '#functions/table/table-definition';
import { ApiFunction } from './api-function';
import { addMachineRoutes } from './api-keys';
import { addCompanyIdentityProvider, type CompanyIdentityProvider, companySignInConfig } from './company-sign-in';
import {
  apiAccessLogFields,
  defaultBulkThrottle,
  defaultThrottle,
  originVerifySecret,
  type Throttle,
  tableBackupPlan,
  throttleRoutes,
} from './edge';
import { defaultEntriesDir, type FunctionGroup, groupRoutes, type RouteTable, writeEntries } from './function-groups';
import { grantMail, type MailSettings, ScheduledJobs } from './jobs';
import { Monitoring } from './monitoring';
import { acknowledgeFindings } from './nag';
import { stackOutputs } from './outputs';
import { type CustomDomain, WebHosting } from './web-hosting';

export interface AccordStackProps extends StackProps {
  /** `dev`, `prod`, …: names resources; `prod` keeps logs longer and keeps the user pool on stack deletion. */
  stage: string;
  /** The routes to serve. Default: the route table. Tests pass larger synthetic tables to measure headroom. */
  routes?: RouteTable;
  /** Folder with the built SPA. Default: `web/dist`. */
  webAssetPath?: string;
  /** Where the generated per-function entry modules are written. Default: `.build/lambda-entries`. */
  entriesDir?: string;
  /** Email address subscribed to the alarm topic. */
  alarmEmail?: string;
  /**
   * Prefix of the Cognito managed login domain, unique per region across AWS.
   * Default: `accord-<stage>-<account id>`.
   */
  signInDomainPrefix?: string;
  /**
   * Extra browser origins allowed to call the API cross-origin, e.g. `http://localhost:5173` for a dev
   * stage, at the CloudFront address like every caller. Default: none. The deployed app calls the
   * API through CloudFront on its own origin.
   */
  corsOrigins?: string[];
  /** Steady-state requests per second and burst for the whole API stage. Default: 50 and 100. */
  throttle?: Throttle;
  /** Requests per second and burst for each bulk route (export, import, restore). Default: 5 and 10. */
  bulkThrottle?: Throttle;
  /** A daily AWS Backup of the table, kept 35 days (`-c backupPlan=true`). Default: off; PITR covers 35 days. */
  backupPlan?: boolean;
  /** Pins the version of the origin secret CloudFront and the functions use (rotation, docs/operations.md). */
  originSecretVersion?: string;
  /** During a rotation, the origin secret's previous version, which the functions accept too until CloudFront has switched. */
  originSecretPreviousVersion?: string;
  /**
   * Reserved concurrency per function. Default: none, because new accounts start with a
   * concurrency quota of 10 that cannot be reserved from; the stage throttle bounds load instead.
   */
  reservedConcurrency?: number;
  /**
   * A custom domain for the app, with an ACM certificate in us-east-1 that covers it. Default: the
   * distribution's *.cloudfront.net name. With a domain, CloudFront enforces TLS 1.2 or newer.
   */
  domain?: CustomDomain;
  /**
   * The company's identity provider (OIDC or SAML), federated into the user pool and offered as a
   * "Sign in with …" button beside the password sign-in. Default: none. See `company-sign-in.ts`.
   */
  identityProvider?: CompanyIdentityProvider;
  /**
   * How many days a sign-in lasts without a password: the refresh token's lifetime, with which the
   * web app renews its hourly ID token. Default: 5, a working week. See docs/sessions.md.
   */
  refreshTokenDays?: number;
  /**
   * Mail through SES from a verified identity (`-c sesIdentity=…`). Default: none, and no mail
   * is sent: invitations and reminders stay in the app (docs/mail-and-clock.md).
   */
  mail?: MailSettings;
}

const repoRoot = resolve(import.meta.dirname, '..');

/**
 * Accord on AWS: the one table, Lambda functions built from the route table
 * (one per area and table access, see `function-groups.ts`), an HTTP API whose
 * routes are the route table's behind a Cognito JWT authorizer except public
 * ones, a Cognito user pool with managed login (authorization code + PKCE),
 * the web app on S3 + CloudFront with the API under `/api/*`, and alarms.
 */
export class AccordStack extends Stack {
  readonly table: TableV2;
  readonly api: HttpApi;
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;
  readonly signInDomain: UserPoolDomain;
  /** The company's identity provider, when the stack is given one. */
  readonly companyIdentityProvider?: IUserPoolIdentityProvider;
  readonly web: WebHosting;
  readonly groups: FunctionGroup[];
  /** The function serving each group, by group name. */
  readonly functions = new Map<string, ApiFunction>();
  readonly monitoring: Monitoring;
  /** Signs workspace backups; only the backup functions read it. */
  readonly backupSigningKey: Secret;
  /** API routes reachable without signing in (the route table's public routes). */
  readonly publicRoutes: HttpRoute[] = [];
  readonly hasCustomDomain: boolean;
  /** The value CloudFront adds to API requests and the functions require. */
  readonly originSecret: Secret;
  /** The daily backup of the table, when asked for. */
  readonly backupPlan?: BackupPlan;
  /** The scheduled jobs: their function, schedules and the role the scheduler invokes it with. */
  readonly jobs: ScheduledJobs;
  /** The Lambda authorizer that verifies workspace API keys on the machine routes (api-keys.ts). */
  readonly keyAuthorizer: ApiFunction;

  constructor(scope: Construct, id: string, props: AccordStackProps) {
    super(scope, id, props);
    const isProd = props.stage === 'prod';
    this.hasCustomDomain = props.domain !== undefined;
    const name = `accord-${props.stage}`;
    const logRetention = isProd ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_MONTH;

    // Encryption at rest with the AWS owned key: no cost, no key policy to get wrong, and no
    // KMS call on the request path. A customer managed key only adds value where an auditor
    // needs key-level revocation or CloudTrail records of key use; swap it in here if so.
    this.table = new TableV2(this, 'Table', {
      tableName: name,
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: tableDefinition.globalSecondaryIndexes.map((gsi) => ({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: AttributeType.STRING },
      })),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.dynamoOwnedKey(),
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Every stage keeps its data: deleting the stack leaves the table (and deletion protection on).
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Invitation only: an admin creates each person, Cognito emails a temporary password.
    // MFA is required with authenticator apps (TOTP), so no SMS costs and no SNS role.
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: name,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      // A new email takes effect only once its owner proves it with the code
      // Cognito sends; until then the verified original stays, so nobody can
      // put someone else's address on their account and be let in as them.
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Your Accord account',
        emailBody: 'You have been invited to Accord. Sign in with {username} and the temporary password {####}.',
      },
      deletionProtection: isProd,
      removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.signInDomain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `${name}-${this.account}` },
    });

    this.api = new HttpApi(this, 'Api', {
      apiName: name,
      description: `Accord API (${props.stage})`,
      createDefaultStage: false,
      ...(props.corsOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: props.corsOrigins,
              allowMethods: [CorsHttpMethod.ANY],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key', apiKeyHeader],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: logRetention, removalPolicy: RemovalPolicy.DESTROY });
    const stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? defaultThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(apiAccessLogFields)),
      },
    });

    // The API answers only requests that carry this value, which CloudFront adds (docs/operations.md).
    const originVerify = originVerifySecret(this, props.stage, props.originSecretVersion, props.originSecretPreviousVersion);
    this.originSecret = originVerify.secret;
    this.web = new WebHosting(this, 'Web', {
      assetPath: props.webAssetPath ?? resolve(repoRoot, 'web/dist'),
      apiId: this.api.apiId,
      signInOrigin: this.signInDomain.baseUrl(),
      removalPolicy: RemovalPolicy.RETAIN,
      logExpiration: Duration.days(isProd ? 90 : 30),
      deployLogRetention: logRetention,
      originVerify: originVerify.value,
      domain: props.domain,
    });
    const callbackUrl = `${this.web.origin}/auth/callback`;
    const companyIdp = props.identityProvider;
    this.companyIdentityProvider = companyIdp && addCompanyIdentityProvider(this, this.userPool, companyIdp);
    const refreshTokenDays = props.refreshTokenDays ?? 5;
    // Cognito takes 60 minutes to 10 years; a whole number of days keeps the setting readable.
    if (!Number.isInteger(refreshTokenDays) || refreshTokenDays < 1 || refreshTokenDays > 3650) {
      throw new Error(`refreshTokenDays must be a whole number of days from 1 to 3650, got ${refreshTokenDays}`);
    }

    // A public client (no secret) for the SPA: authorization code with PKCE through managed login.
    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: `${name}-web`,
      generateSecret: false,
      // The app signs in through managed login (code + PKCE) only; no SRP or
      // password flow a script could drive against this client. Refresh stays.
      authFlows: { userSrp: false },
      // People may rename themselves but not change their email through this
      // client: the email is who they are to their workspaces' invitations.
      // Cognito writes a federated person's mapped attributes through the
      // client they sign in with, so with a company provider the email and
      // its verification must be writable here. Nobody can use that to change
      // their own: writing needs an access token with the
      // aws.cognito.signin.user.admin scope, which this client never issues
      // (not in its OAuth scopes, and no SRP or password flow), and a new
      // email would still wait for its code (keepOriginal above).
      writeAttributes: new ClientAttributes().withStandardAttributes(
        companyIdp ? { fullname: true, email: true, emailVerified: true } : { fullname: true },
      ),
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...(companyIdp ? [UserPoolClientIdentityProvider.custom(companyIdp.name)] : []),
      ],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [callbackUrl],
        logoutUrls: [`${this.web.origin}/sign-in`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // The web app renews the ID token with the refresh token until this runs out, and revokes it on sign-out.
      refreshTokenValidity: Duration.days(refreshTokenDays),
      enableTokenRevocation: true,
    });
    // The client names the provider by its literal name, so CloudFormation needs telling to create the provider first.
    if (this.companyIdentityProvider) this.webClient.node.addDependency(this.companyIdentityProvider);
    const authorizer = new HttpUserPoolAuthorizer('Cognito', this.userPool, { userPoolClients: [this.webClient] });

    const routeTable = props.routes ?? (routes as Record<string, AnyRoute>);
    this.groups = groupRoutes(routeTable);
    const entries = writeEntries(this.groups, props.entriesDir ?? defaultEntriesDir);
    const indexNames = tableDefinition.globalSecondaryIndexes.map((gsi) => gsi.indexName);
    // Kept when the stack goes: a new key would make every earlier backup unrestorable.
    this.backupSigningKey = new Secret(this, 'BackupSigningKey', {
      description: `Accord ${props.stage}: the key that signs workspace backups (HMAC-SHA256)`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const bulkRoutes = new Map<string, HttpRoute[]>();
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const group of this.groups) {
      const fn = new ApiFunction(this, `${group.id}Fn`, {
        entry: entries.get(group.name) ?? '',
        projectRoot: repoRoot,
        depsLockFilePath: resolve(repoRoot, 'package-lock.json'),
        description: `Accord ${props.stage} ${group.name}: ${group.routes.map((r) => r.name).join(', ')}`.slice(0, 256),
        logRetention,
        reservedConcurrentExecutions: props.reservedConcurrency,
      });
      fn.bindTable(this.table, group.access, indexNames);
      fn.addEnvironment(originVerifyEnv, originVerify.accepted);
      if (group.routes.some((r) => r.handler.startsWith('backup/'))) {
        this.backupSigningKey.grantRead(fn);
        fn.addEnvironment('BACKUP_SIGNING_KEY_SECRET', this.backupSigningKey.secretArn);
      }
      if (group.routes.some((r) => mailingHandlers.includes(r.handler))) grantMail(fn, this.web.origin, props.mail);
      this.functions.set(group.name, fn);
      // One integration and one invoke permission per function, not per route: a route costs one
      // CloudFormation resource (the headroom: docs/decisions/0001-function-grouping.md).
      const integration = new HttpLambdaIntegration(`${group.id}Integration`, fn, { scopePermissionToRoute: false });
      integrations.set(group.name, integration);
      for (const r of group.routes) {
        const added = this.api.addRoutes({
          path: `${apiPrefix}${r.route.path}`,
          methods: [HttpMethod[r.route.method]],
          integration,
          authorizer: group.public ? undefined : authorizer,
        });
        if (group.public) this.publicRoutes.push(...added);
        if (r.route.bulk) bulkRoutes.set(r.routeKey, added);
      }
    }
    throttleRoutes(stage, bulkRoutes, props.bulkThrottle ?? defaultBulkThrottle);
    this.keyAuthorizer = addMachineRoutes(this, integrations, { ...props, logRetention }).fn;
    if (props.backupPlan) this.backupPlan = tableBackupPlan(this, name, this.table);

    this.web.deploy({
      apiBase: apiPrefix,
      auth: {
        mode: 'cognito',
        domain: this.signInDomain.baseUrl(),
        clientId: this.webClient.userPoolClientId,
        redirectUri: callbackUrl,
        ...(companyIdp ? { identityProvider: companySignInConfig(companyIdp) } : {}),
      },
    });

    this.jobs = new ScheduledJobs(this, 'Jobs', {
      name,
      jobs,
      table: this.table,
      indexNames,
      projectRoot: repoRoot,
      depsLockFilePath: resolve(repoRoot, 'package-lock.json'),
      logRetention,
      appUrl: this.web.origin,
      mail: props.mail,
      reservedConcurrency: props.reservedConcurrency,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      name,
      api: this.api,
      table: this.table,
      functions: new Map<string, IFunction>([
        ...this.functions,
        ['jobs', this.jobs.fn],
        ['api-key-authorizer', this.keyAuthorizer],
      ]),
      alarmEmail: props.alarmEmail,
      readiness: this.readinessProbeTarget(),
    });

    acknowledgeFindings(this);

    stackOutputs(this, {
      origin: this.web.origin,
      userPoolId: this.userPool.userPoolId,
      webClientId: this.webClient.userPoolClientId,
      signInBaseUrl: this.signInDomain.baseUrl(),
      alarmTopicArn: this.monitoring.topic.topicArn,
    });
  }

  /** The function serving the readiness route, when the route table has one. */
  private readinessProbeTarget() {
    const routeKey = `GET ${apiPrefix}/ready`;
    const group = this.groups.find((candidate) => candidate.routes.some((route) => route.routeKey === routeKey));
    const fn = group && this.functions.get(group.name);
    return fn ? { fn, logs: fn.logs, routeKey } : undefined;
  }
}
