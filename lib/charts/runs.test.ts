import { describe, expect, it } from 'vitest';
import { calibrationSeries, compareParams, formatParam, mergeCurvesByStep, normaliseConfusion, overlayCurves, parallelCoordinates, perClassBars, pickOverlayKey, topImportances } from './runs';

describe('normaliseConfusion', () => {
  it('shades each cell by its share of the true-class row and counts the diagonal', () => {
    const view = normaliseConfusion(['LA', 'MM', 'UM'], [[8, 2, 0], [1, 6, 3], [0, 0, 0]]);
    expect(view.total).toBe(20);
    expect(view.correct).toBe(14);
    expect(view.rows[0]!.cells.map((c) => c.rowShare)).toEqual([0.8, 0.2, 0]);
    expect(view.rows[1]!.cells[2]).toEqual({ actual: 'MM', predicted: 'UM', count: 3, rowShare: 0.3 });
    // An empty row gets zeros, not NaN.
    expect(view.rows[2]!.cells.map((c) => c.rowShare)).toEqual([0, 0, 0]);
  });
});

describe('compareParams', () => {
  it('flags parameters whose values differ, including one a run lacks', () => {
    const rows = compareParams([{ maxDepth: 6, growth: 'lossguide', lr: 0.1 }, { maxDepth: 8, growth: 'lossguide', lr: 0.1, extra: true }]);
    expect(rows.map((r) => [r.name, r.differs])).toEqual([['maxDepth', true], ['growth', false], ['lr', false], ['extra', true]]);
    expect(rows[3]!.values).toEqual(['—', 'true']);
  });

  it('does not see a difference in floating-point noise', () => {
    expect(compareParams([{ lr: 0.1 + 0.2 }, { lr: 0.3 }])[0]!.differs).toBe(false);
    expect(formatParam(1e-4)).toBe('0.0001');
  });
});

describe('curves', () => {
  it('merges two series by step, leaving gaps as null', () => {
    const rows = mergeCurvesByStep({ train_loss: [{ step: 2, value: 0.5 }, { step: 1, value: 0.9 }], validation_loss: [{ step: 2, value: 0.6 }] }, ['train_loss', 'validation_loss']);
    expect(rows).toEqual([{ step: 1, train_loss: 0.9, validation_loss: null }, { step: 2, train_loss: 0.5, validation_loss: 0.6 }]);
  });

  it('overlays one curve of several runs, one column per run', () => {
    const rows = overlayCurves([{ id: 'a', curves: { validation_loss: [{ step: 1, value: 1 }] } }, { id: 'b', curves: { validation_loss: [{ step: 1, value: 2 }, { step: 2, value: 1.5 }] } }], 'validation_loss');
    expect(rows).toEqual([{ step: 1, a: 1, b: 2 }, { step: 2, a: null, b: 1.5 }]);
  });

  it('prefers validation loss only when every run has it', () => {
    expect(pickOverlayKey([{ validation_loss: [{ step: 1, value: 1 }], train_loss: [{ step: 1, value: 1 }] }, { train_loss: [{ step: 1, value: 1 }] }])).toBe('train_loss');
    expect(pickOverlayKey([{ validation_loss: [{ step: 1, value: 1 }] }])).toBe('validation_loss');
    expect(pickOverlayKey([{}, {}])).toBeNull();
  });
});

describe('parallelCoordinates', () => {
  const runs = [
    { id: 'a', label: '#1', params: { lr: 0.01, depth: 4, growth: 'lossguide', leaves: 31 }, metric: 0.6 },
    { id: 'b', label: '#2', params: { lr: 0.1, depth: 8, growth: 'depthwise', leaves: 31 }, metric: 0.7 },
    { id: 'c', label: '#3', params: { lr: 1, depth: 6, growth: 'lossguide', leaves: 31 }, metric: null },
  ];

  it('keeps varying numeric parameters as axes, with the metric last', () => {
    const { axes } = parallelCoordinates(runs, { metricName: 'macro F1' });
    expect(axes.map((a) => a.name)).toEqual(['lr', 'depth', 'macro F1']);
    expect(axes[1]).toMatchObject({ min: 4, max: 8, log: false });
  });

  it('places values at 0..1 on each axis, on a log scale when asked', () => {
    const { lines } = parallelCoordinates(runs, { metricName: 'macro F1', logParams: ['lr'] });
    expect(lines[1]!.values[0]).toBeCloseTo(0.5, 10);
    expect(lines[2]!.values[1]).toBe(0.5);
    expect(lines[0]!.values[2]).toBe(0);
    expect(lines[1]!.values[2]).toBe(1);
    expect(lines[2]!.values[2]).toBeNull();
  });

  it('centres a constant metric axis instead of dividing by zero', () => {
    const { lines } = parallelCoordinates([{ id: 'a', label: 'a', params: { x: 1 }, metric: 0.5 }, { id: 'b', label: 'b', params: { x: 2 }, metric: 0.5 }], { metricName: 'accuracy' });
    expect(lines.map((l) => l.values)).toEqual([[0, 0.5], [1, 0.5]]);
  });
});

describe('per-class, importance and calibration helpers', () => {
  it('groups per-class F1 by label with one key per run', () => {
    const bars = perClassBars([{ id: 'a', perClass: { LA: { f1: 0.5 } } }, { id: 'b', perClass: null }], ['LA', 'MM']);
    expect(bars).toEqual([{ label: 'LA', a: 0.5, b: null }, { label: 'MM', a: null, b: null }]);
  });

  it('keeps the largest importances, in order, with shares', () => {
    const top = topImportances([{ feature: 'a', importance: 1 }, { feature: 'b', importance: 3 }, { feature: 'c', importance: 2 }], 2);
    expect(top.map((t) => t.feature)).toEqual(['b', 'c']);
    expect(top[0]!.share).toBeCloseTo(0.6, 10);
  });

  it('drops empty calibration bins and keeps every label', () => {
    const series = calibrationSeries({ LA: [{ meanPredicted: 0.1, fractionPositive: 0.12, count: 5 }, { meanPredicted: 0.5, fractionPositive: 0, count: 0 }] }, ['LA', 'MM']);
    expect(series).toEqual([{ label: 'LA', points: [{ x: 0.1, y: 0.12, count: 5 }] }, { label: 'MM', points: [] }]);
  });
});
