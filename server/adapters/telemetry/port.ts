/**
 * AWS mode's telemetry: what the inference service reported to CloudWatch (as
 * Embedded Metric Format logs, inference/src/emf.ts) read back with
 * GetMetricData, and the alert rules CloudWatch can evaluate itself mirrored as
 * CloudWatch alarms. Chosen once at start-up (TELEMETRY_BACKEND=cloudwatch);
 * null locally, where the inference service's /metrics are scraped into Postgres
 * rollups and the control plane evaluates every rule itself.
 */
export interface TelemetryBackend {
  readonly kind: 'cloudwatch';
  /** Human-readable place ("CloudWatch namespace PriceSense/Inference in ap-southeast-1"). */
  readonly where: string;
  /**
   * A deployment's requests, errors and latency over [from, to), summed over its
   * model versions and instances. Every value is null when CloudWatch has no
   * datapoint for it: no traffic, or a statistic it cannot compute (an emulator
   * without percentiles). Never a made-up 0. Throws TelemetryError.
   */
  readDeploymentMetrics(q: { deployment: string; from: Date; to: Date }): Promise<CloudMetrics>;
  /**
   * A deployment's series for the Monitoring page and the metrics API: per period,
   * sums of requests, errors by status class and predictions by class (`classes`:
   * which `Predictions_<class>` metrics to read), the latency sample count and
   * p50/p95/p99; and p50/p95/p99 over the whole range. The period is the asked
   * resolution raised to what GetMetricData allows for the range. Percentiles
   * CloudWatch could not compute are null with `percentilesUnavailable` saying why;
   * any other failure throws TelemetryError.
   */
  readDeploymentSeries(q: SeriesQuery): Promise<CloudSeries>;
  /**
   * Make this installation's alarms equal `rules`: PutMetricAlarm for each rule
   * whose alarm is missing or differs, DeleteAlarms for alarms of rules no longer
   * listed (deleted, disabled, or of a kind CloudWatch cannot evaluate). Only
   * alarms named with this installation's prefix are touched. Throws TelemetryError.
   */
  syncAlarms(rules: AlarmRule[]): Promise<{ put: string[]; deleted: string[] }>;
}

export type CloudMetrics = {
  requests: number | null;
  errors: number | null;
  /** errors / requests, null without requests. */
  errorRate: number | null;
  p95Ms: number | null;
  /** Latency observations CloudWatch holds for the range (its SampleCount). */
  latencySamples: number | null;
};

export type SeriesQuery = { deployment: string; from: Date; to: Date; resolutionSeconds: number; classes: readonly string[]; now?: Date };

export type CloudPeriod = {
  start: Date;
  requests: number;
  errors: number;
  /** Errors by status class ("4xx", "5xx"); classes without errors are absent. */
  errorsByClass: Record<string, number>;
  /** Predictions by predicted class; classes never predicted are absent. */
  predictions: Record<string, number>;
  latencySamples: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
};

export type CloudSeries = {
  periodSeconds: number;
  /** Where the first period starts: the range's start taken back to a multiple of the period. */
  start: Date;
  /** Periods holding any datapoint, oldest first. */
  periods: CloudPeriod[];
  /** Over the whole range, from `start`. */
  whole: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null };
  /** Why there are no percentiles although latency was recorded ("it answered HTTP 500 when asked for them"); null otherwise. */
  percentilesUnavailable: string | null;
};

/** The rule kinds CloudWatch can evaluate from the EMF metrics. */
export const ALARM_KINDS = ['latency_p95', 'error_rate'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export type AlarmRule = {
  ruleId: string;
  name: string;
  kind: AlarmKind;
  deployment: string;
  comparator: '>' | '>=' | '<' | '<=';
  threshold: number;
  windowMinutes: number;
};

export class TelemetryError extends Error {
  constructor(
    message: string,
    /** The CloudWatch operation that failed. */
    public readonly operation: string,
    public readonly reason: 'unreachable' | 'refused' = 'refused',
  ) {
    super(message);
    this.name = 'TelemetryError';
  }
}
