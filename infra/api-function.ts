import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionTimeoutMs } from '#functions/runtime/deadline';
import { lambdaBundling } from './lambda-bundling';

/** DynamoDB actions a read-only function needs: the store only gets, batch-gets and queries (never scans). */
export const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
/** Read actions plus what single writes, batch writes and TransactWriteItems (put, update, delete, condition check) need. */
export const readWriteActions = [
  ...readActions,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** How much of the table a function may touch. */
export type TableAccess = 'read' | 'readWrite';

export interface ApiFunctionProps extends Omit<NodejsFunctionProps, 'runtime' | 'architecture' | 'role' | 'logGroup'> {
  /** How long the function's logs are kept. Default: one month. */
  logRetention?: RetentionDays;
  /** What happens to the log group when the stack is deleted. Default: destroyed with the stack. */
  logRemovalPolicy?: RemovalPolicy;
}

/**
 * A Lambda function serving API routes: the newest Node runtime, ARM64, an
 * esbuild ESM bundle with the AWS SDK inside (faster cold start than loading
 * the runtime's copy; see `lambda-bundling.ts` for what stays out), source maps, X-Ray tracing, JSON logs into its own log
 * group with a retention, and a role that starts with nothing but writing to
 * that log group.
 */
export class ApiFunction extends NodejsFunction {
  /** The function's own log group (also the target of its error metric filters). */
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const { logRetention, logRemovalPolicy, ...functionProps } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An own role instead of the default one with AWSLambdaBasicExecutionRole, which
    // may create and write any log group in the account.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
    );
    super(scope, id, {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      // The retry policy (functions/runtime/deadline.ts) answers 503 before this, never a timeout.
      timeout: Duration.millis(functionTimeoutMs),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      ...functionProps,
      logGroup,
      role,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...functionProps.environment },
      bundling: {
        ...lambdaBundling,
        externalModules: [...lambdaBundling.externalModules],
        mainFields: [...lambdaBundling.mainFields],
        format: OutputFormat.ESM,
        ...functionProps.bundling,
      },
    });
    this.logs = logGroup;
  }

  /**
   * Grants the table access the function needs, on the table and its named
   * indexes only: read-only functions get read-only actions, and no function
   * may scan, describe or delete the table.
   */
  bindTable(table: ITableV2, access: TableAccess, indexNames: readonly string[]): void {
    const tableArn = table.tableArn;
    const indexArns = indexNames.map((name) => `${tableArn}/index/${name}`);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...(access === 'read' ? readActions : readWriteActions)],
        resources: [tableArn, ...indexArns],
      }),
    );
    this.addEnvironment('TABLE_NAME', table.tableName);
  }
}
