/**
 * CloudWatch Embedded Metric Format (AWS mode, opt-in with INFERENCE_METRICS_EMF=true).
 * Prediction-route requests are counted in fixed counters; every interval one JSON
 * line per model version goes to stdout, where the log shipper hands it to
 * CloudWatch Logs, which turns it into metrics (Fluent Bit's cloudwatch_logs
 * output with `log_format json/emf`, or the CloudWatch agent).
 *
 * The hot path only increments numbers: latency goes into a preallocated
 * log-spaced histogram (10% wide bins, as AWS's own EMF libraries use), sent as
 * the EMF histogram form { Values, Counts, Max, Min, Count, Sum } so CloudWatch
 * can compute p95 over many lines and instances. Nothing is written for an
 * interval without traffic.
 *
 * One line, for one model version:
 * {"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace":"PriceSense/Inference",
 *   "Dimensions":[["Deployment","ModelVersion"],["Deployment"]],
 *   "Metrics":[{"Name":"Requests","Unit":"Count"},{"Name":"Errors","Unit":"Count"},
 *     {"Name":"Latency","Unit":"Milliseconds"},{"Name":"Errors_5xx","Unit":"Count"},{"Name":"Predictions_LA","Unit":"Count"},…]}]},
 *  "Deployment":"production","ModelVersion":"cm…","Requests":120,"Errors":1,
 *  "Latency":{"Values":[…],"Counts":[…],"Max":…,"Min":…,"Count":120,"Sum":…},"Errors_5xx":1,"Predictions_LA":40,…}
 *
 * `Errors` (status ≥ 400) is always there; `Errors_4xx` and `Errors_5xx` split it by
 * status class and, like `Predictions_<class>`, appear only when not zero.
 */
export const EMF_NAMESPACE = 'PriceSense/Inference';
/** What the control plane queries: the same names (server/adapters/telemetry/cloudwatch.ts). */
export const EMF_METRICS = { requests: 'Requests', errors: 'Errors', latency: 'Latency', errorsPrefix: 'Errors_', predictionsPrefix: 'Predictions_' } as const;
/** The status classes errors are split into (`Errors_4xx`, `Errors_5xx`): CloudWatch keeps classes, not codes, to keep the metric count small. */
export const EMF_ERROR_CLASSES = ['4xx', '5xx'] as const;
/** Requests before a model is loaded (401, 503…) are reported under this model version. */
export const NO_MODEL = 'none';

/** CloudWatch drops a histogram of more than 100 distinct values. */
const MAX_BINS = 100;
const BIN_GROWTH = Math.log(1.1);
const MIN_MS = 0.01;
const MAX_MS = 120_000;
const FIRST_INDEX = Math.floor(Math.log(MIN_MS) / BIN_GROWTH);
const BIN_COUNT = Math.floor(Math.log(MAX_MS) / BIN_GROWTH) - FIRST_INDEX + 1;
/** The value a bin reports: its geometric middle. */
const binValue = (i: number) => Math.exp((i + FIRST_INDEX + 0.5) * BIN_GROWTH);

class VersionCounters {
  requests = 0;
  errors = 0;
  clientErrors = 0;
  serverErrors = 0;
  latencySum = 0;
  latencyMin = Infinity;
  latencyMax = 0;
  readonly bins = new Uint32Array(BIN_COUNT);
  readonly predictions = new Map<string, number>();

  reset() {
    this.requests = 0;
    this.errors = 0;
    this.clientErrors = 0;
    this.serverErrors = 0;
    this.latencySum = 0;
    this.latencyMin = Infinity;
    this.latencyMax = 0;
    this.bins.fill(0);
    for (const label of this.predictions.keys()) this.predictions.set(label, 0);
  }
}

export type EmfOptions = {
  deployment: string;
  /** The model version serving now (null before one is loaded): read per request, so a swap splits the counts. */
  currentVersion: () => string | null;
  intervalMs: number;
  namespace?: string;
  /** Where lines go; default stdout. */
  write?: (line: string) => void;
  clock?: () => number;
};

export class EmfMetrics {
  private readonly byVersion = new Map<string, VersionCounters>();
  private lastVersion = '';
  private last: VersionCounters | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly write: (line: string) => void;
  private readonly clock: () => number;

  constructor(private readonly opts: EmfOptions) {
    this.write = opts.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.clock = opts.clock ?? Date.now;
  }

  private counters(): VersionCounters {
    const version = this.opts.currentVersion() ?? NO_MODEL;
    if (version === this.lastVersion && this.last) return this.last;
    let c = this.byVersion.get(version);
    if (!c) this.byVersion.set(version, (c = new VersionCounters()));
    this.lastVersion = version;
    this.last = c;
    return c;
  }

