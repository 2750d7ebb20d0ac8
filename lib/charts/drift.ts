/**
 * Drift: the PSI convention shared by the server (status, alert defaults) and the
 * charts, plus the data preparation of the ranked drift bar chart. Pure and unit-tested.
 *
 * Convention (credit-scoring practice, Siddiqi 2006): PSI < 0.1 no meaningful
 * shift; 0.1 ≤ PSI < 0.25 moderate shift, watch it; PSI ≥ 0.25 significant
 * shift, act (investigate, consider retraining).
 */
export const PSI_WATCH = 0.1;
export const PSI_ACT = 0.25;

export type DriftStatus = 'ok' | 'watch' | 'act';

export function psiStatus(psi: number): DriftStatus {
  return psi >= PSI_ACT ? 'act' : psi >= PSI_WATCH ? 'watch' : 'ok';
}

export const DRIFT_STATUS_LABEL: Record<DriftStatus, string> = { ok: 'Stable', watch: 'Watch', act: 'Act' };

/** Bar colours by status (theme variables, so dark mode follows). */
export const DRIFT_STATUS_COLOR: Record<DriftStatus, string> = {
  ok: 'var(--color-primary)',
  watch: 'var(--color-warning)',
  act: 'var(--color-danger)',
};

export type DriftFeatureInput = { feature: string; label: string; psi: number; status: DriftStatus; recentCount: number; bins?: { bin: string; expected: number; actual: number }[] };

export type DriftBar = {
  key: string;
  label: string;
  psi: number;
  /** What the bar shows: PSI capped so one huge value does not flatten the rest (the tooltip has the real one). */
  shown: number;
  status: DriftStatus;
  color: string;
  recentCount: number;
  /** The bin that moved most, in words ("spend ≥ 40: 12% → 31%"), or null. */
  biggestShift: string | null;
};

const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 && x > 0 ? 1 : 0)}%`;

/** The bin whose share moved most, as "bin: training% → recent%". */
export function biggestShift(bins: DriftFeatureInput['bins']): string | null {
  if (!bins?.length) return null;
  let best = bins[0]!;
  for (const b of bins) if (Math.abs(b.actual - b.expected) > Math.abs(best.actual - best.expected)) best = b;
  if (Math.abs(best.actual - best.expected) < 0.005) return null;
  return `${best.bin}: ${pct(best.expected)} → ${pct(best.actual)}`;
}

/**
 * Bars ranked by PSI, largest first, and the axis maximum: at least a little past the
 * "act" line so both reference lines always show, at most 1 (PSI above 1 is off the chart
 * either way; the bar is capped and its tooltip says the true value).
 */
export function driftBars(features: readonly DriftFeatureInput[]): { bars: DriftBar[]; axisMax: number; ticks: number[] } {
  const AXIS_CAP = 1;
  const bars = [...features]
    .sort((a, b) => b.psi - a.psi || a.label.localeCompare(b.label))
    .map((f) => ({
      key: f.feature, label: f.label, psi: f.psi, shown: Math.min(f.psi, AXIS_CAP), status: f.status,
      color: DRIFT_STATUS_COLOR[f.status], recentCount: f.recentCount, biggestShift: biggestShift(f.bins),
    }));
  const top = bars[0]?.shown ?? 0;
  const axisMax = Math.min(AXIS_CAP, Math.max(PSI_ACT * 1.2, Math.ceil(top * 1.1 * 20) / 20));
  // Round ticks: every 0.05 up to 0.4, else every 0.2 (and the maximum itself).
  const step = axisMax <= 0.4 ? 0.05 : 0.2;
  const ticks: number[] = [];
  for (let i = 0; i * step < axisMax - 1e-9; i++) ticks.push(Math.round(i * step * 100) / 100);
  ticks.push(axisMax);
  return { bars, axisMax, ticks };
}

export function formatPsi(psi: number): string {
  return psi >= 10 ? psi.toFixed(0) : psi >= 1 ? psi.toFixed(2) : psi.toFixed(3);
}

export type BinShare = { bin: string; expected: number; actual: number };
export type FeatureDrift = { feature: string; label: string; kind: 'numeric' | 'categorical'; psi: number; status: DriftStatus; recentCount: number; bins: BinShare[] };
export type ClassDrift = { psi: number; status: DriftStatus; recentCount: number; reference: 'test-predictions' | 'training-labels'; classes: { label: string; expected: number; actual: number }[] };
export type DriftState = 'ok' | 'no-model' | 'no-baseline' | 'no-traffic';

/** GET /api/v1/drift. */
export type DriftReport = {
  deployment: string;
  range: { label: string; from: string; to: string };
  model: { id: string; modelName: string; version: number } | null;
  state: DriftState;
  /** Why there is nothing to show (state other than ok), in words. */
  reason: string | null;
  thresholds: { watch: number; act: number };
  /** Predictions in the range. */
  recentCount: number;
  /** Of those, the ones the PSI was computed on: those with a feature summary, sampled past MAX_DRIFT_ROWS. */
  sampledCount: number;
  isLowSample: boolean;
  baselineBaskets: number | null;
  /** Largest PSI first. */
  features: FeatureDrift[];
  classDrift: ClassDrift | null;
};
