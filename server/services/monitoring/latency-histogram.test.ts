import { describe, expect, it } from 'vitest';
import { addCounts, bucketCounts, histogramQuantile, LATENCY_BOUNDS_MS } from './latency-histogram';

describe('histogramQuantile', () => {
  const bounds = [1, 2, 5, 10];

  it('interpolates linearly inside the bucket holding the rank', () => {
    // 10 in (0,1], 10 in (1,2], 80 in (2,5]
    const counts = [10, 10, 80, 0, 0];
    expect(histogramQuantile(0.05, bounds, counts)).toBeCloseTo(0.5);
    expect(histogramQuantile(0.1, bounds, counts)).toBeCloseTo(1);
    expect(histogramQuantile(0.15, bounds, counts)).toBeCloseTo(1.5);
    // rank 60 of 100: 40 into the 80 of (2,5] → 2 + 3 * 40/80
    expect(histogramQuantile(0.6, bounds, counts)).toBeCloseTo(3.5);
    expect(histogramQuantile(1, bounds, counts)).toBeCloseTo(5);
  });

  it('skips empty buckets and floors the overflow bucket at the last bound', () => {
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 4, 0])).toBeCloseTo(7.5);
    expect(histogramQuantile(0.99, bounds, [1, 0, 0, 0, 99])).toBe(10);
  });

  it('is null without observations', () => {
    expect(histogramQuantile(0.5, bounds, [])).toBeNull();
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 0, 0])).toBeNull();
  });

  it('lands in the bucket of the true percentile for real data', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 0.2 + (i % 97) * 1.7 + (i % 13) * 0.3);
    const counts = bucketCounts(LATENCY_BOUNDS_MS.map((b) => ({ leMs: b, count: values.filter((v) => v <= b).length })).concat({ leMs: Infinity, count: values.length }));
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const truth = sorted[Math.ceil(q * sorted.length) - 1]!;
      const estimate = histogramQuantile(q, LATENCY_BOUNDS_MS, counts)!;
      const i = LATENCY_BOUNDS_MS.findIndex((b) => b >= truth);
      expect(estimate).toBeGreaterThanOrEqual(i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!);
      expect(estimate).toBeLessThanOrEqual(LATENCY_BOUNDS_MS[i]!);
    }
  });
});

describe('bucketCounts', () => {
  it('turns cumulative le buckets into per-bucket counts', () => {
    expect(bucketCounts([{ leMs: 2, count: 5 }, { leMs: 1, count: 3 }, { leMs: Infinity, count: 9 }], [1, 2])).toEqual([3, 2, 4]);
  });

  it('re-bins other bounds onto the kept ones, never lower than observed', () => {
    expect(bucketCounts([{ leMs: 0.7, count: 1 }, { leMs: 1.5, count: 3 }, { leMs: 3, count: 6 }, { leMs: Infinity, count: 6 }], [1, 2])).toEqual([1, 2, 3]);
  });

  it('never counts negative buckets', () => {
    expect(bucketCounts([{ leMs: 1, count: 4 }, { leMs: 2, count: 3 }], [1, 2])).toEqual([4, 0, 0]);
  });
});

it('addCounts sums element-wise', () => {
  expect(addCounts([1, 2], [3, 4, 5])).toEqual([4, 6, 5]);
});
