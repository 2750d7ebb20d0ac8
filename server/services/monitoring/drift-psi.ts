/**
 * Population stability index and the features it is computed on. Pure: the
 * baseline (training) distribution and the recent counts come in, numbers go out.
 *
 * PSI = Σ (actual − expected) · ln(actual / expected) over bins, where expected are
 * the training shares and actual the recent traffic's shares. A bin empty on one
 * side would make the logarithm infinite, so shares are floored at PSI_EPSILON
 * (the usual 0.0001) before the sum.
 */
export const PSI_EPSILON = 1e-4;
/** Bin of a categorical value the training data never had (or that fell outside its top values). */
export const OTHER_BIN = '(other)';
/** Bin of an absent value (null, empty): context codes are optional in the prediction API. */
export const MISSING_BIN = '(missing)';
/** Categorical features keep their most common training values; the rest share OTHER_BIN. */
export const MAX_CATEGORIES = 50;

export type NumericBaseline = {
  kind: 'numeric';
  /** Ascending, distinct decile edges of the training values; bin i holds edges[i-1] ≤ v < edges[i] (Postgres width_bucket). */
  edges: number[];
  /** edges.length + 1 shares summing to 1. */
  shares: number[];
};
export type CategoricalBaseline = { kind: 'categorical'; shares: Record<string, number> };
export type FeatureBaseline = NumericBaseline | CategoricalBaseline;
export type BaselineFeatures = Record<string, FeatureBaseline>;

/**
 * The drift features: the keys of the compact summary the inference service writes
 * with each prediction (inference/src/telemetry.ts basketFeatures). Hour and weekday
 * are codes, not quantities, so they drift as categories.
 */
export const DRIFT_FEATURES = [
  { key: 'lines', label: 'Lines per basket', kind: 'numeric' },
  { key: 'spend', label: 'Basket spend', kind: 'numeric' },
  { key: 'quantity', label: 'Items per basket', kind: 'numeric' },
  { key: 'storeFormat', label: 'Store format', kind: 'categorical' },
  { key: 'storeRegion', label: 'Store region', kind: 'categorical' },
  { key: 'basketSize', label: 'Basket size', kind: 'categorical' },
  { key: 'basketType', label: 'Basket type', kind: 'categorical' },
  { key: 'mission', label: 'Dominant mission', kind: 'categorical' },
  { key: 'seg1', label: 'Customer segment', kind: 'categorical' },
  { key: 'hour', label: 'Hour of day', kind: 'categorical' },
  { key: 'weekday', label: 'Weekday', kind: 'categorical' },
] as const satisfies readonly { key: string; label: string; kind: FeatureBaseline['kind'] }[];
export type DriftFeatureKey = (typeof DRIFT_FEATURES)[number]['key'];

/** Where the baseline keeps the training label shares (the fallback reference for class drift). */
export const LABEL_BASELINE_KEY = '__label';

export type BinShare = { bin: string; expected: number; actual: number };

/** PSI between two share vectors over the same bins (each summing to 1). */
export function psi(bins: readonly { expected: number; actual: number }[]): number {
  let total = 0;
  for (const b of bins) {
    const e = Math.max(b.expected, PSI_EPSILON);
    const a = Math.max(b.actual, PSI_EPSILON);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** Decile edges of sorted-or-not quantiles: finite, ascending, distinct (ties collapse bins). */
export function distinctEdges(quantiles: readonly (number | null)[]): number[] {
  const finite = quantiles.filter((q): q is number => typeof q === 'number' && Number.isFinite(q)).sort((a, b) => a - b);
  return finite.filter((q, i) => i === 0 || q !== finite[i - 1]);
}

/** Human names of numeric bins: "< 3", "3 – 5", "≥ 40". */
export function numericBinLabels(edges: readonly number[]): string[] {
  const fmt = (n: number) => String(Number(n.toPrecision(6)));
  if (!edges.length) return ['all'];
  const out = [`< ${fmt(edges[0]!)}`];
  for (let i = 1; i < edges.length; i++) out.push(`${fmt(edges[i - 1]!)} – ${fmt(edges[i]!)}`);
  out.push(`≥ ${fmt(edges[edges.length - 1]!)}`);
  return out;
}

/** Training shares against recent counts, bin by bin (numeric: by bin index; categorical: by value). */
export function compareToBaseline(baseline: FeatureBaseline, counts: ReadonlyMap<string, number>): { bins: BinShare[]; count: number } {
  let count = 0;
  for (const n of counts.values()) count += n;
  const share = (n: number | undefined) => (count ? (n ?? 0) / count : 0);
  if (baseline.kind === 'numeric') {
    const labels = numericBinLabels(baseline.edges);
    return { count, bins: baseline.shares.map((expected, i) => ({ bin: labels[i] ?? String(i), expected, actual: share(counts.get(String(i))) })) };
  }
  const keys = new Set([...Object.keys(baseline.shares), ...counts.keys()]);
  return { count, bins: [...keys].map((bin) => ({ bin, expected: baseline.shares[bin] ?? 0, actual: share(counts.get(bin)) })) };
}

/** Shares of counts, keeping the `max` most common values and pooling the rest into OTHER_BIN. */
export function topShares(counts: readonly { value: string; n: number }[], max = MAX_CATEGORIES): Record<string, number> {
  const total = counts.reduce((s, c) => s + c.n, 0);
  if (!total) return {};
  const sorted = [...counts].sort((a, b) => b.n - a.n || a.value.localeCompare(b.value));
  const out: Record<string, number> = {};
  let rest = 0;
  sorted.forEach((c, i) => {
    if (i < max && c.value !== OTHER_BIN) out[c.value] = c.n / total;
    else rest += c.n;
  });
  if (rest) out[OTHER_BIN] = rest / total;
  return out;
}
