import 'server-only';
import type { MetricsSource, TrafficPoint } from '@/lib/monitoring';
import { TelemetryError, type TelemetryBackend } from '@/server/adapters/telemetry/port';
import { AppError } from '@/server/errors';
import { logger } from '@/server/logger';

/**
 * AWS mode's traffic for the metrics service (read-metrics.ts): requests, errors by
 * status class, latency percentiles and predictions by class as CloudWatch holds
 * them from the inference service's EMF lines. Nothing here is computed from
 * rollups: the collector does not scrape /metrics in this mode. CloudWatch
 * failing is a 502 naming it; percentiles it did not compute are null with the
 * reason in `latencyNote`, never zeros.
 */
export const LOCAL_SOURCE: MetricsSource = { kind: 'local', label: 'local collector', detail: "the inference instances' /metrics, scraped into Postgres rollups every 15 s" };

/** The classes whose `Predictions_<class>` metrics are read: the problem's three, and any other the serving model knows. */
const BASE_CLASSES = ['LA', 'MM', 'UM'];

export type CloudTraffic = {
  source: MetricsSource;
  /** The first period's start: the range's start taken back to a period boundary. */
  from: number;
  resolutionSeconds: number;
  traffic: TrafficPoint[];
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  latencyNote: string | null;
};

export async function readCloudTraffic(
  telemetry: TelemetryBackend,
  q: { deployment: string; from: number; to: number; now: number; resolutionSeconds: number; modelMetrics: unknown },
): Promise<CloudTraffic> {
  const labels = (q.modelMetrics as { confusion_matrix?: { labels?: unknown } } | null)?.confusion_matrix?.labels;
  const classes = [...new Set([...BASE_CLASSES, ...(Array.isArray(labels) ? labels.filter((l): l is string => typeof l === 'string') : [])])];
  let s;
  try {
    s = await telemetry.readDeploymentSeries({ deployment: q.deployment, from: new Date(q.from), to: new Date(q.to), now: new Date(q.now), resolutionSeconds: q.resolutionSeconds, classes });
  } catch (error) {
    if (!(error instanceof TelemetryError)) throw error;
    logger.warn({ deployment: q.deployment, operation: error.operation, reason: error.reason, err: error.message }, 'could not read metrics from CloudWatch');
    throw new AppError('UPSTREAM', `Could not read the metrics of ${q.deployment} from CloudWatch: ${error.message}`);
  }
  const traffic = s.periods.map((p): TrafficPoint => {
    const byStatus: Record<string, number> = { ...p.errorsByClass };
    // Errors counted before the inference service split them by class (an older image).
    const unclassified = p.errors - Object.values(p.errorsByClass).reduce((sum, n) => sum + n, 0);
    if (unclassified > 0) byStatus.other = unclassified;
    return {
      t: p.start.toISOString(), requests: p.requests, errors: p.errors, rps: p.requests / s.periodSeconds,
      p50_ms: round(p.p50Ms), p95_ms: round(p.p95Ms), p99_ms: round(p.p99Ms), by_status: byStatus, by_class: p.predictions,
    };
  });
  const samples = s.periods.reduce((sum, p) => sum + p.latencySamples, 0);
  return {
    source: { kind: 'cloudwatch', label: 'CloudWatch', detail: telemetry.where },
    from: s.start.getTime(),
    resolutionSeconds: s.periodSeconds,
    traffic,
    p50_ms: round(s.whole.p50Ms),
    p95_ms: round(s.whole.p95Ms),
    p99_ms: round(s.whole.p99Ms),
    latencyNote: s.percentilesUnavailable
      ? `Latency percentiles are unavailable from this source: CloudWatch holds ${samples} latency sample${samples === 1 ? '' : 's'} for the range but gave no p50/p95/p99: ${s.percentilesUnavailable}. CloudWatch computes them from the inference service's EMF histograms; an emulator without percentile statistics, such as moto, never does.`
      : null,
  };
}

function round(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000;
}
