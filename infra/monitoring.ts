import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  /** Prefix of alarm and dashboard names, e.g. `accord-prod`. */
  name: string;
  api: HttpApi;
  table: ITableV2;
  /** The API's functions by group name. */
  functions: Map<string, IFunction>;
  /** Where alarm notifications go; without it the topic exists and can be subscribed later. */
  alarmEmail?: string;
  /** The function that serves the readiness route, its logs, and the route's key, e.g. `GET /api/ready`. */
  readiness?: { fn: IFunction; logs: ILogGroup; routeKey: string };
  /** p99 API latency, in milliseconds, that alarms when held for 15 minutes. Default: 3000. */
  latencyP99Ms?: number;
  /** Share of answers that are 4xx, in percent, that alarms within 5 minutes of at least 50 requests. Default: 25. */
  clientErrorPercent?: number;
}

/** Fewer requests than this in five minutes never raise the 4xx alarm: a few refused calls are no spike. */
export const clientErrorMinRequests = 50;

/** The message the readiness handler logs when the database does not answer (functions/health/handlers/ready.ts). */
export const readinessFailureMessage = 'Readiness check failed';

const fiveMinutes = Duration.minutes(5);

/**
 * Alarms on what needs a person: Lambda errors and throttles per function, API
 * 5xx answers, DynamoDB throttled requests. All notify one SNS topic. A small
 * dashboard shows the same signals beside traffic and latency.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  /** The scheduled rule that asks the readiness route, when the stack has one. */
  readonly readinessProbe?: Rule;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Alarms', { displayName: `${props.name} alarms`, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (
      alarmId: string,
      metric: Metric | MathExpression,
      threshold: number,
      description: string,
      periods = { evaluationPeriods: 1, datapointsToAlarm: 1 },
    ) => {
      const created = metric.createAlarm(this, alarmId, {
        alarmName: `${props.name}-${alarmId}`,
        alarmDescription: description,
        threshold,
        ...periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    for (const [group, fn] of props.functions) {
      alarm(`${group}-errors`, fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), 1, `Function ${group} failed`);
      alarm(
        `${group}-throttles`,
        fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        1,
        `Function ${group} throttled`,
      );
    }
    alarm('api-5xx', props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }), 5, 'The API answered 5xx');
    // Slow, not failing: three five-minute periods in a row, so one cold start burst at low traffic does not page anyone.
    const latencyP99Ms = props.latencyP99Ms ?? 3000;
    alarm(
      'api-p99-latency',
      props.api.metricLatency({ period: fiveMinutes, statistic: 'p99' }),
      latencyP99Ms,
      `The API's p99 latency stayed at or above ${latencyP99Ms} ms for 15 minutes`,
      { evaluationPeriods: 3, datapointsToAlarm: 3 },
    );
    // A spike of refusals (probing the execute-api address, guessing ids, a broken client release) is
    // a share of the traffic, not a count, and only once there is traffic enough to tell.
    const clientErrorPercent = props.clientErrorPercent ?? 25;
    alarm(
      'api-4xx',
      new MathExpression({
        label: 'API 4xx answers (% of requests)',
        expression: `IF(requests >= ${clientErrorMinRequests}, 100 * clientErrors / requests, 0)`,
        usingMetrics: {
          clientErrors: props.api.metricClientError({ period: fiveMinutes, statistic: 'Sum' }),
          requests: props.api.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
      }),
      clientErrorPercent,
      `At least ${clientErrorPercent}% of the API's answers in five minutes were 4xx`,
    );

    const tableMetric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.table.tableName },
        period: fiveMinutes,
        statistic: 'Sum',
      });
    const throttled = new MathExpression({
      label: 'Throttled table requests',
      expression: 'reads + writes',
      usingMetrics: { reads: tableMetric('ReadThrottleEvents'), writes: tableMetric('WriteThrottleEvents') },
      period: fiveMinutes,
    });
    alarm('table-throttles', throttled, 1, 'DynamoDB throttled requests to the table');

    if (props.readiness) {
      // The readiness route, asked every five minutes from inside the account:
      // a scheduled rule (free) invokes its function with the event API
      // Gateway would send, and each "not ready" it logs counts towards an
      // alarm. No canary or Route 53 health check, which cost a fee per check.
      const { fn, logs, routeKey } = props.readiness;
      const [method, path] = routeKey.split(' ');
      this.readinessProbe = new Rule(this, 'ReadinessProbe', {
        description: `Asks ${routeKey} whether the database answers`,
        schedule: Schedule.rate(fiveMinutes),
        targets: [
          new LambdaFunction(fn, {
            retryAttempts: 0,
            event: RuleTargetInput.fromObject({
              version: '2.0',
              routeKey,
              rawPath: path,
              rawQueryString: '',
              headers: { 'user-agent': 'accord-readiness-probe' },
              requestContext: { http: { method, path, sourceIp: '127.0.0.1', userAgent: 'accord-readiness-probe' }, routeKey },
              isBase64Encoded: false,
            }),
          }),
        ],
      });
      const notReady = new MetricFilter(this, 'NotReadyFilter', {
        logGroup: logs,
        filterPattern: FilterPattern.stringValue('$.message', '=', readinessFailureMessage),
        metricNamespace: `Accord/${props.name}`,
        metricName: 'NotReady',
        metricValue: '1',
      });
      alarm(
        'not-ready',
        notReady.metric({ period: fiveMinutes, statistic: 'Sum' }),
        1,
        'The readiness check found the database not answering',
      );
    }

    const perFunction = (metric: (fn: IFunction) => Metric) =>
      [...props.functions].map(([group, fn]) => metric(fn).with({ label: group, period: fiveMinutes }));
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.name,
      widgets: [
        [
          new TextWidget({
            markdown: `# ${props.name}\nAPI, functions and table. Alarms notify the \`${props.name}\` alarm topic.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'API requests and errors',
            left: [props.api.metricCount({ period: fiveMinutes, statistic: 'Sum' })],
            right: [
              props.api.metricClientError({ period: fiveMinutes, statistic: 'Sum' }),
              props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'API latency (p50, p99)',
            left: [
              props.api.metricLatency({ period: fiveMinutes, statistic: 'p50' }),
              props.api.metricLatency({ period: fiveMinutes, statistic: 'p99' }),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Function errors',
            left: perFunction((fn) => fn.metricErrors({ statistic: 'Sum' })),
            width: 8,
          }),
          new GraphWidget({
            title: 'Function throttles',
            left: perFunction((fn) => fn.metricThrottles({ statistic: 'Sum' })),
            width: 8,
          }),
          new GraphWidget({
            title: 'Function duration p99',
            left: perFunction((fn) => fn.metricDuration({ statistic: 'p99' })),
            width: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Table consumed capacity',
            left: [tableMetric('ConsumedReadCapacityUnits'), tableMetric('ConsumedWriteCapacityUnits')],
            width: 12,
          }),
          new GraphWidget({ title: 'Table throttles', left: [throttled], width: 12 }),
        ],
      ],
    });
  }
}
