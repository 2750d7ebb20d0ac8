import type { Bin } from '@/lib/datasets/types';

export type HistogramBar = { label: string; count: number; share: number; from: number; to: number | null };
export type Histogram = {
  bars: HistogramBar[];
  total: number;
  /** The bin holding the most values. */
  mode: HistogramBar | null;
  /** The bin in which the cumulative share reaches one half. */
  medianBin: HistogramBar | null;
};

/**
 * Bars for a histogram of pre-binned counts (the profile bins them server-side), with
 * each bin's share of the total so tooltips and the screen-reader table can say "12%".
 * Bins keep their order; a trailing run of empty bins is dropped so the axis ends with data.
 */
export function prepareHistogram(bins: Bin[], unit = ''): Histogram {
  const total = bins.reduce((sum, b) => sum + (Number(b.count) || 0), 0);
  let end = bins.length;
  while (end > 1 && !(Number(bins[end - 1]!.count) > 0)) end--;
  const bars = bins.slice(0, end).map((b) => ({
    label: unit ? `${unit}${b.label}` : b.label,
    count: Number(b.count) || 0,
    share: total > 0 ? (Number(b.count) || 0) / total : 0,
    from: b.from,
    to: b.to,
  }));
  const mode = bars.reduce<HistogramBar | null>((best, b) => (b.count > (best?.count ?? 0) ? b : best), null);
  let cumulative = 0;
  const medianBin = total > 0 ? (bars.find((b) => (cumulative += b.count) >= total / 2) ?? null) : null;
  return { bars, total, mode, medianBin };
}
