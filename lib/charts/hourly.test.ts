import { describe, expect, it } from 'vitest';
import { prepareHourly } from './hourly';

describe('prepareHourly', () => {
  it('covers the open hours, fills closed ones inside the span with zeros', () => {
    const h = prepareHourly([{ hour: 10, baskets: 5 }, { hour: 8, baskets: 3 }, { hour: 11, baskets: 2 }]);
    expect(h.points.map((p) => p.hour)).toEqual([8, 9, 10, 11]);
    expect(h.points.map((p) => p.baskets)).toEqual([3, 0, 5, 2]);
    expect(h.points[0]!.label).toBe('08:00');
    expect(h.total).toBe(10);
    expect(h.points[2]!.share).toBe(0.5);
    expect(h.busiest?.hour).toBe(10);
  });

  it('ignores impossible hours and empty input', () => {
    expect(prepareHourly([{ hour: 25, baskets: 9 }, { hour: 0, baskets: 1 }]).points.map((p) => p.hour)).toEqual([0]);
    expect(prepareHourly([])).toEqual({ points: [], total: 0, busiest: null });
  });
});
