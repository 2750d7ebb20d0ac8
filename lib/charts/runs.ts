/**
 * Data preparation for the training-run charts and tables: pure functions, so the
 * render-only components stay simple and the arithmetic is unit-tested.
 */

export type ParamValue = number | string | boolean;
export type CurvePoint = { step: number; value: number };

/** One cell of a confusion matrix: the count, and its share of the true class's row (0..1). */
export type ConfusionCell = { actual: string; predicted: string; count: number; rowShare: number };
export type ConfusionView = { labels: string[]; rows: { actual: string; total: number; cells: ConfusionCell[] }[]; total: number; correct: number };

/** Rows are true classes, columns predicted ones; an empty row gets shares of 0, not NaN. */
export function normaliseConfusion(labels: string[], matrix: number[][]): ConfusionView {
  let total = 0;
  let correct = 0;
  const rows = labels.map((actual, i) => {
    const counts = labels.map((_, j) => Number(matrix[i]?.[j] ?? 0));
    const rowTotal = counts.reduce((a, b) => a + b, 0);
    total += rowTotal;
    correct += counts[i] ?? 0;
    return {
      actual,
      total: rowTotal,
      cells: counts.map((count, j) => ({ actual, predicted: labels[j]!, count, rowShare: rowTotal > 0 ? count / rowTotal : 0 })),
    };
  });
  return { labels, rows, total, correct };
}

/** A stable text form of a parameter value, for display and comparison. */
export function formatParam(value: ParamValue | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return String(value);
}

export type ParamRow = { name: string; values: string[]; differs: boolean };

/** Every parameter any run has, in first-seen order; `differs` when the runs disagree (a missing value counts). */
export function compareParams(paramSets: Record<string, ParamValue>[]): ParamRow[] {
  const names: string[] = [];
  for (const params of paramSets) for (const name of Object.keys(params)) if (!names.includes(name)) names.push(name);
  return names.map((name) => {
    const values = paramSets.map((p) => formatParam(p[name]));
    return { name, values, differs: new Set(values).size > 1 };
  });
}

/** Learning curves of one run merged by step: [{ step, train_loss, validation_loss }]. */
export function mergeCurvesByStep(series: Record<string, CurvePoint[]>, keys: string[]): Array<{ step: number } & Record<string, number | null>> {
  const byStep = new Map<number, { step: number } & Record<string, number | null>>();
  for (const key of keys) {
    for (const p of series[key] ?? []) {
      const row = byStep.get(p.step) ?? ({ step: p.step, ...Object.fromEntries(keys.map((k) => [k, null])) } as { step: number } & Record<string, number | null>);
      row[key] = p.value;
      byStep.set(p.step, row);
    }
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** One curve (e.g. validation_loss) of several runs overlaid: rows by step with one column per run id. */
export function overlayCurves(runs: { id: string; curves: Record<string, CurvePoint[]> }[], key: string) {
  return mergeCurvesByStep(Object.fromEntries(runs.map((r) => [r.id, r.curves[key] ?? []])), runs.map((r) => r.id));
}

/** Which curve to overlay: validation loss when every run has it, else training loss, else the first key any run has. */
export function pickOverlayKey(curves: Record<string, CurvePoint[]>[]): string | null {
  const has = (key: string) => curves.length > 0 && curves.every((c) => (c[key]?.length ?? 0) > 0);
  if (has('validation_loss')) return 'validation_loss';
  if (has('train_loss')) return 'train_loss';
  for (const c of curves) for (const [k, v] of Object.entries(c)) if (v.length) return k;
  return null;
}

export type ParallelAxis = { name: string; min: number; max: number; log: boolean };
export type ParallelLine = { id: string; label: string; values: (number | null)[]; metric: number | null };

/**
 * Parallel coordinates: one axis per numeric parameter that varies between runs, plus
 * the metric as the last axis. Each value is placed at 0..1 on its axis (log scale
 * when the parameter is searched that way and positive); a constant axis sits at 0.5.
 */
export function parallelCoordinates(
  runs: { id: string; label: string; params: Record<string, ParamValue>; metric: number | null }[],
  options: { logParams?: string[]; metricName: string },
): { axes: ParallelAxis[]; lines: ParallelLine[] } {
  const names: string[] = [];
  for (const r of runs) for (const [k, v] of Object.entries(r.params)) if (typeof v === 'number' && !names.includes(k)) names.push(k);
  const varying = names.filter((n) => new Set(runs.map((r) => r.params[n])).size > 1);
  const axis = (name: string, values: number[], log: boolean): ParallelAxis => {
    const finite = values.filter((v) => Number.isFinite(v));
    const useLog = log && finite.length > 0 && finite.every((v) => v > 0);
    return { name, min: finite.length ? Math.min(...finite) : 0, max: finite.length ? Math.max(...finite) : 1, log: useLog };
  };
  const axes = [
    ...varying.map((n) => axis(n, runs.map((r) => r.params[n]).filter((v): v is number => typeof v === 'number'), options.logParams?.includes(n) ?? false)),
    axis(options.metricName, runs.map((r) => r.metric).filter((v): v is number => v !== null), false),
  ];
  const place = (a: ParallelAxis, v: number | null | undefined): number | null => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    if (a.max === a.min) return 0.5;
    return a.log ? (Math.log(v) - Math.log(a.min)) / (Math.log(a.max) - Math.log(a.min)) : (v - a.min) / (a.max - a.min);
  };
  const lines = runs.map((r) => ({
    id: r.id,
    label: r.label,
    metric: r.metric,
    values: axes.map((a, i) => place(a, i === axes.length - 1 ? r.metric : (r.params[a.name] as number | undefined))),
  }));
  return { axes, lines };
}

/** Per-class F1 (or another per-class metric) of several runs as grouped bars: [{ label, [runId]: value }]. */
export function perClassBars(runs: { id: string; perClass: Record<string, Record<string, number>> | null }[], labels: string[], metric: 'f1' | 'precision' | 'recall' = 'f1') {
  return labels.map((label) => ({ label, ...Object.fromEntries(runs.map((r) => [r.id, r.perClass?.[label]?.[metric] ?? null])) }));
}

/** Feature importances, largest first, at most `limit`, each with its share of the shown total. */
export function topImportances(items: { feature: string; importance: number }[], limit = 20) {
  const top = [...items].filter((i) => Number.isFinite(i.importance)).sort((a, b) => b.importance - a.importance).slice(0, limit);
  const total = top.reduce((s, i) => s + Math.abs(i.importance), 0);
  return top.map((i) => ({ ...i, share: total > 0 ? Math.abs(i.importance) / total : 0 }));
}

/** Reliability diagram data: per class, the bins that hold any predictions. */
export function calibrationSeries(calibration: Record<string, { meanPredicted: number; fractionPositive: number; count: number }[]> | null | undefined, labels: string[]) {
  return labels.map((label) => ({
    label,
    points: (calibration?.[label] ?? []).filter((b) => b.count > 0).map((b) => ({ x: b.meanPredicted, y: b.fractionPositive, count: b.count })),
  }));
}

/** Distinct colours for runs overlaid in one chart (theme tokens first, then fixed hues). */
export const RUN_COLORS = ['var(--color-primary)', 'var(--color-warning)', 'var(--color-success)', 'var(--color-danger)', '#8b5cf6', '#0891b2', '#db2777', '#65a30d'];
export const runColor = (index: number) => RUN_COLORS[index % RUN_COLORS.length]!;
