import { AggregatorRegistry, Gauge, Registry } from 'prom-client';

/**
 * /metrics for a whole cluster instance, kept by its primary: the workers'
 * request metrics (collected over IPC) added to the primary's own (model,
 * revision, swaps, refusals, its process). The control plane's collector turns
 * counters into deltas between scrapes and reads a counter that goes down, or a
 * process start time that changes, as a restart — after which it counts
 * everything again. So the sum must never go down while the instance lives:
 * a worker that exits leaves its last collected counters and histograms behind
 * (counts since that collection are lost: an undercount, never a double count),
 * and the start time is the primary's, which outlives its workers.
 */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

const PROCESS_START = 'inference_process_start_time_seconds';

/** Counters and histograms only ever grow; gauges (memory, the model) describe a live process. */
const isCumulative = (m: MetricsJson[number]) => ['counter', 'histogram'].includes(String(m.type));

export class ClusterMetrics {
  private readonly live = new Map<number, MetricsJson>();
  private retired: MetricsJson = [];
  private readonly start: Registry;

  constructor(private readonly own: Registry, startedAtSeconds: number) {
    this.start = new Registry();
    new Gauge({ name: PROCESS_START, help: 'Start time of the instance (its primary process) since unix epoch in seconds.', registers: [this.start] }).set(startedAtSeconds);
  }

  /** A worker was started: its collections count from now on. */
  add(worker: number): void {
    this.live.set(worker, []);
  }

  /** The worker's metrics as it last reported them (ignored once it has been retired). */
  update(worker: number, metrics: MetricsJson): void {
    if (this.live.has(worker)) this.live.set(worker, metrics);
  }

  /** The worker exited: its last counters stay in the sum. */
  retire(worker: number): void {
    const last = this.live.get(worker);
    this.live.delete(worker);
    if (last?.length) this.retired = aggregateJson([this.retired, last.filter(isCumulative)]);
  }

  async text(): Promise<string> {
    const workers = [...this.live.values()].map((m) => m.filter((x) => x.name !== PROCESS_START));
    const own = (await this.own.getMetricsAsJSON()).filter((x) => x.name !== PROCESS_START);
    return Registry.merge([AggregatorRegistry.aggregate([own, ...workers, this.retired]), this.start]).metrics();
  }
}

function aggregateJson(parts: MetricsJson[]): MetricsJson {
  // aggregate() registers plain objects whose get() is synchronous.
  return AggregatorRegistry.aggregate(parts).getMetricsAsArray().map((m) => (m as unknown as { get(): MetricsJson[number] }).get());
}
