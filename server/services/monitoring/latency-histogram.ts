/**
 * Latency as histograms: the rollups keep per-bucket counts (not percentiles), so
 * a percentile over any time range comes from the summed buckets — never from an
 * average of averages. Pure, shared by the collector and the reader.
 */

/**
 * Upper bounds (ms) of the buckets the rollups keep: those of the inference
 * service's histogram (inference/src/metrics.ts). `counts` has one more entry than
 * `bounds`: the last counts requests slower than the last bound.
 */
export const LATENCY_BOUNDS_MS = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000];

/**
 * The value below which `q` (0..1) of the observations fall, interpolated
 * linearly inside the bucket holding that rank (as Prometheus' histogram_quantile
 * does; the first bucket starts at 0). In the overflow bucket there is no upper
 * edge: the answer is the last bound, a floor. null when there are no observations.
 */
export function histogramQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number | null {
  const total = counts.reduce((s, c) => s + c, 0);
  if (!(total > 0)) return null;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c > 0 && below + c >= rank) {
      if (i >= bounds.length) return bounds[bounds.length - 1] ?? null;
      const lower = i === 0 ? 0 : bounds[i - 1]!;
      const upper = bounds[i]!;
      return lower + (upper - lower) * Math.max(0, rank - below) / c;
    }
    below += c;
  }
  return bounds[bounds.length - 1] ?? null;
}

/** Element-wise sum of count arrays of possibly different lengths. */
export function addCounts(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return out;
}

/**
 * Per-bucket counts from cumulative `le` buckets (`le` in ms, +Inf last or absent),
 * re-binned onto `bounds`: each source bucket lands in the first target bucket whose
 * upper bound is at least its own, so an instance with other buckets still adds up
 * (conservatively, never reporting a latency lower than observed).
 */
export function bucketCounts(cumulative: { leMs: number; count: number }[], bounds: readonly number[] = LATENCY_BOUNDS_MS): number[] {
  const out = new Array<number>(bounds.length + 1).fill(0);
  const sorted = [...cumulative].sort((a, b) => a.leMs - b.leMs);
  let previous = 0;
  for (const { leMs, count } of sorted) {
    const n = Math.max(0, count - previous);
    previous = Math.max(previous, count);
    if (!n) continue;
    let target = bounds.findIndex((b) => b >= leMs * (1 - 1e-9));
    if (target < 0) target = bounds.length;
    out[target] = out[target]! + n;
  }
  return out;
}
