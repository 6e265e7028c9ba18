import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { apiPrefix } from '#contract/index';
import { originVerifyHeader } from '#functions/kernel/router';

/** A custom domain for the app. */
export interface CustomDomain {
  /** Host names, e.g. `['accord.example.com']`; point their DNS at the distribution. */
  names: string[];
  /** ARN of an ACM certificate in us-east-1 covering every name. */
  certificateArn: string;
}

export interface WebHostingProps {
  /** Serve the app under these names instead of the distribution's *.cloudfront.net name. */
  domain?: CustomDomain | undefined;
  /** Folder with the built SPA (`npm run build:web` writes `web/dist`). */
  assetPath: string;
  /** The HTTP API's id; CloudFront sends `/api/*` to its default endpoint. */
  apiId: string;
  /** Origin of the Cognito managed login (e.g. `https://accord-prod-….auth.eu-west-1.amazoncognito.com`), allowed in the CSP. */
  signInOrigin: string;
  /** What becomes of the buckets when the stack is deleted. */
  removalPolicy: RemovalPolicy;
  /** How long CloudFront and S3 access logs are kept. */
  logExpiration: Duration;
  /** How long the logs of the deploy-time function that uploads the app are kept. */
  deployLogRetention: RetentionDays;
  /**
   * The value CloudFront sends in the `x-origin-verify` header with every API
   * request, so the API functions can refuse requests that went around CloudFront.
   */
  originVerify: string;
}

/**
 * Rewrites every path that is not a static file of the build to the SPA's
 * index.html. Static files are recognised by extension, so app paths that
 * contain a dot (an email address, say) still reach the app. Runs only on the
 * default (S3) behaviour, so API answers under `/api/*`, errors included,
 * reach the browser untouched, which a distribution-wide 403/404 error page
 * would not allow.
 */
const spaFallback = `function handler(event) {
  var request = event.request;
  if (!/\\.(js|mjs|css|map|json|html|svg|png|jpe?g|gif|webp|avif|ico|txt|webmanifest|woff2?)$/i.test(request.uri)) {
    request.uri = '/index.html';
  }
  return request;
}`;

/**
 * The web app on AWS: the built SPA in a private bucket, served by CloudFront
 * through origin access control over HTTPS with security headers, and the API
 * under the same origin (`/api/*`), so the browser never makes a cross-origin
 * call. `config.json` is written beside the SPA by {@link WebHosting.deploy}.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution domain>`: the one origin the app and the API are served from. */
  readonly origin: string;
  private readonly assetPath: string;
  private readonly deployLogRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    if (!existsSync(join(props.assetPath, 'index.html'))) {
      throw new Error(`No built web app in ${props.assetPath}: run \`npm run build:web\` first`);
    }
    this.assetPath = props.assetPath;
    this.deployLogRetention = props.deployLogRetention;

    this.logBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs, so the log bucket must accept them.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: props.logExpiration }],
      removalPolicy: props.removalPolicy,
    });
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: props.removalPolicy,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Accord: CSP, HSTS, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            // Svelte transitions and style: bindings set inline styles.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            `connect-src 'self' ${props.signInOrigin}`,
            `form-action 'self' ${props.signInOrigin}`,
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });

    const fallback = new EdgeFunction(this, 'SpaFallback', {
      code: FunctionCode.fromInline(spaFallback),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Serve index.html for app routes',
    });

    const apiOrigin = new HttpOrigin(`${props.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // CloudFront overwrites a viewer's header of the same name, so only CloudFront can send it.
      customHeaders: { [originVerifyHeader]: props.originVerify },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Accord web app and API (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: fallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [`${apiPrefix}/*`]: {
          origin: apiOrigin,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          // Answers depend on the caller, so nothing is cached; the managed "all viewer except
          // Host" policy forwards Authorization and the query string, and keeps API Gateway's Host.
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.origin = `https://${props.domain?.names[0] ?? this.distribution.distributionDomainName}`;
  }

  /**
   * Uploads the SPA and its `config.json` (deploy-time values such as the
   * Cognito client id are resolved by CloudFormation), then invalidates the
   * two files that are not content-hashed.
   */
  deploy(config: Record<string, unknown>): BucketDeployment {
    return new BucketDeployment(this, 'Deploy', {
      sources: [Source.asset(this.assetPath), Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
      // Without its own log group the function would log into one Lambda creates, kept forever.
      logGroup: new LogGroup(this, 'DeployLogs', { retention: this.deployLogRetention, removalPolicy: RemovalPolicy.DESTROY }),
    });
  }
}
