import { z } from 'zod';

/**
 * KPI gates: the minimum quality a model version must show before it may be
 * approved without an explicit, written override. Evaluated at registration
 * against the thresholds in force then (kept with the version, so a later change
 * of thresholds does not rewrite history). Pure, so the UI can explain them too.
 */
export const gateThresholdsSchema = z.strictObject({
  accuracy: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  macroF1: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  minClassPrecision: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
});
export type GateThresholds = z.infer<typeof gateThresholdsSchema>;

export const DEFAULT_GATE_THRESHOLDS: GateThresholds = { accuracy: 0.75, macroF1: 0.7, minClassPrecision: 0.65 };

export type GateResult = { gate: string; label: string; threshold: number; value: number | null; passed: boolean };

type GateMetrics = { accuracy?: unknown; macro_f1?: unknown; per_class?: unknown };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One result per gate, plus one per class for precision; a missing metric fails its gate. */
export function evaluateGates(metrics: GateMetrics | null | undefined, t: GateThresholds): GateResult[] {
  const results: GateResult[] = [];
  const accuracy = num(metrics?.accuracy);
  results.push({ gate: 'accuracy', label: 'Accuracy', threshold: t.accuracy, value: accuracy, passed: accuracy !== null && accuracy >= t.accuracy });
  const macroF1 = num(metrics?.macro_f1);
  results.push({ gate: 'macro_f1', label: 'Macro F1', threshold: t.macroF1, value: macroF1, passed: macroF1 !== null && macroF1 >= t.macroF1 });
  const perClass = (metrics?.per_class && typeof metrics.per_class === 'object' ? metrics.per_class : {}) as Record<string, { precision?: unknown }>;
  const classes = Object.keys(perClass).sort();
  if (!classes.length) results.push({ gate: 'precision', label: 'Precision (every class)', threshold: t.minClassPrecision, value: null, passed: false });
  for (const label of classes) {
    const precision = num(perClass[label]?.precision);
    results.push({ gate: `precision_${label}`, label: `Precision ${label}`, threshold: t.minClassPrecision, value: precision, passed: precision !== null && precision >= t.minClassPrecision });
  }
  return results;
}

export const allGatesPass = (results: GateResult[]) => results.every((r) => r.passed);
