import { describe, expect, it } from 'vitest';
import { budgetBar, componentShares, prepareDailyCosts, shortDay, STACK_ORDER } from './costs';

const day = (d: string, values: Partial<Record<'training' | 'inference' | 'storage' | 'data_transfer' | 'control_plane', number>> = {}) => {
  const v = { training: 0, inference: 0, storage: 0, data_transfer: 0, control_plane: 0, ...values };
  return { day: d, ...v, total: Object.values(v).reduce((s, x) => s + x, 0) };
};

describe('prepareDailyCosts', () => {
  it('puts the days in order with short labels, and lists only components that cost something, in stack order', () => {
    const prepared = prepareDailyCosts([day('2026-11-03', { training: 2, control_plane: 8 }), day('2026-11-01'), day('2026-11-02', { control_plane: 8, storage: 0.01 })]);
    expect(prepared.points.map((p) => [p.day, p.label])).toEqual([['2026-11-01', 'Nov 1'], ['2026-11-02', 'Nov 2'], ['2026-11-03', 'Nov 3']]);
    expect(prepared.components).toEqual(['control_plane', 'storage', 'training']);
    expect(prepared.peak).toEqual({ day: '2026-11-03', total: 10 });
    expect(prepared.hasData).toBe(true);
  });

  it('averages over days with a cost (days before installation are not free days)', () => {
    expect(prepareDailyCosts([day('2026-11-01'), day('2026-11-02', { control_plane: 6 }), day('2026-11-03', { control_plane: 8 })]).average).toBe(7);
  });

  it('says when there is nothing to draw', () => {
    expect(prepareDailyCosts([day('2026-11-01')])).toMatchObject({ hasData: false, average: 0, peak: null, components: [] });
    expect(prepareDailyCosts([])).toMatchObject({ hasData: false, points: [] });
  });

  it('stacks the steady always-on cost at the bottom and training on top', () => {
    expect(STACK_ORDER[0]).toBe('control_plane');
    expect(STACK_ORDER[STACK_ORDER.length - 1]).toBe('training');
    expect(shortDay('2026-02-09')).toBe('Feb 9');
  });
});

describe('componentShares', () => {
  it('orders components by cost with their share of the total', () => {
    const shares = componentShares({ training: 1, inference: 3, storage: 0, data_transfer: 0, control_plane: 6 });
    expect(shares.map((s) => [s.component, s.share])).toEqual([['control_plane', 0.6], ['inference', 0.3], ['training', 0.1], ['storage', 0], ['data_transfer', 0]]);
    expect(shares[0]!.label).toBe('Control plane');
  });

  it('gives zero shares when nothing was spent', () => {
    expect(componentShares({ training: 0, inference: 0, storage: 0, data_transfer: 0, control_plane: 0 }).every((s) => s.share === 0)).toBe(true);
  });
});

describe('budgetBar', () => {
  it('scales to the budget while the forecast stays under it', () => {
    expect(budgetBar(100, 300, 500)).toEqual({ spentPct: 20, forecastPct: 60, budgetPct: 100, scaleUsd: 500 });
  });

  it('scales to the forecast when it runs past the budget, so the budget marker sits inside the bar', () => {
    expect(budgetBar(200, 800, 500)).toEqual({ spentPct: 25, forecastPct: 100, budgetPct: 62.5, scaleUsd: 800 });
    // Already over: the spend fills the bar, the budget marker shows where the line was.
    expect(budgetBar(600, 0, 500)).toEqual({ spentPct: 100, forecastPct: 100, budgetPct: (500 / 600) * 100, scaleUsd: 600 });
  });

  it('draws an empty bar for an empty month', () => {
    expect(budgetBar(0, 0, 500)).toEqual({ spentPct: 0, forecastPct: 0, budgetPct: 100, scaleUsd: 500 });
  });
});
