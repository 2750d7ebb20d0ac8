import { describe, expect, it } from 'vitest';
import { biggestShift, driftBars, formatPsi, PSI_ACT, psiStatus } from './drift';

describe('drift chart data', () => {
  it('names the status by the 0.1 / 0.25 convention', () => {
    expect([0, 0.099, 0.1, 0.2499, 0.25, 3].map(psiStatus)).toEqual(['ok', 'ok', 'watch', 'watch', 'act', 'act']);
  });

  it('ranks bars by PSI, caps huge values for the axis, keeps both reference lines in view', () => {
    const { bars, axisMax } = driftBars([
      { feature: 'hour', label: 'Hour of day', psi: 0.02, status: 'ok', recentCount: 500 },
      { feature: 'spend', label: 'Basket spend', psi: 4.2, status: 'act', recentCount: 500, bins: [{ bin: '≥ 40', expected: 0.1, actual: 0.6 }, { bin: '< 5', expected: 0.2, actual: 0.1 }] },
      { feature: 'lines', label: 'Lines per basket', psi: 0.12, status: 'watch', recentCount: 500 },
    ]);
    expect(bars.map((b) => b.key)).toEqual(['spend', 'lines', 'hour']);
    expect(bars[0]).toMatchObject({ psi: 4.2, shown: 1, color: 'var(--color-danger)', biggestShift: '≥ 40: 10% → 60%' });
    expect(bars[1]).toMatchObject({ shown: 0.12, color: 'var(--color-warning)', biggestShift: null });
    expect(axisMax).toBe(1);
    expect(driftBars([{ feature: 'x', label: 'X', psi: 4, status: 'act', recentCount: 1 }]).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    // All quiet: the axis still reaches past the "act" line.
    const quiet = driftBars([{ feature: 'hour', label: 'Hour', psi: 0.01, status: 'ok', recentCount: 10 }]);
    expect(quiet.axisMax).toBeGreaterThan(PSI_ACT);
    expect(quiet.ticks).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(driftBars([]).bars).toEqual([]);
  });

  it('describes the biggest shift only when there is one', () => {
    expect(biggestShift([{ bin: 'LS', expected: 0.5, actual: 0.501 }])).toBeNull();
    expect(biggestShift(undefined)).toBeNull();
    expect(formatPsi(0.01234)).toBe('0.012');
    expect(formatPsi(2.345)).toBe('2.35');
    expect(formatPsi(42.4)).toBe('42');
  });
});
