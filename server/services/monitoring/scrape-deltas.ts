/**
 * From a scrape of an inference instance's /metrics to what happened since the
 * previous scrape. Counters become deltas; a restarted instance counts from zero;
 * a new instance counts from zero only if it started after the deployment's last
 * scrape (else its counters hold traffic from before we knew it, and its first
 * scrape is only a baseline). Pure, so the rules are unit-tested.
 *
 * A restart shows as: another process start time in /metrics (read with the
 * counters, so never out of step with them); a counter lower than last time, or
 * gone; or another `startedAt` in the instance's status file (several services in
 * one process share a process start time) — the status file is written apart from
 * the counters, so it counts only when that start is later than our last scrape:
 * a start before it means the last scrape already read the new process.
 */
import { bucketCounts, LATENCY_BOUNDS_MS } from './latency-histogram';
import type { PromSample } from './prometheus-text';

export const PREDICT_ROUTE = '/v1/predict';
const REQUESTS = 'inference_http_requests_total';
const LATENCY = 'inference_http_request_duration_seconds';
const PREDICTIONS = 'inference_predictions_total';
const PROCESS_START = 'inference_process_start_time_seconds';

/** Counter values by key: `req:<status>`, `lat:<le seconds>` (cumulative), `lat_sum`, `pred:<label>`. */
export type Counters = Record<string, number>;
/** What ScrapeState.values holds for one instance: its status file's start, its process start (s), its counters. */
export type ScrapeValues = { startedAt: string; processStart: number | null; counters: Counters };

export function processStartOf(samples: PromSample[]): number | null {
  const s = samples.find((x) => x.name === PROCESS_START);
  return s && Number.isFinite(s.value) ? s.value : null;
}

/** The counters the collector keeps from a scrape (the predict route only: health checks are not traffic). */
export function extractCounters(samples: PromSample[]): Counters {
  const out: Counters = {};
  const put = (key: string, value: number) => {
    if (Number.isFinite(value)) out[key] = (out[key] ?? 0) + value;
  };
  for (const s of samples) {
    if (s.name === REQUESTS && s.labels.route === PREDICT_ROUTE && s.labels.status) put(`req:${s.labels.status}`, s.value);
    else if (s.name === `${LATENCY}_bucket` && s.labels.route === PREDICT_ROUTE && s.labels.le) put(`lat:${s.labels.le}`, s.value);
    else if (s.name === `${LATENCY}_sum` && s.labels.route === PREDICT_ROUTE) put('lat_sum', s.value);
    else if (s.name === PREDICTIONS && s.labels.label) put(`pred:${s.labels.label}`, s.value);
  }
  return out;
}

export type DeltaKind = 'continued' | 'restarted' | 'new' | 'baseline';

/**
 * Counts since `previous` (this instance's last scrape, taken at `previous.scrapedAt`).
 * `lastScrapeAt` is the deployment's last scrape of any instance (null: never scraped).
 */
export function counterDeltas(previous: { values: ScrapeValues; scrapedAt: Date } | null, current: ScrapeValues, lastScrapeAt: Date | null): { kind: DeltaKind; delta: Counters } {
  if (!previous) {
    const startedAfter = lastScrapeAt === null || Date.parse(current.startedAt) >= lastScrapeAt.getTime();
    return startedAfter ? { kind: 'new', delta: { ...current.counters } } : { kind: 'baseline', delta: {} };
  }
  const prev = previous.values.counters;
  const processChanged = previous.values.processStart != null && current.processStart != null && previous.values.processStart !== current.processStart;
  const startedSince = previous.values.startedAt !== current.startedAt && Date.parse(current.startedAt) > previous.scrapedAt.getTime();
  const wentDown = Object.entries(prev).some(([key, value]) => value > 0 && !((current.counters[key] ?? 0) >= value - 1e-9));
  if (processChanged || startedSince || wentDown) return { kind: 'restarted', delta: { ...current.counters } };
  const delta: Counters = {};
  for (const [key, value] of Object.entries(current.counters)) {
    const d = value - (prev[key] ?? 0);
    if (d > 1e-12) delta[key] = d;
  }
  return { kind: 'continued', delta };
}

/** What one minute's rollup row gains. */
export type RollupDelta = {
  requests: number;
  errors: number;
  statusCounts: Record<string, number>;
  latencyCounts: number[];
  latencySumMs: number;
  predictionsByClass: Record<string, number>;
};

export function emptyRollupDelta(): RollupDelta {
  return { requests: 0, errors: 0, statusCounts: {}, latencyCounts: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0), latencySumMs: 0, predictionsByClass: {} };
}

/** Errors are responses with status 400 or more: what a caller sees as a failed request. */
export const isErrorStatus = (status: string) => Number(status) >= 400;

/** Adds an instance's counter deltas into a rollup delta (in place) and returns it. */
export function addToRollup(into: RollupDelta, delta: Counters): RollupDelta {
  const cumulative: { leMs: number; count: number }[] = [];
  for (const [key, value] of Object.entries(delta)) {
    const n = Math.round(value);
    if (key.startsWith('req:')) {
      const status = key.slice(4);
      into.requests += n;
      if (isErrorStatus(status)) into.errors += n;
      into.statusCounts[status] = (into.statusCounts[status] ?? 0) + n;
    } else if (key.startsWith('pred:')) {
      const label = key.slice(5);
      into.predictionsByClass[label] = (into.predictionsByClass[label] ?? 0) + n;
    } else if (key.startsWith('lat:')) {
      const le = key.slice(4);
      cumulative.push({ leMs: le === '+Inf' ? Infinity : Number(le) * 1000, count: n });
    } else if (key === 'lat_sum') into.latencySumMs += value * 1000;
  }
  // Cumulative deltas stay cumulative (a request counted under `le` 5 ms moved every larger bucket too);
  // buckets that did not move are absent from a delta and add nothing.
  if (cumulative.length) bucketCounts(cumulative).forEach((c, i) => (into.latencyCounts[i] = (into.latencyCounts[i] ?? 0) + c));
  return into;
}

export function hasTraffic(d: RollupDelta): boolean {
  return d.requests > 0 || Object.values(d.predictionsByClass).some((n) => n > 0);
}
