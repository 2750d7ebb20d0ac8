import { describe, expect, it } from 'vitest';
import { compareToBaseline, distinctEdges, numericBinLabels, OTHER_BIN, psi, PSI_EPSILON, topShares } from './drift-psi';

describe('PSI', () => {
  it('is 0 for identical distributions and grows with the shift', () => {
    expect(psi([{ expected: 0.3, actual: 0.3 }, { expected: 0.7, actual: 0.7 }])).toBe(0);
    const small = psi([{ expected: 0.5, actual: 0.55 }, { expected: 0.5, actual: 0.45 }]);
    const large = psi([{ expected: 0.5, actual: 0.8 }, { expected: 0.5, actual: 0.2 }]);
    expect(small).toBeCloseTo(0.05 * Math.log(0.55 / 0.5) - 0.05 * Math.log(0.45 / 0.5), 12);
    expect(large).toBeGreaterThan(small);
  });

  it('floors empty bins at the epsilon instead of dividing by zero', () => {
    const value = psi([{ expected: 0, actual: 0.1 }, { expected: 1, actual: 0.9 }]);
    expect(value).toBeCloseTo((0.1 - PSI_EPSILON) * Math.log(0.1 / PSI_EPSILON) + (0.9 - 1) * Math.log(0.9), 12);
    expect(Number.isFinite(value)).toBe(true);
  });
});

describe('baseline helpers', () => {
  it('collapses tied deciles into distinct ascending edges', () => {
    expect(distinctEdges([1, 1, 1, 2, 3, 3, null, 8, Number.NaN])).toEqual([1, 2, 3, 8]);
    expect(numericBinLabels([2, 5])).toEqual(['< 2', '2 – 5', '≥ 5']);
    expect(numericBinLabels([])).toEqual(['all']);
  });

  it('keeps the most common categories and pools the rest', () => {
    expect(topShares([{ value: 'a', n: 6 }, { value: 'b', n: 2 }, { value: 'c', n: 1 }, { value: 'd', n: 1 }], 2)).toEqual({ a: 0.6, b: 0.2, [OTHER_BIN]: 0.2 });
    expect(topShares([])).toEqual({});
  });

  it('lines recent counts up with the training bins, adding values training never had', () => {
    const numeric = compareToBaseline({ kind: 'numeric', edges: [10], shares: [0.5, 0.5] }, new Map([['1', 3]]));
    expect(numeric).toEqual({ count: 3, bins: [{ bin: '< 10', expected: 0.5, actual: 0 }, { bin: '≥ 10', expected: 0.5, actual: 1 }] });
    const categorical = compareToBaseline({ kind: 'categorical', shares: { LS: 1 } }, new Map([['LS', 1], [OTHER_BIN, 1]]));
    expect(categorical.bins).toEqual([{ bin: 'LS', expected: 1, actual: 0.5 }, { bin: OTHER_BIN, expected: 0, actual: 0.5 }]);
  });
});
