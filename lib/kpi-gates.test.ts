import { describe, expect, it } from 'vitest';
import { allGatesPass, DEFAULT_GATE_THRESHOLDS, evaluateGates, gateThresholdsSchema } from './kpi-gates';

const metrics = (accuracy: number, macro_f1: number, precisions: Record<string, number>) => ({
  accuracy,
  macro_f1,
  per_class: Object.fromEntries(Object.entries(precisions).map(([k, precision]) => [k, { precision, recall: 0.8, f1: 0.8, support: 10 }])),
});

describe('KPI gates', () => {
  it('passes a model at or above every default threshold', () => {
    const results = evaluateGates(metrics(0.75, 0.7, { LA: 0.65, MM: 0.9, UM: 0.8 }), DEFAULT_GATE_THRESHOLDS);
    expect(results.map((r) => r.gate)).toEqual(['accuracy', 'macro_f1', 'precision_LA', 'precision_MM', 'precision_UM']);
    expect(allGatesPass(results)).toBe(true);
  });

  it('fails exactly the gates below their thresholds', () => {
    const results = evaluateGates(metrics(0.8, 0.69, { LA: 0.9, MM: 0.64, UM: 0.9 }), DEFAULT_GATE_THRESHOLDS);
    expect(results.filter((r) => !r.passed).map((r) => r.gate)).toEqual(['macro_f1', 'precision_MM']);
    expect(allGatesPass(results)).toBe(false);
  });

  it('fails gates whose metric is missing instead of passing them silently', () => {
    const results = evaluateGates({ accuracy: 0.9 }, DEFAULT_GATE_THRESHOLDS);
    expect(results.find((r) => r.gate === 'macro_f1')).toMatchObject({ value: null, passed: false });
    expect(results.find((r) => r.gate === 'precision')).toMatchObject({ value: null, passed: false });
    expect(allGatesPass(evaluateGates(null, DEFAULT_GATE_THRESHOLDS))).toBe(false);
  });

  it('uses the thresholds it is given', () => {
    const m = metrics(0.8, 0.8, { LA: 0.8, MM: 0.8, UM: 0.8 });
    expect(allGatesPass(evaluateGates(m, { accuracy: 0.81, macroF1: 0, minClassPrecision: 0 }))).toBe(false);
    expect(allGatesPass(evaluateGates(m, { accuracy: 0.8, macroF1: 0.8, minClassPrecision: 0.8 }))).toBe(true);
  });

  it('refuses thresholds outside 0..1 and unknown keys', () => {
    expect(gateThresholdsSchema.safeParse({ accuracy: 1.2, macroF1: 0.7, minClassPrecision: 0.6 }).success).toBe(false);
    expect(gateThresholdsSchema.safeParse({ ...DEFAULT_GATE_THRESHOLDS, recall: 0.5 }).success).toBe(false);
  });
});
