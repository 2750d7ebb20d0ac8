import { describe, expect, it } from 'vitest';
import { nextShopWeek, prepareWeeklyVolume } from './weekly-volume';

const week = (w: number, baskets: number) => ({ week: w, rows: baskets * 6, baskets, spend: baskets * 6.5, LA: baskets / 2, MM: baskets / 4, UM: baskets / 4, XX: 0 });

describe('nextShopWeek', () => {
  it('rolls over after week 52, or 53 when the data has one', () => {
    expect(nextShopWeek(200607, new Set())).toBe(200608);
    expect(nextShopWeek(200652, new Set())).toBe(200701);
    expect(nextShopWeek(200852, new Set([2008]))).toBe(200853);
    expect(nextShopWeek(200853, new Set([2008]))).toBe(200901);
  });
});

describe('prepareWeeklyVolume', () => {
  it('sorts weeks and fills the unpublished ones as gaps', () => {
    const { points, missingWeeks } = prepareWeeklyVolume([week(200609, 10), week(200607, 20)]);
    expect(points.map((p) => p.week)).toEqual([200607, 200608, 200609]);
    expect(points.map((p) => p.isGap)).toEqual([false, true, false]);
    expect(points[1]).toMatchObject({ baskets: 0, LA: 0, label: '2006 W08' });
    expect(missingWeeks).toEqual([200608]);
  });

  it('crosses a year boundary without inventing week 53', () => {
    const { points, missingWeeks } = prepareWeeklyVolume([week(200651, 1), week(200702, 1)]);
    expect(points.map((p) => p.week)).toEqual([200651, 200652, 200701, 200702]);
    expect(missingWeeks).toEqual([200652, 200701]);
  });

  it('summarises the chosen metric over weeks with data only', () => {
    const result = prepareWeeklyVolume([week(200607, 20), week(200609, 10)], 'baskets');
    expect(result.mean).toBe(15);
    expect(result.peak).toEqual({ week: 200607, value: 20 });
    expect(prepareWeeklyVolume([week(200607, 20)], 'spend').peak).toEqual({ week: 200607, value: 130 });
  });

  it('refuses to fill absurd gaps and copes with no data', () => {
    const far = prepareWeeklyVolume([week(199001, 1), week(210052, 1)]);
    expect(far.points).toHaveLength(2);
    expect(far.missingWeeks).toEqual([]);
    expect(prepareWeeklyVolume([])).toEqual({ points: [], missingWeeks: [], mean: 0, peak: null });
  });
});
