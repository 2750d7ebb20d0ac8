import type { MetricDatum } from '@aws-sdk/client-cloudwatch';

/**
 * What CloudWatch Logs extracts from an Embedded Metric Format line (inference/src/emf.ts):
 * one datum per metric per dimension set, histograms as Values/Counts. moto does not read
 * logs, so tests put these with PutMetricData to stand where CloudWatch would.
 */
export type EmfLine = Record<string, unknown> & {
  _aws: { Timestamp: number; CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
};

export function extractEmf(line: EmfLine): MetricDatum[] {
  const directive = line._aws.CloudWatchMetrics[0]!;
  return directive.Dimensions.flatMap((set) =>
    directive.Metrics.map((m) => {
      const value = line[m.Name] as number | { Values: number[]; Counts: number[] };
      return {
        MetricName: m.Name, Unit: m.Unit as MetricDatum['Unit'], Timestamp: new Date(line._aws.Timestamp),
        Dimensions: set.map((name) => ({ Name: name, Value: String(line[name]) })),
        ...(typeof value === 'number' ? { Value: value } : { Values: value.Values, Counts: value.Counts }),
      };
    }));
}
