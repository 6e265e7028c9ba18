import { writeLine } from './logger';

/**
 * Business metrics as CloudWatch embedded metric format: one log line per
 * value, which CloudWatch turns into a metric in the `Accord` namespace with
 * the given dimensions, no API call and no agent needed. Dimensions are few
 * and bounded (a route, a band), never an id: each distinct set is a metric
 * of its own, and is paid for.
 */
export const metricNamespace = 'Accord';

export type MetricUnit = 'Count' | 'None' | 'Milliseconds';

export function metric(name: string, value: number, dimensions: Record<string, string> = {}, unit: MetricUnit = 'Count'): void {
  if (!Number.isFinite(value)) return;
  writeLine({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: metricNamespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: [{ Name: name, Unit: unit }],
        },
      ],
    },
    ...dimensions,
    [name]: value,
  });
}
