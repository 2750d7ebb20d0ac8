import 'server-only';
import { paginateGetMetricData, type CloudWatchClient, type Dimension, type GetMetricDataCommandInput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { EMF_ERROR_CLASSES, EMF_METRICS } from '@/inference/src/emf';
import type { CloudPeriod, CloudSeries, SeriesQuery, TelemetryError } from './port';

/**
 * The Monitoring page's series from CloudWatch: two GetMetricData requests over
 * the same periods. The first holds the sums (requests, errors by status class,
 * predictions by class, latency sample count), the second the percentiles, per
 * period and over the whole range. They are apart because a CloudWatch that
 * cannot compute percentiles (moto answers HTTP 500) must not take the counts
 * with it: the percentiles are then reported unavailable, never guessed.
 */
const MAX_DATAPOINTS = 100_800;
const DAY_SECONDS = 86_400;
const PERCENTILES = [['p50Ms', 'p50'], ['p95Ms', 'p95'], ['p99Ms', 'p99']] as const;

/**
 * The period GetMetricData accepts for a range, as close to the asked resolution
 * as it allows: a multiple of 60 s, of 300 s once the start is over 15 days old
 * and of 3600 s over 63 days (CloudWatch keeps coarser data as it ages), coarse
 * enough for `series` series to fit one request's 100,800 datapoints. The first
 * period starts at `from` taken back to a multiple of the period (since the epoch),
 * as CloudWatch answers fastest and the page's buckets are aligned that way.
 */
export function cloudWatchPeriod(q: { resolutionSeconds: number; from: number; to: number; now: number; series: number }): { periodSeconds: number; start: number } {
  const age = (q.now - q.from) / 1000;
  const grain = age > 63 * DAY_SECONDS ? 3600 : age > 15 * DAY_SECONDS ? 300 : 60;
  let period = Math.max(grain, Math.ceil(q.resolutionSeconds / grain) * grain);
  // Each series, plus its whole-range point, within the request's datapoints (+1: the aligned start).
  const most = Math.floor(MAX_DATAPOINTS / Math.max(1, q.series)) - 2;
  const span = (q.to - q.from) / 1000;
  if (Math.ceil(span / period) > most) period = Math.ceil(span / most / grain) * grain;
  return { periodSeconds: period, start: Math.floor(q.from / (period * 1000)) * period * 1000 };
}

type Deps = { client: CloudWatchClient; namespace: string; fail(operation: string, error: unknown): TelemetryError };
type Results = Map<string, Map<number, number>>;

export async function readSeries({ client, namespace, fail }: Deps, q: SeriesQuery): Promise<CloudSeries> {
  const dims: Dimension[] = [{ Name: 'Deployment', Value: q.deployment }];
  const stat = (id: string, metric: string, period: number, statistic: string): MetricDataQuery => ({
    Id: id, MetricStat: { Metric: { Namespace: namespace, MetricName: metric, Dimensions: dims }, Period: period, Stat: statistic }, ReturnData: true,
  });
  const classes = [...new Set(q.classes)];
  const sums: [string, string][] = [
    ['requests', EMF_METRICS.requests],
    ['errors', EMF_METRICS.errors],
    ...EMF_ERROR_CLASSES.map((c, i): [string, string] => [`status${i}`, `${EMF_METRICS.errorsPrefix}${c}`]),
    ...classes.map((c, i): [string, string] => [`class${i}`, `${EMF_METRICS.predictionsPrefix}${c}`]),
  ];
  const { periodSeconds, start } = cloudWatchPeriod({ resolutionSeconds: q.resolutionSeconds, from: q.from.getTime(), to: q.to.getTime(), now: (q.now ?? new Date()).getTime(), series: sums.length + 1 });
  const wholeSeconds = Math.max(1, Math.ceil((q.to.getTime() - start) / (periodSeconds * 1000))) * periodSeconds;
  const range = { StartTime: new Date(start), EndTime: q.to, ScanBy: 'TimestampAscending' as const };

  let counts: Results;
  try {
    counts = await fetchAll(client, { ...range, MetricDataQueries: [...sums.map(([id, metric]) => stat(id, metric, periodSeconds, 'Sum')), stat('samples', EMF_METRICS.latency, periodSeconds, 'SampleCount')] });
  } catch (error) {
    throw fail('GetMetricData', error);
  }
  const samples = counts.get('samples') ?? new Map<number, number>();
  const recorded = [...samples.values()].reduce((s, n) => s + n, 0);

  let percentiles: Results = new Map();
  let percentilesUnavailable: string | null = null;
  if (recorded > 0) {
    try {
      percentiles = await fetchAll(client, {
        ...range,
        MetricDataQueries: PERCENTILES.flatMap(([, p]) => [stat(p, EMF_METRICS.latency, periodSeconds, p), stat(`whole${p}`, EMF_METRICS.latency, wholeSeconds, p)]),
      });
    } catch (error) {
      // CloudWatch failing to compute (HTTP 5xx, moto's answer to a percentile) leaves the counts standing;
      // being unreachable, throttled or refused is an error like any other.
      const status = serverFault(error);
      if (status === null) throw fail('GetMetricData', error);
      percentilesUnavailable = `it answered HTTP ${status} when asked for them`;
    }
    if (!percentilesUnavailable && !PERCENTILES.some(([, p]) => percentiles.get(`whole${p}`)?.size)) percentilesUnavailable = 'its answer held no values';
  }

  const at = (id: string, t: number, from: Results = counts) => from.get(id)?.get(t);
  const times = new Set<number>();
  for (const series of counts.values()) for (const t of series.keys()) times.add(t);
  const periods: CloudPeriod[] = [...times].sort((a, b) => a - b).map((t) => {
    const errorsByClass: Record<string, number> = {};
    EMF_ERROR_CLASSES.forEach((c, i) => {
      const n = at(`status${i}`, t);
      if (n) errorsByClass[c] = n;
    });
    const predictions: Record<string, number> = {};
    classes.forEach((c, i) => {
      const n = at(`class${i}`, t);
      if (n) predictions[c] = n;
    });
    const period: CloudPeriod = {
      start: new Date(t), requests: at('requests', t) ?? 0, errors: at('errors', t) ?? 0, errorsByClass, predictions, latencySamples: at('samples', t) ?? 0,
      p50Ms: null, p95Ms: null, p99Ms: null,
    };
    for (const [key, p] of PERCENTILES) period[key] = at(p, t, percentiles) ?? null;
    return period;
  });
  const whole = { p50Ms: null, p95Ms: null, p99Ms: null } as CloudSeries['whole'];
  for (const [key, p] of PERCENTILES) whole[key] = [...(percentiles.get(`whole${p}`)?.values() ?? [])][0] ?? null;
  return { periodSeconds, start: new Date(start), periods, whole, percentilesUnavailable };
}

/** Every page of a GetMetricData answer, by query id and then period start (ms). */
async function fetchAll(client: CloudWatchClient, input: GetMetricDataCommandInput): Promise<Results> {
  const out: Results = new Map();
  for await (const page of paginateGetMetricData({ client }, input)) {
    for (const r of page.MetricDataResults ?? []) {
      const series = out.get(r.Id!) ?? out.set(r.Id!, new Map()).get(r.Id!)!;
      (r.Timestamps ?? []).forEach((ts, i) => {
        const v = r.Values?.[i];
        if (v !== undefined && Number.isFinite(v)) series.set(ts.getTime(), v);
      });
    }
  }
  return out;
}

/** The HTTP status of a 5xx answer, else null. */
function serverFault(error: unknown): number | null {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status !== undefined && status >= 500 ? status : null;
}
