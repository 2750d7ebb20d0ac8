/**
 * What the metrics API answers (GET /api/v1/metrics, `mlops metrics --json`, the
 * Monitoring page), the time ranges it knows, and live-accuracy math from
 * confusion counts. Client-safe: the page's charts and the server share it.
 */
export const METRIC_RANGES = ['1h', '24h', '7d', '30d'] as const;
export type MetricRange = (typeof METRIC_RANGES)[number];

export const RANGE_SECONDS: Record<MetricRange, number> = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 };
export const RANGE_LABELS: Record<MetricRange, string> = { '1h': 'Last hour', '24h': 'Last day', '7d': 'Last week', '30d': 'Last 30 days' };
/** Series resolution per range: at most a few hundred points per chart. */
export const RANGE_RESOLUTION: Record<MetricRange, number> = { '1h': 60, '24h': 300, '7d': 3600, '30d': 3600 };

/**
 * How often the Monitoring page reads its range again: every 10 s while a point is a
 * minute or five, less often when a point is an hour (a 30-day response is ~200 KB,
 * and its last point changes little in 10 s).
 */
export const RANGE_REFRESH_MS: Record<MetricRange, number> = { '1h': 10_000, '24h': 10_000, '7d': 60_000, '30d': 300_000 };

/** The page's refresh interval: every 10 s while the range has no traffic yet (the first requests show at once), else the range's. */
export function refreshMsFor(range: MetricRange, metrics: Pick<DeploymentMetrics, 'empty'> | undefined): number {
  return metrics && !metrics.empty.traffic ? RANGE_REFRESH_MS[range] : RANGE_REFRESH_MS['1h'];
}

const RESOLUTIONS = [60, 300, 900, 3600, 21_600, 86_400];
export const MAX_POINTS = 720;

/** The finest resolution (seconds) that keeps a custom range within MAX_POINTS buckets. */
export function resolutionFor(spanSeconds: number): number {
  return RESOLUTIONS.find((r) => spanSeconds / r <= MAX_POINTS) ?? RESOLUTIONS[RESOLUTIONS.length - 1]!;
}

export function isMetricRange(value: unknown): value is MetricRange {
  return typeof value === 'string' && (METRIC_RANGES as readonly string[]).includes(value);
}

export type TrafficPoint = {
  /** Bucket start, ISO (UTC). */
  t: string;
  requests: number;
  errors: number;
  rps: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  /** Responses by HTTP status. */
  by_status: Record<string, number>;
  /** Baskets predicted, by predicted label. */
  by_class: Record<string, number>;
};

export type AccuracyPoint = { t: string; labelled: number; correct: number; accuracy: number | null; macro_f1: number | null };

export type VersionMarker = { at: string; version: number; model_version_id: string; action: string };

export type DeploymentMetrics = {
  deployment: string;
  range: { label: MetricRange | 'custom'; from: string; to: string; resolution_seconds: number };
  requests: number;
  errors: number;
  error_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  /** Average requests per second over the range. */
  rps: number;
  live_accuracy: number | null;
  live_macro_f1: number | null;
  /** Predictions in the range whose true label came back through /v1/feedback. */
  labelled: number;
  /** The serving model's offline (test-set) metrics, for comparison. */
  offline: { model_version_id: string; version: number; accuracy: number | null; macro_f1: number | null } | null;
  series: { traffic: TrafficPoint[]; accuracy: AccuracyPoint[] };
  markers: VersionMarker[];
  latency_buckets_ms: number[];
  /**
   * Where requests, errors, latency and the class mix come from: the local collector
   * (the instances' /metrics scraped into Postgres rollups) or CloudWatch (AWS mode).
   * Live accuracy always comes from the control plane's database (feedback records).
   */
  source: MetricsSource;
  /**
   * Why a series is empty (null when it has data). `latency`: traffic was recorded but
   * the source gave no percentiles for it (CloudWatch computes them itself; an emulator may not).
   */
  empty: { traffic: string | null; feedback: string | null; latency: string | null };
};

export type MetricsSource = { kind: 'local' | 'cloudwatch'; label: string; detail: string };

/** Confusion counts: truth → predicted → n. */
export type Confusion = Record<string, Record<string, number>>;

export function addConfusion(into: Confusion, truth: string, predicted: string, n: number): Confusion {
  const row = (into[truth] ??= {});
  row[predicted] = (row[predicted] ?? 0) + n;
  return into;
}

/**
 * Accuracy and macro F1 of confusion counts; F1 averaged over every label seen as
 * truth or prediction (scikit-learn's default). null without labelled predictions.
 */
export function confusionScores(c: Confusion): { labelled: number; correct: number; accuracy: number | null; macro_f1: number | null } {
  const labels = new Set<string>();
  let labelled = 0;
  let correct = 0;
  for (const [truth, row] of Object.entries(c)) {
    labels.add(truth);
    for (const [pred, n] of Object.entries(row)) {
      labels.add(pred);
      labelled += n;
      if (pred === truth) correct += n;
    }
  }
  if (!labelled) return { labelled: 0, correct: 0, accuracy: null, macro_f1: null };
  let f1Sum = 0;
  for (const label of labels) {
    const tp = c[label]?.[label] ?? 0;
    let fp = 0;
    let fn = 0;
    for (const [truth, row] of Object.entries(c)) if (truth !== label) fp += row[label] ?? 0;
    for (const [pred, n] of Object.entries(c[label] ?? {})) if (pred !== label) fn += n;
    f1Sum += 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  return { labelled, correct, accuracy: correct / labelled, macro_f1: f1Sum / labels.size };
}