  /** One response of the prediction route. */
  observeRequest(status: number, ms: number): void {
    const c = this.counters();
    c.requests++;
    if (status >= 400) {
      c.errors++;
      if (status >= 500) c.serverErrors++;
      else c.clientErrors++;
    }
    const v = ms > MIN_MS ? (ms < MAX_MS ? ms : MAX_MS) : MIN_MS;
    c.bins[Math.floor(Math.log(v) / BIN_GROWTH) - FIRST_INDEX]!++;
    c.latencySum += ms;
    if (ms < c.latencyMin) c.latencyMin = ms;
    if (ms > c.latencyMax) c.latencyMax = ms;
  }

  countPrediction(label: string): void {
    const p = this.counters().predictions;
    p.set(label, (p.get(label) ?? 0) + 1);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
  }

  /** Writes one line per model version that saw requests since the last flush, then starts counting afresh. */
  flush(): void {
    const timestamp = this.clock();
    for (const [version, c] of this.byVersion) {
      if (!c.requests) continue;
      this.write(JSON.stringify(this.document(version, c, timestamp)));
      c.reset();
    }
  }

  private document(version: string, c: VersionCounters, timestamp: number) {
    const values: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < c.bins.length; i++) {
      if (!c.bins[i]) continue;
      values.push(round(binValue(i)));
      counts.push(c.bins[i]!);
    }
    mergeToLimit(values, counts, MAX_BINS);
    // Errors by status class and predictions by class: named only when not zero (a metric per name costs).
    const optional: Record<string, number> = {};
    if (c.clientErrors) optional[`${EMF_METRICS.errorsPrefix}4xx`] = c.clientErrors;
    if (c.serverErrors) optional[`${EMF_METRICS.errorsPrefix}5xx`] = c.serverErrors;
    for (const [label, n] of c.predictions) if (n) optional[`${EMF_METRICS.predictionsPrefix}${label}`] = n;
    return {
      _aws: {
        Timestamp: timestamp,
        CloudWatchMetrics: [{
          Namespace: this.opts.namespace ?? EMF_NAMESPACE,
          Dimensions: [['Deployment', 'ModelVersion'], ['Deployment']],
          Metrics: [
            { Name: EMF_METRICS.requests, Unit: 'Count' },
            { Name: EMF_METRICS.errors, Unit: 'Count' },
            { Name: EMF_METRICS.latency, Unit: 'Milliseconds' },
            ...Object.keys(optional).map((name) => ({ Name: name, Unit: 'Count' })),
          ],
        }],
      },
      Deployment: this.opts.deployment,
      ModelVersion: version,
      [EMF_METRICS.requests]: c.requests,
      [EMF_METRICS.errors]: c.errors,
      [EMF_METRICS.latency]: { Values: values, Counts: counts, Max: round(c.latencyMax), Min: round(c.latencyMin), Count: c.requests, Sum: round(c.latencySum) },
      ...optional,
    };
  }
}

/** Past `max` bins (latencies spanning over four orders of magnitude in one interval), neighbours merge pairwise, count-weighted. */
export function mergeToLimit(values: number[], counts: number[], max: number): void {
  while (values.length > max) {
    const v: number[] = [];
    const n: number[] = [];
    for (let i = 0; i < values.length; i += 2) {
      if (i + 1 === values.length) {
        v.push(values[i]!);
        n.push(counts[i]!);
        continue;
      }
      const total = counts[i]! + counts[i + 1]!;
      v.push(round((values[i]! * counts[i]! + values[i + 1]! * counts[i + 1]!) / total));
      n.push(total);
    }
    values.splice(0, values.length, ...v);
    counts.splice(0, counts.length, ...n);
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

type RequestMetrics = { observeRequest(route: string, status: number, seconds: number): void; countPrediction(label: string): void };

/** The service's metrics, also feeding EMF (prediction route only, as the control plane's local scrape counts). */
export function withEmf<M extends RequestMetrics>(metrics: M, emf: EmfMetrics | null, route = '/v1/predict'): M {
  if (!emf) return metrics;
  return {
    ...metrics,
    observeRequest(r: string, status: number, seconds: number) {
      metrics.observeRequest(r, status, seconds);
      if (r === route) emf.observeRequest(status, seconds * 1000);
    },
    countPrediction(label: string) {
      metrics.countPrediction(label);
      emf.countPrediction(label);
    },
  };
}
